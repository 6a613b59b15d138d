"""Compiled (numba) kernels of verification: merges of sorted shingle sets (:mod:`.overlap`),
copied passages (:mod:`.runs`)."""

from __future__ import annotations

import types
from typing import Any

import numpy as np

from reprints._numba_cache import njit  # numba.njit(cache=True), cached where writable
from reprints.evidence import runs


@njit()
def merge_pairs(offsets, shingles, content, pairs, mode, out):  # type: ignore[no-untyped-def]
    """For each pair, merge the two sorted sets: count shared shingles and those content in both;
    when ``out`` is not empty, also set it at every shared position (``mode`` 0), at those
    content in both (1), or at those flagged in either document (2)."""
    m = len(pairs)
    mark = len(out) > 0
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
                both = content[p] and content[q]
                shared[k] += 1
                if both:
                    shared_content[k] += 1
                if mark and (
                    mode == 0 or (mode == 1 and both) or (mode == 2 and (content[p] or content[q]))
                ):
                    out[p] = True
                    out[q] = True
                p += 1
                q += 1
    return shared, shared_content


_KEY_MASK = np.uint64((1 << 47) - 1)
_ONE = np.uint64(1)
_TWO = np.uint64(2)
_BIG = np.iinfo(np.int64).max


@njit()
def fill_changed(values, positions, span):  # type: ignore[no-untyped-def]
    """``values`` (sampled frequencies of one document, in its order, at ``positions``) with
    every stretch of 1s lying between two recurring samples at most ``span`` positions apart
    set to the lower of the two: a changed word inside recurring text (a typo, an OCR error)
    is not the document's own text."""
    out = values.copy()
    n = len(values)
    k = 0
    while k < n:
        if values[k] != 1:
            k += 1
            continue
        j = k
        while j < n and values[j] == 1:
            j += 1
        flanked = k > 0 and j < n and values[k - 1] >= 2 and values[j] >= 2
        if flanked and positions[j] - positions[k - 1] <= span:
            low = min(values[k - 1], values[j])
            for x in range(k, j):
                out[x] = low
        k = j
    return out


@njit()
def restore_passages(keep, est, size, min_passage, template_ratio, long_passage):  # type: ignore[no-untyped-def]
    """Set ``keep`` over every recurring run that is a passage, not a template block; see
    :func:`reprints.evidence.boilerplate.passage_runs`."""
    template = 0
    i = 0
    while i < size and not keep[i]:  # the run at the top of the page
        template = max(template, est[i])
        i += 1
    i = size - 1
    while i >= 0 and not keep[i]:  # the run at the bottom
        template = max(template, est[i])
        i -= 1
    i = 0
    while i < size:
        if keep[i]:
            i += 1
            continue
        j = i
        top = 0
        while j < size and not keep[j]:
            top = max(top, est[j])
            j += 1
        with_template = template > 0 and template_ratio * top >= template
        if long_passage > 0 and j - i >= long_passage and top > template_ratio * template:
            with_template = False  # far more often than this site's template: reused prose
        if i > 0 and j < size and j - i >= min_passage and not with_template:
            for k in range(i, j):
                keep[k] = True
        i = j


