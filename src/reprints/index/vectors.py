"""Nearest neighbours of document vectors: exact for small corpora, an HNSW index (usearch) for
large ones.

The rewrite level's ``neighbours`` source needs each document's ``k`` nearest documents by
cosine (unit vectors, so by inner product). Exact search compares every pair, a block of rows at
a time: quadratic, which is fine up to ``EXACT_UP_TO`` documents (20,000 x 20,000 x 512 floats is
a few seconds on two cores). Past it, an approximate index: usearch's HNSW graph, built on one
thread with the documents inserted in a fixed order (the canonical order of the scan: date, then
id), so that the same documents give the same graph, and so the same neighbours, whatever the
input order; each query is answered alone, so searching on several threads changes nothing.
Where usearch is not installed, exact search is used at any size (and the cost is quadratic).
"""

from __future__ import annotations

import numpy as np

EXACT_UP_TO = 20_000
"""Corpora up to this many vectors are searched exactly."""
CONNECTIVITY = 16
"""HNSW edges per node (usearch's default)."""
EXPANSION_ADD = 128
"""Candidates kept while inserting: a better graph for a slower build."""
EXPANSION_SEARCH = 96
"""Candidates kept while searching (at least ``2 k``)."""
BLOCK = 1024


def exact_nearest(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest other rows by inner product: ``(indices, scores)``, each
    ``(n, k)``, best first (ties: the smaller index).

    >>> v = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> idx, cos = exact_nearest(v, 1)
    >>> idx.ravel().tolist(), cos.ravel().round(2).tolist()
    ([1, 0, 1], [0.8, 0.8, 0.6])
    """
    n = len(vectors)
    k = min(k, n - 1)
    best_idx = np.zeros((n, max(k, 0)), dtype=np.int64)
    best_cos = np.zeros((n, max(k, 0)))
    if k <= 0:
        return best_idx, best_cos
    for lo in range(0, n, BLOCK):
        sims = vectors[lo : lo + BLOCK] @ vectors.T
        rows = np.arange(len(sims))
        sims[rows, lo + rows] = -np.inf
        top = _top_k(sims, k)
        cos = np.take_along_axis(sims, top, axis=1)
        order = np.lexsort((top, -cos), axis=1)  # best first, then the smaller index
        best_idx[lo : lo + BLOCK] = np.take_along_axis(top, order, axis=1)
        best_cos[lo : lo + BLOCK] = np.take_along_axis(cos, order, axis=1)
    return best_idx, best_cos


def _top_k(sims: np.ndarray, k: int) -> np.ndarray:
    """The columns of each row's ``k`` highest values, ties at the k-th value going to the
    smaller columns (``argpartition`` alone picks among equals arbitrarily), in column order.

    >>> _top_k(np.array([[0.5, 0.9, 0.5, 0.5]]), 2).tolist()
    [[0, 1]]
    """
    kth = -np.partition(-sims, k - 1, axis=1)[:, k - 1 : k]
    above = sims > kth
    tied = sims == kth
    need = k - above.sum(axis=1, keepdims=True)
    take = above | (tied & (np.cumsum(tied, axis=1) <= need))
    return np.nonzero(take)[1].reshape(len(sims), k)


def ann_nearest(
    vectors: np.ndarray, k: int, insert_order: np.ndarray, threads: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`exact_nearest` approximately, through a usearch HNSW index built on one thread
    with the rows inserted in ``insert_order``. A row may come back with fewer than ``k``
    neighbours found: the missing ones are ``-1`` with score ``-inf``."""
    from usearch.index import Index

    n, dim = vectors.shape
    k = min(k, n - 1)
    index = Index(
        ndim=dim,
        metric="ip",
        dtype="f32",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=max(EXPANSION_SEARCH, 2 * k),
    )
    data = np.ascontiguousarray(vectors, dtype=np.float32)
    order = np.asarray(insert_order, dtype=np.int64)
    index.add(order.astype(np.uint64), data[order], threads=1)
    found = index.search(data, k + 1, threads=threads)
    keys = np.asarray(found.keys, dtype=np.int64).reshape(n, k + 1)
    scores = 1.0 - np.asarray(found.distances, dtype=np.float64).reshape(n, k + 1)  # ip distance
    counts = np.asarray(found.counts).reshape(n)
    valid = np.arange(k + 1)[None, :] < counts[:, None]
    keys = np.where(valid, keys, -1)
    scores = np.where(valid, scores, -np.inf)
    # each row's own key leaves its list; keep the best k of the others, best first
    scores = np.where(keys == np.arange(n)[:, None], -np.inf, scores)
    best = np.lexsort((keys, -scores), axis=1)[:, :k]
    keys = np.take_along_axis(keys, best, axis=1)
    scores = np.take_along_axis(scores, best, axis=1)
    keys[~np.isfinite(scores)] = -1
    return keys, scores


def available() -> bool:
    """Whether the approximate index can be used here (usearch is installed)."""
    try:
        import usearch.index  # noqa: F401
    except ImportError:
        return False
    return True


def nearest(
    vectors: np.ndarray, k: int, exact_up_to: int = EXACT_UP_TO
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest other rows: exact up to ``exact_up_to`` rows (or without
    usearch), approximate past it, the index built with the rows in their own order (put them
    in a fixed order first for results that do not depend on the input order)."""
    if len(vectors) <= exact_up_to or not available():
        return exact_nearest(vectors, k)
    return ann_nearest(vectors, k, np.arange(len(vectors)))
