"""A credit line: a text that names where it was taken from.

Republished pages say so: "This story was originally published by The Herald and is republished
here with permission", "Source: Global News Wire", a mirror's "Quelle: Die Zeitung" or "Fuente:
El Diario", "Read more at The Post". A page that credits another for its text is, by its own
words, a copy, and is never named the original of its cluster over a member that credits no one
(:mod:`reprints.graph.cluster`).

Only a short line (at most ``MAX_CHARS``) among the first ``HEAD_LINES`` or the last
``TAIL_LINES`` lines counts, and only in these forms: a source word and a colon (``Source:``,
``Quelle:``, ``Fuente:``, ``Fonte:``, ``Bron:``, ``Źródło:``, ``Kaynak:``...) followed by a name
of at most ``NAME_WORDS`` words; or an English credit phrase (originally / first published or
appeared by, on or at; republished or reprinted with permission or from; read more or the full
story at). A photo or image credit names whose picture it is, not whose text; "Sources said" is
reporting, "Sources: US may pull out" a headline; "originally published in the weekend edition"
is said by originals of their own print edition.
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
_PHRASE = re.compile(
    r"\b(?:(?:originally|first)\s+(?:published|appeared|ran)\s+(?:by|on|at)\b"
    r"|(?:republished|reprinted)\s+(?:here\s+)?(?:with\s+permission|from|courtesy)\b"
    r"|read\s+(?:more|the\s+(?:full|original)\s+(?:story|article))\s+(?:at|on)\b)",
    re.IGNORECASE,
)


def credits_a_source(text: str) -> bool:
    """Whether ``text`` names another page or outlet as the source of its text (see the module
    docstring).

    >>> credits_a_source("Headline\\nBody text of the story.\\nQuelle: Westdeutsche Post")
    True
    >>> credits_a_source("Story.\\nThis story was originally published by The Herald.")
    True
    >>> credits_a_source("Story.\\nRead more at The Post")
    True
    >>> credits_a_source("Sources said the talks would go on.\\nPhoto source: Reuters")
    False
    >>> credits_a_source("The minister named her source: a report from 2019.")
    False
    >>> credits_a_source("Sources: US diplomats may be pulled out of Iraq\\nStory.")
    False
    >>> credits_a_source("Story.\\nThe article was originally published in the weekend edition.")
    False
    """
    text = text.strip()
    reach = (HEAD_LINES + TAIL_LINES) * (MAX_CHARS + 1)
    if len(text) > 2 * reach:  # only the ends are read: never split a long text whole
        text = text[:reach] + "\n" + text[-reach:]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    ends = lines[:HEAD_LINES] + lines[max(HEAD_LINES, len(lines) - TAIL_LINES) :]
    for line in ends:
        if len(line) > MAX_CHARS:
            continue
        named = _SOURCE_WORD.match(line)
        if named is not None and len(named.group("name").split()) <= NAME_WORDS:
            return True
        if _PHRASE.search(line):
            return True
    return False
