"""The numba backend of :mod:`reprints.sketch.kernel`: one compiled pass per batch of texts.

Importing this module needs numba; :mod:`reprints.sketch.kernel` falls back to numpy otherwise.
Every definition here mirrors the numpy backend exactly (tests compare them bit for bit).
"""

from __future__ import annotations

import numpy as np

from reprints._numba_cache import njit  # numba.njit(cache=True), cached where writable
from reprints.sketch.charclass import APOSTROPHE as _APOS
from reprints.sketch.charclass import CLASS_MASK as _CLASS
from reprints.sketch.charclass import HYPHEN as _HYPHEN
from reprints.sketch.charclass import NOSPACE as _NOSPACE
from reprints.sketch.charclass import TERMINAL as _TERMINAL
from reprints.sketch.charclass import WHITESPACE as _SPACE
from reprints.sketch.charclass import WORD as _WORD
from reprints.sketch.shingles import GOLDEN as _GOLDEN
from reprints.sketch.shingles import K_EXACT_1 as _K1
from reprints.sketch.shingles import K_EXACT_2 as _K2
from reprints.sketch.shingles import K_EXACT_3 as _K3
from reprints.sketch.shingles import M1 as _M1
from reprints.sketch.shingles import M2 as _M2

_U27, _U30, _U31, _U32, _U64 = (np.uint64(x) for x in (27, 30, 31, 32, 64))


@njit(inline="always")
def _mix(x: np.uint64) -> np.uint64:
    x ^= x >> _U30
    x *= _M1
    x ^= x >> _U27
    x *= _M2
    x ^= x >> _U31
    return x


@njit(inline="always")
def _decode(buf: np.ndarray, pos: int) -> tuple[int, int]:
    b0 = np.int64(buf[pos])
    if b0 < 0x80:
        return b0, 1
    if b0 < 0xE0:
        return ((b0 & 0x1F) << 6) | (np.int64(buf[pos + 1]) & 0x3F), 2
    if b0 < 0xF0:
        return (
            ((b0 & 0x0F) << 12)
            | ((np.int64(buf[pos + 1]) & 0x3F) << 6)
            | (np.int64(buf[pos + 2]) & 0x3F)
        ), 3
    return (
        ((b0 & 0x07) << 18)
        | ((np.int64(buf[pos + 1]) & 0x3F) << 12)
        | ((np.int64(buf[pos + 2]) & 0x3F) << 6)
        | (np.int64(buf[pos + 3]) & 0x3F)
    ), 4


@njit(inline="always")
def _add_bytes(
    buf: np.ndarray, pos: int, length: int, h: np.uint64, n: int, tab: np.ndarray
) -> tuple[np.uint64, int]:
    for q in range(pos, pos + length):
        v = np.int64(buf[q])
        if 65 <= v <= 90:
            v += 32
        x = tab[n & 63, v]
        r = np.uint64((n >> 6) & 63)
        if r:
            x = (x << r) | (x >> (_U64 - r))
        h ^= x
        n += 1
    return h, n


@njit(inline="always")
def _finish(h: np.uint64, n: int) -> np.uint64:
    return _mix(h ^ (np.uint64(n) * _GOLDEN))


