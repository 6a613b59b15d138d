"""Passages of a text with exact character offsets: the units that alignment pairs up.

A passage is a paragraph (a line of text; blank lines and surrounding spaces are not part of
it), split into sentences where it is long (a scrape that merged paragraphs, a wire story on one
line). Offsets are ``[start, end)`` indices into the original Python string, so
``text[start:end]`` is always the passage itself (tested on arbitrary Unicode).

>>> text = "Title\\n\\n  First paragraph. It goes on.  \\nSecond one."
>>> [text[s:e] for s, e in passages(text)]
['Title', 'First paragraph. It goes on.', 'Second one.']
"""

from __future__ import annotations

import re

import numpy as np

from reprints.sketch.kernel import compiled_module
from reprints.sketch.markup import unmarked
from reprints.text.tokens import AsciiBatch, ascii_batch

# a sentence ends at . ! ? or their forms in other scripts (Devanagari, Arabic and Urdu,
# Armenian, Ethiopic, Myanmar), possibly closed by quotes or brackets, followed by white space;
# abbreviations of one capital letter ("J. Smith") do not end one. Chinese and Japanese write
# no space after their full stops (。！？), so those end a sentence with or without one
_STOPS = ".!?।॥؟۔։።။"
_WIDE_STOPS = "。！？"
_CLOSERS = ")\"'’”»]」』）】》〉"
# (one character class first, so that the search skips quickly to the next stop; the branch
# is then told by what that stop was: ``closed`` after a spaced stop, ``wide`` after a wide
# one. A capital letter alone before a spaced stop is an initial: word boundary, capital, stop)
_SENTENCE_END = re.compile(
    f"[{_STOPS}{_WIDE_STOPS}]"
    f"(?:(?<=[{_STOPS}])(?<!\\b[A-Z][{_STOPS}])(?P<closed>[{re.escape(_CLOSERS)}]*)\\s+"
    f"|(?<=[{_WIDE_STOPS}])(?P<wide>[{_WIDE_STOPS}]*[{re.escape(_CLOSERS)}]*)\\s*)"
)


# a line less the white space around it (a line of white space is none)
_LINE = re.compile(r"[^\S\n]*(\S(?:[^\n]*\S)?)")

MAX_CHARS = 400
"""A paragraph longer than this is split into sentences (about 70 words)."""


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, as offsets into ``text``, white space trimmed.

    >>> t = "He said so. Then he left! Why? Dr. J. Smith stayed."
    >>> [t[s:e] for s, e in sentences(t)]
    ['He said so.', 'Then he left!', 'Why?', 'Dr.', 'J. Smith stayed.']
    >>> t = "台风登陆福建。数千人撤离！学校停课「一周」。"
    >>> [t[s:e] for s, e in sentences(t)]
    ['台风登陆福建。', '数千人撤离！', '学校停课「一周」。']
    >>> t = "ええっ！？と驚いた。評価はA。下がった。"
    >>> [t[s:e] for s, e in sentences(t)]
    ['ええっ！？', 'と驚いた。', '評価はA。', '下がった。']
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    at = start
    for m in _SENTENCE_END.finditer(text, start, end):
        spaced = m.group("closed") is not None
        if m.end() >= end and not spaced:
            break  # a wide full stop that ends the span: the last sentence, read below
        # a sentence ends with its full stop and closing quotes; the white space after the
        # match ends where the next one starts
        stop = m.end("closed") if spaced else m.end("wide")
        out.append((at, stop) if at > start else _strip(text, at, stop))
        at = m.end()
    span = _strip(text, at, end)
    if span[0] < span[1]:
        out.append(span)
    return out


def passages(text: str, max_chars: int = MAX_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` of every passage of ``text`` in order (see the module docstring), read
    with its markup blanked (:func:`reprints.sketch.markup.unmarked`: a link's target is no
    passage, nor part of one's ends)."""
    text = unmarked(text)
    out: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start, end = line.span(1)
        if end - start <= max_chars:
            out.append((start, end))
        else:
            out.extend(sentences(text, start, end))
    return out


def passages_many(
    texts: list[str], max_chars: int = MAX_CHARS, batch: AsciiBatch | None = None
) -> list[np.ndarray]:
    """:func:`passages` of many texts as ``(p, 2)`` arrays: plain ASCII texts in one compiled
    pass (:func:`reprints.sketch._compiled.passage_kernel`), the others one by one.
    ``batch``: :func:`reprints.text.tokens.ascii_batch` of ``texts``, where the caller made it.

    >>> [p.tolist() for p in passages_many(["One. Two.\\nThree", "Ünï"], max_chars=5)]
    [[[0, 4], [5, 9], [10, 15]], [[0, 3]]]
    """
    out: list[np.ndarray | None] = [None] * len(texts)
    compiled = compiled_module("sketch._compiled")
    if compiled is not None:
        rows, buf, offsets = batch or ascii_batch(texts)
    else:
        rows, buf, offsets = [], None, None
    if rows:
        counts, starts, ends = compiled.passage_kernel(buf, offsets, max_chars)
        spans = np.stack([starts, ends], axis=1)
        for row, lo, hi in zip(rows, counts[:-1].tolist(), counts[1:].tolist(), strict=True):
            out[row] = spans[lo:hi]
    for i, text in enumerate(texts):
        if out[i] is None:
            out[i] = np.array(passages(text, max_chars), dtype=np.int64).reshape(-1, 2)
    return out  # type: ignore[return-value]


# a prose passage may also end with an ellipsis (a teaser's cut lead)
_PROSE_STOPS = frozenset(_STOPS + _WIDE_STOPS + "…")
PROSE_WORDS = 8
"""Words from which a passage that ends a sentence is prose."""


def ends_sentence(piece: str) -> bool:
    """Whether a piece of text ends a sentence (a stop, a question or exclamation mark, an
    ellipsis; closing quotes and brackets read past).

    >>> ends_sentence('He said "no."'), ends_sentence("Storm hits the coast")
    (True, False)
    """
    return piece.rstrip().rstrip(_CLOSERS)[-1:] in _PROSE_STOPS


def is_prose(piece: str) -> bool:
    """Whether one piece of text is prose (:func:`prose`).

    >>> is_prose("The storm cut power to ten thousand homes."), is_prose("By Ann Lee | Staff")
    (True, False)
    """
    return ends_sentence(piece) and len(piece.split(None, PROSE_WORDS - 1)) >= PROSE_WORDS


def prose(text: str, spans: list[tuple[int, int]] | np.ndarray) -> np.ndarray:
    """Which passages are *prose*: at least ``PROSE_WORDS`` words ending a sentence. Headlines,
    bylines, date lines, navigation, share bars, headings, ad slots and photo credits are not;
    paragraphs are. The canonical choice reads what a copy adds by it.

    >>> t = "Storm hits coast\\nBy Ann Lee | Staff\\nThe storm cut power to ten thousand homes."
    >>> prose(t, passages(t)).tolist()
    [False, False, True]
    """
    out = np.zeros(len(spans), dtype=bool)
    for k, (start, end) in enumerate(np.asarray(spans, dtype=np.int64).reshape(-1, 2).tolist()):
        out[k] = is_prose(text[start:end])
    return out
