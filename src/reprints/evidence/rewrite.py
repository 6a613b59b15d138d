"""The ``rewrite`` relation: the same text reworded (issue 11, first part: lexical evidence).

Candidate source ``anchors``: documents that share many *anchor words* (words of four letters or
more, or with a digit, that occur in at most ``max_postings`` documents: names, places, numbers,
the story's own vocabulary). A rewrite keeps them while it changes every 5-gram around them.
Posting lists are bounded, so the cost grows with the corpus, not with its square; each document
keeps its ``max_candidates`` best candidates.

Verifier ``passages``: the texts of the candidate documents are read again from the inputs
(``Workspace.texts``), passages that recur in ``min_df`` or more of them (page furniture: a
navigation line, the teasers of the day) are left out, the rest aligned
(:mod:`reprints.evidence.align`), and a pair is a ``rewrite`` when the alignment decides so
(aligned passages, in order, covering most of one text).
Pairs already related by shingles keep that stricter relation.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

from reprints.evidence.align import AlignConfig, align, decide, evidence, passage_key, swapped
from reprints.evidence.pairs import PairTable
from reprints.evidence.verifiers import Verified, register_verifier
from reprints.index.sources import Counters, Workspace, register_source
from reprints.relations import Relation
from reprints.text.passages import passages

_WORD = re.compile(r"\w+")
MIN_ANCHORS = 8
"""Anchor words two documents must share to be a rewrite candidate."""
MAX_CANDIDATES = 20
"""Candidates kept per document (those sharing the most anchor words)."""


def anchor_words(text: str) -> np.ndarray:
    """Sorted unique 32-bit hashes of the words that can anchor a rewrite.

    >>> len(anchor_words("The BBC said 13 people died in Quang Binh, the BBC said."))
    6
    """
    words = {
        w for w in _WORD.findall(text.casefold()) if len(w) >= 4 or any(ch.isdigit() for ch in w)
    }
    return np.unique(np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.int64))


def anchor_candidates(
    words: list[np.ndarray], max_postings: int, min_shared: int, keep: int
) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of documents sharing at least ``min_shared`` words that occur
    in 2 to ``max_postings`` documents; each document keeps its ``keep`` best partners.

    >>> w = [np.array([1, 2, 3]), np.array([1, 2, 3, 9]), np.array([7, 8])]
    >>> anchor_candidates(w, 64, 3, 5).tolist()
    [[0, 1]]
    """
    if not words:
        return np.empty((0, 2), dtype=np.int64)
    owner = np.repeat(np.arange(len(words), dtype=np.int64), [len(w) for w in words])
    flat = np.concatenate(words)
    order = np.lexsort((owner, flat))
    flat, owner = flat[order], owner[order]
    starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    sizes = np.diff(np.r_[starts, len(flat)])
    codes: list[np.ndarray] = []
    n = np.int64(len(words))
    for start, size in zip(starts.tolist(), sizes.tolist(), strict=True):
        if size < 2 or size > max_postings:
            continue
        docs = owner[start : start + size]
        i, j = np.triu_indices(size, 1)
        codes.append(docs[i] * n + docs[j])
    if not codes:
        return np.empty((0, 2), dtype=np.int64)
    pair_codes, shared = np.unique(np.concatenate(codes), return_counts=True)
    ok = shared >= min_shared
    pair_codes, shared = pair_codes[ok], shared[ok]
    a, b = pair_codes // n, pair_codes % n
    # each document keeps its best partners (most shared anchors, then the smaller index), among
    # all its pairs whichever side it is on; a pair stays if either document keeps it
    doc = np.concatenate([a, b])
    other = np.concatenate([b, a])
    row = np.tile(np.arange(len(pair_codes)), 2)
    rank = np.lexsort((other, -np.tile(shared, 2), doc))
    first = np.r_[True, doc[rank][1:] != doc[rank][:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(rank)), 0))
    chosen = np.zeros(len(pair_codes), dtype=bool)
    chosen[row[rank[np.arange(len(rank)) - group_start < keep]]] = True
    return np.stack([a[chosen], b[chosen]], axis=1)


def recurring_passages(texts: list[str], min_df: int) -> frozenset[int]:
    """Keys of the passages found in at least ``min_df`` of ``texts``: page furniture (a
    navigation line, the teasers of the day), left out of every alignment.

    >>> len(recurring_passages(["Home | News\\nStory one."] * 4 + ["Home | News\\nTwo."], 5))
    1
    """
    df: dict[int, int] = {}
    for text in texts:
        for key in {passage_key(text[s:e]) for s, e in passages(text)}:
            df[key] = df.get(key, 0) + 1
    return frozenset(k for k, v in df.items() if v >= min_df)


def anchor_pairs(ws: Workspace) -> tuple[np.ndarray, Counters]:
    """Representatives sharing enough anchor words (texts read again in one pass)."""
    if ws.texts is None:
        return np.empty((0, 2), dtype=np.int64), {"anchors": 0}
    reps = ws.representatives
    is_rep = np.zeros(len(ws.group), dtype=bool)
    is_rep[reps] = True
    by_doc = {i: anchor_words(text) for i, text in ws.texts.stream() if is_rep[i]}
    words = [by_doc.get(int(i), np.empty(0, dtype=np.int64)) for i in reps]
    local = anchor_candidates(words, ws.config.candidates.max_postings, MIN_ANCHORS, MAX_CANDIDATES)
    found = reps[local] if len(local) else local
    return found, {"anchors": len(found)}


def verify_passages(ws: Workspace, candidates: np.ndarray) -> Verified:
    """Align the passages of every candidate pair; keep the rewrites."""
    if ws.texts is None or not len(candidates):
        return Verified(PairTable.empty(), counters={"aligned_pairs": 0})
    docs = np.unique(candidates.ravel())
    texts = dict(zip(docs.tolist(), ws.texts.read(docs), strict=True))
    boilerplate = recurring_passages(list(texts.values()), ws.config.boilerplate.min_df)
    config = AlignConfig()
    rows: list[tuple[int, int]] = []
    cov_a: list[float] = []
    cov_b: list[float] = []
    fields: list[dict[str, object]] = []
    for i, j in candidates.tolist():
        result = align(texts[i], texts[j], config, boilerplate)
        if decide(result, config):
            rows.append((i, j) if i < j else (j, i))
            cov_a.append(result.coverage_a if i < j else result.coverage_b)
            cov_b.append(result.coverage_b if i < j else result.coverage_a)
            fields.append(evidence(result) if i < j else swapped(evidence(result)))
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    code = np.full(len(pairs), Relation.parse("rewrite").code, dtype=np.uint8)
    column = np.empty(len(fields), dtype=object)
    column[:] = fields
    table = PairTable.build(
        pairs,
        code,
        containment_a_in_b=np.array(cov_a),
        containment_b_in_a=np.array(cov_b),
        evidence=column,
    )
    return Verified(table, counters={"aligned_pairs": len(candidates), "rewrites": len(pairs)})


register_source("anchors", anchor_pairs)
register_verifier("passages", verify_passages)
