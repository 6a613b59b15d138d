"""Stream documents from folders, JSONL (plain, gzip, zstd), Parquet, CSV and standard input.

Every problem is reported as an :class:`~reprints.errors.InputError` naming the file and line (or
document). With ``on_error=skip`` the bad record is counted and skipped and reading goes on; the
other documents are never lost.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from reprints.config import OnError, ReadConfig
from reprints.document import Document
from reprints.errors import InputError

log = logging.getLogger("reprints")

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson", ".json.gz", ".jsonl.zstd")


@dataclass
class ReadStats:
    """What reading saw: documents read, and what was skipped or changed, and why."""

    read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.messages.append(message)
        log.warning(message)


def input_format(path: str | Path) -> str:
    """The format of an input named on the command line.

    >>> input_format("corpus.jsonl.zst"), input_format("-"), input_format("t.parquet")
    ('jsonl', 'jsonl', 'parquet')
    """
    name = str(path)
    if name == "-":
        return "jsonl"
    p = Path(name)
    if p.is_dir():
        return "folder"
    lower = p.name.lower()
    if lower.endswith(JSONL_SUFFIXES) or lower.endswith(".json"):
        return "jsonl"
    if lower.endswith(".parquet"):
        return "parquet"
    if lower.endswith(".csv"):
        return "csv"
    if not p.exists():
        raise InputError(name, "no such file or folder")
    raise InputError(
        name, "unknown input format (expected a folder, .jsonl[.gz|.zst], .parquet or .csv)"
    )


def open_binary(path: str | Path) -> IO[bytes]:
    """Open a file for reading bytes, decompressing gzip or zstd by its name."""
    name = str(path)
    if name == "-":
        return sys.stdin.buffer
    lower = name.lower()
    if lower.endswith(".gz"):
        return gzip.open(name, "rb")
    if lower.endswith((".zst", ".zstd")):
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(open(name, "rb"), closefd=True)
    return open(name, "rb")


@dataclass(slots=True)
class Parsed:
    """One record after parsing and checking, before the stateful checks (unique ids, counts).

    Parsing is pure, so it can run in a worker process; :meth:`DocumentReader.accept` then
    applies the outcome in input order in the main process.
    """

    where: str
    doc_id: str | None = None
    text: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    raw: Any = None
    # (problem, reason counted under ``skipped``)
    error: tuple[str, str] | None = None
    # (reason counted under ``changed``, message)
    notes: list[tuple[str, str]] = field(default_factory=list)
    empty: bool = False


class RawLines(NamedTuple):
    """A block of whole JSONL lines, not parsed yet (parsed where it is fingerprinted).

    ``first_line`` is the 1-based number of the block's first line in ``label``.
    """

    label: str
    first_line: int
    data: bytes


def parse_lines(block: RawLines, config: ReadConfig, keep_raw: bool = False) -> list[Parsed]:
    """Parse every non-blank line of a block: a pure function (it runs in the workers)."""
    lines = block.data.split(b"\n")
    last = len(lines) - 1
    out: list[Parsed] = []
    for k, line in enumerate(lines):
        if k == last and not line:
            break
        if not line.strip():
            continue
        if keep_raw and k < last:
            line += b"\n"  # the record exactly as read, for writing it back
        out.append(parse_line(line, f"{block.label}:{block.first_line + k}", config, keep_raw))
    return out


def _decode(
    data: bytes, where: str, config: ReadConfig, notes: list[tuple[str, str]]
) -> str | Parsed:
    """The text of ``data``; undecodable bytes are replaced (with a note), or with
    ``on_error=skip`` give the skipped record."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = f"not valid UTF-8 (byte {exc.start})"
        if config.on_error is OnError.SKIP:
            return Parsed(where, error=(problem, "undecodable"))
        notes.append(
            ("decoded_with_replacement", f"{where}: {problem}; decoded with replacement characters")
        )
        return data.decode("utf-8-sig", errors="replace")


