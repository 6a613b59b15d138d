"""Locality-sensitive hashing of MinHash signatures by banding, and exact-hash grouping.

With ``b`` bands of ``r`` rows, two documents of Jaccard similarity ``s`` share at least one band
with probability ``1 - (1 - s**r)**b``. :func:`optimal_bands` picks ``(b, r)`` with ``b * r <=
num_perm`` minimising the weighted area of false positives below the threshold and false negatives
above it. Every candidate is verified later on the real shingle sets.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


def _collision_probability(s: np.ndarray, bands: int, rows: int) -> np.ndarray:
    return 1.0 - (1.0 - s**rows) ** bands


@lru_cache(maxsize=64)
def optimal_bands(
    threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5
) -> tuple[int, int]:
    """The ``(bands, rows)`` that best separate pairs around ``threshold``.

    >>> optimal_bands(0.5, 128)
    (25, 5)
    """
    grid = 512
    best: tuple[float, int, int] | None = None
    below = np.linspace(0.0, threshold, grid)
    above = np.linspace(threshold, 1.0, grid)
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = np.trapezoid(_collision_probability(below, bands, rows), below)
            fn = np.trapezoid(1.0 - _collision_probability(above, bands, rows), above)
            error = fp_weight * fp + fn_weight * fn
            if best is None or error < best[0] - 1e-12:
                best = (error, bands, rows)
    assert best is not None
    return best[1], best[2]


def pairs_from_groups(order: np.ndarray, keys: np.ndarray, max_group: int) -> np.ndarray:
    """Candidate pairs ``(i, j)``, ``i < j``, of items sharing a key.

    ``order`` sorts the items by key (a stable sort, so items rise within a group). A group of up
    to ``max_group`` items yields all its pairs; a larger one yields a star from its first item,
    so one huge group costs linear, not quadratic, work. Vectorised: one pass per pair distance,
    over the items of groups large enough for it.

    >>> keys = np.array([5, 1, 5, 5, 2, 1])
    >>> pairs_from_groups(np.argsort(keys, kind="stable"), keys, 8).tolist()
    [[1, 5], [0, 2], [2, 3], [0, 3]]
    >>> pairs_from_groups(np.argsort(keys, kind="stable"), keys, 2).tolist()
    [[0, 2], [0, 3], [1, 5]]
    """
    n = len(order)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, n])
    multi = sizes > 1
    starts, sizes = starts[multi], sizes[multi]
    if len(starts) == 0:
        return np.empty((0, 2), dtype=np.int64)
    chunks: list[np.ndarray] = []
    small = sizes <= max_group
    # stars of the big groups
    big_starts, big_sizes = starts[~small], sizes[~small]
    if len(big_starts):
        first = np.repeat(big_starts, big_sizes - 1)
        rest = np.repeat(big_starts - np.cumsum(np.r_[0, big_sizes[:-1] - 1]), big_sizes - 1)
        rest = rest + np.arange(len(first)) + 1
        chunks.append(np.stack([order[first], order[rest]], axis=1))
    # every pair of the small groups, one distance at a time
    starts, sizes = starts[small], sizes[small]
    positions = np.repeat(starts, sizes) + (
        np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    )
    ends = np.repeat(starts + sizes, sizes)
    distance = 1
    while len(positions):
        ok = positions + distance < ends
        positions, ends = positions[ok], ends[ok]
        if len(positions) == 0:
            break
        chunks.append(np.stack([order[positions], order[positions + distance]], axis=1))
        distance += 1
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(chunks).astype(np.int64)
    return np.stack([pairs.min(axis=1), pairs.max(axis=1)], axis=1)


def unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """Sorted unique rows of an ``(m, 2)`` pair array.

    >>> unique_pairs(np.array([[1, 2], [0, 3], [1, 2]])).tolist()
    [[0, 3], [1, 2]]
    """
    if len(pairs) == 0:
        return np.empty((0, 2), dtype=np.int64)
    pairs = pairs.astype(np.int64)
    width = int(pairs.max()) + 1
    codes = np.unique(pairs[:, 0] * width + pairs[:, 1])
    return np.stack([codes // width, codes % width], axis=1)


def exact_groups(exact: np.ndarray, rank: np.ndarray | None = None) -> np.ndarray:
    """For each document, its representative among the documents with the same exact hash: the
    one of lowest ``rank`` (default: the first), so the choice never depends on input order when
    ``rank`` is the order of the ids.

    >>> e = np.array([[1, 1], [2, 2], [1, 1]], dtype=np.uint64)
    >>> exact_groups(e).tolist(), exact_groups(e, rank=np.array([2, 0, 1])).tolist()
    ([0, 1, 0], [2, 1, 2])
    """
    n = len(exact)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    keys = np.ascontiguousarray(exact).view(np.dtype((np.void, exact.itemsize * exact.shape[1])))
    keys = keys.ravel()
    _, inverse = np.unique(keys, return_inverse=True)
    inverse = inverse.ravel()
    rank = np.arange(n) if rank is None else rank
    order = np.lexsort((rank, inverse))
    first = np.ones(n, dtype=bool)
    first[1:] = inverse[order[1:]] != inverse[order[:-1]]
    best = np.empty(int(inverse.max()) + 1, dtype=np.int64)
    best[inverse[order[first]]] = order[first]
    return best[inverse]


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (document, band): a hash of the band's ``rows`` signature values."""
    n = signatures.shape[0]
    keys = np.zeros((n, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            column = signatures[:, r : bands * rows : rows].astype(np.uint64)
            keys = keys * np.uint64(0x100000001B3) + column + np.uint64(r + 1)
        keys ^= keys >> np.uint64(29)
        keys *= np.uint64(0xBF58476D1CE4E5B9)
    return keys


def lsh_candidates(
    signature_chunks: list[np.ndarray] | np.ndarray,
    bands: int,
    rows: int,
    max_bucket: int = 64,
    select: np.ndarray | None = None,
    rank: np.ndarray | None = None,
) -> np.ndarray:
    """Unique candidate pairs ``(i, j)``, ``i < j``, sharing at least one LSH band.

    ``signature_chunks`` are row blocks of the signature matrix (or the matrix itself);
    ``select`` (sorted row numbers) keeps only those rows, renumbered ``0..len(select)-1``;
    ``rank`` (of the selected rows) orders the members of a bucket, so that the centre of a star
    (a bucket over ``max_bucket``) is the lowest-ranked one whatever the input order.

    >>> sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]], dtype=np.uint32)
    >>> lsh_candidates(sig, bands=2, rows=2).tolist()
    [[0, 1]]
    """
    if isinstance(signature_chunks, np.ndarray):
        signature_chunks = [signature_chunks]
    parts = []
    at = 0
    for chunk in signature_chunks:
        keys = band_keys(chunk, bands, rows)
        if select is not None:
            lo, hi = np.searchsorted(select, [at, at + len(chunk)])
            keys = keys[select[lo:hi] - at]
        parts.append(keys)
        at += len(chunk)
    keys = np.concatenate(parts) if parts else np.empty((0, bands), dtype=np.uint64)
    if len(keys) < 2:
        return np.empty((0, 2), dtype=np.int64)
    # rows in rank order once, so that a stable sort of each band keeps ties in rank order
    by_rank = np.arange(len(keys)) if rank is None else np.argsort(rank, kind="stable")
    chunks = []
    for band in range(bands):
        column = np.ascontiguousarray(keys[:, band])
        order = by_rank[np.argsort(column[by_rank], kind="stable")]
        chunks.append(pairs_from_groups(order, column, max_bucket))
    return unique_pairs(np.concatenate(chunks))
