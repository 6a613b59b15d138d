"""Where the tokens of prepared UTF-8 text lie, and their hashes: the one definition of a token.

A token (see :mod:`reprints.sketch.charclass` for the classes) is a run of ``WORD`` characters, or
one ``NOSPACE`` character. Inside a word, an apostrophe between two word characters is dropped
(``don't`` hashes as ``dont``), so is a soft hyphen (U+00AD, a hyphenation hint that no reader
sees), and so is a hyphen at a line end: hyphen, optional spaces or tabs,
optional CR, LF, optional spaces or tabs, then a word character (``reduc-\\ntion`` hashes as
``reduction``). A token's hash is the tabulation hash (:mod:`reprints.sketch.shingles`) of its kept
bytes, ASCII lower-cased.

The numpy backend of the fingerprint kernel (:mod:`reprints.sketch.kernel`) and the
offset-keeping tokenizer (:mod:`reprints.text.tokens`) both call :func:`token_spans` and
:func:`token_hashes`; the numba backend implements the same rules as one loop, and tests check
that all of them give the same hashes bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reprints.sketch import charclass as cc
from reprints.sketch import shingles as sh

SOFT_HYPHEN = 0xAD
"""A hyphenation hint, invisible: dropped inside a word (``Bundes\u00adregierung``), and like a
hyphen at a line end."""


@dataclass(frozen=True, slots=True)
class TokenSpans:
    """The tokens of prepared texts laid end to end in one buffer, in buffer order.

    Token ``t`` belongs to text ``doc[t]`` and covers bytes ``[start[t], end[t])`` of the
    buffer. Its hashed bytes are ``buf[kept[kept_offsets[t]:kept_offsets[t + 1]]]``: the span
    less the apostrophes and hyphen breaks dropped inside it.
    """

    doc: np.ndarray  # (t,) int64
    start: np.ndarray  # (t,) int64 byte offsets into the buffer
    end: np.ndarray  # (t,) int64
    kept: np.ndarray  # int64 buffer positions of every token's kept bytes, token after token
    kept_offsets: np.ndarray  # (t + 1,) int64, CSR over ``kept``

    def __len__(self) -> int:
        return len(self.doc)


def decode(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Code point, first byte and byte length of every character of a valid UTF-8 buffer.

    >>> [x.tolist() for x in decode(np.frombuffer("aé東".encode(), dtype=np.uint8))]
    [[97, 233, 26481], [0, 1, 3], [1, 2, 3]]
    """
    n = len(buf)
    start = np.flatnonzero((buf & 0xC0) != 0x80)
    if len(start) == n:  # no continuation bytes: ASCII
        return buf.astype(np.int64), start, np.ones(n, dtype=np.int64)
    length = np.diff(start, append=n)
    cp = buf[start].astype(np.int64)
    wide = np.flatnonzero(length > 1)
    at, size = start[wide], length[wide]
    value = cp[wide] & (0x7F >> size)  # the lead byte's payload: 5, 4 or 3 bits
    value = (value << 6) | (buf[at + 1] & 0x3F)
    for i in (2, 3):
        more = np.flatnonzero(size > i)
        value[more] = (value[more] << 6) | (buf[at[more] + i] & 0x3F)
    cp[wide] = value
    return cp, start, length


def token_spans(
    buf: np.ndarray, offsets: np.ndarray, table: np.ndarray | None = None
) -> TokenSpans:
    """The tokens of prepared texts laid end to end in ``buf`` (text ``i`` is
    ``buf[offsets[i]:offsets[i+1]]``, as :func:`reprints.sketch.kernel.prepare` makes it).

    >>> buf = np.frombuffer(b"it's a reduc-\\ntion", dtype=np.uint8)
    >>> spans = token_spans(buf, np.array([0, len(buf)]))
    >>> [bytes(buf[s:e]) for s, e in zip(spans.start, spans.end)]
    [b"it's", b'a', b'reduc-\\ntion']
    >>> bytes(buf[spans.kept[spans.kept_offsets[2] : spans.kept_offsets[3]]])
    b'reduction'
    """
    table = cc.char_table() if table is None else table
    cp, cstart, clen = decode(buf)
    cdoc = np.searchsorted(np.asarray(offsets, dtype=np.int64), cstart, side="right") - 1
    return char_token_spans(cp, cstart, clen, cdoc, table[cp] & cc.CLASS_MASK)


