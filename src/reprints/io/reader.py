"""Stream documents from folders, JSONL (plain, gzip, zstd), Parquet, CSV and standard input.

Every problem is reported as an :class:`~reprints.errors.InputError` naming the file and line (or
document). With ``on_error=skip`` the bad record is counted and skipped and reading goes on; the
other documents are never lost.

Damaged inputs are problems too, never a shorter corpus: a ``.gz`` or ``.zst`` file that is cut
short, corrupt or not compressed at all, a Parquet file that cannot be opened or has a damaged row
group, a CSV row with broken quoting. The error names the file and how far it was read; with
``on_error=skip`` what was read before the damage is kept, the damage is counted under
``skipped["damaged_input"]`` with a warning, and the other inputs are read.

Ids: an id is a string or an integer, and an integer is written in decimal, so ``1`` and ``"1"``
are the same id (a duplicate when both occur). Any other id (float, boolean, list, object, null)
or an empty one is an error naming the record. CSV ids are always strings.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import re
import stat
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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


TEXT_SUFFIXES = (".txt", ".md")
"""A file with one of these endings is one document, its file name the id (as in a folder)."""


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
    if lower.endswith(TEXT_SUFFIXES):
        return "text"
    if not p.exists():
        raise InputError(name, "no such file or folder")
    raise InputError(
        name,
        "unknown input format (expected a folder, .jsonl[.gz|.zst], .parquet, .csv, "
        "or one document as .txt or .md)",
    )


class DamagedData(OSError):
    """Compressed data that cannot be read to its end: cut short, corrupt, or not compressed."""


class _Counting:
    """A binary file that counts the bytes read from it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.consumed += len(data)
        return data


_ZSTD_MAGIC = 0xFD2FB528
_ZSTD_SKIPPABLE = 0x184D2A50  # the 16 magic numbers of skippable frames, low 4 bits cleared


