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

import numpy as np

from reprints.config import VerifyConfig
from reprints.evidence.overlap import mark_shared, overlaps
from reprints.evidence.pairs import PairTable
from reprints.index.table import segment_sums
from reprints.relations import Relation


def classify(
    jaccard: np.ndarray,
    c_ab: np.ndarray,
    c_ba: np.ndarray,
    shared_content: np.ndarray,
    config: VerifyConfig,
) -> np.ndarray:
    """Relation code implied by measured overlaps, ``-1`` where the pair is unrelated.

    >>> c = VerifyConfig()
    >>> codes = classify(np.array([0.51, 0.1, 0.01]), np.array([0.93, 0.2, 0.02]),
    ...                  np.array([0.52, 0.15, 0.01]), np.array([600, 40, 3]), c)
    >>> [str(Relation.from_code(k)) if k >= 0 else None for k in codes.tolist()]
    ['containment', 'partial', None]
    """
    out = np.full(len(jaccard), -1, dtype=np.int64)
    out[shared_content >= config.partial_min_shingles] = Relation.PARTIAL.code
    out[np.maximum(c_ab, c_ba) >= config.containment_threshold] = Relation.CONTAINMENT.code
    out[jaccard >= config.jaccard_threshold] = Relation.NEAR_DUPLICATE.code
    return out


def anchor_content(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    pairs: np.ndarray,
    config: VerifyConfig,
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
        np.maximum(shared_content / size_a, shared_content / size_b) >= config.anchor_containment
    )
    # a text copied so widely that it looks like boilerplate: one document lies almost whole
    # inside the other, counting every shingle
    whole = np.maximum(shared / raw_sizes[pairs[:, 0]], shared / raw_sizes[pairs[:, 1]])
    strong |= whole >= config.whole_containment
    # in place: marking reads no content flag, and the strong pairs are already chosen
    mark_shared(offsets, shingles, content, pairs[strong], False, content)
    return content


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.zeros(len(num), dtype=np.float64)
    np.divide(num, den, out=out, where=den > 0)
    return out


def verify_pairs(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    pairs: np.ndarray,
    config: VerifyConfig,
) -> PairTable:
    """Measure every candidate pair on the full sets; return the related ones as a table."""
    pairs = pairs.reshape(-1, 2)
    content_sizes = segment_sums(offsets, content)
    sizes = np.diff(offsets)
    shared, shared_content = overlaps(offsets, shingles, content, pairs)
    keep = np.flatnonzero(shared > 0)
    pairs, shared, sc = pairs[keep], shared[keep].astype(np.int64), shared_content[keep]
    sc = sc.astype(np.int64)
    ca, cb = content_sizes[pairs[:, 0]], content_sizes[pairs[:, 1]]
    c_ab, c_ba = _ratio(sc, ca), _ratio(sc, cb)
    jaccard = _ratio(sc, ca + cb - sc)
    relation = classify(jaccard, c_ab, c_ba, sc, config)
    related = relation >= 0
    raw_union = sizes[pairs[:, 0]] + sizes[pairs[:, 1]] - shared
    return PairTable.build(
        pairs[related],
        relation[related],
        jaccard=jaccard[related],
        containment_a_in_b=c_ab[related],
        containment_b_in_a=c_ba[related],
        raw_jaccard=_ratio(shared, raw_union)[related],
        shared=shared[related],
        shared_content=sc[related],
    )
