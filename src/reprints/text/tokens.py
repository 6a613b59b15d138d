"""The fingerprint kernel's tokens of one text, with exact character offsets into the original.

The kernel (:mod:`reprints.sketch.kernel`) tokenises ``prepare(text)``: NFKC, look-alike letters
and zero-width characters read as what they show, case folding (``kernel.fold``),
whose positions are not the original's, since NFKC changes lengths (``ﬁ`` -> ``fi``, ``½`` ->
``1⁄2``) and composes across characters (``e`` + U+0301 -> ``é``, Hangul jamo -> syllables). So
the text is cut into chunks, each chunk is prepared alone, and each prepared byte remembers its
chunk. The prepared chunks laid end to end must equal ``prepare(text)`` byte for byte: that is
checked on every call, finest chunks first (every character a chunk), then chunks cut only where
NFKC cannot reach across (before a character that is not a mark, has combining class 0, and neither
is nor decomposes to a mark or a conjoining jamo), then coarser ones, which keep the tokens exact
and widen their offsets to the enclosing chunk. A chunk that prepares to itself (a Thai or
Devanagari cluster) maps character by character. The tokens are found by the kernel's own
:func:`reprints.sketch.tokens.token_spans` on the prepared bytes, and their byte spans mapped back
to the first and last chunk they touch. An ASCII text maps one to one.

One original character (or chunk) can prepare to several tokens (``㏂`` -> ``a.m.``, ``½`` ->
``1⁄2``): those tokens all cover it, so the spans of neighbouring tokens overlap there and
nowhere else.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np

from reprints.sketch import charclass as cc
from reprints.sketch import shingles as sh
from reprints.sketch.kernel import compiled_module, fold, plain, prepare, unmangled_units
from reprints.sketch.markup import escape_spans, unmarked
from reprints.sketch.tokens import TokenSpans, token_hashes, token_spans

__all__ = ["ShingleSpans", "Tokens", "shingle_spans", "shingle_spans_many", "tokenize"]


@dataclass(frozen=True, slots=True)
class Tokens:
    """The tokens of one text, in order: token ``i`` is ``text[start[i]:end[i]]`` as written
    (an apostrophe or a line-end hyphen inside it included, quotes around it not), and
    ``hashes[i]`` is the uint64 the fingerprint kernel hashes it to.

    >>> t = tokenize("Driver’s ＡＢＣ")
    >>> t.written, t.forms
    (['Driver’s', 'ＡＢＣ'], ['drivers', 'abc'])
    """

    text: str
    start: np.ndarray  # (n,) int64 character offsets into ``text``
    end: np.ndarray  # (n,) int64, exclusive
    hashes: np.ndarray  # (n,) uint64
    prepared: bytes  # prepare(text): the bytes the kernel reads
    spans: TokenSpans  # where each token lies in ``prepared``

    def __len__(self) -> int:
        return len(self.hashes)

    @property
    def written(self) -> list[str]:
        """Each token as written in the original text."""
        return [self.text[s:e] for s, e in zip(self.start.tolist(), self.end.tolist(), strict=True)]

    @property
    def forms(self) -> list[str]:
        """Each token as hashed: its prepared bytes less the dropped apostrophes and hyphen
        breaks, ASCII lower-cased (``token_hash(form.encode()) == hashes[i]``)."""
        kept = np.frombuffer(self.prepared, dtype=np.uint8)[self.spans.kept].tobytes().lower()
        bounds = self.spans.kept_offsets.tolist()
        return [kept[a:b].decode("utf-8", "surrogatepass") for a, b in pairwise(bounds)]

    def shingle_hashes(self, k: int) -> np.ndarray:
        """The kernel's ``k``-shingle hashes of this text, in document order.

        >>> len(tokenize("a rose is a rose").shingle_hashes(3))
        3
        """
        return sh.shingle_hashes(self.hashes, k)


def tokenize(text: str) -> Tokens:
    """The fingerprint kernel's tokens of ``text``, with ``[start, end)`` offsets into it.

    >>> text = "The “quick” reduc-\\ntion, 東京"
    >>> t = tokenize(text)
    >>> t.forms
    ['the', 'quick', 'reduction', '东', '京']
    >>> t.start.tolist(), t.end.tolist()
    ([0, 5, 12, 25, 26], [3, 10, 23, 26, 27])
    >>> text[12:23]
    'reduc-\\ntion'
    """
    shown = unmarked(text)  # markup blanked, every character where it was
    prepared = prepare(shown, shown=True)
    buf = np.frombuffer(prepared, dtype=np.uint8)
    spans = token_spans(buf, np.array([0, len(buf)], dtype=np.int64))
    hashes = token_hashes(buf, spans)
    if plain(shown):  # prepared as is: byte i is character i
        start, end = spans.start, spans.end
    else:
        c_start, c_end, b_off = _chunks(shown, prepared)
        start = c_start[np.searchsorted(b_off, spans.start, side="right") - 1]
        end = c_end[np.searchsorted(b_off, spans.end - 1, side="right") - 1]
        escapes = escape_spans(text)
        if escapes:  # a token reading escaped characters spans their escapes as written
            lo, hi = np.arange(len(text) + 1), np.arange(len(text) + 1)
            for a, b in escapes:  # padding, then the characters at the run's end
                lo[a:b], hi[a + 1 : b + 1] = a, b
            start, end = lo[start], hi[end]
    return Tokens(text, start, end, hashes, prepared, spans)


def shingle_spans(tokens: Tokens, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``[start, end)`` character offsets of every ``k``-shingle of ``tokens``, in the order of
    :meth:`Tokens.shingle_hashes`: shingle ``i`` covers tokens ``i .. i+k-1``; a text of fewer
    than ``k`` tokens has one shingle of all of them, an empty text none.

    >>> text = "One two three four"
    >>> starts, ends = shingle_spans(tokenize(text), 3)
    >>> [text[s:e] for s, e in zip(starts, ends)]
    ['One two three', 'two three four']
    """
    n = len(tokens)
    if n == 0:
        return tokens.start[:0], tokens.end[:0]
    width = min(k, n)
    count = n - width + 1
    return tokens.start[:count], tokens.end[width - 1 : width - 1 + count]


