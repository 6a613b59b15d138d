"""Markup left in a text by the tool that extracted it, read past as it would be on the page.

A crawl turned into Markdown (the converters that feed language-model corpora) or a careless
extraction that kept HTML prints each link's target beside its words: ``the [central
bank](https://www.example.com/news/2024/03/banks?utm_source=feed) said``. The address is not
text anyone reads, and it cuts the sentence in the middle: eight or ten tokens (``https``,
``www``, ``example``, ``com``, ...) between two words break every word 5-gram around them, so
a copy taken through a Markdown converter shares only half its 5-grams with the page it copies.

:func:`unmarked` blanks that markup: the same text, of the same length, with the characters of a
link's target, an image's address, an autolink, a reference definition, an HTML tag, an HTML
comment and a script or style block replaced by spaces (line ends kept). Link texts and image
descriptions stay: they are what the page shows. Since no character moves, every offset into
the blanked text is an offset into the original, so the tokens, shingles and passages read from
it point into the text as written. Emphasis (``**``, ``_``), heading marks (``#``), list bullets
and table bars need nothing: the tokenizer reads them as the punctuation they are.

Two more traces of how a text was taken read the same way: the escapes of a text stored as a
JSON string's body once more (``don\\u2019t``, ``\\n``: read as what they stand for, padded to
their length with zero-width spaces or spaces), and note marks (an encyclopedia's citation
glued to the text, ``in 1998.[12]``; a text browser's ``[3]Washington`` where the text lists
the addresses at the end, which are blanked too).

What is not read as markup: brackets and angle brackets in prose (``[sic]``, ``a < b``), a
bracketed number after a space (``see [1]``), a bare address written in a sentence (``visit
www.example.org``: it is part of what the text says), and a tag name HTML does not know
(``<Reuters>``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["escape_spans", "may_hold_markup", "unmarked"]

_TITLE = r"""(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?"""
_TARGET = r"(?:<[^<>\n]*>|[^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)"
_INLINE = re.compile(r"(!?\[)[^\[\]\n]{0,2000}(\]\([ \t]*" + _TARGET + _TITLE + r"[ \t]*\))")
"""A Markdown link or image, ``[words](target "title")``: its opening bracket (with an image's
``!``) and everything from its closing bracket on are markup."""

_ADDRESS = r"(?:<[^<>\n]*>|(?:[a-z][a-z0-9+.-]*://|www\.|mailto:|/|#|\.\.?/)\S*)"
_DEFINITION = re.compile(
    r"^[ \t]{0,3}\[([^\[\]\n]{1,200})\]:[ \t]*" + _ADDRESS + _TITLE + r"[ \t\r]*$", re.M | re.I
)
"""A reference-style link's definition, ``[1]: https://... "title"``, alone on its line (a
target that is an address: ``[Update]: Corrected`` is prose)."""

_REFERENCE = re.compile(r"(\[)([^\[\]\n]{1,2000})(\]\[([^\[\]\n]{0,200})\])")
"""A reference-style link, ``[words][label]`` (``[words][]``: the words are the label): markup
only where the text defines its label (a citation ``[1][2]`` is no link)."""

_AUTOLINK = re.compile(r"<(?:(?:https?|ftp)://|mailto:|www\.)[^\s<>]*>", re.I)

_NUMBERED_ADDRESS = re.compile(
    r"^[ \t]*(\d{1,4})\.[ \t]+(?:[a-z][a-z0-9+.-]*://|mailto:)\S*[ \t\r]*$", re.M | re.I
)
"""A line of a text browser's list of link addresses (``lynx -dump``, ``w3m``): ``  3. https://``."""
_NOTE_MARK = re.compile(r"(?<=[\w.,;:!?'\"’”)])(?:\[\d{1,4}\])+(?!\()")
"""A bracketed number glued to the text before it: a text browser's mark of a link
(``Washington[3]``, ``lynx -dump``) or an encyclopedia's citation (``in 1998.[12][13]``), which
mirrors and scrapes keep or drop. No words of the text; ``[1] Smith, J.`` at a line's start,
or after a space, stays."""

_LINK_MARK = re.compile(r"(?<!\S)\[(\d{1,4})\](?=\S)")
"""A text browser's mark before a link's words, ``[3]Washington``: markup where the text lists
the link's address."""