def char_token_spans(
    cp: np.ndarray, cstart: np.ndarray, clen: np.ndarray, cdoc: np.ndarray, cls: np.ndarray
) -> TokenSpans:
    """:func:`token_spans` over already decoded characters (code point, first byte, byte length,
    text, token class of each), for a caller that needs them for more than tokens."""
    nchar = len(cp)
    same_prev = np.zeros(nchar, dtype=bool)
    same_prev[1:] = cdoc[1:] == cdoc[:-1]
    prev_cls = np.full(nchar, -1, dtype=np.int64)
    prev_cls[1:] = cls[:-1]
    prev_cls[~same_prev] = -1
    next_cls = np.full(nchar, -1, dtype=np.int64)
    next_cls[:-1] = cls[1:]
    next_cls[:-1][~same_prev[1:]] = -1

    # characters dropped inside words: apostrophes, soft hyphens, and hyphen + line break
    inside = (prev_cls == cc.WORD) & (next_cls == cc.WORD)
    skip = inside & ((cls == cc.APOSTROPHE) | (cp == SOFT_HYPHEN))
    for h in np.flatnonzero((cls == cc.HYPHEN) & (prev_cls == cc.WORD)).tolist():
        q, end, doc = h + 1, nchar, cdoc[h]
        while q < end and cdoc[q] == doc and cp[q] in (32, 9):
            q += 1
        if q < end and cdoc[q] == doc and cp[q] == 13:
            q += 1
        if q < end and cdoc[q] == doc and cp[q] == 10:
            q += 1
            while q < end and cdoc[q] == doc and cp[q] in (32, 9):
                q += 1
            if q < end and cdoc[q] == doc and cls[q] == cc.WORD:
                skip[h:q] = True
    kept = ~skip
    k_cls, k_doc, k_start, k_len = cls[kept], cdoc[kept], cstart[kept], clen[kept]
    is_tok = (k_cls == cc.WORD) | (k_cls == cc.NOSPACE)
    k_prev = np.full(len(k_cls), -1, dtype=np.int64)
    k_prev[1:] = np.where(k_doc[1:] == k_doc[:-1], k_cls[:-1], -1)
    new_tok = is_tok & ((k_cls == cc.NOSPACE) | (k_prev != cc.WORD))
    t_doc, t_start, t_len = k_doc[is_tok], k_start[is_tok], k_len[is_tok]
    first = np.flatnonzero(new_tok[is_tok])  # each token's first character (in t_*)
    n_tok = len(first)
    last = np.append(first[1:], len(t_start))[:n_tok] - 1

    # the kept bytes of every token, token after token
    total_bytes = int(t_len.sum())
    before = np.cumsum(t_len) - t_len
    byte_idx = np.arange(total_bytes) - np.repeat(before, t_len) + np.repeat(t_start, t_len)
    kept_offsets = np.zeros(n_tok + 1, dtype=np.int64)
    kept_offsets[:-1] = before[first]
    kept_offsets[-1] = total_bytes
    return TokenSpans(
        doc=t_doc[first].astype(np.int64),
        start=t_start[first].astype(np.int64),
        end=(t_start[last] + t_len[last]).astype(np.int64),
        kept=byte_idx.astype(np.int64),
        kept_offsets=kept_offsets,
    )


_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[65:91] += 32  # ASCII upper case -> lower case


def token_hashes(buf: np.ndarray, spans: TokenSpans, tab: np.ndarray | None = None) -> np.ndarray:
    """The uint64 hash of every token: tabulation over its kept bytes, ASCII lower-cased.

    >>> buf = np.frombuffer(b"Don't DONT", dtype=np.uint8)
    >>> h = token_hashes(buf, token_spans(buf, np.array([0, len(buf)])))
    >>> h[0] == h[1] == np.uint64(sh.token_hash(b"dont"))
    np.True_
    """
    tab = sh.byte_table() if tab is None else tab
    n_tok = len(spans)
    if n_tok == 0:
        return np.empty(0, dtype=np.uint64)
    total_bytes = len(spans.kept)
    tok_first_byte = spans.kept_offsets[:-1]
    tok_bytes = np.diff(spans.kept_offsets)
    pos = np.arange(total_bytes) - np.repeat(tok_first_byte, tok_bytes)
    values = _LOWER[buf[spans.kept]]
    if tok_bytes.max() <= sh.TABLE_POSITIONS and tab.shape == (sh.TABLE_POSITIONS, 256):
        parts = tab.reshape(-1)[(pos << 8) | values]  # no position needs rotating
    else:
        parts = sh.rotl(tab[pos % sh.TABLE_POSITIONS, values], (pos // sh.TABLE_POSITIONS) % 64)
    with np.errstate(over="ignore"):
        xor = np.bitwise_xor.reduceat(parts, tok_first_byte)
        return sh.mix64(xor ^ (tok_bytes.astype(np.uint64) * sh.GOLDEN))