@njit()
def block_content(  # type: ignore[no-untyped-def]
    shingles,
    offsets,
    sample_offsets,
    samples,
    sample_df,
    rate_mask,
    min_df,
    ratio,
    quantile,
    min_share,
    min_passage,
    template_ratio,
    long_passage,
    edge_ratio,
    changed_span,
):
    nd = len(offsets) - 1
    out_offsets = np.zeros(nd + 1, dtype=np.int64)
    unique = np.empty(len(shingles), dtype=np.uint64)
    content = np.empty(len(shingles), dtype=np.bool_)
    inner = np.empty(len(shingles), dtype=np.bool_)
    longest = 1
    for d in range(nd):
        longest = max(longest, offsets[d + 1] - offsets[d])
    df = np.empty(longest, dtype=np.int64)
    sampled = np.empty(longest, dtype=np.bool_)
    sdf = np.empty(longest, dtype=np.int64)  # int64: one sort routine compiled for all kernels
    spos = np.empty(longest, dtype=np.int64)
    left = np.empty(longest, dtype=np.int64)
    codes = np.empty(longest, dtype=np.uint64)
    at = 0
    for d in range(nd):
        s = offsets[d]
        size = offsets[d + 1] - s
        ss = sample_offsets[d]
        se = sample_offsets[d + 1]
        ns = 0
        top = 0
        for i in range(size):
            x = shingles[s + i]
            if (x & rate_mask) == 0:
                key = np.uint32(x >> np.uint64(32))
                lo, hi = ss, se
                while lo < hi:
                    mid = (lo + hi) // 2
                    if samples[mid] < key:
                        lo = mid + 1
                    else:
                        hi = mid
                value = 1
                if lo < se and samples[lo] == key:
                    value = np.int64(sample_df[lo])
                df[i] = value
                sampled[i] = True
                sdf[ns] = value
                spos[ns] = i
                ns += 1
                top = max(top, value)
            else:
                sampled[i] = False
        last = _BIG
        for i in range(size):
            if sampled[i]:
                last = df[i]
            left[i] = last
        base = 1.0
        if ns > 0:
            v = np.sort(fill_changed(sdf[:ns], spos[:ns], changed_span))
            h = quantile * (ns - 1)
            lo_i = np.int64(np.floor(h))
            hi_i = min(lo_i + 1, ns - 1)
            base = v[lo_i] + (h - lo_i) * (v[hi_i] - v[lo_i])
        threshold = max(float(min_df), ratio * base)
        nxt = _BIG
        for i in range(size - 1, -1, -1):
            if sampled[i]:
                nxt = df[i]
            est = min(left[i], nxt)
            if est == _BIG:
                est = 1
            left[i] = est  # reuse the buffers: the frequency and keep flag of position i
            sampled[i] = est < threshold
        if edge_ratio > 0:  # the run at the page's bottom, against a lower bar
            low = max(float(min_df), edge_ratio * base)
            i = size - 1
            while i >= 0 and left[i] >= low:
                sampled[i] = False
                i -= 1
        if min_passage > 0:
            restore_passages(sampled, left, size, min_passage, template_ratio, long_passage)
        kept = 0
        for i in range(size):
            kept += sampled[i]
        apply = top >= min_df and kept >= min_share * size
        first = size
        last = -1
        for i in range(size):
            if sampled[i] or not apply:
                first = min(first, i)
                last = i
        for i in range(size):
            bit = _ONE if (sampled[i] or not apply) else np.uint64(0)
            if first <= i <= last:  # not in the recurring run at the page's top or bottom
                bit |= _TWO
            codes[i] = ((shingles[s + i] & _KEY_MASK) << _TWO) | bit
        ordered = np.sort(codes[:size].view(np.int64)).view(np.uint64)  # the same order: < 2**49
        for i in range(size):
            if i == 0 or (ordered[i] >> _TWO) != (ordered[i - 1] >> _TWO):
                unique[at] = ordered[i] >> _TWO
                content[at] = False
                inner[at] = False
                at += 1
            content[at - 1] |= (ordered[i] & _ONE) == _ONE  # content if any occurrence is
            inner[at - 1] |= (ordered[i] & _TWO) == _TWO
        out_offsets[d + 1] = at
    return out_offsets, unique[:at].copy(), content[:at].copy(), inner[:at].copy()


def _compiled_copy(fn: Any, **calls: Any) -> Any:
    """``fn`` compiled, the functions it calls by name bound to their compiled versions (the
    plain module keeps its plain functions: the loops run as they are without numba)."""
    scope = {**fn.__globals__, **calls}
    return njit()(types.FunctionType(fn.__code__, scope, fn.__name__, fn.__defaults__))


# the copied passages of two texts (reprints.evidence.runs): the same loops, compiled
pair_runs = _compiled_copy(runs.pair_runs_loop)
covered = _compiled_copy(runs.covered)
added = _compiled_copy(runs._added, covered=covered)
pair_evidence = _compiled_copy(runs.evidence_loop, pair_runs_loop=pair_runs, _added=added)
components = _compiled_copy(runs.components_loop)