_ESCAPE = re.compile(
    r"\\(?:u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|([nrt])|"
    r"([\"/\\]))"
)
"""A JSON string escape left in a text encoded once more (``attacks.\\n\\nReuters``,
``don\\u2019t``, ``\\"quoted\\"``): a surrogate pair, a ``\\u`` escape, a line end or tab, an
escaped quote, slash or backslash."""

_INLINE_TAGS = (  # noqa: SIM905 - a list of words; elements that sit inside a line of text
    "a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span strike "
    "strong sub sup time tt u var"
).split()
_BLOCK_TAGS = (  # noqa: SIM905 - elements that break the line, or hold no text of their own
    "address article aside audio blockquote body br button caption center col colgroup dd "
    "details dialog div dl dt embed figcaption figure footer form h1 h2 h3 h4 h5 h6 head header "
    "hr html iframe img input label legend li link main meta nav noscript object ol option p "
    "picture pre section select source summary table tbody td template textarea tfoot th thead "
    "title tr track ul video wbr"
).split()
_BOOLEAN = (  # noqa: SIM905 - the attributes HTML writes without a value
    "allowfullscreen async autofocus autoplay checked controls default defer disabled hidden "
    "inert itemscope loop multiple muted nomodule novalidate open playsinline readonly required "
    "reversed selected"
).split()
_SPACE = r"[ \t]*(?:\r?\n)?[ \t]*"  # within a tag: spaces and at most one line end
_ATTRIBUTE = (
    r"""(?:[\w:.@-]+""" + _SPACE + "=" + _SPACE + r"""(?:"[^"<>]{0,1000}"|'[^'<>]{0,1000}'|"""
    r"""[^\s"'=<>`]{1,1000})|(?:""" + "|".join(_BOOLEAN) + r"))"
)
_TAG = re.compile(
    r"</?(" + "|".join(_INLINE_TAGS + _BLOCK_TAGS) + r")(?=[\s/>])"
    r"(?:(?:[ \t]+|[ \t]*\r?\n[ \t]*)" + _ATTRIBUTE + r"){0,30}" + _SPACE + r"/?>",
    re.I,
)
"""An HTML tag HTML knows, with up to 30 attributes as HTML writes them: a name and a value, or
one of the attributes written bare (``<b and c>``, ``<b in 2023`` are prose: ``and`` and
``in`` are no attributes); no blank line inside."""

_INLINE_NAMES = frozenset(_INLINE_TAGS)
_JOIN = "\u200b"
"""What an inline tag inside a word is blanked with: a zero-width space, which the kernel drops
(``<span class="dropcap">T</span>he`` reads as ``The``, ``H<sub>2</sub>O`` as ``H2O``)."""

_HIDDEN_OPEN = re.compile(r"<!--|<(script|style)\b[^<>]{0,1000}>", re.I)
_HIDDEN_CLOSE = {
    None: re.compile(r"-->"),
    "script": re.compile(r"</script[ \t\r\n]*>", re.I),
    "style": re.compile(r"</style[ \t\r\n]*>", re.I),
}

_LINE_ENDS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines splits on
_NOT_LINE_END = re.compile(f"[^{_LINE_ENDS}]")
_NESTING = 8
"""Passes for links inside links (an image inside a link: two); deeper is no converter's."""


def may_hold_markup(text: str) -> bool:
    """Whether ``text`` holds a character that markup starts with (a cheap test first).

    >>> may_hold_markup("Plain prose, a list: x, y."), may_hold_markup("[a](b)")
    (False, True)
    """
    return (
        "](" in text
        or "<" in text
        or "]:" in text
        or "\\" in text
        or "[" in text
        or "://" in text
    )