@njit()
def _tokens(
    buf: np.ndarray,
    s: int,
    e: int,
    table: np.ndarray,
    tab: np.ndarray,
    out: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> int:
    """Hash the tokens of ``buf[s:e]`` into ``out``; where ``starts`` is as long as ``out``,
    also record each token's ``[start, end)`` byte offsets (into ``buf``) in ``starts``/``ends``.
    Returns the number of tokens."""
    spans = len(starts) >= len(out)
    nt = 0
    pos = s
    in_tok = False
    h = np.uint64(0)
    ln = 0
    first = s
    while pos < e:
        b0 = buf[pos]
        if b0 < 0x80 and in_tok and (table[b0] & _CLASS) == _WORD:  # fast path: ASCII word
            v = np.int64(b0) + 32 if 65 <= b0 <= 90 else np.int64(b0)
            x = tab[ln & 63, v]
            if ln >= 64:
                r = np.uint64((ln >> 6) & 63)
                if r:
                    x = (x << r) | (x >> (_U64 - r))
            h ^= x
            ln += 1
            pos += 1
            continue
        c, size = _decode(buf, pos)
        cls = table[c] & _CLASS
        if cls == _WORD:
            if not in_tok:
                in_tok = True
                h = np.uint64(0)
                ln = 0
                first = pos
            h, ln = _add_bytes(buf, pos, size, h, ln, tab)
            pos += size
            continue
        if in_tok:
            if cls == _APOS and pos + size < e:
                c2, _ = _decode(buf, pos + size)
                if table[c2] & _CLASS == _WORD:
                    pos += size
                    continue
            elif cls == _HYPHEN:
                if c == 0xAD and pos + size < e:  # a soft hyphen inside a word: invisible
                    c2, _ = _decode(buf, pos + size)
                    if table[c2] & _CLASS == _WORD:
                        pos += size
                        continue
                q = pos + size
                while q < e and (buf[q] == 32 or buf[q] == 9):
                    q += 1
                if q < e and buf[q] == 13:
                    q += 1
                if q < e and buf[q] == 10:
                    q += 1
                    while q < e and (buf[q] == 32 or buf[q] == 9):
                        q += 1
                    if q < e:
                        c2, _ = _decode(buf, q)
                        if table[c2] & _CLASS == _WORD:
                            pos = q
                            continue
            out[nt] = _finish(h, ln)
            if spans:
                starts[nt] = first
                ends[nt] = pos
            nt += 1
            in_tok = False
        if cls == _NOSPACE:
            h2, ln2 = _add_bytes(buf, pos, size, np.uint64(0), 0, tab)
            out[nt] = _finish(h2, ln2)
            if spans:
                starts[nt] = pos
                ends[nt] = pos + size
            nt += 1
        pos += size
    if in_tok:
        out[nt] = _finish(h, ln)
        if spans:
            starts[nt] = first
            ends[nt] = e
        nt += 1
    return nt


@njit(inline="always")
def _shingle_row(toks: np.ndarray, nt: int, mult: np.ndarray, out: np.ndarray, at: int) -> int:
    """The ``len(mult)``-shingle hashes of ``toks[:nt]`` written at ``out[at:]`` (a text of
    fewer tokens: one shingle of them all); returns how many."""
    if nt == 0:
        return 0
    width = min(len(mult), nt)
    count = nt - width + 1
    for i in range(count):
        acc = np.uint64(0)
        for j in range(width):
            acc += toks[i + j] * mult[j]
        out[at + i] = _mix(acc)
    return count


@njit()
def _clean(buf: np.ndarray, s: int, e: int, table: np.ndarray) -> tuple[int, int]:
    clean = 0
    total = 0
    ci = 0
    first = -1
    last = -1
    last_flags = 0
    words = 0
    prev_space = True
    pos = s
    while pos <= e:
        if pos == e:
            c, size = 10, 1  # close the last line
        elif buf[pos] < 0x80:
            c, size = np.int64(buf[pos]), 1
        else:
            c, size = _decode(buf, pos)
        if c == 10:
            if first >= 0:
                length = last - first + 1
                total += length
                if words <= 12 or (last_flags & _TERMINAL):
                    clean += length
            first = -1
            words = 0
            prev_space = True
        else:
            flags = table[c]
            if flags & _SPACE:
                prev_space = True
            else:
                if first < 0:
                    first = ci
                last = ci
                last_flags = flags
                if prev_space:
                    words += 1
                prev_space = False
        ci += 1
        pos += size
    return clean, total


@njit()
def sketch_kernel(buf, offsets, table, tab, mult, a, b, rate_mask):  # type: ignore[no-untyped-def]
    n = len(offsets) - 1
    num_perm = len(a)
    signatures = np.full((n, num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    exact = np.zeros((n, 2), dtype=np.uint64)
    n_tokens = np.zeros(n, dtype=np.int64)
    clean = np.zeros((n, 2), dtype=np.int64)
    sh_offsets = np.zeros(n + 1, dtype=np.int64)
    sm_offsets = np.zeros(n + 1, dtype=np.int64)
    shingles = np.empty(len(buf) + 1, dtype=np.uint64)
    samples = np.empty(len(buf) + 1, dtype=np.uint32)
    longest = 1
    for d in range(n):
        longest = max(longest, offsets[d + 1] - offsets[d] + 1)
    toks = np.empty(longest, dtype=np.uint64)
    no_spans = np.empty(0, dtype=np.int64)
    keys = np.empty(longest, dtype=np.int64)  # int64: one sort routine compiled for all kernels
    sh_at = 0
    sm_at = 0
    for d in range(n):
        s = offsets[d]
        e = offsets[d + 1]
        nt = _tokens(buf, s, e, table, tab, toks, no_spans, no_spans)
        n_tokens[d] = nt
        # exact hash
        h1 = np.uint64(0)
        h2 = np.uint64(0)
        for i in range(nt):
            i1 = np.uint64(i + 1)
            h1 += _mix(toks[i] + i1 * _K1)
            h2 += _mix(toks[i] ^ (i1 * _K2))
        exact[d, 0] = _mix(h1 ^ np.uint64(nt))
        exact[d, 1] = _mix(h2 + np.uint64(nt) * _K3)
        # shingles in document order
        count = _shingle_row(toks, nt, mult, shingles, sh_at)
        # signature: every permutation's minimum (the inner loop runs over permutations, in SIMD)
        row = shingles[sh_at : sh_at + count]
        sig = signatures[d]
        for i in range(count):
            x = row[i]
            for p in range(num_perm):
                v = np.uint32((a[p] * x + b[p]) >> _U32)
                sig[p] = min(sig[p], v)
        # sampled keys, sorted unique
        ns = 0
        for i in range(count):
            x = row[i]
            if (x & rate_mask) == 0:
                keys[ns] = np.int64(x >> _U32)
                ns += 1
        if ns:
            ordered = np.sort(keys[:ns])
            samples[sm_at] = ordered[0]
            u = 1
            for i in range(1, ns):
                if ordered[i] != ordered[i - 1]:
                    samples[sm_at + u] = ordered[i]
                    u += 1
            ns = u
        sh_at += count
        sm_at += ns
        sh_offsets[d + 1] = sh_at
        sm_offsets[d + 1] = sm_at
        c_clean, c_total = _clean(buf, s, e, table)
        clean[d, 0] = c_clean
        clean[d, 1] = c_total
    return (
        signatures,
        exact,
        n_tokens,
        clean,
        sh_offsets,
        shingles[:sh_at].copy(),
        sm_offsets,
        samples[:sm_at].copy(),
    )


@njit()
def token_kernel(buf, offsets, table, tab, mult):  # type: ignore[no-untyped-def]
    """Each text's shingle hashes in document order with the byte span of every shingle
    (first token's start, last token's end, relative to the text): CSR over the returned
    offsets. The same tokens and hashes as :func:`sketch_kernel`."""
    n = len(offsets) - 1
    k = len(mult)
    longest = 1
    for d in range(n):
        longest = max(longest, offsets[d + 1] - offsets[d] + 1)
    toks = np.empty(longest, dtype=np.uint64)
    starts = np.empty(longest, dtype=np.int64)
    ends = np.empty(longest, dtype=np.int64)
    sh_offsets = np.zeros(n + 1, dtype=np.int64)
    shingles = np.empty(len(buf) + 1, dtype=np.uint64)
    sh_start = np.empty(len(buf) + 1, dtype=np.int64)
    sh_end = np.empty(len(buf) + 1, dtype=np.int64)
    at = 0
    for d in range(n):
        s = offsets[d]
        nt = _tokens(buf, s, offsets[d + 1], table, tab, toks, starts, ends)
        count = _shingle_row(toks, nt, mult, shingles, at)
        width = min(k, nt)
        for i in range(count):
            sh_start[at + i] = starts[i] - s
            sh_end[at + i] = ends[i + width - 1] - s
        at += count
        sh_offsets[d + 1] = at
    return sh_offsets, shingles[:at].copy(), sh_start[:at].copy(), sh_end[:at].copy()


@njit(inline="always")
def _blank(b: int) -> bool:
    """An ASCII byte ``str.isspace`` holds white space (tab to carriage return, the four
    separators 0x1c-0x1f, space)."""
    return (9 <= b <= 13) or (28 <= b <= 32)


@njit(inline="always")
def _wordy(b: int) -> bool:
    return (48 <= b <= 57) or (65 <= b <= 90) or (97 <= b <= 122) or b == 95


@njit(inline="always")
def _closer(b: int) -> bool:
    """An ASCII closing bracket or quote: ``)``, ``"``, ``'``, ``]``."""
    return b == 41 or b == 34 or b == 39 or b == 93


@njit()
def passage_kernel(buf, offsets, max_chars):  # type: ignore[no-untyped-def]
    """The passages of each of a batch of ASCII texts (:func:`reprints.text.passages.passages`,
    exactly): each line less the white space around it, a line longer than ``max_chars`` cut
    after every sentence end (``.``, ``!`` or ``?``, closing quotes and brackets, then white
    space; not after a capital letter alone, an initial). CSR over the returned offsets, spans
    relative to each text."""
    n = len(offsets) - 1
    cap = len(buf) // 2 + n + 1
    starts = np.empty(cap, dtype=np.int64)
    ends = np.empty(cap, dtype=np.int64)
    counts = np.zeros(n + 1, dtype=np.int64)
    m = 0
    for d in range(n):
        s, e = offsets[d], offsets[d + 1]
        pos = s
        while pos < e:
            line_end = pos
            while line_end < e and buf[line_end] != 10:
                line_end += 1
            a = pos
            while a < line_end and _blank(buf[a]):
                a += 1
            b = line_end
            while b > a and _blank(buf[b - 1]):
                b -= 1
            pos = line_end + 1
            if a >= b:
                continue
            if b - a <= max_chars:
                starts[m] = a - s
                ends[m] = b - s
                m += 1
                continue
            at = a
            p = a
            while p < b:
                c = buf[p]
                if c == 46 or c == 33 or c == 63:
                    initial = p - 1 >= s and 65 <= buf[p - 1] <= 90
                    initial = initial and (p - 2 < s or not _wordy(buf[p - 2]))
                    if not initial:
                        q = p + 1
                        while q < b and _closer(buf[q]):
                            q += 1
                        r = q
                        while r < b and _blank(buf[r]):
                            r += 1
                        if r > q:  # a sentence ends at q; the next starts at r
                            lo, hi = at, q
                            if at == a:
                                while lo < hi and _blank(buf[lo]):
                                    lo += 1
                                while hi > lo and _blank(buf[hi - 1]):
                                    hi -= 1
                            starts[m] = lo - s
                            ends[m] = hi - s
                            m += 1
                            at = r
                            p = r
                            continue
                p += 1
            lo, hi = at, b
            while lo < hi and _blank(buf[lo]):
                lo += 1
            while hi > lo and _blank(buf[hi - 1]):
                hi -= 1
            if lo < hi:
                starts[m] = lo - s
                ends[m] = hi - s
                m += 1
        counts[d + 1] = m
    return counts, starts[:m].copy(), ends[:m].copy()