def parse_text(
    doc_id: str,
    text: str,
    where: str,
    config: ReadConfig,
    record: dict[str, Any] | None = None,
    raw: Any = None,
    notes: list[tuple[str, str]] | None = None,
) -> Parsed:
    """A document from an id and a text: flags it empty, truncates it past ``max_chars``."""
    notes = notes if notes is not None else []
    fields: dict[str, Any] = {}
    if record is not None:
        fields = {k: v for k, v in record.items() if k not in (config.id_field, config.text_field)}
    if not text.strip():
        return Parsed(where, doc_id, None, fields, raw, None, notes, empty=True)
    if len(text) > config.max_chars:
        notes.append(
            (
                "truncated_to_max_chars",
                f"{where}: document {doc_id!r} has {len(text):,} characters; "
                f"only the first {config.max_chars:,} are used (--max-chars)",
            )
        )
        text = text[: config.max_chars]
    return Parsed(where, doc_id, text, fields, raw, None, notes)


def parse_record(
    record: Any,
    where: str,
    config: ReadConfig,
    raw: Any = None,
    notes: list[tuple[str, str]] | None = None,
) -> Parsed:
    """Check one record (a JSON object, a row) for its id and text fields."""
    if not isinstance(record, dict):
        return Parsed(where, error=("record is not an object", "malformed"), notes=notes or [])
    missing = None
    if record.get(config.id_field) in (None, ""):
        missing = config.id_field
    elif record.get(config.text_field) is None:
        missing = config.text_field
    if missing is not None:
        return Parsed(
            where, error=(f"missing field {missing!r}", "missing_field"), notes=notes or []
        )
    text = record[config.text_field]
    if not isinstance(text, str):
        return Parsed(
            where,
            error=(f"field {config.text_field!r} is not a string", "malformed"),
            notes=notes or [],
        )
    return parse_text(str(record[config.id_field]), text, where, config, record, raw, notes)


def parse_line(line: bytes, where: str, config: ReadConfig, keep_raw: bool = False) -> Parsed:
    """Parse one JSONL line: a pure function (it runs in the fingerprinting workers)."""
    notes: list[tuple[str, str]] = []
    text = _decode(line, where, config, notes)
    if isinstance(text, Parsed):
        return text
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return Parsed(where, error=(f"malformed JSON ({exc.msg})", "malformed"), notes=notes)
    return parse_record(record, where, config, line if keep_raw else None, notes)


class DocumentReader:
    """Reads records from every input and applies the reading policy, in input order."""

    def __init__(self, config: ReadConfig, stats: ReadStats, keep_raw: bool = False) -> None:
        self.config = config
        self.stats = stats
        self.keep_raw = keep_raw
        self.seen: dict[str, str] = {}

    def fail(self, error: InputError, reason: str) -> None:
        if self.config.on_error is OnError.RAISE:
            raise error
        self.stats.skipped[reason] += 1
        self.stats.warn(f"skipped {error}")

    def accept(self, parsed: Parsed) -> bool:
        """Apply one parsed record: True if it is a document to fingerprint."""
        for reason, message in parsed.notes:
            self.stats.changed[reason] += 1
            self.stats.warn(message)
        if parsed.error is not None:
            problem, reason = parsed.error
            self.fail(InputError(parsed.where, problem), reason)
            return False
        assert parsed.doc_id is not None
        doc_id = parsed.doc_id
        if doc_id in self.seen:
            error = InputError(
                parsed.where, f"duplicate id {doc_id!r}, first seen at {self.seen[doc_id]}"
            )
            self.fail(error, "duplicate_id")
            return False
        self.seen[doc_id] = parsed.where
        if parsed.empty:
            self.stats.skipped["empty"] += 1
            return False
        self.stats.read += 1
        return True

    def records(self, inputs: Iterable[str | Path]) -> Iterator[Parsed | RawLines]:
        """Every record of every input, in order: JSONL as raw blocks of lines, other formats
        parsed."""
        for item in inputs:
            name = str(item)
            try:
                fmt = input_format(name)
            except InputError as exc:
                self.fail(exc, "unreadable")
                continue
            if fmt == "folder":
                yield from _read_folder(Path(name), self)
            elif fmt == "jsonl":
                if name != "-" and not os.path.exists(name):
                    self.fail(InputError(name, "no such file or folder"), "unreadable")
                    continue
                if name != "-" and not os.access(name, os.R_OK):
                    self.fail(InputError(name, "cannot read: permission denied"), "unreadable")
                    continue
                yield from _read_jsonl(name)
            elif fmt == "parquet":
                yield from _read_parquet(name, self)
            else:
                yield from _read_csv(name, self)

    def documents(self, inputs: Iterable[str | Path]) -> Iterator[Document]:
        for record in self.records(inputs):
            batch = (
                parse_lines(record, self.config, self.keep_raw)
                if isinstance(record, RawLines)
                else [record]
            )
            for parsed in batch:
                if self.accept(parsed):
                    assert parsed.doc_id is not None and parsed.text is not None
                    yield Document(
                        parsed.doc_id, parsed.text, parsed.where, parsed.fields, parsed.raw
                    )


