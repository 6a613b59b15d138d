"""Verify candidate pairs on the real shingle sets and name their relation.

Each candidate pair is measured on its documents' full sorted shingle sets, with boilerplate
discounted: ``containment_a_in_b`` is the share of ``a``'s content shingles found in ``b``'s
content, ``jaccard`` the Jaccard similarity of the two content sets. No pair is reported from a
sketch alone, so a bucket collision can never become a false positive.

Relations, first match wins:

- ``near_duplicate``: ``jaccard >= jaccard_threshold``;
- ``containment``: one holds at least ``containment_threshold`` of the other;
- ``partial``: they share at least ``partial_min_shingles`` content shingles (a whole passage) but
  neither holds most of the other. Reported, never used to join clusters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reprints.config import Relation
from reprints.evidence.overlap import mark_shared, overlaps
from reprints.index.table import segment_sums


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """The measured overlap of two documents (by index) and the relation it implies."""

    a: int
    b: int
    relation: Relation
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float
    raw_jaccard: float
    shared: int
    shared_content: int
    boilerplate_discounted: int


@dataclass(frozen=True, slots=True)
class Thresholds:
    jaccard: float
    containment: float
    partial_min_shingles: int


def classify(
    jaccard: float, c_ab: float, c_ba: float, shared_content: int, t: Thresholds
) -> Relation | None:
    """The relation implied by measured overlaps, or None when the pair is unrelated.

    >>> t = Thresholds(0.6, 0.7, 15)
    >>> classify(0.51, 0.93, 0.52, 600, t).value
    'containment'
    >>> classify(0.1, 0.2, 0.15, 40, t).value
    'partial'
    >>> classify(0.01, 0.02, 0.01, 3, t) is None
    True
    """
    if jaccard >= t.jaccard:
        return Relation.NEAR_DUPLICATE
    if max(c_ab, c_ba) >= t.containment:
        return Relation.CONTAINMENT
    if shared_content >= t.partial_min_shingles:
        return Relation.PARTIAL
    return None


def anchor_content(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    pairs: np.ndarray,
    anchor_containment: float,
    whole_containment: float = 0.9,
) -> np.ndarray:
    """Content mask (updated in place) with recurring passages put back where a strongly linked
    document holds them.

    Two documents are strongly linked when one holds at least ``anchor_containment`` of the other's
    content, or ``whole_containment`` of all its shingles (a story syndicated so widely that its
    text recurs like boilerplate). Then every shingle of one that is boilerplate there but present
    in the other becomes content: the passage belongs to the text they share (an article's lead,
    which other pages carry as a teaser), not to a page template.
    """
    sizes = segment_sums(offsets, content)
    raw_sizes = np.maximum(np.diff(offsets), 1)
    shared, shared_content = overlaps(offsets, shingles, content, pairs)
    pairs = pairs.reshape(-1, 2)
    size_a = np.maximum(sizes[pairs[:, 0]], 1)
    size_b = np.maximum(sizes[pairs[:, 1]], 1)
    strong = (shared_content > 0) & (
        np.maximum(shared_content / size_a, shared_content / size_b) >= anchor_containment
    )
    # a text copied so widely that it looks like boilerplate: one document lies almost whole
    # inside the other, counting every shingle
    whole = np.maximum(shared / raw_sizes[pairs[:, 0]], shared / raw_sizes[pairs[:, 1]])
    strong |= whole >= whole_containment
    # in place: marking reads no content flag, and the strong pairs are already chosen
    mark_shared(offsets, shingles, content, pairs[strong], False, content)
    return content


def verify_pairs(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    pairs: np.ndarray,
    thresholds: Thresholds,
) -> list[PairEvidence]:
    """Measure every candidate pair on the full sets; return the related ones."""
    pairs = pairs.reshape(-1, 2)
    content_sizes = segment_sums(offsets, content)
    sizes = np.diff(offsets)
    shared, shared_content = overlaps(offsets, shingles, content, pairs)
    found: list[PairEvidence] = []
    for k in np.flatnonzero(shared > 0).tolist():
        i, j = int(pairs[k, 0]), int(pairs[k, 1])
        sc = int(shared_content[k])
        ca, cb = int(content_sizes[i]), int(content_sizes[j])
        c_ab = sc / ca if ca else 0.0
        c_ba = sc / cb if cb else 0.0
        union = ca + cb - sc
        jaccard = sc / union if union else 0.0
        relation = classify(jaccard, c_ab, c_ba, sc, thresholds)
        if relation is None:
            continue
        n_shared = int(shared[k])
        raw_union = int(sizes[i] + sizes[j]) - n_shared
        found.append(
            PairEvidence(
                a=i,
                b=j,
                relation=relation,
                jaccard=jaccard,
                containment_a_in_b=c_ab,
                containment_b_in_a=c_ba,
                raw_jaccard=n_shared / raw_union if raw_union else 0.0,
                shared=n_shared,
                shared_content=sc,
                boilerplate_discounted=n_shared - sc,
            )
        )
    return found
