"""The fingerprint stage: parse a batch of records and fingerprint its documents.

A pure function of a batch (but for writing the shingles to the store), so it runs in any worker
of any engine: :func:`fingerprint_records` takes raw JSONL blocks or parsed records and returns
the parsed records (texts dropped), the fingerprints of those that are documents, where their
shingles went, and its own counters.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np

from reprints.config import ScanConfig
from reprints.index.store import BatchLocations, ShingleWriter
from reprints.io.reader import Parsed, RawLines, parse_lines
from reprints.sketch.kernel import BatchSketch, sketch_texts
from reprints.sketch.markup import unmarked
from reprints.sketch.minhash import Permutations
from reprints.text.credits import credits_a_source
from reprints.text.dates import text_date
from reprints.text.urls import view_and_site


def parse_date(value: object) -> str | None:
    """An ISO date-time string for sorting, or None when the value is not a recognisable date.

    >>> parse_date("2020-09-30"), parse_date("2020-09-30T10:00:00Z"), parse_date("soon")
    ('2020-09-30T00:00:00', '2020-09-30T10:00:00', None)
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:  # compare instants: convert to naive UTC
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.isoformat()


def wordless_exact_hash(text: str) -> np.ndarray:
    """The 128-bit exact hash of a text with no word tokens (emoji, punctuation only): of its
    NFKC, case-folded characters with whitespace runs collapsed, so identical such texts are still
    exact copies. (Texts with tokens hash their token sequence in the kernel instead.)

    >>> bool((wordless_exact_hash("🙂  !!") == wordless_exact_hash("🙂 !!")).all())
    True
    """
    normal = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    digest = hashlib.blake2b(normal.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return np.frombuffer(digest, dtype="<u8").astype(np.uint64)


def page_claims(text: str) -> tuple[str | None, bool]:
    """What a text says of itself, for the canonical choice: the date line it shows
    (:func:`reprints.text.dates.text_date`) and whether it credits another source for its text
    (:func:`reprints.text.credits.credits_a_source`).

    >>> page_claims("Storm\\nPublished 2024-02-11\\nBody.\\nSource: Global News Wire")
    ('2024-02-11', True)
    """
    text = unmarked(text)  # as shown: a credit's linked name without its address
    return text_date(text), credits_a_source(text)


@dataclass(slots=True)
class FingerprintedBatch:
    """A fingerprinted batch: the parsed records (texts dropped), the fingerprints of those that
    are documents, where the store put their shingles, and the stage's counters."""

    parsed: list[Parsed]
    rows: list[int]  # row of each record in ``sketch``, -1 when it is not a document
    dates: list[str | None]
    shown: list[str | None]  # the date line its text shows near the top (text/dates.py)
    credited: list[bool]  # its text credits another source for it (text/credits.py)
    views: list[bool]  # the record's url addresses a print or AMP view of a page
    sites: list[int]  # the site of its url (text/urls.py site_hash; 0: no url)
    bad_dates: list[str | None]
    sketch: BatchSketch
    where: BatchLocations
    counters: dict[str, int] = field(default_factory=dict)


def fingerprint_records(
    records: list[Parsed | RawLines],
    config: ScanConfig,
    perms: Permutations,
    writer: ShingleWriter,
) -> FingerprintedBatch:
    """Parse (JSONL lines) and fingerprint a batch of records; the shingles go to ``writer``."""
    parsed: list[Parsed] = []
    for record in records:
        if isinstance(record, RawLines):
            parsed.extend(parse_lines(record, config.read))
        else:
            parsed.append(record)
    texts: list[str] = []
    rows: list[int] = []
    dates: list[str | None] = []
    shown: list[str | None] = []
    credited: list[bool] = []
    views: list[bool] = []
    sites: list[int] = []
    bad: list[str | None] = []
    for p in parsed:
        if p.error is None and not p.empty and p.text is not None:
            rows.append(len(texts))
            texts.append(p.text)
        else:
            rows.append(-1)
        raw_date = p.fields.get("date")
        date = parse_date(raw_date)
        dates.append(date)
        line, credit = page_claims(p.text) if p.text is not None else (None, False)
        shown.append(line)
        credited.append(credit)
        view, site = view_and_site(p.fields.get("url"))
        views.append(view)
        sites.append(site)
        bad.append(
            f"{p.where}: date {raw_date!r} of {p.doc_id!r} is not an ISO date; ignored"
            if raw_date not in (None, "") and date is None
            else None
        )
        p.text = None
        p.fields = {}
        p.raw = None
    s = config.sketch
    sketch = sketch_texts(texts, s.shingle_size, perms, s.sample_rate)
    wordless = np.flatnonzero(sketch.n_tokens == 0)
    for row in wordless.tolist():
        sketch.exact[row] = wordless_exact_hash(texts[row])
    where = writer.write(sketch.shingle_offsets, sketch.shingles)
    counters = {
        "records": len(parsed),
        "shingles": len(sketch.shingles),
        "no_word_tokens": len(wordless),
    }
    # the shingles are in the store now: do not send them back
    sketch = replace(sketch, shingles=np.empty(0, dtype=np.uint64))
    return FingerprintedBatch(
        parsed, rows, dates, shown, credited, views, sites, bad, sketch, where, counters
    )