@dataclass(frozen=True, slots=True)
class ShingleSpans:
    """One text's ``k``-shingle hashes in document order, each with the ``[start, end)``
    character offsets of the words it covers."""

    hashes: np.ndarray  # (n,) uint64
    start: np.ndarray  # (n,) int64
    end: np.ndarray  # (n,) int64


AsciiBatch = tuple[list[int], np.ndarray, np.ndarray]


def ascii_batch(texts: list[str]) -> AsciiBatch:
    """The plain ASCII ``texts`` for a compiled pass (a character is a byte): their rows, their
    bytes concatenated (markup blanked) and each one's start (CSR offsets).

    >>> rows, buf, offsets = ascii_batch(["ab", "é", "c<p>d</p>"])
    >>> rows, bytes(buf), offsets.tolist()
    ([0, 2], b'abc   d    ', [0, 2, 11])
    """
    shown = list(map(unmarked, texts))
    rows = [i for i, t in enumerate(shown) if plain(t)]
    data = [shown[i].encode("ascii") for i in rows]
    offsets = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    return rows, np.frombuffer(b"".join(data), dtype=np.uint8), offsets


def shingle_spans_many(
    texts: list[str], k: int, batch: AsciiBatch | None = None
) -> list[ShingleSpans]:
    """:func:`shingle_spans` and the shingle hashes of many texts at once: plain ASCII texts in
    one compiled pass (a prepared ASCII text's byte ``i`` is its character ``i``), the others
    through :func:`tokenize`. ``batch``: :func:`ascii_batch` of ``texts``, where the caller
    made it already (for :func:`reprints.text.passages.passages_many` too).

    >>> [s.end.tolist() for s in shingle_spans_many(["one two three", "één twee"], 2)]
    [[7, 13], [8]]
    """
    out: list[ShingleSpans | None] = [None] * len(texts)
    compiled = compiled_module("sketch._compiled")
    if compiled is not None:
        ascii_rows, buf, offsets = batch or ascii_batch(texts)
    else:
        ascii_rows, buf, offsets = [], None, None
    if ascii_rows:
        mult = sh.position_multipliers(k)
        sh_off, hashes, start, end = compiled.token_kernel(
            buf, offsets, cc.char_table(), sh.byte_table(), mult
        )
        for row, lo, hi in zip(ascii_rows, sh_off[:-1].tolist(), sh_off[1:].tolist(), strict=True):
            out[row] = ShingleSpans(hashes[lo:hi], start[lo:hi], end[lo:hi])
    for i, text in enumerate(texts):
        if out[i] is None:
            tokens = tokenize(text)
            starts, ends = shingle_spans(tokens, k)
            out[i] = ShingleSpans(tokens.shingle_hashes(k), starts, ends)
    return out  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# prepared bytes -> original characters


@lru_cache(maxsize=1 << 16)
def _char_info(code: int) -> tuple[str, bool, bool]:
    """A character prepared alone, whether a chunk may start at it, and whether it is a mark."""
    char = chr(code)
    return _prepare_short(char), _may_start_chunk(char), unicodedata.category(char)[0] == "M"


def _may_start_chunk(char: str) -> bool:
    """Whether NFKC never reaches across a boundary just before ``char``: NFKC reorders marks and
    composes a character with the marks or conjoining jamo after it, so a boundary is safe before
    a character that is none of those and does not decompose into one."""
    if unicodedata.combining(char) or unicodedata.category(char).startswith("M"):
        return False
    code = ord(char)
    if 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:  # vowel and final jamo
        return False
    decomposed = unicodedata.normalize("NFKD", char)
    return decomposed == char or _may_start_chunk(decomposed[0])


