"""Render the flat pair table and the cluster records as results: ids, fields and ``why`` texts.

This is where the ``why`` of every pair and cluster is written, from the measures the earlier
stages computed; nothing here measures anything.
"""

from __future__ import annotations

import numpy as np

from reprints.config import VerifyConfig
from reprints.evidence.align import swapped
from reprints.evidence.pairs import PairTable
from reprints.graph.cluster import ClusterRecord, Reason
from reprints.relations import Relation
from reprints.result import Cluster, Pair

_WHOLE = VerifyConfig().containment_threshold


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def pair_why(
    relation: Relation,
    a: str,
    b: str,
    jaccard: float,
    c_ab: float,
    c_ba: float,
    shared_content: int,
    discounted: int,
    whole: float = _WHOLE,
) -> str:
    """Why two documents ``a`` and ``b`` are related, in words. ``whole``: the containment
    threshold (under it, a containment is a document's only source holding most of it).

    >>> pair_why(Relation.CONTAINMENT, "000", "001", 0.51, 0.93, 0.52, 600, 0)
    "93% of 000's content shingles are in 001 (Jaccard only 0.51): 001 contains 000"
    """
    discount = f"; {discounted} shared boilerplate shingles discounted" if discounted else ""
    if relation == Relation.EXACT:
        return "exact copies: identical text after normalisation"
    if relation == Relation.NEAR_DUPLICATE:
        core = f"near-duplicates: Jaccard {jaccard:.2f} of their content shingles"
    elif relation == Relation.CONTAINMENT:
        small, big, share = (a, b, c_ab) if c_ab >= c_ba else (b, a, c_ba)
        core = (
            f"{_pct(share)} of {small}'s content shingles are in {big} "
            f"(Jaccard only {jaccard:.2f}): {big} contains {small}"
        )
        if share < whole:
            core += ", its only source (no other document shares a passage of the rest)"
    elif relation == Relation.REWRITE:
        core = (
            f"rewrite: their passages align in order, covering {_pct(c_ab)} of {a} and "
            f"{_pct(c_ba)} of {b}; too few shared word 5-grams for a near duplicate"
        )
    elif relation == Relation.TRANSLATION:
        core = (
            f"translation: their passages align in order on multilingual sentence embeddings "
            f"(the words differ), covering {_pct(c_ab)} of {a} and {_pct(c_ba)} of {b}"
        )
    elif relation == Relation.PARTIAL:
        core = (
            f"share {shared_content} content shingles (a whole passage) but neither holds "
            f"most of the other ({_pct(c_ab)} / {_pct(c_ba)})"
        )
    else:
        core = f"{relation}: {relation.description}"
    return core + discount


def pair_records(table: PairTable, ids: list[str], whole: float = _WHOLE) -> list[Pair]:
    """Every pair of the table as a :class:`Pair`, ``a`` the smaller id, sorted by ids
    (``whole``: the containment threshold, for the words of ``why``)."""
    out: list[Pair] = []
    discounted = table.boilerplate_discounted
    for k in range(len(table)):
        i, j = int(table.a[k]), int(table.b[k])
        relation = Relation.from_code(int(table.relation[k]))
        c_ab, c_ba = float(table.containment_a_in_b[k]), float(table.containment_b_in_a[k])
        jaccard = float(table.jaccard[k])
        a, b = ids[i], ids[j]
        fields = table.extra["evidence"][k] if "evidence" in table.extra else None
        if a > b:  # the pair as written: the smaller id first, whatever the input order
            a, b, c_ab, c_ba = b, a, c_ba, c_ab
            fields = swapped(fields) if fields is not None else None
        why = pair_why(
            relation,
            a,
            b,
            jaccard,
            c_ab,
            c_ba,
            int(table.shared_content[k]),
            int(discounted[k]),
            whole,
        )
        container = contained = None
        if relation == Relation.CONTAINMENT:
            contained, container = (a, b) if c_ab >= c_ba else (b, a)
        out.append(
            Pair(
                a=a,
                b=b,
                relation=relation,
                jaccard=jaccard,
                containment_a_in_b=c_ab,
                containment_b_in_a=c_ba,
                raw_jaccard=float(table.raw_jaccard[k]),
                shared_shingles=int(table.shared[k]),
                boilerplate_discounted=int(discounted[k]),
                why=why,
                container=container,
                contained=contained,
                evidence=fields,
            )
        )
    out.sort(key=lambda p: (p.a, p.b))
    return out