class _ZstdFrames(_Counting):
    """Follows the frame layout of zstd data as it is read, without decompressing it.

    zstandard's stream reader ends quietly where the data is cut (it returns what it could
    decode, then ``b""``), so this is what tells a whole stream from a cut one: the data is whole
    when it ends where a frame ends. Only headers are looked at; block contents are skipped.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(raw)
        self.frames = 0
        self.state = "magic"
        self.need = 4  # bytes of the next header field
        self.field = b""
        self.skip = 0  # bytes of block or skippable-frame content still to pass over
        self.checksum = False
        self.problem: str | None = None

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self._follow(data)
        self.consumed += len(data)
        return data

    def _follow(self, data: bytes) -> None:
        pos, end = 0, len(data)
        while pos < end and self.problem is None:
            if self.skip:
                step = min(self.skip, end - pos)
                self.skip -= step
                pos += step
                continue
            step = min(self.need - len(self.field), end - pos)
            self.field += data[pos : pos + step]
            pos += step
            if len(self.field) == self.need:
                value = int.from_bytes(self.field, "little")
                self.field = b""
                self._advance(value, self.consumed + pos - self.need)

    def _advance(self, value: int, at: int) -> None:
        state = self.state
        if state == "magic":
            if value == _ZSTD_MAGIC:
                self.state, self.need = "descriptor", 1
            elif value & 0xFFFFFFF0 == _ZSTD_SKIPPABLE:
                self.state, self.need = "skippable", 4
            else:
                self.problem = f"no zstd frame starts at byte {at:,} of the file"
        elif state == "descriptor":
            single = value >> 5 & 1
            self.checksum = bool(value >> 2 & 1)
            rest = (
                (0 if single else 1)  # window descriptor
                + (0, 1, 2, 4)[value & 3]  # dictionary id
                + (single, 2, 4, 8)[value >> 6]  # frame content size
            )
            self.state, self.need = ("header", rest) if rest else ("block", 3)
        elif state == "header":
            self.state, self.need = "block", 3
        elif state == "block":
            kind = value >> 1 & 3
            if kind == 3:
                self.problem = f"reserved zstd block type at byte {at:,} of the file"
            self.skip = 1 if kind == 1 else value >> 3  # an RLE block holds one byte
            if not value & 1:
                self.state, self.need = "block", 3
            elif self.checksum:
                self.state, self.need = "checksum", 4
            else:
                self._frame_done()
        elif state == "checksum":
            self._frame_done()
        else:  # skippable frame: its size, then that many bytes to pass over
            self.skip = value
            self._frame_done()

    def _frame_done(self) -> None:
        self.frames += 1
        self.state, self.need = "magic", 4

    def end_problem(self) -> str | None:
        """Why the data, read to its end, is not a whole zstd stream (None when it is)."""
        if self.problem is not None:
            return self.problem
        if self.state != "magic" or self.field or self.skip:
            return "cut short: the file ends inside a frame"
        if self.frames == 0:
            return "the file is empty"
        return None


class _CheckedStream(io.RawIOBase):
    """The decompressed bytes of a gzip or zstd file. Where the data is cut short, corrupt or not
    of its kind, reading raises :class:`DamagedData` instead of ending quietly."""

    def __init__(self, name: str, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.raw = open(name, "rb")  # noqa: SIM115 (closed by close())
        self.source: _Counting
        self.stream: Any
        if kind == "gzip":
            self.source = _Counting(self.raw)
            self.stream = gzip.GzipFile(fileobj=self.source, mode="rb")  # type: ignore[arg-type]
        else:
            import zstandard

            self.source = _ZstdFrames(self.raw)
            self.stream = zstandard.ZstdDecompressor().stream_reader(
                self.source, read_across_frames=True, closefd=False
            )
        self.decoded = 0

    def readable(self) -> bool:
        return True

    def _damage_types(self) -> tuple[type[BaseException], ...]:
        if self.kind == "gzip":
            return (EOFError, zlib.error, gzip.BadGzipFile)
        import zstandard

        return (zstandard.ZstdError,)

    def read(self, size: int | None = -1) -> bytes:
        size = -1 if size is None else size
        try:
            # read1: one read of the file at most, so that little decoded data is lost when
            # decoding fails (what was decoded in the failing call is never returned)
            data = self.stream.read1(size)
        except self._damage_types() as exc:
            detail = str(exc)
            if isinstance(exc, EOFError):
                detail = "cut short: the file ends inside a gzip member"
            elif isinstance(exc, zlib.error):
                detail = f"corrupt: {exc}"
            elif "Not a gzipped" in detail:
                where = "after the end of the compressed data" if self.decoded else "at its start"
                detail = f"the file holds bytes that are not gzip {where}: {exc}"
            elif isinstance(self.source, _ZstdFrames) and self.source.problem is not None:
                detail = f"{exc}; {self.source.problem}"
            raise DamagedData(f"damaged {self.kind} data ({detail})") from exc
        if data:
            self.decoded += len(data)
        elif size != 0:
            problem = self._end_problem()
            if problem is not None:
                raise DamagedData(f"damaged {self.kind} data ({problem})")
        return bytes(data)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _end_problem(self) -> str | None:
        if isinstance(self.source, _ZstdFrames):
            problem = self.source.end_problem()
            if problem is None and self.raw.read(1):
                problem = "the decoder stopped before the end of the file"
            return problem
        return "the file is empty" if self.source.consumed == 0 else None

    def close(self) -> None:
        if not self.closed:
            try:
                self.stream.close()
            finally:
                self.raw.close()
        super().close()


def open_binary(path: str | Path) -> IO[bytes]:
    """Open a file for reading bytes, decompressing gzip or zstd by its name.

    Reading compressed data that is cut short, corrupt or not compressed raises
    :class:`DamagedData` (an ``OSError``) where the damage is found, never a quiet end of file.
    """
    name = str(path)
    if name == "-":
        return sys.stdin.buffer
    lower = name.lower()
    if lower.endswith(".gz"):
        return _CheckedStream(name, "gzip")  # type: ignore[return-value]
    if lower.endswith((".zst", ".zstd")):
        return _CheckedStream(name, "zstd")  # type: ignore[return-value]
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
    # where the record's line lies in its input file, ``(path, byte offset, byte length)``, when
    # the file can be read there again (a plain file; not compressed data, not standard input)
    at: tuple[str, int, int] | None = None


class RawLines(NamedTuple):
    """A block of whole JSONL lines, not parsed yet (parsed where it is fingerprinted).

    ``first_line`` is the 1-based number of the block's first line in ``label``; ``offset``
    the byte offset of the block in the file ``label`` names, or -1 where the bytes cannot be
    read there again (compressed data, standard input).
    """

    label: str
    first_line: int
    data: bytes
    offset: int = -1


def parse_lines(block: RawLines, config: ReadConfig, keep_raw: bool = False) -> list[Parsed]:
    """Parse every non-blank line of a block: a pure function (it runs in the workers)."""
    lines = block.data.split(b"\n")
    last = len(lines) - 1
    out: list[Parsed] = []
    at = block.offset
    # read again by a later stage, perhaps from another working folder: the absolute path
    path = os.path.abspath(block.label) if block.offset >= 0 else block.label
    for k, line in enumerate(lines):
        if k == last and not line:
            break
        here, size = at, len(line)
        at += size + 1
        if not line.strip():
            continue
        if keep_raw and k < last:
            line += b"\n"  # the record exactly as read, for writing it back
        parsed = parse_line(line, f"{block.label}:{block.first_line + k}", config, keep_raw)
        if block.offset >= 0:
            parsed.at = (path, here, size)
        out.append(parsed)
    return out


@contextmanager
def kept_open() -> Iterator[dict[str, IO[bytes]]]:
    """The files :func:`read_at` keeps open between reads (by path, as its ``opened``), all
    closed on leaving: many documents of one input open it once."""
    opened: dict[str, IO[bytes]] = {}
    try:
        yield opened
    finally:
        for stream in opened.values():
            stream.close()


def read_at(
    path: str,
    offset: int,
    size: int,
    config: ReadConfig,
    doc_id: str | None = None,
    opened: dict[str, IO[bytes]] | None = None,
) -> Parsed:
    """The record of the JSONL line of ``size`` bytes at byte ``offset`` of ``path``
    (:attr:`Parsed.at`), parsed again as when it was first read: a later stage reads only the
    documents it needs, not the whole input again. Offset -1: ``path`` is a text file of
    ``size`` bytes, the whole document ``doc_id``. ``opened``: files kept open between reads
    (by path; the caller closes them), so that many documents of one file open it once.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "d.jsonl")
    >>> _ = open(path, "w").write('{"id": "a", "text": "one"}\\n{"id": "b", "text": "two"}\\n')
    >>> [p.at[1:] for p in parse_lines(next(_read_jsonl(path)), ReadConfig())]
    [(0, 26), (27, 26)]
    >>> read_at(path, 27, 26, ReadConfig()).text
    'two'
    """
    if offset < 0:
        data = Path(path).read_bytes()
        if len(data) != size or doc_id is None:
            return _damage(path, f"{len(data):,} bytes, not {size:,} as first read", "unreadable")
        text = _decode(data, path, config, [])
        return text if isinstance(text, Parsed) else parse_text(doc_id, text, path, config)
    if opened is None:
        with open(path, "rb") as stream:
            line = os.pread(stream.fileno(), size, offset)
    else:
        if path not in opened:
            opened[path] = open(path, "rb")  # noqa: SIM115 - closed by the caller
        line = os.pread(opened[path].fileno(), size, offset)
    return parse_line(line, f"{path} (byte {offset:,})", config)


def read_placed(
    place: tuple[str, int, int],
    doc_id: str,
    config: ReadConfig,
    opened: dict[str, IO[bytes]] | None = None,
) -> Parsed:
    """Document ``doc_id`` read again where it lies (:func:`read_at`); an error naming it where
    that place no longer holds it (the input changed since it was first read)."""
    parsed = read_at(*place, config, doc_id, opened)
    if parsed.doc_id != doc_id or parsed.text is None:
        raise InputError(
            f"document {doc_id!r}",
            f"no longer as read in {place[0]}: the inputs changed during the scan",
        )
    return parsed


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


def describe_value(value: Any) -> str:
    """A value's JSON type and a short rendering of it, for messages: ``float 1.0``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    kind = {float: "float", list: "list", dict: "object"}.get(type(value), type(value).__name__)
    try:
        shown = json.dumps(value, ensure_ascii=False) if kind in ("list", "object") else repr(value)
    except (TypeError, ValueError):
        shown = repr(value)
    return f"{kind} {shown if len(shown) <= 40 else shown[:37] + '...'}"


