"""Shared shingles of document pairs over a CSR table of sorted unique sets.

Compiled with numba when it is installed (a linear merge per pair); otherwise numpy's
``intersect1d`` per pair. Both give the same numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reprints.sketch.kernel import compiled_module


def _compiled() -> Any:
    return compiled_module("evidence._compiled")


def _pairs(pairs: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(pairs, dtype=np.int64).reshape(-1, 2)


def overlaps(
    offsets: np.ndarray, shingles: np.ndarray, content: np.ndarray, pairs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each pair: how many shingles the two share, and how many of those are content in both.

    >>> offsets = np.array([0, 3, 6])
    >>> sh = np.array([1, 2, 3, 2, 3, 4], dtype=np.uint64)
    >>> content = np.array([True, True, False, True, True, True])
    >>> [x.tolist() for x in overlaps(offsets, sh, content, np.array([[0, 1]]))]
    [[2], [1]]
    """
    pairs = _pairs(pairs)
    compiled = _compiled()
    if compiled is not None:
        return compiled.merge_pairs(  # type: ignore[no-any-return]
            offsets, shingles, content, pairs, 0, np.zeros(0, dtype=bool)
        )
    shared = np.zeros(len(pairs), dtype=np.int64)
    shared_content = np.zeros(len(pairs), dtype=np.int64)
    for k, (i, j) in enumerate(pairs.tolist()):
        ia, ib = _intersect(offsets, shingles, i, j)
        shared[k] = len(ia)
        shared_content[k] = int((content[ia] & content[ib]).sum())
    return shared, shared_content


def mark_shared(
    offsets: np.ndarray,
    shingles: np.ndarray,
    content: np.ndarray,
    pairs: np.ndarray,
    mode: int,
    out: np.ndarray,
) -> None:
    """Set ``out`` at every position shared by a pair: all of them (``mode`` 0), those
    ``content`` in both (1), or those ``content`` in either (2: ``content`` is then any flag,
    such as :func:`reprints.evidence.boilerplate.block_content`'s ``inner``).

    >>> offsets, sh = np.array([0, 3, 6]), np.array([1, 2, 3, 1, 2, 3], dtype=np.uint64)
    >>> flags = np.array([1, 0, 0, 0, 1, 0], dtype=bool)
    >>> out = np.zeros(6, dtype=bool)
    >>> mark_shared(offsets, sh, flags, np.array([[0, 1]]), 2, out)
    >>> out.astype(int).tolist()
    [1, 1, 0, 1, 1, 0]
    """
    pairs = _pairs(pairs)
    mode = int(mode)
    compiled = _compiled()
    if compiled is not None:
        compiled.merge_pairs(offsets, shingles, content, pairs, mode, out)
        return
    for i, j in pairs.tolist():
        ia, ib = _intersect(offsets, shingles, i, j)
        if mode:
            flagged = content[ia] & content[ib] if mode == 1 else content[ia] | content[ib]
            ia, ib = ia[flagged], ib[flagged]
        out[ia] = True
        out[ib] = True


def _intersect(
    offsets: np.ndarray, shingles: np.ndarray, i: int, j: int
) -> tuple[np.ndarray, np.ndarray]:
    a = shingles[offsets[i] : offsets[i + 1]]
    b = shingles[offsets[j] : offsets[j + 1]]
    _, ia, ib = np.intersect1d(a, b, assume_unique=True, return_indices=True)
    return ia + offsets[i], ib + offsets[j]