def cluster_why(record: ClusterRecord, ids: list[str]) -> str:
    """Why a cluster's canonical member was chosen, in words."""
    if record.reason is Reason.EARLIEST_DATE:
        why = f"earliest date ({record.date}) among the members"
    elif record.reason is Reason.EXACT_NO_DATES:
        why = "exact copies with no dates: the smallest id"
    elif record.reason is Reason.WHOLE_NOT_PART:
        why = (
            "no dates: a whole text; the other candidates are parts (a lead, one page) held "
            "whole by a text twice their size"
        )
    elif record.reason is Reason.NOT_A_VIEW:
        why = (
            ("dated alike" if record.date else "no dates")
            + ": the page itself; the other candidates' urls address its print or AMP views "
            "(the same text under another template)"
        )
    elif record.reason is Reason.UNCREDITED:
        why = (
            ("dated alike" if record.date else "no dates")
            + ": the others credit a source for their text (a 'Source:' line, 'originally "
            "published by', 'read more at') or send the reader elsewhere for the full text (a "
            "paywall's 'subscribe to read the full story'); it does neither"
        )
    elif record.reason is Reason.UNGARBLED:
        why = (
            ("dated alike" if record.date else "no dates")
            + ": the others garble words that a member prints whole (OCR or scraping noise: "
            "'drnscuss' for 'discuss', 'N ews' for 'News'); a copy garbles, its original does not"
        )
    elif record.reason is Reason.DATE_LINE and record.line_shared:
        why = (
            ("dated alike" if record.date else "no dates")
            + ": it shows the head (headline, byline) of a member that prints a date line "
            f"({record.line}), the same page on another site, and the others a later line or "
            "none (scrapes and copies that drop the line with its head)"
        )
    elif record.reason is Reason.DATE_LINE and record.line_habit:
        why = (
            ("dated alike" if record.date else "no dates")
            + ": its site prints no date line on any of its pages, so it dropped none; the "
            f"earliest line its cluster shows ({record.line}) is another site's page, and the "
            "others show a later line or none (scrapes and copies that drop the line)"
        )
    elif record.reason is Reason.DATE_LINE:
        why = (
            ("dated alike" if record.date else "no dates")
            + f": its text shows a date line ({record.line}) and the others a later one or "
            "none (a page that prints its publication date before the scrapes and copies that "
            "drop the line)"
        )
    elif record.reason is Reason.MEDOID:
        why = (
            "no dates: the member the others derive from, closest to all of them (content "
            f"Jaccard summed over the documents it joins: {record.score or 0.0:.2f})"
        )
    elif record.reason is Reason.FEWEST_ADDITIONS:
        why = (
            "no dates: as close to the others as the next member, and derives from none of them: "
            "it adds less prose at the edges of the shared text (intros, outros, comments) or "
            "inside it, and holds more paragraphs that the others dropped"
        )
    elif record.reason is Reason.LEAST_ADDED:
        why = (
            "no dates: as close to the others as the next member, and adds less text of its own "
            "(content that no other member holds)"
        )
    else:
        why = "no date or text evidence tells the members apart: the smallest id"
    if record.among_copies:
        why += "; earliest-dated or smallest id among its exact copies"
    centre = "it" if record.at_centre else ids[record.centre]
    why += f"; every member is directly related to {centre}"
    if record.witnessed:
        names = ", ".join(ids[d] for d in record.witnessed)
        why += f", except {names}: the same text as two or more of its members, or most of them"
    return why


def document_langs(table: PairTable) -> dict[int, str]:
    """Each document's language, where a pair's evidence names it (the rewrite level)."""
    langs: dict[int, str] = {}
    column = table.extra.get("evidence")
    if column is None:
        return langs
    for k in np.flatnonzero(np.not_equal(column, None)).tolist():
        lang = column[k].get("lang")
        if lang:
            for side, doc in (("a", int(table.a[k])), ("b", int(table.b[k]))):
                if lang.get(side):
                    langs[doc] = lang[side]
    return langs


def cluster_records(
    records: list[ClusterRecord], ids: list[str], langs: dict[int, str] | None = None
) -> list[Cluster]:
    """Every cluster as a :class:`Cluster` named by its canonical member, sorted by name;
    ``langs``: the documents' languages where known."""
    langs = langs or {}
    out = [
        Cluster(
            ids[r.canonical],
            ids[r.canonical],
            [ids[m] for m in r.members],
            cluster_why(r, ids),
            {ids[m]: langs[m] for m in r.members if m in langs},
        )
        for r in records
    ]
    out.sort(key=lambda c: c.cluster)
    return out
