"""Containment candidates from an inverted index of sampled shingles.

A document contained in another shares most of its shingles with it, however little of the
container it is, so Jaccard-tuned LSH misses it. Here every document keeps a consistent
1-in-``rate`` sample of its shingles (chosen by hash value, so shared shingles are sampled in
both). Documents sharing at least ``min_shared`` sampled shingles, or a share of ``min_share``
of the smaller sample, become candidates. A posting list longer than ``max_postings``
(boilerplate) contributes a star from its first document only, so no list costs quadratic work.
"""

from __future__ import annotations

import numpy as np

from reprints.index.lsh import pairs_from_groups


def containment_candidates(
    offsets: np.ndarray,
    shingles: np.ndarray,
    rate: int,
    max_postings: int = 64,
    min_shared: int = 2,
    min_share: float = 0.2,
) -> np.ndarray:
    """Candidate pairs ``(i, j)``, ``i < j``, from shared sampled shingles of a CSR shingle table.

    >>> offsets = np.array([0, 4, 10, 12])
    >>> sh = np.array([0, 4, 8, 12, 0, 4, 8, 12, 16, 20, 100, 104], dtype=np.uint64)
    >>> containment_candidates(offsets, sh, rate=4).tolist()
    [[0, 1]]
    """
    n = len(offsets) - 1
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    doc_of = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
    keep = (shingles & np.uint64(rate - 1)) == np.uint64(0)
    keys = shingles[keep]
    docs = doc_of[keep]
    sampled = np.bincount(docs, minlength=n)
    order = np.argsort(keys, kind="stable")
    # pairs over document positions; map back through ``docs``
    positions = pairs_from_groups(order, keys, max_postings)
    if len(positions) == 0:
        return np.empty((0, 2), dtype=np.int64)
    a = docs[positions[:, 0]]
    b = docs[positions[:, 1]]
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    mask = lo != hi
    code = lo[mask] * n + hi[mask]
    codes, shared = np.unique(code, return_counts=True)
    lo, hi = codes // n, codes % n
    smaller = np.minimum(sampled[lo], sampled[hi])
    ok = (shared >= min_shared) | ((shared >= 1) & (shared >= min_share * smaller))
    return np.stack([lo[ok], hi[ok]], axis=1).astype(np.int64)