def _blank(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` with the characters of ``spans`` (start, end, filler) replaced by the filler,
    its line ends kept."""
    out, at = [], 0
    for start, end, filler in sorted(spans):
        start = max(start, at)  # inside a span blanked already
        if start >= end:
            continue
        out += [text[at:start], _NOT_LINE_END.sub(filler, text[start:end])]
        at = end
    out.append(text[at:])
    return "".join(out)


def _hidden(text: str) -> list[tuple[int, int, str]]:
    """Comments, scripts and style blocks, each to its closer; an opener that no closer follows
    ends the search for its kind (so the search is linear, whatever the text)."""
    spans: list[tuple[int, int, str]] = []
    at, closed = 0, set(_HIDDEN_CLOSE)
    while closed:
        opener = _HIDDEN_OPEN.search(text, at)
        if opener is None:
            break
        kind = opener.group(1).lower() if opener.group(1) else None
        if kind not in closed:
            at = opener.end()
            continue
        closer = _HIDDEN_CLOSE[kind].search(text, opener.end())
        if closer is None:
            closed.discard(kind)
            at = opener.end()
            continue
        spans.append((opener.start(), closer.end(), " "))
        at = closer.end()
    return spans


def _tags(text: str) -> list[tuple[int, int, str]]:
    """HTML tags: an inline one between two word characters joins them, any other is a space."""
    spans: list[tuple[int, int, str]] = []
    for m in _TAG.finditer(text):
        start, end = m.span()
        inside_word = (
            m.group(1).lower() in _INLINE_NAMES
            and start > 0
            and end < len(text)
            and text[start - 1].isalnum()
            and text[end].isalnum()
        )
        spans.append((start, end, _JOIN if inside_word else " "))
    return spans


def _references(text: str) -> list[tuple[int, int, str]]:
    """Reference definitions, and the markup of the reference-style links whose labels
    ``text`` defines."""
    spans = [(*m.span(), " ") for m in _DEFINITION.finditer(text)]
    labels = {m.group(1).casefold() for m in _DEFINITION.finditer(text)}
    if "][" in text:
        for m in _REFERENCE.finditer(text):
            if (m.group(4) or m.group(2)).casefold() in labels:
                spans += [(*m.span(1), " "), (*m.span(3), " ")]
    return spans


_LIST_HEADING = re.compile(r"^[ \t]*(?:References|Visible links|Hidden links)[ \t\r]*\n\s*\Z", re.M)


def _address_list(text: str) -> list[tuple[int, int, str]]:
    """A text browser's list of link addresses and its heading, where the text has one (two
    numbered lines or more that hold nothing but an address), and its marks of those links
    before their words (``[3]Washington``, as ``lynx -dump`` writes them)."""
    rows = list(_NUMBERED_ADDRESS.finditer(text))
    listed = {m.group(1) for m in rows}
    if len(listed) < 2:
        return []
    spans = [(*m.span(), " ") for m in rows]
    spans += [(*m.span(), " ") for m in _LINK_MARK.finditer(text) if m.group(1) in listed]
    heading = _LIST_HEADING.search(text, max(0, rows[0].start() - 200), rows[0].start())
    if heading:
        spans.append((*heading.span(), " "))
    return spans


def _note_marks(text: str) -> list[tuple[int, int, str]]:
    """Note marks (:data:`_NOTE_MARK`); one inside a word (``Iraq[3]'s``) joins it."""
    spans: list[tuple[int, int, str]] = []
    for m in _NOTE_MARK.finditer(text):
        start, end = m.span()
        inside = text[start - 1].isalnum() and end < len(text)
        inside = inside and (text[end].isalnum() or text[end] in "'’")
        spans.append((start, end, _JOIN if inside else " "))
    return spans


_RAW_QUOTE = re.compile(r'(?<!\\)"')


def _read_escape(m: re.Match[str]) -> str | None:
    """What one JSON escape stands for (a backslash: a space, which no escape reads again); None
    for half a surrogate pair, left as written."""
    high, low, code, blank, literal = m.groups()
    if high:
        pair = (chr(int(high, 16)) + chr(int(low, 16))).encode("utf-16", "surrogatepass")
        return pair.decode("utf-16")
    if code:
        char = chr(int(code, 16))
        return None if 0xD800 <= ord(char) <= 0xDFFF else char
    if blank:
        return "\n" if blank == "n" else " "
    return " " if literal == "\\" else literal


def _escape_runs(text: str) -> list[tuple[int, int, str]]:
    """The runs of adjacent JSON escapes of a text that is a JSON string's body (escapes, and no
    line end or quote written raw: a backslash in prose, ``C:\\new``, is no escape), each as
    ``(start, end, what it stands for)``: one run read at once, so characters written as
    several escapes (mojibake, jamo) read together."""
    if "\\" not in text or "\n" in text or "\r" in text or _RAW_QUOTE.search(text):
        return []
    runs: list[tuple[int, int, str]] = []
    for m in _ESCAPE.finditer(text):
        read = _read_escape(m)
        if read is None:
            continue
        if runs and runs[-1][1] == m.start():
            start, _, before = runs[-1]
            runs[-1] = (start, m.end(), before + read)
        else:
            runs.append((m.start(), m.end(), read))
    return runs


def escape_spans(text: str) -> list[tuple[int, int]]:
    """Where :func:`unmarked` reads JSON string escapes in ``text``: each run's start and end
    (the characters it stands for lie at its end; a token holding one spans the run).

    >>> escape_spans(r"caf\\u00e9 \\ud83d x\\n")
    [(3, 9), (18, 20)]
    """
    return [(a, b) for a, b, _ in _escape_runs(text)]


def _unescaped(text: str, shown: Callable[[str], str]) -> str:
    """``shown`` of what a JSON string's body stands for, laid back over its escapes: each run's
    characters at its end, padded before to its length (zero-width spaces, which the kernel
    drops; spaces before a line end or a space), so they touch the text that follows
    (``\\u0026amp;`` reads as ``&amp;``, a reference). The markup is found in the text the
    escapes stand for (``\\u003cp\\u003e``, ``<\\/a>``), and blanked over its escapes."""
    runs = _escape_runs(text)
    if not runs:
        return shown(text)
    pieces, at = [], 0
    for start, end, read in runs:
        pieces += [text[at:start], read]
        at = end
    pieces.append(text[at:])
    read_text = shown("".join(pieces))
    out, at, pos = [], 0, 0
    for start, end, read in runs:
        out.append(read_text[pos : pos + start - at])
        pos += start - at
        chars = read_text[pos : pos + len(read)]
        pos += len(read)
        pad = " " if chars[0].isspace() else _JOIN
        out.append(pad * (end - start - len(read)) + chars)
        at = end
    out.append(read_text[pos:])
    return "".join(out)


def unmarked(text: str) -> str:
    """``text`` with its link targets, image addresses, autolinks, reference definitions, HTML
    tags, comments and scripts blanked (spaces; line ends kept), so of the same length: an
    offset into it is an offset into ``text``.

    >>> def shown(text):  # the words left, and the length kept
    ...     out = unmarked(text)
    ...     return " ".join(out.split()) if len(out) == len(text) else None
    >>> shown("the [central bank](https://x.com/a_(b)?c=1 \\"t\\") said")
    'the central bank said'
    >>> shown("[![Photo: Reuters](https://x.com/p.jpg)](https://x.com/p)")
    'Photo: Reuters'
    >>> shown("<p>Hello <a href='/x' class=y>you</a></p><!-- x --><script>var a;</script>")
    'Hello you'
    >>> shown("a < b, [sic], see [1], <Reuters> and <https://x.com>")
    'a < b, [sic], see [1], <Reuters> and'
    >>> shown("See [the report][1] and [2][3].\\n\\n[1]: https://x.com/r \\"Report\\"")
    'See the report and [2][3].'
    """
    if not may_hold_markup(text):
        return text
    if "\\" in text:  # a JSON string's escapes first: what they stand for may be markup
        return _unescaped(text, _blanked)
    return _blanked(text)


def _blanked(text: str) -> str:
    """:func:`unmarked` of a text with no JSON escapes to read."""
    spans: list[tuple[int, int, str]] = []
    if "<" in text:  # blanking makes no new tag, comment or autolink: one pass
        spans += _hidden(text) + _tags(text)
        spans += [(*m.span(), " ") for m in _AUTOLINK.finditer(text)]
    if "]:" in text:
        spans += _references(text)
    if "[" in text:
        spans += _note_marks(text)
    if "://" in text:
        spans += _address_list(text)
    if spans:
        text = _blank(text, spans)
    for _ in range(_NESTING):  # a link around an image: the image first
        if "](" not in text:
            break
        inline = [(*m.span(k), " ") for m in _INLINE.finditer(text) for k in (1, 2)]
        if not inline:
            break
        text = _blank(text, inline)
    return text
