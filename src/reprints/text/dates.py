"""A page's own date line: the publication date a page prints near its top.

Article pages print their date under the headline ("Published May 4, 2023 at 10:29",
"Published 2024-02-11", "date 2020-09-30"); scrapes and copies keep the text but drop the line,
or print their own, later one. The canonical choice reads it apart from a record's ``date``
field (which comes first): a member whose text shows the earliest date line, or the only one
showing any, is the page the others were taken from (:mod:`reprints.graph.cluster`).

Only a line in the first ``HEAD_LINES`` lines that *starts* with a date is read: after a
"Published", "Posted", "Date" or "Dated" word (then anything may follow: "date 2020-09-30 US
exit threat..."), or standing alone on its line (a bare date followed by text is a timeline
entry or a sentence, not the page's date). A date inside a sentence is what the story is about,
and an "Updated" line dates an edit, not the page. Dates are read in ISO form or with English
month names (May 4, 2023; 4 May 2023), with an optional time.
"""

from __future__ import annotations

import re
from datetime import datetime

HEAD_LINES = 8
"""Lines from the top of a text searched for its date line."""
_MONTHS = {
    m: k + 1
    for k, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}  # fmt: skip
_PREFIX = r"(?P<word>(?:published|posted|date|dated|first\s+published)\s*(?:on\s*)?:?\s*)?"
_START = re.compile(
    r"published|posted|date|first|\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec",
    re.IGNORECASE,
)
"""How every line that can hold a date line starts: a prefix word, a digit or a month."""
_ALONE = re.compile(r"[\s|,.\-\u2013\u2014\u00b7]*$")
"""What may follow a date with no prefix word: the end of its line (or separators)."""
_TIME = (
    r"(?:(?:,|\s+at|\s*[-|\u2013\u00b7]|\s)\s*(?P<h>\d{1,2}):(?P<mi>\d{2})"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?)?"
)
_ISO = re.compile(
    rf"{_PREFIX}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2}))?\b",
    re.IGNORECASE,
)
_MDY = re.compile(
    rf"{_PREFIX}(?P<mon>[a-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}}){_TIME}\b",
    re.IGNORECASE,
)
_DMY = re.compile(
    rf"{_PREFIX}(?P<d>\d{{1,2}})\s+(?P<mon>[a-z]{{3,9}})\.?,?\s+(?P<y>\d{{4}}){_TIME}\b",
    re.IGNORECASE,
)


def _build(m: re.Match[str]) -> str | None:
    parts = m.groupdict()
    month = int(parts["m"]) if parts.get("m") else _MONTHS.get((parts.get("mon") or "").lower())
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
    >>> print(text_date("The council met on May 4, 2023 to vote."))
    None
    >>> text_date("Storm hits coast\\nMay 4, 2023 | 10:29\\nThe storm...")
    '2023-05-04T10:29'
    >>> text_date("Posted May 4, 2023 at 1:29 p.m.\\nStory"), text_date("May 4, 2023 12:05 AM")
    ('2023-05-04T13:29', '2023-05-04T00:05')
    >>> print(text_date("2023-05-04 Mayor quits after vote"))  # a timeline entry
    None
    """
    start = len(text) - len(text.lstrip())
    for _ in range(HEAD_LINES):  # the lines are cut one by one: the rest is never copied
        end = text.find("\n", start)
        found = _line_date((text[start:] if end < 0 else text[start:end]).strip())
        if found is not None or end < 0:
            return found
        start = end + 1
    return None


def _line_date(line: str) -> str | None:
    """The date a date line holds (see the module docstring), or None."""
    if not _START.match(line):  # cheap: most lines start with no date and no date word
        return None
    for pattern in (_ISO, _MDY, _DMY):
        m = pattern.match(line)
        if m is not None and (m.group("word") or _ALONE.match(line, m.end())):
            found = _build(m)
            if found is not None:
                return found
    return None