def _chunks(text: str, prepared: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Chunk ``c`` is ``text[start[c]:end[c]]`` and prepares to ``prepared[off[c]:off[c+1]]``.

    Tried in turn until the chunks, prepared alone and laid end to end, give ``prepared``:
    every character a chunk with the marks after it (it fits unless NFKC composes or reorders
    somewhere); chunks cut
    at the safe boundaries of :func:`_may_start_chunk`; every character a chunk but
    stretches of HTML references and mojibake (:func:`reprints.sketch.kernel.unmangled_units`);
    chunks cut only before ASCII characters
    (NFKC leaves them alone and composes nothing with them); the whole text as one chunk, which
    always fits. A chunk that prepares to itself is then split into its characters.
    """
    n = len(text)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    goal = np.frombuffer(
        prepared.decode("utf-8", "surrogatepass").encode("utf-32-le", "surrogatepass"),
        dtype=np.uint32,
    )
    unique, inverse = np.unique(codes, return_inverse=True)
    infos = [_char_info(c) for c in unique.tolist()]
    safe = np.array([s for _, s, _ in infos], dtype=bool)[inverse]
    # a mark stays with the character before it even where it prepares to nothing (a dropped
    # diacritic): the word's span keeps its accents
    no_mark = ~np.array([m for _, _, m in infos], dtype=bool)[inverse]

    def whole() -> np.ndarray:
        # HTML references and mojibake are read as the characters they stand for: never cut
        # inside a stretch of them (:func:`reprints.sketch.kernel.unmangled_units`); read only
        # where the finer cuts failed
        cuts = no_mark.copy()
        for m in unmangled_units(text):
            cuts[m.start() + 1 : m.end()] = False
        return cuts

    strategies = (
        lambda: no_mark,
        lambda: safe,
        whole,
        lambda: codes < 0x80,
        lambda: np.zeros(n, dtype=bool),
    )
    for make in strategies:
        cuts = make()
        cuts[0] = True
        found = _fit_chunks(text, goal, cuts, inverse, [p for p, _, _ in infos])
        if found is not None:
            starts, ends, cp_offsets = found
            # code point offsets in the prepared text -> byte offsets
            byte_at = np.zeros(len(goal) + 1, dtype=np.int64)
            np.cumsum(np.searchsorted(_UTF8_STEPS, goal, side="right") + 1, out=byte_at[1:])
            return starts, ends, byte_at[cp_offsets]
    raise AssertionError("the whole text as one chunk always fits")  # pragma: no cover


_UTF8_STEPS = np.array([0x80, 0x800, 0x10000], dtype=np.uint32)


def _fit_chunks(
    text: str, goal: np.ndarray, cuts: np.ndarray, inverse: np.ndarray, char_pieces: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The chunks cut before every ``cuts`` character, with their code point offsets in the
    prepared text ``goal``, or None where they do not lay end to end into ``goal``."""
    n = len(text)
    starts = np.flatnonzero(cuts)
    ends = np.append(starts[1:], n)
    long = np.flatnonzero(ends - starts > 1)
    chunks = list(map(text.__getitem__, map(slice, starts[long].tolist(), ends[long].tolist())))
    long_pieces = list(map(_prepare_chunk, chunks))
    # every chunk's piece: a character's own, or a longer chunk's, in one pool of code points
    pieces = char_pieces + long_pieces
    sizes = np.array(list(map(len, pieces)), dtype=np.int64)
    pool_at = np.zeros(len(pieces) + 1, dtype=np.int64)
    np.cumsum(sizes, out=pool_at[1:])
    piece = inverse[starts]
    piece[long] = len(char_pieces) + np.arange(len(long))
    size = sizes[piece]
    if int(size.sum()) != len(goal):
        return None
    at = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(size, out=at[1:])
    pool = np.frombuffer("".join(pieces).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    laid = pool[np.arange(len(goal)) - np.repeat(at[:-1] - pool_at[piece], size)]
    if not np.array_equal(laid, goal):
        return None
    as_is = [
        c for c, p, chunk in zip(long.tolist(), long_pieces, chunks, strict=True) if p == chunk
    ]
    if as_is:  # a chunk that prepares to itself maps character by character
        split = np.zeros(len(starts), dtype=bool)
        split[as_is] = True
        chunk_of = np.cumsum(cuts) - 1
        inside = split[chunk_of]
        starts = np.flatnonzero(cuts | inside)
        ends = np.append(starts[1:], n)
        size = np.where(inside[starts], 1, size[chunk_of[starts]])
        at = np.zeros(len(starts) + 1, dtype=np.int64)
        np.cumsum(size, out=at[1:])
    return starts, ends, at


@lru_cache(maxsize=1 << 16)
def _prepare_short(chunk: str) -> str:
    """``prepare`` of a chunk of a non-ASCII text (where ASCII letters are case-folded too)."""
    return fold(chunk)


def _prepare_chunk(chunk: str) -> str:
    if len(chunk) <= 16:  # a character and its marks, or a jamo sequence: often repeated
        return _prepare_short(chunk)
    return fold(chunk)
