"""The document record that flows from reading into every later stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Optional fields that reprints uses when an input has them.
KNOWN_FIELDS = ("title", "date", "url", "lang", "source")


@dataclass(slots=True)
class Document:
    """One input document.

    ``origin`` names where it came from (``file.jsonl:12``) for messages; ``fields`` holds every
    field of the record except id and text (``title``, ``date``, ... and anything else, carried
    through); ``raw`` is the record as read (a JSONL line, a row), kept only when asked for.

    >>> Document("a", "Hello world", "x.jsonl:1").date
    """

    id: str
    text: str
    origin: str
    fields: dict[str, Any] = field(default_factory=dict)
    raw: Any = None

    @property
    def date(self) -> str | None:
        value = self.fields.get("date")
        return None if value is None else str(value)
