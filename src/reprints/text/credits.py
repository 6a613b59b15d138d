"""A credit line: a text that names where it was taken from.

Republished pages say so: "This story was originally published by The Herald and is republished
here with permission", "Source: Global News Wire", a mirror's "Quelle: Die Zeitung" or "Fuente:
El Diario", "Read more at The Post". A page that credits another for its text is, by its own
words, a copy, and is never named the original of its cluster over a member that credits no one
(:mod:`reprints.graph.cluster`).

Only a short line (at most ``MAX_CHARS``) counts, and only in these forms: among the last
``TAIL_LINES`` lines, a source word and a colon (``Source:``, ``Quelle:``, ``Fuente:``,
``Fonte:``, ``Bron:``, ``Źródło:``, ``Kaynak:``...) followed by a name of at most ``NAME_WORDS``
words; among those or the first ``HEAD_LINES``, an English credit phrase (originally or first
published by; first appeared or appeared first on or in a place, not a date, as in a feed's
"The post ... appeared first on Site"; republished or reprinted with permission or from; read
more at; read the full story at or on), or a byline or line that says the text came from the
wire ("By The Daily Ledger staff and wire reports", "From wire services", "With files from The
Canadian Press"; a whole line, never a phrase in a sentence or a headline). A photo or
image credit names whose picture it is, not whose text; "Sources said" is reporting,
"Sources: US may pull out" a headline, "originally published in the weekend edition" is said
by originals of their own print edition, and "first published on May 4" is a date line.

A paywall's prompt among the last lines says the same thing in other words: the full text is
elsewhere ("Subscribe to read the full story.", "This article is for subscribers only",
"To continue reading, subscribe", "Already a subscriber?"). A truncated copy is otherwise hard
to tell from its original by the text: the original seems to *add* its later paragraphs at the
end, as a copy adds comments. "Continue reading the main story" inside an article is not one.
"""

from __future__ import annotations

import re

HEAD_LINES = 4
"""Lines from the top of a text searched for a credit line."""
TAIL_LINES = 6
"""Lines from the end of a text searched for a credit line."""
MAX_CHARS = 200
"""A longer line is prose, not a credit."""

_SOURCE_WORD = re.compile(
    r"(?:source|quelle|fuente|fonte|bron|źródło|kaynak|источник|kilde|källa|lähde)\s*:"
    r"\s*(?P<name>\S.*)$",
    re.IGNORECASE,
)
NAME_WORDS = 6
"""A source names an outlet: a longer remainder is a headline ("Sources: US may pull out")."""
_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s"
)
_PHRASE = re.compile(
    r"\b(?:(?:originally|first)\s+(?:published|appeared|ran)\s+by\b"
    r"|(?:first\s+appeared|appeared\s+first)\s+(?:on|in)\s+(?![\d(])(?!" + _MONTH + r")"
    r"|(?:republished|reprinted)\s+(?:here\s+)?(?:with\s+permission|from|courtesy)\b"
    r"|read\s+more\s+at\b|read\s+the\s+(?:full|original)\s+(?:story|article)\s+(?:at|on)\b)",
    re.IGNORECASE,
)
_PAYWALL = re.compile(
    r"\b(?:subscribe\s+(?:now\s+|today\s+)?to\s+(?:read|continue|keep\s+reading|unlock|access)"
    r"|to\s+(?:continue|keep)\s+reading\s*(?:[,.:!]|this\b|$)"
    r"|(?:article|story|content)\s+is\s+(?:only\s+)?(?:available\s+)?(?:for|to)\s+"
    r"(?:paying\s+)?subscribers"
    r"|for\s+subscribers\s+only\b|already\s+a\s+subscriber\b)"
    r"|^(?:click\s+here\s+to\s+)?read\s+the\s+(?:full|whole|rest\s+of\s+the)\s+(?:story|article)\b",
    re.IGNORECASE,
)
"""A paywall's prompt at the end of a text: it says its full text is elsewhere."""
_WIRE = re.compile(
    r"(?:by\s+(?:\S+\s+){0,6}?(?:staff\s+and\s+)?wire\s+(?:reports|services)"
    r"|(?:from|compiled\s+from)\s+wire\s+(?:reports|services)"
    r"|with\s+files\s+from\s+\S+(?:\s+\S+){0,4})[.\s]*$",
    re.IGNORECASE,
)
"""A byline or a line of its own that says the text came from the wire ("By The Daily Ledger
staff and wire reports", "From wire services", "With files from The Canadian Press"): the
whole line, never a phrase inside a sentence or a headline."""


def _hinted(line: str) -> bool:
    """Whether ``line`` holds a word every credit phrase holds (a cheap test before the
    expression: it never rejects a line the expression matches, ``ı`` and ``İ`` included)."""
    low = line.casefold().replace("ı", "i").replace("\u0307", "")
    return (
        "read" in low
        or "appeared" in low
        or "first" in low
        or "originally" in low
        or ("republished" in low or "reprinted" in low)
        or "subscri" in low
        or "wire" in low
        or "files" in low
    )


def credits_a_source(text: str) -> bool:
    """Whether ``text`` names another page or outlet as the source of its text, or ends in a
    paywall's prompt (see the module docstring).

    >>> credits_a_source("Headline\\nBody text of the story.\\nQuelle: Westdeutsche Post")
    True
    >>> credits_a_source("Story.\\nThis story was originally published by The Herald.")
    True
    >>> credits_a_source("Story.\\nRead more at The Post")
    True
    >>> credits_a_source("HEADLINE\\nBy The Daily Ledger staff and wire reports\\nStory.")
    True
    >>> credits_a_source("Story.\\nThe wire reported a fall in prices.")
    False
    >>> credits_a_source("Story.\\nWith files from The Canadian Press")
    True
    >>> credits_a_source("Wire services cut jobs as AI spreads\\nStory.")  # a headline
    False
    >>> credits_a_source("Story.\\nPrices fell, according to wire reports.")
    False
    >>> credits_a_source("Story.\\nWith files from https://" + "x" * 120 + " and more by our staff")
    False
    >>> credits_a_source("Sources said the talks would go on.\\nPhoto source: Reuters")
    False
    >>> credits_a_source("The minister named her source: a report from 2019.")
    False
    >>> credits_a_source("Sources: US diplomats may be pulled out of Iraq\\nStory.")
    False
    >>> credits_a_source("Story.\\nThe article was originally published in the weekend edition.")
    False
    >>> credits_a_source("First published on May 4, 2023\\nStory."), credits_a_source(
    ...     "Story.\\nThe post Storm hits coast appeared first on Coast Herald.")
    (False, True)
    """
    text = text.strip()
    reach = (HEAD_LINES + TAIL_LINES) * (MAX_CHARS + 1)
    if len(text) > 2 * reach:  # only the ends are read: never split a long text whole
        text = text[:reach] + "\n" + text[-reach:]
    lines = [line for line in map(str.strip, text.splitlines()) if line]
    head, tail = lines[:HEAD_LINES], lines[max(1, len(lines) - TAIL_LINES) :]  # never line 1
    for line in head:
        if len(line) <= MAX_CHARS and _hinted(line) and (_PHRASE.search(line) or _WIRE.match(line)):
            return True
    for line in tail:
        if len(line) > MAX_CHARS:
            continue
        if _hinted(line) and (_PHRASE.search(line) or _PAYWALL.search(line) or _WIRE.match(line)):
            return True
        # a source line at the top is a headline ("Source: ..."): only the tail reads them
        named = _SOURCE_WORD.match(line)
        if named and len(named.group("name").split()) <= NAME_WORDS:
            return True
    return False