def document_id(value: Any) -> str | None:
    """The id a record's id value stands for, or None when it is not an id.

    An id is a string or an integer; an integer is written in decimal, so ``1`` and ``"1"`` are
    the same id. Floats, booleans, lists, objects and null are not ids.

    >>> document_id(7), document_id("7"), document_id(7.0), document_id(True)
    ('7', '7', None, None)
    """
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def parse_record(
    record: Any,
    where: str,
    config: ReadConfig,
    raw: Any = None,
    notes: list[tuple[str, str]] | None = None,
) -> Parsed:
    """Check one record (a JSON object, a row) for its id and text fields."""
    notes = notes or []
    if not isinstance(record, dict):
        return Parsed(where, error=("record is not an object", "malformed"), notes=notes)
    id_field, text_field = config.id_field, config.text_field
    for name in (id_field, text_field):
        if name not in record:
            return Parsed(where, error=(f"missing field {name!r}", "missing_field"), notes=notes)
    value = record[id_field]
    doc_id = document_id(value)
    if doc_id is None:
        problem = f"{id_field} must be a string or an integer, got {describe_value(value)}"
        return Parsed(where, error=(problem, "bad_id"), notes=notes)
    if not doc_id:
        return Parsed(where, error=(f"{id_field} is empty", "bad_id"), notes=notes)
    text = record[text_field]
    if text is None:
        return Parsed(where, error=(f"{text_field} is null", "null_text"), notes=notes)
    if not isinstance(text, str):
        problem = f"field {text_field!r} is not a string (got {describe_value(text)})"
        return Parsed(where, error=(problem, "malformed"), notes=notes)
    return parse_text(doc_id, text, where, config, record, raw, notes)


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
    except ValueError as exc:  # an integer of more than 4,300 digits
        return Parsed(where, error=(f"malformed JSON ({exc})", "malformed"), notes=notes)
    except RecursionError:
        return Parsed(where, error=("malformed JSON (nested too deeply)", "malformed"), notes=notes)
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
            # problems are yielded as records, not raised here, so that they surface in input
            # order after the records read before them
            try:
                fmt = input_format(name)
            except InputError as exc:
                yield Parsed(exc.where, error=(exc.problem, "unreadable"))
                continue
            if fmt == "folder":
                yield from _read_folder(Path(name), self)
                continue
            if name != "-":
                if not os.path.exists(name):
                    yield Parsed(name, error=("no such file or folder", "unreadable"))
                    continue
                if not os.access(name, os.R_OK):
                    yield Parsed(name, error=("cannot read: permission denied", "unreadable"))
                    continue
            if fmt == "text":
                yield _read_text_file(Path(name), Path(name).name, self)
            elif fmt == "jsonl":
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
            yield _read_text_file(path, path.relative_to(root).as_posix(), reader)