def _read_folder(root: Path, reader: DocumentReader) -> Iterator[Parsed]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not path.is_file():
                continue
            rel = path.relative_to(root).as_posix()
            where = str(path)
            try:
                data = path.read_bytes()
            except OSError as exc:
                reader.fail(InputError(where, f"cannot read: {exc.strerror}"), "unreadable")
                continue
            notes: list[tuple[str, str]] = []
            text = _decode(data, where, reader.config, notes)
            if isinstance(text, Parsed):
                yield text
                continue
            yield parse_text(rel, text, where, reader.config, None, path, notes)


def _read_jsonl(path: str, block_size: int = 1 << 20) -> Iterator[RawLines]:
    """The file in blocks of whole lines (about ``block_size`` bytes; one line may be longer)."""
    label = "<stdin>" if path == "-" else path
    stream = open_binary(path)
    try:
        pending = b""
        line = 1
        while True:
            chunk = stream.read(block_size)
            if not chunk:
                if pending:
                    yield RawLines(label, line, pending)
                break
            pending += chunk
            cut = pending.rfind(b"\n")
            if cut < 0:
                continue
            block, pending = pending[: cut + 1], pending[cut + 1 :]
            yield RawLines(label, line, block)
            line += block.count(b"\n")
    except (OSError, EOFError) as exc:
        raise InputError(label, f"cannot read: {exc}") from exc
    finally:
        if path != "-":
            stream.close()


def _read_parquet(path: str, reader: DocumentReader) -> Iterator[Parsed]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise InputError(path, f"cannot read as Parquet: {exc}") from exc
    names = parquet.schema_arrow.names
    for needed in (reader.config.id_field, reader.config.text_field):
        if needed not in names:
            raise InputError(path, f"missing column {needed!r} (columns: {', '.join(names)})")
    row = 0
    for batch in parquet.iter_batches(batch_size=2048):
        for record in batch.to_pylist():
            row += 1
            yield parse_record(record, f"{path}:row {row}", reader.config, record)


def _read_csv(path: str, reader: DocumentReader) -> Iterator[Parsed]:
    csv.field_size_limit(sys.maxsize)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from exc
    notes: list[tuple[str, str]] = []
    text = _decode(data, path, reader.config, notes)
    if isinstance(text, Parsed):
        yield text
        return
    for reason, message in notes:
        reader.stats.changed[reason] += 1
        reader.stats.warn(message)
    rows = csv.DictReader(io.StringIO(text, newline=""))
    if rows.fieldnames is None:
        return
    for needed in (reader.config.id_field, reader.config.text_field):
        if needed not in rows.fieldnames:
            raise InputError(path, f"missing column {needed!r}")
    try:
        for record in rows:
            yield parse_record(dict(record), f"{path}:{rows.line_num}", reader.config, record)
    except csv.Error as exc:
        raise InputError(f"{path}:{rows.line_num}", f"malformed CSV ({exc})") from exc


def read_documents(
    inputs: Iterable[str | Path],
    config: ReadConfig | None = None,
    stats: ReadStats | None = None,
    keep_raw: bool = False,
) -> Iterator[Document]:
    """Stream the documents of every input, in order; ids must be unique across all inputs.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("Hello there")
    >>> [doc.id for doc in read_documents([d])]
    ['a.txt']
    """
    config = config or ReadConfig()
    stats = stats if stats is not None else ReadStats()
    yield from DocumentReader(config, stats, keep_raw).documents(inputs)
