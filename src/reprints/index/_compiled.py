"""Compiled (numba) core of the containment index; see :mod:`reprints.index.postings`."""

from __future__ import annotations

import numpy as np

from reprints._numba_cache import njit  # numba.njit(cache=True), cached where writable


@njit()
def _radix_sort(keys, docs, pos, tmp_k, tmp_d, tmp_p, shift_bits):  # type: ignore[no-untyped-def]
    """Sort (keys, docs, pos) by key (stable, LSD radix on the low ``shift_bits`` bits)."""
    n = len(keys)
    counts = np.zeros(1 << 11, dtype=np.int64)
    shift = 0
    src_k, src_d, src_p, dst_k, dst_d, dst_p = keys, docs, pos, tmp_k, tmp_d, tmp_p
    swapped = False
    while shift < shift_bits:
        counts[:] = 0
        for i in range(n):
            counts[(src_k[i] >> shift) & 0x7FF] += 1
        total = 0
        for b in range(1 << 11):
            c = counts[b]
            counts[b] = total
            total += c
        for i in range(n):
            b = (src_k[i] >> shift) & 0x7FF
            j = counts[b]
            counts[b] += 1
            dst_k[j] = src_k[i]
            dst_d[j] = src_d[i]
            dst_p[j] = src_p[i]
        src_k, src_d, src_p, dst_k, dst_d, dst_p = dst_k, dst_d, dst_p, src_k, src_d, src_p
        swapped = not swapped
        shift += 11
    return swapped


@njit()
def index_partition(  # type: ignore[no-untyped-def]
    samples, offsets, include, coarse_bits, part, max_postings, sample_df, n_docs
):
    """The pairs sharing keys of one coarse key range, sorted, with their counts packed as
    ``shared << 32 | keys from short posting lists``; writes the document frequency of the range's
    samples into ``sample_df``."""
    shift = np.uint32(32 - coarse_bits)
    count = 0
    for d in range(len(offsets) - 1):
        if include[d]:
            for i in range(offsets[d], offsets[d + 1]):
                if coarse_bits == 0 or (samples[i] >> shift) == part:
                    count += 1
    keys = np.empty(count, dtype=np.uint32)
    docs = np.empty(count, dtype=np.uint32)
    pos = np.empty(count, dtype=np.uint32)
    at = 0
    for d in range(len(offsets) - 1):
        if not include[d]:
            continue
        for i in range(offsets[d], offsets[d + 1]):
            if coarse_bits == 0 or (samples[i] >> shift) == part:
                keys[at] = samples[i]
                docs[at] = d
                pos[at] = i
                at += 1
    tmp_k = np.empty(count, dtype=np.uint32)
    tmp_d = np.empty(count, dtype=np.uint32)
    tmp_p = np.empty(count, dtype=np.uint32)
    if _radix_sort(keys, docs, pos, tmp_k, tmp_d, tmp_p, 32 - coarse_bits):
        keys, docs, pos = tmp_k, tmp_d, tmp_p
    groups = 0
    for i in range(count):
        if i == 0 or keys[i] != keys[i - 1]:
            groups += 1
    bounds = np.empty(groups + 1, dtype=np.int64)
    g = 0
    for i in range(count):
        if i == 0 or keys[i] != keys[i - 1]:
            bounds[g] = i
            g += 1
    bounds[groups] = count
    total = 0
    for g in range(groups):
        size = bounds[g + 1] - bounds[g]
        total += size - 1 if size > max_postings else size * (size - 1) // 2
    codes = np.empty(total, dtype=np.int64)
    at = 0
    for g in range(groups):
        start, stop = bounds[g], bounds[g + 1]
        size = stop - start
        df = min(size, 255)
        for i in range(start, stop):
            sample_df[pos[i]] = df
        if size > max_postings:
            a = np.int64(docs[start])
            for j in range(start + 1, stop):
                b = np.int64(docs[j])
                codes[at] = (min(a, b) * n_docs + max(a, b)) * 2 + 1
                at += 1
        elif size > 1:
            for i in range(start, stop):
                for j in range(i + 1, stop):
                    a, b = np.int64(docs[i]), np.int64(docs[j])
                    codes[at] = (min(a, b) * n_docs + max(a, b)) * 2
                    at += 1
    codes.sort()
    m = 0
    for i in range(len(codes)):
        if i == 0 or (codes[i] >> 1) != (codes[i - 1] >> 1):
            m += 1
    pairs = np.empty(m, dtype=np.int64)
    packed = np.zeros(m, dtype=np.int64)
    k = -1
    for i in range(len(codes)):
        if i == 0 or (codes[i] >> 1) != (codes[i - 1] >> 1):
            k += 1
            pairs[k] = codes[i] >> 1
        packed[k] += (1 << 32) + (1 - (codes[i] & 1))
    return pairs, packed
