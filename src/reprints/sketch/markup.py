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

What is not read as markup: brackets and angle brackets in prose (``[sic]``, ``a < b``), a
citation ``[1]``, a bare address written in a sentence (``visit www.example.org``: it is part
of what the text says), and a tag name HTML does not know (``<Reuters>``).
"""

from __future__ import annotations

import re

__all__ = ["may_hold_markup", "unmarked"]

_TITLE = r"""(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?"""
_TARGET = r"(?:<[^<>\n]*>|[^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)"
_INLINE = re.compile(r"(!?\[)[^\[\]\n]{0,2000}(\]\([ \t]*" + _TARGET + _TITLE + r"[ \t]*\))")
"""A Markdown link or image, ``[words](target "title")``: its opening bracket (with an image's
``!``) and everything from its closing bracket on are markup."""

_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\[\]\n]{1,200}\]:[ \t]*\S+" + _TITLE + r"[ \t]*$", re.M)
"""A reference-style link's definition, ``[1]: https://... "title"``, alone on its line."""
_LABEL = re.compile(r"^[ \t]{0,3}\[([^\[\]\n]{1,200})\]:[ \t]*\S", re.M)

_REFERENCE = re.compile(r"(\[)([^\[\]\n]{1,2000})(\]\[([^\[\]\n]{0,200})\])")
"""A reference-style link, ``[words][label]`` (``[words][]``: the words are the label): markup
only where the text defines its label (a citation ``[1][2]`` is no link)."""

_AUTOLINK = re.compile(r"<(?:(?:https?|ftp)://|mailto:|www\.)[^\s<>]*>", re.I)

_TAG_NAMES = (  # noqa: SIM905 - a list of words
    "a abbr address article aside audio b bdi bdo blockquote body br button caption center "
    "cite code col colgroup data dd del details dfn dialog div dl dt em embed figcaption "
    "figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd "
    "label legend li link main mark meta nav noscript object ol option p picture pre q s samp "
    "section select small source span strike strong sub summary sup table tbody td template "
    "textarea tfoot th thead time title tr track tt u ul var video wbr"
).split()
_ATTRIBUTE = r"""[\w:.@-]+(?:[ \t\n]*=[ \t\n]*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(
    r"</?(?:" + "|".join(_TAG_NAMES) + r")(?=[\s/>])(?:[ \t\n]+" + _ATTRIBUTE + r")*[ \t\n]*/?>",
    re.I,
)
"""An HTML tag HTML knows, with attributes written as HTML writes them (``<b and c>`` in prose
reads as a tag only where ``b`` is one and the rest parses as attributes: rare in prose)."""

_HIDDEN = re.compile(
    r"<!--.{0,20000}?-->|<(script|style)\b[^<>]*>.{0,200000}?</\1[ \t\n]*>", re.I | re.S
)
"""An HTML comment, a script or a style block: nothing of it is shown."""

_PASSES = (_HIDDEN, _TAG, _AUTOLINK, _DEFINITION)


def may_hold_markup(text: str) -> bool:
    """Whether ``text`` holds a character that markup starts with (a cheap test first).

    >>> may_hold_markup("Plain prose, [sic], a list: x, y."), may_hold_markup("[a](b)")
    (False, True)
    """
    return "](" in text or "<" in text or "]:" in text


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` spaces, its line ends kept."""
    out, at = [], 0
    for start, end in spans:
        if start < at:  # inside a span blanked already
            start = at
        if start >= end:
            continue
        out += [text[at:start], re.sub(r"[^\n\r]", " ", text[start:end])]
        at = end
    out.append(text[at:])
    return "".join(out)


def _references(text: str) -> list[tuple[int, int]]:
    """The markup of the reference-style links whose labels ``text`` defines."""
    labels = {m.group(1).casefold() for m in _LABEL.finditer(text)}
    spans: list[tuple[int, int]] = []
    for m in _REFERENCE.finditer(text):
        if (m.group(4) or m.group(2)).casefold() in labels:
            spans += [m.span(1), m.span(3)]
    return spans


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
    while True:
        spans: list[tuple[int, int]] = []
        if "](" in text:
            for m in _INLINE.finditer(text):
                spans += [m.span(1), m.span(2)]
        if "<" in text or "]:" in text:
            for pattern in _PASSES:
                spans += [m.span() for m in pattern.finditer(text)]
        if "]:" in text and "][" in text:
            spans += _references(text)
        if not spans:
            return text
        blanked = _blank(text, sorted(spans))
        if blanked == text:
            return text
        text = blanked  # a link around an image: the image first, then the link