def _read_text_file(path: Path, doc_id: str, reader: DocumentReader) -> Parsed:
    """One text file as one document with the given id."""
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:  # in input order, like every other problem
        return _damage(where, f"cannot read: {exc.strerror}", "unreadable")
    notes: list[tuple[str, str]] = []
    text = _decode(data, where, reader.config, notes)
    if isinstance(text, Parsed):
        return text
    parsed = parse_text(doc_id, text, where, reader.config, None, path, notes)
    if path.is_file():  # read again whole by a later stage (not a FIFO)
        parsed.at = (os.path.abspath(path), -1, len(data))
    return parsed


def _damage(label: str, problem: str, reason: str) -> Parsed:
    return Parsed(label, error=(problem, reason))


def _regular(stream: IO[bytes]) -> bool:
    """Whether ``stream`` reads a regular file (one that can be read again at an offset)."""
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def _read_jsonl(path: str, block_size: int = 1 << 20) -> Iterator[RawLines | Parsed]:
    """The file in blocks of whole lines (about ``block_size`` bytes; one line may be longer).

    Where the file cannot be read to its end (damaged compressed data, a read error) the last
    record is a :class:`Parsed` error saying how far it was read; the incomplete line before the
    damage is dropped, never parsed as a record.
    """
    label = "<stdin>" if path == "-" else path
    try:
        stream = open_binary(path)
    except OSError as exc:
        yield _damage(label, f"cannot read: {exc.strerror or exc}", "unreadable")
        return
    compressed = isinstance(stream, _CheckedStream)
    # a block's place in the file, where its lines can be read again directly
    unplaced = compressed or path == "-" or not _regular(stream)
    done = 0
    try:
        pending: list[bytes] = []  # the pieces of a line not ended yet
        line = 1
        size = 0
        while True:
            try:
                chunk = stream.read(block_size)
            except OSError as exc:
                reason = "damaged_input" if isinstance(exc, DamagedData) else "unreadable"
                problem = str(exc) if reason == "damaged_input" else f"cannot read: {exc}"
                if size:
                    data = f"{size:,} bytes{' of decompressed data' if compressed else ''} read"
                    problem += f" after line {line - 1:,} ({data}); "
                    lost = f"the incomplete line {line:,} and " if pending else ""
                    problem += f"{lost}anything after it cannot be read"
                else:
                    problem += " before any data could be read"
                yield _damage(label, problem, reason)
                return
            if not chunk:
                if pending:
                    yield RawLines(label, line, b"".join(pending), -1 if unplaced else done)
                break
            size += len(chunk)
            cut = chunk.rfind(b"\n") + 1
            if not cut:
                pending.append(chunk)
                continue
            block = b"".join([*pending, chunk[:cut]]) if pending else chunk[:cut]
            pending = [chunk[cut:]] if cut < len(chunk) else []
            yield RawLines(label, line, block, -1 if unplaced else done)
            done += len(block)
            line += block.count(b"\n")
    finally:
        if path != "-":
            stream.close()


