"""A page's own date line: the publication date a page prints near its top.

Article pages print their date under the headline ("Published May 4, 2023 at 10:29",
"Published 2024-02-11", "date 2020-09-30"); scrapes and copies keep the text but drop the line,
or print their own, later one. The canonical choice reads it apart from a record's ``date``
field (which comes first): a member whose text shows the earliest date line, or the only one
showing any, is the page the others were taken from (:mod:`reprints.graph.cluster`).

Only a line that *starts* with a date is read, among the first ``HEAD_LINES`` lines that hold
text (blank lines between paragraphs do not count): after a "Published", "Posted", "Date" or
"Dated" word or its French, German, Spanish, Italian or Dutch form (then anything may follow:
"date 2020-09-30 US exit threat..."), or standing alone on its line (a bare date followed by
text is a timeline entry or a sentence, not the page's date). A date inside a sentence is what
the story is about, and an "Updated" line dates an edit, not the page. Dates are read in ISO
form, as day.month.year, or with month names in English, French, German, Spanish, Italian,
Portuguese or Dutch (May 4th, 2023; Monday 4 May 2023; 4. Mai 2023), with an optional time
before or after the date; weekdays, ordinals and time zones are read past.

The *head* of a date line is what a page prints directly above it: its headline, its byline
(:func:`page_head`). A page without a line that shows the same head at its top
(:func:`shows_head`) is the same page on another site, one that prints no date (a syndicated
or mirrored page); a page that dropped the head with the line is a scrape. The canonical choice
lets a line decide only against the second kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from typing import NamedTuple

HEAD_LINES = 8
"""Lines holding text, from the top of a text, searched for its date line."""
ABOVE_LINES = 2
"""Lines holding text directly above a date line that make up its head (headline, byline)."""
HEAD_WORDS = (2, 25)
"""Words a head line holds: fewer is a label, more a cookie notice or a paragraph."""
HEAD_CHARS = 300
"""Characters a head line holds at most (a paragraph is not read word by word)."""
TOP_LINES = 12
"""Lines holding text, from the top of a text, where another page's head is looked for."""
_MONTH_NAMES = [
    # English, French, German, Spanish, Italian, Portuguese, Dutch (names and abbreviations)
    "january jan janvier janv januar enero gennaio janeiro januari",
    "february feb février févr fevrier februar febrero febbraio fevereiro februari",
    "march mar mars märz maerz marzo março maart",
    "april apr avril abril aprile",
    "may mai mayo maggio maio mei",
    "june jun juin juni junio giugno junho",
    "july jul juillet juil juli julio luglio julho",
    "august aug août aout agosto augustus",
    "september sep sept septembre septiembre settembre setembro",
    "october oct octobre oktober octubre ottobre outubro",
    "november nov novembre noviembre novembro",
    "december dec décembre déc decembre dezember diciembre dicembre dezembro",
]
_MONTHS = {name: k + 1 for k, names in enumerate(_MONTH_NAMES) for name in names.split()}
_PREFIX = (
    r"(?P<word>(?:published|posted|date|dated|first\s+published|publié\s+le|publie\s+le"
    r"|veröffentlicht(?:\s+am)?|publicado(?:\s+el)?|pubblicato(?:\s+il)?|gepubliceerd(?:\s+op)?)"
    r"\s*(?:on\s*)?:?\s*)?"
)
_WEEKDAY = (
    r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|lunes|martes|miércoles|jueves|viernes|sábado|domingo)\.?,?\s+"
)
"""A weekday before the date (Monday, May 4, 2023; Montag, 4. Mai 2023): read past."""
_START = re.compile(
    r"posted|date|first|publi|veröff|pubbl|gepubl|\d"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|mon|tue|wed|thu|fri|sat|sun|lun|mer|jeu|ven|sam|dim|mit|don|fre|son|dien|mart|mié|jue|vie"
    r"|sáb|dom",
    re.IGNORECASE,
)
"""How every line that can hold a date line starts: a prefix word, a digit, a month or a day."""
_YEAR = re.compile(r"\d{4}")
"""Every date line holds a year: a line without four digits is not tried."""
_ALONE = re.compile(r"[\s|,.\-\u2013\u2014\u00b7]*$")
"""What may follow a date with no prefix word: the end of its line (or separators)."""
_ZONE = (
    r"(?:\s*\(?(?:utc|gmt|[ecmp][sd]t|[ecmp]t|bst|cet|cest|ist|aest|aedt)"
    r"(?:\s*[+-]\d{1,2}(?::?\d{2})?)?\)?(?![\w]))?"
)
"""A time zone after the time (10:29 a.m. EDT): read past, not converted."""
_CLOCK = rf"(?P<h>\d{{1,2}})[:.h](?P<mi>\d{{2}})(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?{_ZONE}"
_TIME = rf"(?:(?:,|\s+at|\s+um|\s+à|\s*[-|\u2013\u00b7]|\s)\s*{_CLOCK})?"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?"
_MDY_DATE = rf"(?P<mon>[^\W\d_]{{3,10}})\.?\s+{_DAY},?\s+(?P<y>\d{{4}})"
_DMY_DATE = rf"{_DAY}\s+(?:of\s+|de\s+)?(?P<mon>[^\W\d_]{{3,10}})\.?,?\s+(?:de\s+)?(?P<y>\d{{4}})"
_ISO = re.compile(
    rf"{_PREFIX}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2}))?\b",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    rf"{_PREFIX}(?:{_WEEKDAY})?(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}}){_TIME}\b",
    re.IGNORECASE,
)
"""Day.month.year (04.05.2023): the European numeric form. Slashed dates are not read (which
of 04/05 is the month depends on the country)."""
_MDY = re.compile(rf"{_PREFIX}(?:{_WEEKDAY})?{_MDY_DATE}{_TIME}\b", re.IGNORECASE)
_DMY = re.compile(rf"{_PREFIX}(?:{_WEEKDAY})?{_DMY_DATE}{_TIME}\b", re.IGNORECASE)
_TIME_FIRST = [
    re.compile(rf"{_PREFIX}{_CLOCK}[\s,|\u00b7\-\u2013]+(?:{_WEEKDAY})?{date}\b", re.IGNORECASE)
    for date in (_MDY_DATE, _DMY_DATE)
]
"""The time before the date, as AP prints it (Published 10:29 AM EDT, May 4, 2023)."""
_PATTERNS = (_ISO, _NUMERIC, _MDY, _DMY, *_TIME_FIRST)


