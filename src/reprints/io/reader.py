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
from typing import IO, Any

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


class _Reader:
    """Turns records into documents under one policy; shared by every format."""

    def __init__(self, config: ReadConfig, stats: ReadStats, keep_raw: bool) -> None:
        self.config = config
        self.stats = stats
        self.keep_raw = keep_raw
        self.seen: dict[str, str] = {}

    def fail(self, error: InputError, reason: str) -> None:
        if self.config.on_error is OnError.RAISE:
            raise error
        self.stats.skipped[reason] += 1
        self.stats.warn(f"skipped {error}")

    def decode(self, data: bytes, where: str) -> str | None:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problem = f"not valid UTF-8 (byte {exc.start})"
            if self.config.on_error is OnError.SKIP:
                self.fail(InputError(where, problem), "undecodable")
                return None
            self.stats.changed["decoded_with_replacement"] += 1
            self.stats.warn(f"{where}: {problem}; decoded with replacement characters")
            return data.decode("utf-8-sig", errors="replace")

    def document(self, record: Any, where: str, raw: Any = None) -> Document | None:
        cfg = self.config
        if not isinstance(record, dict):
            self.fail(InputError(where, "record is not an object"), "malformed")
            return None
        if cfg.id_field not in record or record[cfg.id_field] in (None, ""):
            self.fail(InputError(where, f"missing field {cfg.id_field!r}"), "missing_field")
            return None
        if cfg.text_field not in record or record[cfg.text_field] is None:
            self.fail(InputError(where, f"missing field {cfg.text_field!r}"), "missing_field")
            return None
        text = record[cfg.text_field]
        if not isinstance(text, str):
            self.fail(InputError(where, f"field {cfg.text_field!r} is not a string"), "malformed")
            return None
        doc_id = str(record[cfg.id_field])
        return self.make(doc_id, text, where, record, raw)

    def make(
        self, doc_id: str, text: str, where: str, record: dict[str, Any] | None, raw: Any
    ) -> Document | None:
        cfg = self.config
        if doc_id in self.seen:
            error = InputError(where, f"duplicate id {doc_id!r}, first seen at {self.seen[doc_id]}")
            self.fail(error, "duplicate_id")
            return None
        self.seen[doc_id] = where
        if not text.strip():
            self.stats.skipped["empty"] += 1
            return None
        if len(text) > cfg.max_chars:
            self.stats.changed["truncated_to_max_chars"] += 1
            self.stats.warn(
                f"{where}: document {doc_id!r} has {len(text):,} characters; "
                f"only the first {cfg.max_chars:,} are used (--max-chars)"
            )
            text = text[: cfg.max_chars]
        fields = {}
        if record is not None:
            fields = {k: v for k, v in record.items() if k not in (cfg.id_field, cfg.text_field)}
        self.stats.read += 1
        return Document(doc_id, text, where, fields, raw if self.keep_raw else None)


def _read_folder(root: Path, reader: _Reader) -> Iterator[Document]:
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
            text = reader.decode(data, where)
            if text is None:
                continue
            doc = reader.make(rel, text, where, None, path)
            if doc is not None:
                yield doc


def _read_jsonl(path: str, reader: _Reader) -> Iterator[Document]:
    label = "<stdin>" if path == "-" else path
    stream = open_binary(path)
    try:
        buffered = stream if path == "-" else io.BufferedReader(stream)  # type: ignore[arg-type]
        for lineno, line in enumerate(buffered, start=1):
            if not line.strip():
                continue
            where = f"{label}:{lineno}"
            text = reader.decode(line, where)
            if text is None:
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                reader.fail(InputError(where, f"malformed JSON ({exc.msg})"), "malformed")
                continue
            doc = reader.document(record, where, line)
            if doc is not None:
                yield doc
    except (OSError, EOFError) as exc:
        raise InputError(label, f"cannot read: {exc}") from exc
    finally:
        if path != "-":
            stream.close()


def _read_parquet(path: str, reader: _Reader) -> Iterator[Document]:
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
            doc = reader.document(record, f"{path}:row {row}", record)
            if doc is not None:
                yield doc


def _read_csv(path: str, reader: _Reader) -> Iterator[Document]:
    csv.field_size_limit(sys.maxsize)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from exc
    text = reader.decode(data, path)
    if text is None:
        return
    rows = csv.DictReader(io.StringIO(text, newline=""))
    if rows.fieldnames is None:
        return
    for needed in (reader.config.id_field, reader.config.text_field):
        if needed not in rows.fieldnames:
            raise InputError(path, f"missing column {needed!r}")
    try:
        for record in rows:
            where = f"{path}:{rows.line_num}"
            doc = reader.document(dict(record), where, record)
            if doc is not None:
                yield doc
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
    reader = _Reader(config, stats, keep_raw)
    for item in inputs:
        name = str(item)
        try:
            fmt = input_format(name)
        except InputError as exc:
            reader.fail(exc, "unreadable")
            continue
        if fmt == "folder":
            yield from _read_folder(Path(name), reader)
        elif fmt == "jsonl":
            if name != "-" and not os.path.exists(name):
                reader.fail(InputError(name, "no such file or folder"), "unreadable")
                continue
            if name != "-" and not os.access(name, os.R_OK):
                reader.fail(InputError(name, "cannot read: permission denied"), "unreadable")
                continue
            yield from _read_jsonl(name, reader)
        elif fmt == "parquet":
            yield from _read_parquet(name, reader)
        else:
            yield from _read_csv(name, reader)
