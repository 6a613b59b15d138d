"""Compiled (numba) merges of sorted shingle sets for verification; see :mod:`.overlap`."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def overlaps(offsets, shingles, content, pairs):  # type: ignore[no-untyped-def]
    m = len(pairs)
    shared = np.zeros(m, dtype=np.int64)
    shared_content = np.zeros(m, dtype=np.int64)
    for k in range(m):
        i = pairs[k, 0]
        j = pairs[k, 1]
        p, pe = offsets[i], offsets[i + 1]
        q, qe = offsets[j], offsets[j + 1]
        while p < pe and q < qe:
            x = shingles[p]
            y = shingles[q]
            if x < y:
                p += 1
            elif y < x:
                q += 1
            else:
                shared[k] += 1
                if content[p] and content[q]:
                    shared_content[k] += 1
                p += 1
                q += 1
    return shared, shared_content


@njit(cache=True)
def mark_shared(offsets, shingles, content, pairs, need_content, out):  # type: ignore[no-untyped-def]
    for k in range(len(pairs)):
        i = pairs[k, 0]
        j = pairs[k, 1]
        p, pe = offsets[i], offsets[i + 1]
        q, qe = offsets[j], offsets[j + 1]
        while p < pe and q < qe:
            x = shingles[p]
            y = shingles[q]
            if x < y:
                p += 1
            elif y < x:
                q += 1
            else:
                if not need_content or (content[p] and content[q]):
                    out[p] = True
                    out[q] = True
                p += 1
                q += 1