def _build(m: re.Match[str]) -> str | None:
    parts = m.groupdict()
    month = int(parts["m"]) if parts.get("m") else _MONTHS.get((parts.get("mon") or "").casefold())
    if month is None:
        return None
    hour = int(parts.get("h") or 0)
    if parts.get("ampm") and 1 <= hour <= 12:  # 12:05 a.m. is 00:05, 1:29 p.m. is 13:29
        hour = hour % 12 + (12 if parts["ampm"].lower() == "p" else 0)
    try:
        when = datetime(int(parts["y"]), month, int(parts["d"]), hour, int(parts.get("mi") or 0))
    except ValueError:
        return None
    if parts.get("h") is None:
        return when.date().isoformat()
    return when.isoformat(timespec="minutes")


def text_date(text: str) -> str | None:
    """The ISO date of a text's date line, or None (see the module docstring).

    >>> text_date("Storm hits coast\\nPublished May 4, 2023 at 10:29\\nThe storm...")
    '2023-05-04T10:29'
    >>> text_date(" date 2020-09-30 US exit threat raises fear of war in Iraq")
    '2020-09-30'
    >>> text_date("Title\\n\\nPublished 2024-02-11\\n\\nBody."), text_date("Updated 4 May 2023")
    ('2024-02-11', None)
    >>> text_date("Site\\n\\nNav\\n\\nTitle\\n\\nBy A. Lee\\n\\nPublished 2024-02-11\\n\\nBody.")
    '2024-02-11'
    >>> print(text_date("The council met on May 4, 2023 to vote."))
    None
    >>> text_date("Storm hits coast\\nMay 4, 2023 | 10:29\\nThe storm...")
    '2023-05-04T10:29'
    >>> text_date("Posted May 4, 2023 at 1:29 p.m.\\nStory"), text_date("May 4, 2023 12:05 AM")
    ('2023-05-04T13:29', '2023-05-04T00:05')
    >>> print(text_date("2023-05-04 Mayor quits after vote"))  # a timeline entry
    None
    """
    for line in islice(_lines(text), HEAD_LINES):
        found = _line_date(line)
        if found is not None:
            return found
    return None


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` that hold text, stripped, cut one by one as they are asked for
    (the rest of a long text is never copied; blank lines between paragraphs are skipped)."""
    start = 0
    while True:
        end = text.find("\n", start)
        line = (text[start:] if end < 0 else text[start:end]).strip()
        if line:
            yield line
        if end < 0:
            return
        start = end + 1


def _text_lines(text: str, limit: int) -> list[str]:
    """The first ``limit`` lines of ``text`` that hold text, stripped."""
    return list(islice(_lines(text), limit))


_WORD = re.compile(r"\w+")


def head_key(line: str) -> str | None:
    """A head line as compared across pages: its words, casefolded (an upper-cased headline
    is the same headline), or None where it holds too few or too many words."""
    if len(line) > HEAD_CHARS or line.count(" ") > 2 * HEAD_WORDS[1]:  # a paragraph
        return None
    words = _WORD.findall(line.casefold())
    return " ".join(words) if HEAD_WORDS[0] <= len(words) <= HEAD_WORDS[1] else None


class PageHead(NamedTuple):
    """What the top of a page prints (:func:`page_head`), as :func:`head_key`s: read once per
    document, compared per pair (:func:`shows_head`)."""

    head: tuple[str, ...]  # the lines directly above its date line: headline, byline
    masthead: tuple[str, ...]  # the lines above those: the site's name, its navigation
    top: frozenset[str]  # every line among its first TOP_LINES


def page_head(text: str) -> PageHead:
    """The head of a text's date line: the keys of the (at most ``ABOVE_LINES``) lines holding
    text directly above it, and of the lines above those (empty where the text shows no date
    line or nothing above it); and the keys of its first ``TOP_LINES`` lines.

    >>> page = page_head("Coast Herald\\nStorm hits coast\\nBy A. Lee\\nPosted May 4, 2023\\nBody.")
    >>> page.head, page.masthead
    (('storm hits coast', 'by a lee'), ('coast herald',))
    >>> page_head("Storm hits coast\\nThe storm hit the coast on Monday.").head
    ()
    """
    lines = _text_lines(text, TOP_LINES)
    keys = [head_key(line) for line in lines]
    top = frozenset(key for key in keys if key is not None)
    for k, line in enumerate(lines[:HEAD_LINES]):
        if _line_date(line) is not None:
            cut = max(0, k - ABOVE_LINES)
            return PageHead(_present(keys[cut:k]), _present(keys[:cut]), top)
    return PageHead((), (), top)


def _present(keys: list[str | None]) -> tuple[str, ...]:
    return tuple(key for key in keys if key is not None)


def shows_head(page: PageHead, other: PageHead) -> bool:
    """Whether ``page`` is the page of ``other`` (both :func:`page_head`) on another site: it
    prints one of the lines of the head above other's date line as a line of its own among its
    first ``TOP_LINES``, and none of the masthead's (a page that shows the masthead too is the
    same page in another template, a print or AMP view, and the line is the full page's).

    >>> other = page_head("Coast Herald\\nStorm hits coast\\nBy A. Lee\\nMay 4, 2023\\nBody.")
    >>> shows_head(page_head("Bay News | Home\\nSTORM HITS COAST\\nBody."), other)
    True
    >>> shows_head(page_head("Sections » World\\nBody of the story: storm hits coast."), other)
    False
    >>> shows_head(page_head("Coast Herald  ☰\\nStorm hits coast\\nBody."), other)  # AMP
    False
    """
    if not other.head:
        return False
    return not page.top.isdisjoint(other.head) and page.top.isdisjoint(other.masthead)


def _line_date(line: str) -> str | None:
    """The date a date line holds (see the module docstring), or None."""
    if not _START.match(line) or not _YEAR.search(line):  # cheap: most lines hold no date
        return None
    for pattern in _PATTERNS:
        m = pattern.match(line)
        if m is not None and (m.group("word") or _ALONE.match(line, m.end())):
            found = _build(m)
            if found is not None:
                return found
    return None