def _read_parquet(path: str, reader: DocumentReader) -> Iterator[Parsed]:
    """The rows of a Parquet file. A file that cannot be opened as Parquet, or a damaged row
    group, is a ``damaged_input`` error; the other row groups are still read."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        problem = f"cannot read as Parquet: the file is damaged or not Parquet ({exc})"
        yield _damage(path, problem, "damaged_input")
        return
    try:
        names = parquet.schema_arrow.names
        for needed in (reader.config.id_field, reader.config.text_field):
            if needed not in names:
                raise InputError(path, f"missing column {needed!r} (columns: {', '.join(names)})")
        groups = parquet.metadata.num_row_groups
        row = 0
        for group in range(groups):
            first = row
            end = first + parquet.metadata.row_group(group).num_rows
            try:
                for batch in parquet.iter_batches(batch_size=2048, row_groups=[group]):
                    for record in batch.to_pylist():
                        row += 1
                        yield parse_record(record, f"{path}:row {row}", reader.config, record)
            except Exception as exc:  # a damaged page: OSError, ArrowInvalid, ...
                detail = str(exc).strip().replace("\n", "; ")
                problem = (
                    f"damaged Parquet data in row group {group + 1} of {groups} "
                    f"(rows {first + 1:,} to {end:,}) after {row:,} rows ({detail}); "
                    f"rows {row + 1:,} to {end:,} cannot be read"
                )
                yield _damage(path, problem, "damaged_input")
            row = end
    finally:
        parquet.close()


_SURROGATE = re.compile("[\udc80-\udcff]")


def _read_csv(path: str, reader: DocumentReader) -> Iterator[Parsed]:
    """The rows of a CSV file (ids are the strings in the file). A row with broken quoting or
    more fields than the header is an error naming its line; the next rows are still read."""
    csv.field_size_limit(sys.maxsize)
    config = reader.config
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        yield _damage(path, f"cannot read: {exc.strerror or exc}", "unreadable")
        return
    dirty = False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if config.on_error is OnError.SKIP:
            # the rows with undecodable bytes are skipped, one by one
            text = data.decode("utf-8-sig", errors="surrogateescape")
            dirty = True
        else:
            reader.stats.changed["decoded_with_replacement"] += 1
            reader.stats.warn(
                f"{path}: not valid UTF-8 (byte {exc.start}); decoded with replacement characters"
            )
            text = data.decode("utf-8-sig", errors="replace")
    stream = io.StringIO(text, newline="")
    rows = csv.reader(stream, strict=True)
    try:
        header = next(rows)
    except StopIteration:
        return
    except csv.Error as exc:
        yield _damage(f"{path}:1", f"malformed CSV header ({exc})", "malformed")
        return
    for needed in (config.id_field, config.text_field):
        if needed not in header:
            raise InputError(path, f"missing column {needed!r}")
    width = len(header)
    while True:
        start = rows.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            where = f"{path}:{start}"
            if stream.tell() < len(text):
                yield _damage(where, f"malformed CSV ({exc})", "malformed")
                continue
            problem = f"malformed CSV ({exc})"
            if "end of data" in str(exc):
                problem += (
                    f": a quoted field is never closed, lines {start:,} to {rows.line_num:,} "
                    "cannot be read"
                )
            yield _damage(where, problem, "malformed")
            return
        if not row:
            continue
        where = f"{path}:{start}"
        if dirty and any(_SURROGATE.search(value) for value in row):
            yield _damage(where, "not valid UTF-8", "undecodable")
            continue
        if len(row) > width:
            problem = f"malformed CSV (the row has {len(row)} fields, the header {width})"
            yield _damage(where, problem, "malformed")
            continue
        record: dict[str, Any] = dict(zip(header, row, strict=False))
        missing = header[len(row) :]
        for name in missing:
            record[name] = None  # a short row: the fields it lacks are null, as csv.DictReader
        if config.id_field in missing or config.text_field in missing:
            problem = f"malformed CSV (the row has {len(row)} fields, the header {width})"
            yield _damage(where, problem, "malformed")
            continue
        yield parse_record(record, where, config, record)


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


class Places:
    """Where each document's line lies in its input (:attr:`Parsed.at`), by document index, in
    a flat array (a million documents' places take 24 MB, not the 120 of as many tuples).

    >>> places = Places()
    >>> places.add(("a.jsonl", 0, 26)); places.add(None); places.add(("a.jsonl", 27, 26))
    >>> places[2], places[1], len(places)
    (('a.jsonl', 27, 26), None, 3)
    """

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._number: dict[str, int] = {}
        self._rows = array("q")  # path number (-1: not known), byte offset, byte length

    def add(self, at: tuple[str, int, int] | None) -> None:
        if at is None:
            self._rows.extend((-1, 0, 0))
            return
        path, offset, size = at
        number = self._number.setdefault(path, len(self.paths))
        if number == len(self.paths):
            self.paths.append(path)
        self._rows.extend((number, offset, size))

    def __len__(self) -> int:
        return len(self._rows) // 3

    def __getitem__(self, index: int) -> tuple[str, int, int] | None:
        if not 0 <= index < len(self):
            raise IndexError(index)
        number, offset, size = self._rows[3 * index : 3 * index + 3]
        return None if number < 0 else (self.paths[number], offset, size)


class InputTexts:
    """The texts of a scan's documents, read again from its inputs: the scan keeps
    fingerprints, not texts. ``ids`` are the scan's ids by index; a document no longer in the
    inputs is an error naming it.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("Hello there")
    >>> texts = InputTexts([d], ReadConfig(), ["a.txt"])
    >>> texts.read([0]), list(texts.stream())
    (['Hello there'], [(0, 'Hello there')])
    """

    def __init__(
        self,
        inputs: Iterable[str | Path],
        config: ReadConfig,
        ids: list[str],
        places: Places | None = None,
    ) -> None:
        self.inputs = list(inputs)
        self.config = config
        self.ids = ids
        # where each document's line lies in its input (Parsed.at, by index), where known: such
        # documents are read again directly, not by reading the inputs through
        if places is not None and len(places) != len(ids):
            raise ValueError(f"{len(places)} places for {len(ids)} documents")
        self.places = places
        self._index: dict[str, int] | None = None
        # the language each document's record gives (a ``lang`` field), seen while reading
        self.given_lang: dict[int, str] = {}

    def rereadable(self) -> bool:
        """Whether the inputs can be read again (standard input cannot)."""
        return "-" not in map(str, self.inputs)

    def stream(self) -> Iterator[tuple[int, str]]:
        """Every document of the scan as ``(index, text)``, in input order, in one pass."""
        if "-" in map(str, self.inputs):
            raise InputError(
                "-", "standard input cannot be read a second time: save it to a file first"
            )
        if self._index is None:
            self._index = {doc_id: i for i, doc_id in enumerate(self.ids)}
        for doc in read_documents(self.inputs, self.config, ReadStats()):
            index = self._index.get(doc.id)
            if index is not None:
                lang = doc.fields.get("lang")
                if isinstance(lang, str) and lang.strip():
                    self.given_lang[index] = lang.strip()
                yield index, doc.text

    def placed(self, wanted: Iterable[int]) -> bool:
        """Whether every one of the ``wanted`` documents can be read again where it lies."""
        places = self.places
        return places is not None and all(places[int(i)] is not None for i in wanted)

    def read(self, wanted: Iterable[int]) -> list[str]:
        """The texts at the ``wanted`` indices, in that order: read where they lie where every
        one's place is known, else in one pass over the inputs, stopping early."""
        want = [int(i) for i in wanted]
        if self.places is not None and self.placed(want):
            with kept_open() as opened:  # each input opened once for all its documents
                return [self.read_placed(i, opened) for i in want]
        need = set(want)
        found: dict[int, str] = {}
        if need:
            for index, text in self.stream():
                if index in need:
                    found[index] = text
                    if len(found) == len(need):
                        break
        missing = sorted(need - set(found))
        if missing:
            raise InputError(
                f"document {self.ids[missing[0]]!r}",
                "no longer in the inputs: they changed during the scan",
            )
        return [found[i] for i in want]

    def read_placed(self, index: int, opened: dict[str, IO[bytes]] | None = None) -> str:
        """The text of document ``index``, read where its line lies (:meth:`placed`; ``opened``
        as :func:`read_at`); an error naming it where the line there is no longer that
        document."""
        assert self.places is not None
        place = self.places[index]
        assert place is not None
        parsed = read_placed(place, self.ids[index], self.config, opened)
        lang = parsed.fields.get("lang")
        if isinstance(lang, str) and lang.strip():
            self.given_lang[index] = lang.strip()
        return parsed.text
