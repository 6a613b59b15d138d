"""Locality-sensitive hashing of MinHash signatures by banding, and exact-hash grouping.

With ``b`` bands of ``r`` rows, two documents of Jaccard similarity ``s`` share at least one band
with probability ``1 - (1 - s**r)**b``. :func:`optimal_bands` picks ``(b, r)`` with ``b * r <=
num_perm`` minimising the weighted area of false positives below the threshold and false negatives
above it. Every candidate is verified later on the real shingle sets.
"""

from __future__ import annotations

import numpy as np


def _collision_probability(s: np.ndarray, bands: int, rows: int) -> np.ndarray:
    return 1.0 - (1.0 - s**rows) ** bands


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

    ``order`` sorts the items by key. A group of up to ``max_group`` items yields all its pairs; a
    larger one yields a star from its first item, so one huge group costs linear, not quadratic,
    work.
    """
    sorted_keys = keys[order]
    if len(sorted_keys) == 0:
        return np.empty((0, 2), dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    ends = np.r_[starts[1:], len(sorted_keys)]
    sizes = ends - starts
    chunks: list[np.ndarray] = []
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
        members = np.sort(order[start : start + size])
        if size <= max_group:
            i, j = np.triu_indices(size, k=1)
            chunks.append(np.stack([members[i], members[j]], axis=1))
        else:
            chunks.append(np.stack([np.full(size - 1, members[0]), members[1:]], axis=1))
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(chunks).astype(np.int64)


def unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """Sorted unique rows of an ``(m, 2)`` pair array.

    >>> unique_pairs(np.array([[1, 2], [0, 3], [1, 2]])).tolist()
    [[0, 3], [1, 2]]
    """
    if len(pairs) == 0:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(pairs.astype(np.int64), axis=0)


def exact_groups(exact: np.ndarray) -> np.ndarray:
    """For each document, the index of the first document with the same exact hash.

    >>> e = np.array([[1] * 16, [2] * 16, [1] * 16], dtype=np.uint8)
    >>> exact_groups(e).tolist()
    [0, 1, 0]
    """
    n = len(exact)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    keys = np.ascontiguousarray(exact).view(np.dtype((np.void, exact.shape[1]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return first[inverse.ravel()].astype(np.int64)


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
    signatures: np.ndarray, bands: int, rows: int, max_bucket: int = 64
) -> np.ndarray:
    """Unique candidate pairs ``(i, j)``, ``i < j``, sharing at least one LSH band.

    >>> sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]], dtype=np.uint32)
    >>> lsh_candidates(sig, bands=2, rows=2).tolist()
    [[0, 1]]
    """
    if len(signatures) < 2:
        return np.empty((0, 2), dtype=np.int64)
    keys = band_keys(signatures, bands, rows)
    chunks = []
    for band in range(bands):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        chunks.append(pairs_from_groups(order, column, max_bucket))
    return unique_pairs(np.concatenate(chunks))
