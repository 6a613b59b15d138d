"""Star clustering: every member of a cluster is directly related to its centre (or, by
exception, to several of its members).

Connected components chain: page A (article 1 plus a teaser of article 2) links article 1 with
article 2's copies, and a few such pages glue unrelated stories together. reprints never joins two
documents through a third. Documents are visited in centre order (wholes before parts, then
earliest date, then the strongest text evidence, then id); a document with joining edges to
existing centres joins the one whose cluster holds most of its joined neighbours, then the one it
overlaps most, otherwise it becomes a centre itself. So A~B
and B~C put A and C together only if one of them is B's cluster centre and the other has its own
edge to that centre. A part (a lead-only copy, one page of several) is visited after the documents
that hold it, so it never becomes the hub that glues an article to an aggregator page. One
exception, where several members witness it: a document left alone that is the same text as two
or more members of one cluster (or lies inside them), with no measured pair with its centre that
says otherwise, joins it (:func:`star_clusters`, third chance).

The canonical member is then chosen among the members: the earliest date, else the strongest
text evidence (a whole before a part), and the rule that chose it is recorded.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from reprints.config import ClusterConfig
from reprints.evidence.garble import garbles
from reprints.evidence.pairs import PairTable
from reprints.evidence.runs import DROPPED_CHARS, covered
from reprints.relations import Relation


@dataclass(frozen=True, slots=True)
class Priority:
    """Canonical priority of one document: lower sorts first."""

    has_date: bool
    date: str
    score: float
    doc_id: str
    part: bool = False
    tie: float = 0.0
    view: bool = False  # its url addresses a print or AMP view of another member
    derived: float = 0.0  # prose it holds that the others dropped, less prose it adds
    line: str = ""  # the date line its text shows near the top ("": none; text/dates.py)
    credited: bool = False  # its text credits another source for it (text/credits.py)
    garbled: bool = False  # it garbles the words another member prints whole (evidence/garble.py)
    story: bool = False  # it shows the only date line shown in its cluster (the story's)

    def fields(self) -> tuple[tuple[str, object], ...]:
        """The canonical order, field by field (name, sort value): earliest ``date`` field,
        then the member showing the story's date line (the only one shown in the cluster,
        :func:`shared_lines`) if it credits and garbles nothing, then wholes before parts,
        then a page before its print and AMP views (where both are members), then a text that
        credits no source before one that does, then a text that garbles no other member's
        words before one that does (OCR, split words), then the date line its text shows (a
        page showing one before a text showing none, then the earliest, by day where a
        member's line gives no time), then text evidence: the medoid, what it holds that the
        others dropped less what it adds, the shingle balance."""
        return (
            ("dated", 0 if self.has_date else 1),
            ("date", self.date),
            # the story's line, shown by a text that neither credits another source nor
            # garbles another member's words (those say it is a copy, whatever it shows)
            ("story", 0 if self.story and not (self.credited or self.garbled) else 1),
            ("part", int(self.part)),
            ("view", int(self.view)),
            ("credited", int(self.credited)),
            ("garbled", int(self.garbled)),
            ("lined", 0 if self.line else 1),
            ("line", self.line),
            ("score", -round(self.score, 6)),
            ("derived", -round(self.derived, 3)),
            ("tie", -round(self.tie, 6)),
            ("id", self.doc_id),
        )

    def key(self) -> tuple[object, ...]:
        """The canonical order as a sort key."""
        return tuple(value for _, value in self.fields())

    def centre_key(self) -> tuple[object, ...]:
        """Centre order: wholes before parts whatever their dates, then the canonical order
        less the views (which members a cluster will have is not known yet), the credits,
        the garbling and the date lines (they choose among the members; which members join is
        the text's decision)."""
        skip = ("story", "part", "view", "credited", "garbled", "lined", "line")
        return (int(self.part), *(v for name, v in self.fields() if name not in skip))


COLLAGE_SHARE = 0.75
"""A page whose content is at least this share of passages it shares with documents it does
not join (``partial`` pairs) is a collage (:func:`collages`)."""


def collages(
    a: np.ndarray, b: np.ndarray, evidence: list[object], share: float = COLLAGE_SHARE
) -> set[int]:
    """The documents whose content is mostly passages they share with documents they do not
    join: an aggregator's page of leads, a digest of excerpts, a page of quotations.

    ``a``, ``b``: the documents of each non-joining (``partial``) pair; ``evidence``: each
    pair's evidence (:class:`reprints.evidence.runs.RunEvidence`: the aligned passages, and
    what each side adds, in character offsets; ``None`` where no evidence pass ran: the pair
    counts nothing). A document's content is what its pairs' evidence reads as aligned or
    added (its boilerplate apart); the passages aligned with any partner are counted once.
    Such a page carries the lead-only copy of an article as one passage among others, so it is
    no source of it (:func:`star_clusters`), however many versions of the page the corpus holds.

    >>> from reprints.evidence.runs import RunEvidence
    >>> def ev(spans, added_a):  # each partner adds 900 characters of its own
    ...     none, own = np.empty((0, 2)), np.array([[100, 1000]])
    ...     return RunEvidence.build(np.array(spans), np.ones(len(spans)), np.array(added_a),
    ...                              own, none, none)
    >>> # document 0: 300 characters, 100 shared with 1 and another 150 with 2: a collage;
    >>> # document 3 shares 100 of its 400 with 4 and the same 100 with 5: not one
    >>> a, b = np.array([0, 0, 3, 3]), np.array([1, 2, 4, 5])
    >>> evs = [ev([[0, 100, 0, 100]], [[100, 300]]),
    ...        ev([[100, 250, 0, 150]], [[0, 100], [250, 300]]),
    ...        ev([[0, 100, 0, 100]], [[100, 400]]), ev([[0, 100, 50, 150]], [[100, 400]])]
    >>> sorted(collages(a, b, evs))
    [0]
    """
    shared: dict[int, list[list[int]]] = {}
    length: dict[int, int] = {}
    for x, y, found in zip(a.tolist(), b.tolist(), evidence, strict=True):
        if found is None:
            continue
        aligned = found["aligned"]
        for doc, side, added in ((x, "a", "added_in_a"), (y, "b", "added_in_b")):
            spans = [span[side] for span in aligned]  # type: ignore[index]
            shared.setdefault(doc, []).extend(spans)
            own = _union_length([*spans, *found[added]])  # type: ignore[misc]
            length[doc] = max(length.get(doc, 0), own)
    return {
        doc
        for doc, spans in shared.items()
        if length[doc] and _union_length(spans) >= share * length[doc]
    }


def _union_length(spans: list[list[int]]) -> int:
    """Characters the ``[start, end)`` spans cover, overlaps once (:func:`runs.covered`)."""
    if not spans:
        return 0
    at = np.array(spans, dtype=np.int64).reshape(-1, 2)
    return int(covered(np.array([[at[:, 0].min(), at[:, 1].max()]]), at)[0])


MIN_WITNESSES = 2
"""Members of one cluster a document left alone must be the same text as (or lie inside) to
join it without an edge to its centre (:func:`star_clusters`, third chance)."""


def star_clusters(
    n: int,
    edges: np.ndarray,
    weights: np.ndarray,
    order: np.ndarray,
    related: dict[tuple[int, int], float] | None = None,
    min_related: float = 0.6,
    holds: set[tuple[int, int]] | None = None,
    minor: set[tuple[int, int]] | None = None,
    collage: set[int] | None = None,
) -> np.ndarray:
    """Centre of each node (itself for centres and unlinked nodes).

    ``edges`` are joining pairs ``(i, j)``; ``weights`` their strength; ``order`` the nodes by
    centre priority, best first. Among the centres a node is joined to, it takes the one whose
    cluster holds most of its joined neighbours (a lead-only copy contained in its article, the
    article's copies and a site page joins the article's cluster), then the strongest edge;
    but a centre that holds the node as a minor part of it (``minor``) and is a ``collage``
    (:func:`collages`: a page of leads) comes after the others: an aggregator page carrying an
    article's lead, in two versions, is no source of the article's lead-only copy.

    Second chance: a node left alone although it joins a *member* of a cluster (two pages that
    each carry the same article with different teasers, when the centre is one of the pages)
    joins that cluster if ``related`` (every verified pair ``(i, j)``, ``i < j``, with the share
    of the smaller document the other holds) links it to the centre by at least
    ``min_related``: still a direct relation to the centre, never a chain.

    Third chance: a node still alone that is the same text as two or more members of one
    cluster, or makes up most of them, joins that cluster: several members witness it directly
    (a heavy rewrite of a source, close to three other rewrites of it but worded too far from
    the source itself). A member the node contains is no witness (``holds``: the joining pairs
    ``(i, j)`` where ``i`` contains ``j``: a page carrying two members' leads), nor one that holds
    the node as a minor part of it (``minor``: the pairs ``(i, j)`` where ``j`` lies in ``i`` and
    makes up less than half of it: two pages carrying another article whole and the node's lead
    beside it). A node with any measured pair with the centre (in ``related``: one that does not
    join, as where it quotes a passage of the centre) stays alone: the pair says what it is.

    >>> # 0~1 and 1~2, but 0 and 2 unrelated: no chaining
    >>> edges, weights = np.array([[0, 1], [1, 2]]), np.array([0.9, 0.8])
    >>> star_clusters(3, edges, weights, order=np.array([0, 2, 1])).tolist()
    [0, 0, 2]
    >>> # 3 is a rewrite of members 1 and 2 of 0's cluster, not of 0 itself: it joins 0
    >>> edges = np.array([[0, 1], [0, 2], [1, 3], [2, 3]])
    >>> star_clusters(4, edges, np.ones(4), order=np.array([0, 1, 2, 3])).tolist()
    [0, 0, 0, 0]
    >>> # ... unless it contains them (a page carrying both their leads)
    >>> holds = {(3, 1), (3, 2)}
    >>> star_clusters(4, edges, np.ones(4), np.array([0, 1, 2, 3]), holds=holds).tolist()
    [0, 0, 0, 3]
    >>> # ... or where its pair with 0 was measured and does not join (it quotes 0)
    >>> related = {(0, 3): 0.07}
    >>> star_clusters(4, edges, np.ones(4), np.array([0, 1, 2, 3]), related).tolist()
    [0, 0, 0, 3]
    >>> # ... or where 1 and 2 hold it as a minor part (pages carrying article 0 and 3's lead)
    >>> minor = {(1, 3), (2, 3)}
    >>> star_clusters(4, edges, np.ones(4), np.array([0, 1, 2, 3]), minor=minor).tolist()
    [0, 0, 0, 3]
    >>> # 2 is a part of article 0 and of page 1 (a page of leads, with its second version 3)
    >>> edges, minor = np.array([[0, 2], [1, 2], [1, 3], [2, 3]]), {(0, 2), (1, 2), (3, 2)}
    >>> order = np.array([1, 0, 3, 2])
    >>> star_clusters(4, edges, np.ones(4), order, minor=minor).tolist()
    [0, 1, 1, 1]
    >>> star_clusters(4, edges, np.ones(4), order, minor=minor, collage={1, 3}).tolist()
    [0, 1, 0, 1]
    """
    collage, minor_parts = collage or set(), minor or set()
    neighbours: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for (i, j), w in zip(edges.tolist(), weights.tolist(), strict=True):
        neighbours[i].append((j, w))
        neighbours[j].append((i, w))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    centre = np.full(n, -1, dtype=np.int64)
    for node in order.tolist():
        held: dict[int, int] = {}
        for other, _ in neighbours[node]:
            if centre[other] >= 0:
                held[int(centre[other])] = held.get(int(centre[other]), 0) + 1
        best: tuple[int, int, float, int] | None = None
        for other, w in neighbours[node]:
            if centre[other] == other:
                leads = other in collage and (other, node) in minor_parts
                candidate = (int(leads), -held[other], -w, int(rank[other]))
                if best is None or candidate < best:
                    best = candidate
        if best is None:
            centre[node] = node
        else:
            centre[node] = int(order[best[3]])
    if related:
        size = np.bincount(centre, minlength=n)
        for node in order.tolist():
            if centre[node] != node or size[node] > 1:
                continue
            choice: tuple[float, int] | None = None
            for other, w in neighbours[node]:
                hub = int(centre[other])
                if hub == other:
                    continue
                link = related.get((min(node, hub), max(node, hub)), 0.0)
                if link >= min_related and (choice is None or (-w, int(rank[hub])) < choice):
                    choice = (-w, int(rank[hub]))
            if choice is not None:
                hub = int(order[choice[1]])
                centre[node] = hub
                size[hub] += 1
                size[node] -= 1
    size = np.bincount(centre, minlength=n)
    measured = related or {}
    holds, minor = holds or set(), minor or set()
    for node in order.tolist():
        if centre[node] != node or size[node] > 1:
            continue
        witnesses: dict[int, int] = {}
        for other, _ in neighbours[node]:
            hub = int(centre[other])
            if hub != other and (node, other) not in holds and (other, node) not in minor:
                witnesses[hub] = witnesses.get(hub, 0) + 1
        # a pair with the centre that was measured (and does not join: a quoted passage) says
        # what the document is to the centre's text: witnesses do not overrule it
        witnesses = {
            h: k for h, k in witnesses.items() if (min(node, h), max(node, h)) not in measured
        }
        if witnesses:
            hub = min(witnesses, key=lambda h: (-witnesses[h], int(rank[h])))
            if witnesses[hub] >= MIN_WITNESSES:
                centre[node] = hub
                size[hub] += 1
                size[node] -= 1
    return centre


def compilations(
    holds: dict[tuple[int, int], float],
    joined: Iterable[tuple[int, int]],
    majority: float = 0.5,
    contained: dict[tuple[int, int], float] | None = None,
    days: dict[int, int] | None = None,
    headed: set[tuple[int, int]] | None = None,
) -> set[tuple[int, int]]:
    """The containment edges a compilation may not join by: ``(container, contained)``.

    A page that carries whole texts which are unrelated to each other, two or more of them
    syndicated on their own (each a group of two or more distinct texts: the story and a copy
    of it on another page; exact copies, such as one page under two urls, count once),
    is a compilation: a digest or newsletter carrying whole articles, an infinite-scroll page
    with the next story appended, a print edition's page. It holds each of them, but none is its
    text unless that one makes up most of it (``majority`` of the page, as ``holds`` gives:
    ``(carrier, carried)`` -> the share of the carrier the carried document holds, for the
    documents it joins and does not lie inside); its edges to the others would glue unrelated
    stories into one cluster, so they are left out. Groups are the carried documents linked by
    joining pairs (``joined``: local index pairs; a passage two stories share, ``partial``,
    makes them no one text). The pages of one paginated article, or the chunks of one long
    document, are no such groups: no page has a copy of its own. The groups must lie side by
    side on the page: their shares of it (``contained``: the shares of the carried documents
    the page contains, measured by shingles; ``holds`` where not given) add up to the whole at
    most (and ``SIDE_BY_SIDE_SLACK``: each carried page counts the shingles of the site's
    template the container prints once), or they are copies of one text kept in overlapping
    parts.

    A text copied nowhere else is a story of its own too where it is dated apart from the rest
    (``days``: the day each document's date line or date field gives, as a day number): two or
    more days from every other carried group that has a date, and no later than the page that
    carries it (a feed shows what was published before it; a text dated after the page that
    holds it, an excerpt or a page fetched later, is taken from it). A blog's home page or a
    feed carrying its latest posts whole is such a compilation; the pages of one article, and
    the chunks of one document, carry one date or none. A page with no date of its own needs
    ``UNDATED_STORIES`` such texts (two may be excerpts of it, dated after it).

    A page that prints the headlines of ``HEADED_STORIES`` or more texts it carries above them,
    below its own top (``headed``: ``(container, carried)``,
    :func:`reprints.evidence.runs.headed_inside`), carries more than one story, whatever the
    dates: every text it holds is a story of its own (a blog's home page with its latest posts,
    none of them dated; the first post's headline is at the page's top). The pages of one
    article are held under the article's one headline; one of them may start on a subheading
    the article prints inside it, hardly two.

    >>> # page 0 holds 1 and 2 (one story and its copy) and 3 and 4 (another story and its copy)
    >>> holds = {(0, 1): 0.5, (0, 2): 0.48, (0, 3): 0.4, (0, 4): 0.4}
    >>> sorted(compilations(holds, [(1, 2), (3, 4)]))
    [(0, 3), (0, 4)]
    >>> # two pairs of copies of the page, each keeping two thirds of it: no compilation
    >>> compilations({(0, 1): 0.6, (0, 2): 0.6, (0, 3): 0.6, (0, 4): 0.6}, [(1, 2), (3, 4)])
    set()
    >>> # three pages of one article, each held by the whole: no compilation
    >>> compilations({(0, 1): 0.3, (0, 2): 0.3, (0, 3): 0.4, (0, 4): 0.3}, [])
    set()
    >>> # ... the same three texts dated days apart: a home page carrying three posts
    >>> carried = {(0, 1): 0.3, (0, 2): 0.3, (0, 3): 0.4}
    >>> sorted(compilations(carried, [], days={0: 10, 1: 9, 2: 5, 3: 1}))
    [(0, 1), (0, 2), (0, 3)]
    >>> # ... dated after the page (excerpts of it); an undated page: three are needed
    >>> compilations(carried, [], days={0: 4, 1: 9, 2: 5, 3: 1})
    set()
    >>> len(compilations(carried, [], days={1: 9, 2: 5, 3: 1}))
    3
    >>> compilations(carried, [], days={1: 9, 2: 5})
    set()
    >>> # ... an hour apart (a page straddling midnight), or one of them dated: one text
    >>> compilations(carried, [], days={0: 10, 1: 9, 2: 10, 3: 10})
    set()
    >>> compilations(carried, [], days={0: 10, 1: 9})
    set()
    >>> # ... undated, the page printing the headlines of two of them above them: three posts
    >>> sorted(compilations(carried, [], headed={(0, 2), (0, 3)}))
    [(0, 1), (0, 2), (0, 3)]
    >>> compilations(carried, [], headed={(0, 2)})  # one: a page starting on a subheading
    set()
    """
    days = days or {}
    headed = headed or set()
    contained = holds if contained is None else contained
    inside: dict[int, list[int]] = {}
    for container, text in sorted(holds):
        inside.setdefault(container, []).append(text)
    links: dict[int, set[int]] = {}
    for i, j in joined:
        links.setdefault(i, set()).add(j)
        links.setdefault(j, set()).add(i)
    out: set[tuple[int, int]] = set()
    for container, held in inside.items():
        if not 2 <= len(held) <= MAX_CARRIED:  # two stories at least
            continue
        members = set(held)
        groups: list[list[int]] = []
        seen: set[int] = set()
        for start in held:
            if start in seen:
                continue
            group, stack = [], [start]
            seen.add(start)
            while stack:
                node = stack.pop()
                group.append(node)
                for other in links.get(node, ()):
                    if other in members and other not in seen:
                        seen.add(other)
                        stack.append(other)
            groups.append(group)
        share = [max(holds[(container, x)] for x in g) for g in groups]
        stories = [k for k, g in enumerate(groups) if len(g) >= 2]  # syndicated on their own
        dated = dated_apart(groups, days, days.get(container))
        # an undated page: three stories dated apart, two could be its own excerpts
        stories += dated if container in days or len(dated) >= UNDATED_STORIES else []
        if sum(any((container, x) in headed for x in g) for g in groups) >= HEADED_STORIES:
            stories = list(range(len(groups)))  # it prints their headlines: all are stories
        # side by side on the page, the stories' shares of it add up to the whole at most; two
        # groups overlapping on it are copies of one text kept in parts (its first and its last
        # two thirds), not two stories
        # measured by shingles where the page contains them (a rewrite's share is its aligned
        # coverage, which overlaps)
        side_by_side = sum(
            max((contained.get((container, x), 0.0) for x in groups[k]), default=0.0)
            for k in stories
        )
        if len(stories) < 2 or side_by_side > 1.0 + SIDE_BY_SIDE_SLACK:
            continue
        # the group that makes up most of the page, if one does, stays its text
        best = int(np.argmax(share))
        for k, group in enumerate(groups):
            if k != best or share[k] < majority:
                out.update((container, x) for x in group)
    return out


def days_of(
    nodes: np.ndarray, dates: list[str | None], lines: list[str | None] | None
) -> dict[int, int]:
    """Local index -> day number of the documents ``nodes`` whose text shows a date line, else
    whose record has a date (the line first: it is the text's own, a record's date may be when
    the page was fetched).

    >>> days_of(np.array([0, 2]), [None, None, "2020-01-02T10:00:00"], ["2020-01-01", None, None])
    {0: 737425, 1: 737426}
    """
    out: dict[int, int] = {}
    for k, d in enumerate(nodes.tolist()):
        when = (lines[d] if lines else None) or dates[d]
        if when:
            try:
                out[k] = datetime.date.fromisoformat(when[:10]).toordinal()
            except ValueError:
                continue
    return out


def dated_apart(groups: list[list[int]], days: dict[int, int], until: int | None) -> list[int]:
    """The groups of one text (a single document, copied nowhere else) dated no later than
    ``until`` (the day of the page carrying them, where it has one) and ``APART_DAYS`` or more
    from every other group that has a date (a group's date: its earliest member's day).

    >>> dated_apart([[1], [2], [3]], {1: 100, 2: 104, 3: 101}, until=110)
    [1]
    >>> dated_apart([[1], [2, 3]], {1: 100, 2: 110}, until=110)  # [2, 3]: a syndicated story
    [0]
    >>> dated_apart([[1], [2]], {1: 100, 2: 110}, until=105)  # 2 came after the page: not 1
    [0]
    """
    first = [min((days[x] for x in g if x in days), default=None) for g in groups]
    out = []
    for k, day in enumerate(first):
        if len(groups[k]) != 1 or day is None or (until is not None and day > until):
            continue
        others = [d for j, d in enumerate(first) if j != k and d is not None]
        if others and all(abs(day - d) >= APART_DAYS for d in others):
            out.append(k)
    return out


HEADED_STORIES = 2
"""Carried texts whose headlines a page prints inside it that make it a compilation."""

SIDE_BY_SIDE_SLACK = 0.05
"""How far the shares of a page that the texts it carries side by side may add up beyond the
whole: a blog's posts each print the site's header and footer, which their home page prints
once (three posts: 0.30 + 0.37 + 0.34). Two parts of one text kept overlapping add up to far
more (two thirds each: 1.33)."""

UNDATED_STORIES = 3
"""Stories dated apart an undated page must carry to be a compilation by their dates."""

APART_DAYS = 2
"""Texts dated this many days apart or more are separate stories (the pages of one article are
dated alike: a page published after midnight is a day later at most)."""

MAX_CARRIED = 256
"""A document joined to more documents than this is read as no compilation (its many partners
are the copies of one widely reprinted text; grouping them would cost the edges among them)."""


class Reason(enum.StrEnum):
    """Which evidence chose a cluster's canonical member."""

    EARLIEST_DATE = "earliest_date"
    EXACT_NO_DATES = "exact_no_dates"
    WHOLE_NOT_PART = "whole_not_part"  # the others that could have been canonical are parts
    NOT_A_VIEW = "not_a_view"  # the others are print or AMP views (by their urls)
    UNCREDITED = "uncredited"  # the others credit a source for their text; it credits none
    UNGARBLED = "ungarbled"  # the others garble words it prints whole (OCR, split words)
    DATE_LINE = "date_line"  # its text shows the earliest date line; or only it shows one (the
    # story's line, which also comes before a whole that holds it: rule 2 of the design)
    MEDOID = "medoid"  # closest to the other members (summed content Jaccard)
    FEWEST_ADDITIONS = "fewest_additions"  # adds the least prose; holds what the others dropped
    LEAST_ADDED = "least_added"  # as close as another; adds less text of its own
    SMALLEST_ID = "smallest_id"  # no evidence tells the members apart


@dataclass(frozen=True, slots=True)
class ClusterRecord:
    """One cluster of two or more documents (scan indices), its canonical member and why."""

    centre: int
    canonical: int
    members: list[int]
    reason: Reason
    score: float | None  # the canonical member's text-evidence score, where it decided
    date: str | None  # the canonical member's date, where it decided
    line: str | None  # the canonical member's date line (ISO), where it decided
    among_copies: bool  # the canonical has exact copies in the cluster, chosen among them
    at_centre: bool = True  # the canonical is the centre or one of its exact copies
    line_shared: bool = False  # its line is another member's, whose head it shows (no own line)
    line_habit: bool = False  # it shows no line, as no page of its site does (silent_sites)
    # members with no verified pair with the centre, joined as the same text as two or more
    # members (:func:`star_clusters`, third chance)
    witnessed: tuple[int, ...] = ()


def decisive_reason(
    chosen: Priority, runner: Priority | None, has_evidence: bool, views_apart: bool = False
) -> Reason:
    """Which evidence put ``chosen`` before ``runner`` (the best member that is not an exact copy
    of it): the first field of the canonical order where the two differ. ``views_apart``: an
    exact copy of ``chosen`` is a print or AMP view of it (that decided among the copies).

    >>> whole = Priority(False, "", 0.9, "b")
    >>> decisive_reason(whole, Priority(False, "", 0.9, "a", part=True), True).value
    'whole_not_part'
    >>> decisive_reason(whole, Priority(False, "", 0.5, "a"), True).value
    'medoid'
    >>> decisive_reason(whole, Priority(False, "", 0.9, "a", view=True), False).value
    'not_a_view'
    >>> # both show the cluster's one line; the other credits a source: the credit decided
    >>> lined = Priority(False, "", 0.5, "b", line="2023-05-04", story=True)
    >>> other = Priority(False, "", 0.5, "a", line="2023-05-04", story=True, credited=True)
    >>> decisive_reason(lined, other, True).value
    'uncredited'
    """
    if runner is None:
        if views_apart:
            return Reason.NOT_A_VIEW
        return Reason.EARLIEST_DATE if chosen.has_date else Reason.EXACT_NO_DATES
    if chosen.has_date and (not runner.has_date or runner.date != chosen.date):
        return Reason.EARLIEST_DATE
    mine, theirs = dict(chosen.fields()), dict(runner.fields())
    if theirs["view"] != mine["view"] and theirs["part"] == mine["part"]:
        return Reason.NOT_A_VIEW
    # the text evidence decides only where the chosen member has some
    decisive = _CLAIMS + (_TEXT_EVIDENCE if has_evidence else ())
    for name, reason in decisive:
        if name == "story" and theirs["line"] == mine["line"]:
            continue  # both show the story's line: what else set them apart decided
        if theirs[name] != mine[name]:
            return reason
    return Reason.SMALLEST_ID


_CLAIMS = (
    ("story", Reason.DATE_LINE),
    ("part", Reason.WHOLE_NOT_PART),
    ("credited", Reason.UNCREDITED),
    ("garbled", Reason.UNGARBLED),
    ("line", Reason.DATE_LINE),
)
"""The fields of the canonical order that decide with or without text evidence, in order."""
_TEXT_EVIDENCE = (
    ("score", Reason.MEDOID),
    ("derived", Reason.FEWEST_ADDITIONS),
    ("tie", Reason.LEAST_ADDED),
)


def _joined_evidence(pairs: PairTable, joins: np.ndarray) -> Iterator[tuple[int, int, object]]:
    """``(a, b, evidence)`` of the joining pairs (none where no evidence pass ran)."""
    column = pairs.extra.get("evidence")
    if column is None:
        return
    for row in np.flatnonzero(joins).tolist():
        yield int(pairs.a[row]), int(pairs.b[row]), column[row]


def balances_of(pairs: PairTable, joins: np.ndarray) -> dict[tuple[int, int], tuple[float, float]]:
    """The derivation balance of each joining pair whose evidence gives one, by ``(a, b)``
    (:func:`reprints.evidence.runs.derivation_balance`)."""
    out: dict[tuple[int, int], tuple[float, float]] = {}
    for a, b, evidence in _joined_evidence(pairs, joins):
        balance = getattr(evidence, "balance", None)
        if balance is not None:
            out[(a, b)] = (float(balance[0]), float(balance[1]))
    return out


def derivation_of(balances: dict[tuple[int, int], tuple[float, float]]) -> dict[int, float]:
    """Each document's summed derivation balance over the joining pairs whose evidence gives one
    (``balances``: :func:`balances_of`; :func:`reprints.evidence.runs.derivation_balance`: prose
    it holds that the other dropped, less prose it adds); pairs without it (no evidence pass)
    count nothing.

    >>> derivation_of({(0, 1): (120.0, -40.0), (0, 2): (-10.0, 0.0)})
    {0: 110.0, 1: -40.0, 2: 0.0}
    """
    out: dict[int, float] = {}
    for (a, b), balance in balances.items():
        for doc, value in zip((a, b), balance, strict=True):
            out[doc] = out.get(doc, 0.0) + value
    return out


def _pair_sides(
    pairs: PairTable, joins: np.ndarray, read: Callable[[object], tuple[bool, bool] | None]
) -> dict[int, set[int]]:
    """For each document, the documents it stands in a relation to, over the joining pairs
    whose evidence tells it: ``read(evidence)`` says whether a stands in it to b and b to a
    (None: the evidence does not tell)."""
    out: dict[int, set[int]] = {}
    for a, b, evidence in _joined_evidence(pairs, joins):
        sides = read(evidence)
        if sides is None:
            continue
        if sides[0]:
            out.setdefault(a, set()).add(b)
        if sides[1]:
            out.setdefault(b, set()).add(a)
    return out


def garbling_of(pairs: PairTable, joins: np.ndarray) -> dict[int, set[int]]:
    """The documents each document garbles, over the joining pairs whose evidence reads it
    (:func:`reprints.evidence.garble.garbles`): a garbled copy of another member is never
    named the original before it."""

    def read(evidence: object) -> tuple[bool, bool] | None:
        counts = getattr(evidence, "garbled", None)
        return garbles(counts) if counts is not None else None

    return _pair_sides(pairs, joins, read)


def heads_of(pairs: PairTable, joins: np.ndarray) -> dict[int, set[int]]:
    """The documents whose date line's head each document shows at its top, over the joining
    pairs whose evidence reads it (:func:`reprints.text.dates.shows_head`)."""
    return _pair_sides(pairs, joins, lambda evidence: getattr(evidence, "heads", None))


def shared_lines(
    docs: list[int],
    group: np.ndarray,
    lines: list[str | None],
    heads: dict[int, set[int]],
    views: np.ndarray | None = None,
    day_only: bool = False,
) -> dict[int, str]:
    """The date line each member that shows none shares with a member that does: the earliest
    line of the members whose head (headline, byline above the line) it shows at its top
    (``heads``: by representative, :func:`heads_of`), where the members show two or more
    different lines. Pages that each print their own date (a story syndicated to sites that
    date their pages) say that a line is the page's, not the story's: a member showing the
    head and no line is then the same page on a site that prints no date, possibly the first,
    the line says nothing of which came first, and the text evidence decides. Where one line
    is shown (or every line is the same), it is the story's: the members showing its head
    without it dropped it (a scrape, a syndicated copy keeping the headline), as on the
    ``scraped`` dev split, and the line decides. A member whose url addresses a print or AMP
    view (``views``) shares none: it is the page in another template, and the line is the
    full page's. Lines are told apart by day where ``day_only`` (a member's line gives no
    time), as the canonical order compares them.

    >>> group = np.arange(4)
    >>> lines = ["2023-05-04T10:29", None, None, "2023-05-05T08:00"]
    >>> shared_lines([0, 1, 2, 3], group, lines, {1: {0, 3}})
    {1: '2023-05-04T10:29'}
    >>> shared_lines([0, 1, 2], group, lines, {1: {0}})  # one line: the story's, not shared
    {}
    """
    if len(shown_lines(docs, lines, day_only)) < 2:
        return {}
    out: dict[int, str] = {}
    for d in docs:
        if lines[d] or (views is not None and views[d]):
            continue
        shown = heads.get(int(group[d]), set())
        found = [lines[m] for m in docs if lines[m] and int(group[m]) in shown]
        if found:
            out[d] = min(str(x) for x in found)
    return out


SILENT_PAGES = 3
"""Pages of one site (by url) the corpus must hold, none showing a date line, before the site is
read as one that prints none (:func:`silent_sites`)."""


def silent_sites(
    sites: np.ndarray, lines: list[str | None], group: np.ndarray | None = None
) -> np.ndarray:
    """Which documents sit on a site (``sites``: :func:`reprints.text.urls.site_hash`, 0: no
    url) of which the corpus holds at least ``SILENT_PAGES`` distinct pages (exact copies, as
    ``group`` gives each document's representative, count once: one url fetched three times is
    one page) and none shows a date line.

    A page that shows no line is read as a scrape or copy that dropped it, where another member
    of its cluster shows one; but a site's template prints the date on all its pages or on
    none. A page of a site that prints none on any of its pages dropped nothing: its silence is
    its site's habit and says nothing of when it ran (:func:`habitual_lines`).

    >>> sites = np.array([7, 7, 7, 9, 9, 9, 0, 5])
    >>> lines = [None, None, None, None, "2023-05-04", None, None, None]
    >>> silent_sites(sites, lines).tolist()
    [True, True, True, False, False, False, False, False]
    >>> silent_sites(sites, lines, np.array([0, 0, 2, 3, 4, 5, 6, 7])).tolist()[:3]  # two pages
    [False, False, False]
    """
    n = len(sites)
    known = np.flatnonzero(sites != 0)
    lined = np.fromiter((bool(line) for line in lines), dtype=bool, count=n)
    keys, inverse = np.unique(sites[known], return_inverse=True)
    distinct = group[known] == known if group is not None else np.ones(len(known), dtype=bool)
    pages = np.bincount(inverse, weights=distinct, minlength=len(keys))
    shown = np.bincount(inverse, weights=lined[known], minlength=len(keys))
    out = np.zeros(n, dtype=bool)
    out[known] = ((pages >= SILENT_PAGES) & (shown == 0))[inverse]
    return out


def habitual_lines(
    docs: list[int],
    group: np.ndarray,
    lines: list[str | None],
    silent: np.ndarray,
    balances: dict[tuple[int, int], tuple[float, float]],
    day_only: bool = False,
) -> dict[int, str]:
    """The line each member on a site that prints none (``silent``: :func:`silent_sites`) is
    ranked with, where the text says a member showing the cluster's earliest line derives from
    it: the pair's derivation balance (``balances``: by representatives, :func:`balances_of`)
    says that member adds prose it lacks, or dropped prose it holds, by ``DROPPED_CHARS`` or
    more (a paragraph). Its site's silence says nothing of when it ran, so the line of another
    site's page does not put it after that page; the text evidence then decides between the
    two (as between members sharing a line, :func:`shared_lines`), while scrapes that dropped
    the line still come after both. Where the text does not say so (the two print the same
    prose), the page showing the line stays first: a line is a claim, an equal text none.

    >>> lines = ["2023-05-05T08:00", None, None]
    >>> silent = np.array([0, 1, 0], bool)
    >>> habitual_lines([0, 1, 2], np.arange(3), lines, silent, {(0, 1): (-400.0, 0.0)})
    {1: '2023-05-05T08:00'}
    >>> habitual_lines([0, 1, 2], np.arange(3), lines, silent, {(0, 1): (-40.0, 0.0)})
    {}
    """
    shown = shown_lines(docs, lines, day_only)
    if not shown:
        return {}
    earliest = min(shown)
    firsts = [int(group[m]) for m in docs if lines[m] and str(lines[m]).startswith(earliest)]
    out: dict[int, str] = {}
    for d in docs:
        if lines[d] or not silent[d]:
            continue
        rep = int(group[d])
        for first in firsts:
            mine, theirs = _balance(balances, rep, first)
            if mine - theirs >= DROPPED_CHARS:
                out[d] = earliest
                break
    return out


def _balance(
    balances: dict[tuple[int, int], tuple[float, float]], a: int, b: int
) -> tuple[float, float]:
    """The derivation balance of ``a`` and of ``b`` in their pair ((0, 0) where none was read)."""
    if (a, b) in balances:
        return balances[(a, b)]
    found = balances.get((b, a), (0.0, 0.0))
    return found[1], found[0]


def shown_lines(docs: list[int], lines: list[str | None], day_only: bool = False) -> set[str]:
    """The different date lines the members ``docs`` show, by day where ``day_only``.

    >>> sorted(shown_lines([0, 1, 2], ["2023-05-04", "2023-05-04T10:29", None], day_only=True))
    ['2023-05-04']
    """
    return {str(lines[d])[: 10 if day_only else None] for d in docs if lines[d]}


def views_of_members(docs: list[int], views: np.ndarray, sites: np.ndarray) -> set[int]:
    """The members whose urls address a print or AMP view on the site of another member that
    is not a view (``sites``: each document's site, :func:`reprints.text.urls.site_hash`).

    >>> sorted(views_of_members([0, 1, 2], np.array([False, True, True]), np.array([7, 7, 9])))
    [1]
    """
    shown = {int(sites[d]) for d in docs if sites[d] != 0 and not views[d]}
    return {d for d in docs if views[d] and sites[d] != 0 and int(sites[d]) in shown}


def _without_compilations(
    edges: np.ndarray,
    weights: np.ndarray,
    pairs: PairTable,
    rows: np.ndarray,
    join: np.ndarray,
    n: int,
    days: dict[int, int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The joining ``edges`` (local pairs, rows ``rows[join]`` of ``pairs``) and their
    ``weights`` less the edges of compilations (:func:`compilations`). What each document
    carries of the others it joins: a containment pair one way (container, contained), the
    others (near duplicates, rewrites) both ways. Only documents carrying ``4..MAX_CARRIED``
    others (or two or more with a date, ``days``: local index -> day number), two or more of
    them contained, are read, and only the edges among what they carry: each such page costs
    the edges among its carried documents."""
    if not len(edges):
        return edges, weights
    c_ab, c_ba = pairs.containment_a_in_b[rows][join], pairs.containment_b_in_a[rows][join]
    contain = pairs.relation[rows][join] == Relation.CONTAINMENT.code
    a_inside = c_ab >= c_ba
    ea, eb = edges[:, 0], edges[:, 1]
    b_carries = ~contain | a_inside  # b holds a: a holds ``c_ba`` of b
    a_carries = ~contain | ~a_inside
    carrier = np.concatenate([eb[b_carries], ea[a_carries]])
    carried = np.concatenate([ea[b_carries], eb[a_carries]])
    share = np.concatenate([c_ba[b_carries], c_ab[a_carries]])
    count = np.bincount(carrier, minlength=n)
    # a compilation contains the stories it carries (a near duplicate carries no second story
    # by itself): only documents containing two or more are read, so a clique of near-duplicate
    # copies, each carrying all the others, costs nothing here
    holding = np.bincount(np.where(a_inside, eb, ea)[contain], minlength=n)
    dated = np.zeros(n, dtype=bool)
    dated[list(days or ())] = True
    dated_count = np.bincount(carrier[dated[carried]], minlength=n)
    headed = _headed(pairs, rows[join], ea, eb, contain, a_inside)
    headed_count = np.bincount([c for c, _ in headed], minlength=n)
    enough = (
        (count[carrier] >= 4)
        | (dated_count[carrier] >= 2)
        | (headed_count[carrier] >= HEADED_STORIES)
    )
    sel = enough & (count[carrier] <= MAX_CARRIED) & (holding[carrier] >= 2)
    if not sel.any():
        return edges, weights
    carries = dict(
        zip(
            zip(carrier[sel].tolist(), carried[sel].tolist(), strict=True),
            share[sel].tolist(),
            strict=True,
        )
    )
    held = sel & np.concatenate([contain[b_carries], contain[a_carries]])
    inner = dict(
        zip(
            zip(carrier[held].tolist(), carried[held].tolist(), strict=True),
            share[held].tolist(),
            strict=True,
        )
    )
    seen = np.zeros(n, dtype=bool)
    seen[carried[sel]] = True
    # groups are linked by copies (the shingle relations): two pages of one article are often
    # `rewrite`s of each other (one cast, one topic), which makes them no story and its copy
    reworded = [r.code for r in Relation.registered() if r.verifier == "passages"]
    copied = ~np.isin(pairs.relation[rows][join], reworded)
    among = seen[ea] & seen[eb] & copied
    joined = zip(ea[among].tolist(), eb[among].tolist(), strict=True)
    apart = compilations(carries, joined, contained=inner, days=days, headed=headed)
    if not apart:
        return edges, weights
    dropped = np.array([i * n + j for i, j in apart], dtype=np.int64)
    key = ea.astype(np.int64) * n + eb
    keep = ~(np.isin(key, dropped) | np.isin(eb.astype(np.int64) * n + ea, dropped))
    return edges[keep], weights[keep]


def _headed(
    pairs: PairTable,
    rows: np.ndarray,
    ea: np.ndarray,
    eb: np.ndarray,
    contain: np.ndarray,
    a_inside: np.ndarray,
) -> set[tuple[int, int]]:
    """``(container, carried)`` of the containment edges (``ea``, ``eb``: local indices of
    ``rows``; ``a_inside``: a is the contained side) whose evidence says the container prints
    the carried text's headline inside it (:func:`reprints.evidence.runs.headed_inside`; none
    where no evidence pass ran), where the evidence and the containment agree on which holds
    which."""
    column = pairs.extra.get("evidence")
    out: set[tuple[int, int]] = set()
    if column is None:
        return out
    for k in np.flatnonzero(contain).tolist():
        flags = getattr(column[rows[k]], "headed", None)
        if flags is None:
            continue
        if flags[0] and a_inside[k]:  # a's headline inside b
            out.add((int(eb[k]), int(ea[k])))
        if flags[1] and not a_inside[k]:
            out.add((int(ea[k]), int(eb[k])))
    return out


def _collages(
    pairs: PairTable,
    rows: np.ndarray,
    local_a: np.ndarray,
    local_b: np.ndarray,
    minor: set[tuple[int, int]],
) -> set[int]:
    """The collages (:func:`collages`, local indices) among the documents that hold a part
    which another document holds too: only their ``partial`` pairs are read."""
    column = pairs.extra.get("evidence")
    containers: dict[int, list[int]] = {}
    for outer, part in minor:
        containers.setdefault(part, []).append(outer)
    shared = {o for outers in containers.values() if len(outers) >= 2 for o in outers}
    if column is None or not shared:
        return set()
    partial = pairs.relation[rows] == Relation.PARTIAL.code
    touch = partial & (np.isin(local_a, list(shared)) | np.isin(local_b, list(shared)))
    picked = np.flatnonzero(touch)
    found = collages(local_a[picked], local_b[picked], [column[rows[k]] for k in picked])
    return found & shared


def cluster_documents(
    pairs: PairTable,
    joins: np.ndarray,
    group: np.ndarray,
    dates: list[str | None],
    ids: list[str],
    scores: dict[int, tuple[float, float, bool]],
    config: ClusterConfig,
    urls: tuple[np.ndarray, np.ndarray] | None = None,
    lines: list[str | None] | None = None,
    credited: np.ndarray | None = None,
) -> list[ClusterRecord]:
    """Star clusters over the verified pairs (see the module docstring), exact copies joining
    their representative's cluster.

    ``pairs`` are the verified pairs of representatives (exact-copy rows are ignored: ``group``
    gives each document's representative); ``joins`` marks the rows whose relation joins at the
    level; ``scores`` the text evidence ``(score, tie, part)`` of documents that have one;
    ``urls`` is ``(views, sites)``: which documents' urls address a print or AMP view, and the
    site of each url (:mod:`reprints.text.urls`); a view is put after its site's other pages;
    ``lines`` the date line each document's text shows (:mod:`reprints.text.dates`), apart from
    ``dates`` (the records' ``date`` fields, which come first); ``credited`` which documents'
    texts credit another source (:mod:`reprints.text.credits`).
    """
    exact = pairs.relation == Relation.EXACT.code
    rows = np.flatnonzero(~exact)
    nodes = np.unique(np.concatenate([pairs.a[rows], pairs.b[rows]]))
    local_a = np.searchsorted(nodes, pairs.a[rows])
    local_b = np.searchsorted(nodes, pairs.b[rows])

    balances = balances_of(pairs, joins & ~exact)
    derived = derivation_of(balances)
    garbling = garbling_of(pairs, joins & ~exact)
    heads = heads_of(pairs, joins & ~exact)

    def priority(
        d: int,
        view: bool = False,
        day_only: bool = False,
        reps: frozenset[int] = frozenset(),
        line: str | None = None,
        story: bool = False,
    ) -> Priority:
        score, tie, part = scores.get(int(group[d]), (0.0, 0.0, False))
        if line is None:
            line = (lines[d] if lines else None) or ""
        return Priority(
            has_date=dates[d] is not None,
            date=dates[d] or "",
            score=score,
            doc_id=ids[d],
            part=part,
            tie=tie,
            view=view,
            derived=derived.get(int(group[d]), 0.0),
            line=line[: 10 if day_only else None],
            story=story,
            credited=bool(credited[d]) if credited is not None and len(credited) else False,
            garbled=not reps.isdisjoint(garbling.get(int(group[d]), ())),
        )

    views, sites = urls if urls is not None and len(urls[0]) else (None, None)
    silent = silent_sites(sites, lines, group) if sites is not None and lines else None

    priorities = [priority(d) for d in nodes.tolist()]
    order = np.array(
        sorted(range(len(nodes)), key=lambda x: priorities[x].centre_key()), dtype=np.int64
    )
    join = joins[rows]
    edges = np.stack([local_a[join], local_b[join]], axis=1)
    weights = pairs.jaccard[rows][join]
    share = pairs.related_share()[rows]
    related = {
        (int(i), int(j)): float(s)
        for i, j, s in zip(local_a.tolist(), local_b.tolist(), share.tolist(), strict=True)
    }
    days = days_of(nodes, dates, lines)
    edges, weights = _without_compilations(edges, weights, pairs, rows, join, len(nodes), days)
    contain = (pairs.relation[rows] == Relation.CONTAINMENT.code) & join
    a_inside = pairs.containment_a_in_b[rows] >= pairs.containment_b_in_a[rows]
    outer = np.where(a_inside, local_b, local_a)[contain].tolist()
    inner = np.where(a_inside, local_a, local_b)[contain].tolist()
    holds = set(zip(outer, inner, strict=True))  # the joining containment pairs
    # ... where the contained one makes up less than half of its container
    of_outer = np.where(a_inside, pairs.containment_b_in_a[rows], pairs.containment_a_in_b[rows])
    small = (of_outer[contain] < 0.5).tolist()
    minor = {(o, i) for o, i, x in zip(outer, inner, small, strict=True) if x}
    centre = star_clusters(
        len(nodes),
        edges,
        weights,
        order,
        related,
        config.min_related,
        holds,
        minor,
        _collages(pairs, rows, local_a, local_b, minor),
    )

    n = len(group)
    copies: dict[int, list[int]] = {}
    for doc in np.flatnonzero(group != np.arange(n)).tolist():
        copies.setdefault(int(group[doc]), [int(group[doc])]).append(doc)
    members: dict[int, list[int]] = {}
    witnessed: set[int] = set()
    for k, c in enumerate(centre.tolist()):
        rep = int(nodes[k])
        members.setdefault(int(nodes[c]), []).extend(copies.get(rep, [rep]))
        if c != k and (min(k, c), max(k, c)) not in related:
            witnessed.update(copies.get(rep, [rep]))
    in_nodes = set(nodes.tolist())
    for rep, twins in copies.items():
        if rep not in in_nodes:
            members[rep] = list(twins)
    records: list[ClusterRecord] = []
    for centre_doc, docs in members.items():
        if len(docs) < 2:
            continue
        shown = views_of_members(docs, views, sites) if views is not None else set()
        # a line with no time ties the lines of its day: they compare at the precision all share
        day_only = bool(lines) and any(lines[d] is not None and len(lines[d]) == 10 for d in docs)
        reps = frozenset(int(group[d]) for d in docs)
        shared = shared_lines(docs, group, lines, heads, views, day_only) if lines else {}
        habit = (
            habitual_lines(docs, group, lines, silent, balances, day_only)
            if silent is not None
            else {}
        )
        # one line shown in the cluster is the story's: it names the original before the parts
        # (a page with comments twice its article's length holds the article whole), unless a
        # member's site prints no line at all: then it is one page's, not the story's
        story = shown_lines(docs, lines, day_only) if lines and not habit else set()
        best = {
            d: priority(
                d,
                d in shown,
                day_only,
                reps,
                shared.get(d) or habit.get(d),
                len(story) == 1 and bool(lines[d]),
            )
            for d in docs
        }
        canonical = min(docs, key=lambda d: best[d].key())
        chosen = best[canonical]
        rep = int(group[canonical])
        # the runner-up: the best member that is not an exact copy of the canonical one
        others = [best[d] for d in docs if int(group[d]) != rep]
        runner = min(others, key=lambda p: p.key()) if others else None
        twins_shown = any(int(group[d]) == rep and d in shown for d in docs)
        reason = decisive_reason(chosen, runner, rep in scores, twins_shown)
        records.append(
            ClusterRecord(
                centre=centre_doc,
                canonical=canonical,
                members=sorted(docs, key=lambda d: ids[d]),
                reason=reason,
                score=scores[rep][0] if rep in scores else None,
                date=dates[canonical],
                line=(lines[canonical] or shared.get(canonical) or habit.get(canonical))
                if lines
                else None,
                among_copies=len(copies.get(rep, ())) > 1,
                at_centre=rep == centre_doc,
                line_shared=canonical in shared,
                line_habit=canonical in habit and canonical not in shared,
                witnessed=tuple(d for d in sorted(docs, key=lambda d: ids[d]) if d in witnessed),
            )
        )
    records.sort(key=lambda r: ids[r.canonical])
    return records
