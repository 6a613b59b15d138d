"""The persistent index's storage: one SQLite file holding every document's fingerprints, its text
and the posting lists that find candidates, changed only in whole transactions.

Tables (schema version 2):

- ``meta(key, value)``: the schema version and the sketch settings the fingerprints were made with
  (an index made with other settings is an error naming them, never a silent mismatch).
- ``docs``: one row per document, ``seq`` (the order of adding, never reused) and ``id``
  (unique); ``date``, ``fields`` (JSON: title, url, lang, ...), ``text`` (zstd), ``shown`` (the
  date line its text shows, :mod:`reprints.text.dates`), ``credited`` (1 where its text credits
  another source, :mod:`reprints.text.credits`; both added in version 2, NULL where a version-1
  reprints stored the document: read from its text then), and the
  fingerprints as little-endian blobs: ``exact`` (2 x uint64), ``signature`` (uint32 per
  permutation), ``samples`` (sorted unique uint32 keys), ``shingles`` (uint64, document order),
  ``vector`` (float32, the rewrite level's lead embedding; filled when that level first needs it).
- ``segments``: immutable, sorted posting arrays (``kind`` ``band``: 64-bit LSH band keys;
  ``sample``: 32-bit sampled shingle keys), each with the ``seq`` of the document holding the key.
  An add writes one segment per kind in the same transaction as its documents; segments of one
  size tier are merged four at a time (so a key is looked up in a few segments per tier).
  Removed documents leave their postings until a merge drops them; readers skip them (their seq
  numbers are kept in ``removed``).

Every add, remove and merge is one SQLite transaction (WAL journal): a process killed at any point
leaves the file with the batch wholly in or wholly out. Readers see the last committed state.

>>> import tempfile, os
>>> store = IndexStore.open(os.path.join(tempfile.mkdtemp(), "x.db"), SketchConfig())
>>> store.count()
0
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import zstandard

from reprints.config import SketchConfig
from reprints.errors import InputError, ReprintsError
from reprints.index.lsh import band_keys
from reprints.sketch.kernel import TOKENS_VERSION

SCHEMA_VERSION = 2
READABLE_SCHEMAS = ("1", "2")
"""Schema versions this reprints opens. A version-1 file (no ``shown`` and ``credited``
columns) is read as it is, its documents' claims read from their texts; its first write
transaction adds the two columns, empty (NULL: not read yet), so nothing is rewritten."""
CLAIMS = "shown, credited, CASE WHEN credited IS NULL THEN text END"
"""The claims of a document in a version-2 snapshot: its date line, its credit and, where they
were never read (a document stored by a version-1 reprints), its text to read them from."""
CLAIMS_V1 = "NULL, NULL, text"
CLAIMS_VERSION = 2
"""Which reading of a page's claims the stored ``shown`` and ``credited`` columns hold (meta
``claims``; 1: before the wire bylines were credits). A file whose version is older was filled
by another reading: its first write by this reprints records, in meta ``claims_from``, the
first ``seq`` stored with this reading, and every document before it has its claims read from
its text again (as a version-1 file's are), so an index and a fresh scan of the same documents
choose the same canonical members. Nothing is rewritten. Move it on whenever
:func:`reprints.text.dates.text_date` or :func:`reprints.text.credits.credits_a_source`
change what they read."""
PRUNE_REMOVED_AT = 1024
"""Removed documents whose postings may linger before the segments holding them are rewritten."""
MERGE_FANOUT = 4
"""Segments of one size tier merged together (tiers are powers of this)."""
SEGMENT_CAP = 1 << 23
"""Postings per segment past which merging stops (a blob stays well under SQLite's 1 GB)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    date TEXT,
    fields TEXT NOT NULL,
    text BLOB NOT NULL,
    exact BLOB NOT NULL,
    n_tokens INTEGER NOT NULL,
    cleanliness REAL NOT NULL,
    signature BLOB NOT NULL,
    samples BLOB NOT NULL,
    shingles BLOB NOT NULL,
    vector BLOB,
    shown TEXT,
    credited INTEGER
);
CREATE TABLE IF NOT EXISTS removed (seq INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS segments (
    seg INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    keys BLOB NOT NULL,
    seqs BLOB NOT NULL
);
"""


class IndexFileError(ReprintsError):
    """A problem with an index file: names the file and the problem."""


@dataclass(frozen=True, slots=True)
class StoredDoc:
    """One document to store: its id, text, date, other fields and fingerprints."""

    id: str
    text: str
    date: str | None
    fields: dict[str, Any]
    exact: np.ndarray  # (2,) uint64
    n_tokens: int
    cleanliness: float
    signature: np.ndarray  # (num_perm,) uint32
    samples: np.ndarray  # uint32, sorted unique
    shingles: np.ndarray  # uint64, document order
    shown: str | None = None  # the date line its text shows (reprints.text.dates)
    credited: bool = False  # its text credits another source (reprints.text.credits)
    # the text already compressed as stored (zstd of its UTF-8), where a worker process made it
    # (then ``text`` may be empty: it is not sent back)
    packed_text: bytes | None = None


@dataclass(slots=True)
class Segment:
    """A sorted posting array: ``keys[i]`` is held by document ``seqs[i]``."""

    seg: int
    kind: str
    keys: np.ndarray
    seqs: np.ndarray  # uint32

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each of ``keys``: the range ``[lo, hi)`` of its postings."""
        return (
            np.searchsorted(self.keys, keys, side="left"),
            np.searchsorted(self.keys, keys, side="right"),
        )


_KEY_DTYPE = {"band": np.uint64, "sample": np.uint32}


def band_postings(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit posting key per (document, band): the band's hash mixed with the band number,
    so equal values in different bands never meet. Shape ``(n, bands)``.

    >>> sig = np.arange(10, dtype=np.uint32).reshape(1, 10)
    >>> band_postings(sig, 2, 5).shape
    (1, 2)
    """
    keys = band_keys(signatures, bands, rows)
    with np.errstate(over="ignore"):
        salt = (np.arange(bands, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        return keys ^ salt


class IndexStore:
    """The SQLite file of a persistent index. One writer at a time (a lock in this process,
    SQLite's own lock across processes); readers on any thread, each with its own connection."""

    def __init__(self, path: Path, sketch: SketchConfig, bands: tuple[int, int]) -> None:
        self.path = path
        self.sketch = sketch
        self.bands, self.band_rows = bands
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path, sketch: SketchConfig, bands: tuple[int, int] = (25, 5)
    ) -> IndexStore:
        """Open (or create) the index file at ``path``; its sketch settings must be ``sketch``'s."""
        path = Path(path)
        if path.exists() and path.is_dir():
            raise IndexFileError(f"{path}: is a folder, not an index file")
        if not path.parent.exists():
            raise IndexFileError(f"{path}: its folder does not exist")
        try:
            with path.open("rb") as handle:
                head = handle.read(16)
        except FileNotFoundError:
            head = b""
        except OSError as exc:
            raise IndexFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
        if head and not head.startswith(b"SQLite format 3"):
            raise IndexFileError(f"{path}: not a reprints index (not an SQLite file)")
        store = cls(path, sketch, bands)
        settings = json.dumps(
            {
                "sketch": asdict(sketch),
                "bands": [store.bands, store.band_rows],
                "tokens": TOKENS_VERSION,
            },
            sort_keys=True,
        )
        try:
            # an existing index is only read here: opening never waits for a writer, works on a
            # read-only file and moves no generation
            if head:
                with store.reading() as con:
                    found = dict(con.execute("SELECT key, value FROM meta").fetchall())
                if "schema" in found:
                    store._check(found, settings)
                    return store
            with store._writing(bump=False) as w:
                for statement in _SCHEMA.strip().split(";"):
                    if statement.strip():
                        w.execute(statement)
                found = dict(w.execute("SELECT key, value FROM meta").fetchall())
                if "schema" in found:  # made by another process meanwhile
                    store._check(found, settings)
                    return store
                w.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                w.execute("INSERT INTO meta VALUES ('claims', ?)", (str(CLAIMS_VERSION),))
                w.execute("INSERT INTO meta VALUES ('claims_from', '0')")
                w.execute("INSERT INTO meta VALUES ('settings', ?)", (settings,))
                w.execute("INSERT INTO meta VALUES ('generation', '0')")
        except BaseException:
            store.close()
            raise
        return store

    def _check(self, meta: dict[str, str], settings: str) -> None:
        if meta.get("schema") not in READABLE_SCHEMAS:
            raise IndexFileError(
                f"{self.path}: index schema version {meta.get('schema')}, this reprints reads "
                f"{' and '.join(READABLE_SCHEMAS)}"
            )
        if meta.get("settings") != settings:
            stored = json.loads(meta.get("settings") or "{}")
            ours = json.loads(settings)
            theirs, mine = stored.get("tokens", 1), ours["tokens"]
            if theirs != mine:
                raise IndexFileError(
                    f"{self.path}: its fingerprints were made with tokens version {theirs}, "
                    f"this reprints reads text as version {mine} (look-alike letters, "
                    "diacritics, zero-width spaces and soft hyphens read through from version "
                    "2, mojibake and HTML character references from version 3); the same "
                    "texts would not match: make a new index from the same inputs"
                )
            raise IndexFileError(
                f"{self.path}: made with other fingerprint settings ({meta.get('settings')}); "
                "open it with those, or make a new index"
            )

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (a connection is used by the thread that made it only)."""
        con = getattr(self._local, "con", None)
        if con is None:
            try:
                # check_same_thread off so that close() may close every thread's connection
                con = sqlite3.connect(
                    self.path, timeout=60.0, isolation_level=None, check_same_thread=False
                )
                con.execute("PRAGMA journal_mode=WAL")
                con.execute("PRAGMA synchronous=NORMAL")
                # the log is cut back to this after a checkpoint (it is reused, not grown)
                con.execute("PRAGMA journal_size_limit=67108864")
            except sqlite3.DatabaseError as exc:
                raise IndexFileError(f"{self.path}: not a readable index ({exc})") from exc
            self._local.con = con
            with self._connections_lock:
                self._connections.append(con)
        return con

    def _codec(self) -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
        """This thread's zstd compressor and decompressor (they must not be shared)."""
        codec = getattr(self._local, "codec", None)
        if codec is None:
            codec = (zstandard.ZstdCompressor(level=3), zstandard.ZstdDecompressor())
            self._local.codec = codec
        return codec

    def close(self) -> None:
        """Close every thread's connection (the index is not used after this)."""
        with self._connections_lock:
            for con in self._connections:
                con.close()
            self._connections.clear()
        self._local = threading.local()

    @contextmanager
    def _writing(self, bump: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``: the writer's lock is taken at once). It
        commits with the generation moved on (``bump``), or rolls back on any error; SQLite's
        own errors (a full disk, a damaged file, a lock held too long) become
        :class:`IndexFileError` naming the file."""
        con = self.connection()
        with self._write_lock:
            try:
                con.execute("BEGIN IMMEDIATE")
                try:
                    self._upgrade(con)
                    yield con
                    if bump:  # every change moves the generation, read in readers' snapshots
                        con.execute(
                            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                            "WHERE key='generation'"
                        )
                    con.execute("COMMIT")
                except BaseException:
                    if con.in_transaction:  # SQLite may have rolled back already (disk full)
                        con.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise IndexFileError(f"{self.path}: cannot write ({exc})") from exc

    @staticmethod
    def _schema(con: sqlite3.Connection) -> str:
        """The schema version in ``con``'s snapshot (the current one for a file being made)."""
        try:
            row = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.OperationalError:  # no meta table yet: open() is making the file
            return str(SCHEMA_VERSION)
        return str(row[0]) if row is not None else str(SCHEMA_VERSION)

    def _upgrade(self, con: sqlite3.Connection) -> None:
        """Bring a version-1 file to version 2 inside the caller's write transaction (the
        version is read in it: another process may have done it meanwhile): the ``shown`` and
        ``credited`` columns, empty. The stored documents' claims stay NULL, read from their
        texts when they are read (:data:`CLAIMS`), so the upgrade rewrites nothing."""
        if self._schema(con) == "1":
            con.execute("ALTER TABLE docs ADD COLUMN shown TEXT")
            con.execute("ALTER TABLE docs ADD COLUMN credited INTEGER")
            con.execute("UPDATE meta SET value = ? WHERE key='schema'", (str(SCHEMA_VERSION),))
        if self._claims_from(con) is None:  # claims of another reading: stale from here on
            (first,) = con.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM docs").fetchone()
            for key, value in (("claims", CLAIMS_VERSION), ("claims_from", first)):
                con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(value)))

    @staticmethod
    def _claims_from(con: sqlite3.Connection) -> int | None:
        """The first ``seq`` whose stored claims this reprints reads (:data:`CLAIMS_VERSION`),
        or None where the file's claims are all of another reading."""
        try:
            rows = dict(con.execute("SELECT key, value FROM meta WHERE key LIKE 'claims%'"))
        except sqlite3.OperationalError:  # no meta table yet: open() is making the file
            return 0
        if rows.get("claims") != str(CLAIMS_VERSION):
            return None
        return int(rows.get("claims_from", 0))

    def claims(self, con: sqlite3.Connection) -> str:
        """The SQL columns of a document's claims in ``con``'s snapshot, ``(shown, credited,
        text or NULL)``: :data:`CLAIMS`, :data:`CLAIMS_V1` in a version-1 file or one whose
        claims are all of another reading, and the stored claims from ``claims_from`` on and
        the text before it in a file whose first documents were read otherwise."""
        if self._schema(con) == "1":
            return CLAIMS_V1
        first = self._claims_from(con)
        if first is None:
            return CLAIMS_V1
        if first == 0:
            return CLAIMS
        fresh = f"seq >= {int(first)}"
        return (
            f"CASE WHEN {fresh} THEN shown END, CASE WHEN {fresh} THEN credited END, "
            f"CASE WHEN NOT ({fresh}) OR credited IS NULL THEN text END"
        )

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every statement in it sees the same committed state. SQLite's
        errors (a damaged file) become :class:`IndexFileError` naming the file."""
        con = self.connection()
        try:
            con.execute("BEGIN")
            try:
                yield con
            finally:
                if con.in_transaction:
                    con.execute("COMMIT")
        except sqlite3.Error as exc:
            raise IndexFileError(f"{self.path}: cannot read ({exc})") from exc

    def generation(self, con: sqlite3.Connection) -> int:
        """A number every committed change moves on: read it in a read transaction
        (:meth:`reading`) to know what state that transaction sees, across processes."""
        row = con.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    # -- writing -----------------------------------------------------------------------------

    @contextmanager
    def adding(self, upsert: bool = False) -> Iterator[Adder]:
        """One add transaction: ``with store.adding() as add: add(docs); add(more)``. Everything
        added in the block is committed together when it ends, or not at all (an error, a kill).
        """
        with self._writing() as con:
            adder = Adder(self, con, upsert)
            yield adder
            # one segment per kind for the whole add, then merges
            for kind, (keys, seqs) in adder.postings().items():
                if len(keys):
                    self._write_segment(con, kind, keys, seqs)
                self._merge_tiers(con, kind)
            self._prune_removed(con)  # upserts remove too
        # fold the write-ahead log back into the file where no reader holds it (no waiting); the
        # add is committed already, so a failure here is not the add's
        with suppress(sqlite3.Error):
            self.connection().execute("PRAGMA wal_checkpoint(PASSIVE)")

    def remove(self, ids: Sequence[str], missing_ok: bool = False) -> int:
        """Remove the documents ``ids`` in one transaction; how many were there. An id not in the
        index is an :class:`InputError` naming it (nothing removed) unless ``missing_ok``."""
        with self._writing() as con:
            there = self.seq_of(con, ids)
            absent = [i for i in ids if i not in there]
            if absent and not missing_ok:
                raise InputError(f"document {absent[0]!r}", "not in the index; nothing removed")
            self._delete(con, list(there.values()))
            self._prune_removed(con)
            return len(there)

    def _prune_removed(self, con: sqlite3.Connection) -> None:
        """Once ``PRUNE_REMOVED_AT`` removed documents' postings linger, rewrite the segments
        holding them without them and forget the removed seqs (readers filter every lookup by
        that list)."""
        removed = self.removed(con)
        if len(removed) < PRUNE_REMOVED_AT:
            return
        for seg, _ in self.segment_sizes(con):
            part = self.load_segment(con, seg)
            alive = ~np.isin(part.seqs, removed)
            if not alive.all():
                con.execute("DELETE FROM segments WHERE seg=?", (seg,))
                self._write_segment(con, part.kind, part.keys[alive], part.seqs[alive])
        con.execute("DELETE FROM removed")

    def set_vectors(self, seqs: Sequence[int], vectors: np.ndarray) -> None:
        """Store the rewrite level's vector of each document (one transaction)."""
        with self._writing() as con:
            con.executemany(
                "UPDATE docs SET vector=? WHERE seq=?",
                (
                    (np.ascontiguousarray(v, dtype="<f4").tobytes(), int(s))
                    for s, v in zip(seqs, vectors, strict=True)
                ),
            )

    def reset_vectors(self, made_by: str) -> None:
        """Forget every stored vector: they are to be made again by the embedder ``made_by``."""
        with self._writing() as con:
            con.execute("UPDATE docs SET vector = NULL WHERE vector IS NOT NULL")
            con.execute("INSERT OR REPLACE INTO meta VALUES ('vectors_by', ?)", (made_by,))

    def seq_of(self, con: sqlite3.Connection, ids: Sequence[str]) -> dict[str, int]:
        """The seq number of each of ``ids`` that is in the index."""
        found: dict[str, int] = {}
        for chunk, marks in _in_chunks(list(ids)):
            query = f"SELECT id, seq FROM docs WHERE id IN ({marks})"
            found.update(con.execute(query, chunk))
        return found

    def _delete(self, con: sqlite3.Connection, seqs: list[int]) -> None:
        """Remove the stored documents ``seqs`` (their postings linger, listed as removed)."""
        con.executemany("INSERT OR IGNORE INTO removed VALUES (?)", [(s,) for s in seqs])
        for chunk, marks in _in_chunks(seqs):
            con.execute(f"DELETE FROM docs WHERE seq IN ({marks})", chunk)

    def _write_segment(
        self, con: sqlite3.Connection, kind: str, keys: np.ndarray, seqs: np.ndarray
    ) -> None:
        """Store postings sorted by (key, seq). ``seqs`` must come in ascending order within each
        key already (as new documents' and older segments' postings do), so one stable sort by
        key is enough; 32-bit keys are sorted packed with their seq, as one 64-bit value."""
        seqs = np.asarray(seqs, dtype=np.uint32)
        if kind == "sample":
            packed = (np.asarray(keys, dtype=np.uint64) << np.uint64(32)) | seqs.astype(np.uint64)
            packed.sort()
            keys = (packed >> np.uint64(32)).astype(np.uint32)
            seqs = (packed & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        else:
            order = np.argsort(keys, kind="stable")
            keys = np.ascontiguousarray(np.asarray(keys)[order], dtype=_KEY_DTYPE[kind])
            seqs = np.ascontiguousarray(seqs[order])
        con.execute(
            "INSERT INTO segments (kind, n, keys, seqs) VALUES (?,?,?,?)",
            (kind, len(keys), keys.tobytes(), seqs.tobytes()),
        )

    def _merge_tiers(self, con: sqlite3.Connection, kind: str) -> None:
        """Merge segments of one size tier (sizes within a factor of ``MERGE_FANOUT``) once the
        tier holds ``MERGE_FANOUT`` of them, dropping removed documents' postings on the way.
        Each posting is rewritten about once per tier it climbs (log of the index size over
        the add size), and a key is looked up in a few segments per tier."""
        removed = self.removed(con)  # a merge removes nothing itself
        while True:
            rows = con.execute(
                "SELECT seg, n FROM segments WHERE kind=? ORDER BY seg", (kind,)
            ).fetchall()
            tiers: dict[int, list[tuple[int, int]]] = {}
            for seg, n in rows:
                tiers.setdefault(_tier(n), []).append((seg, n))
            group = next(
                (
                    members[:MERGE_FANOUT]
                    for _, members in sorted(tiers.items())
                    if len(members) >= MERGE_FANOUT
                    and sum(n for _, n in members[:MERGE_FANOUT]) <= SEGMENT_CAP
                ),
                None,
            )
            if group is None:
                return
            parts = [self.load_segment(con, seg) for seg, _ in group]  # oldest first
            keys = np.concatenate([p.keys for p in parts])
            seqs = np.concatenate([p.seqs for p in parts])
            alive = ~np.isin(seqs, removed)
            marks = ",".join("?" * len(group))
            con.execute(f"DELETE FROM segments WHERE seg IN ({marks})", [g for g, _ in group])
            self._write_segment(con, kind, keys[alive], seqs[alive])

    # -- reading -----------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.connection().execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def removed(self, con: sqlite3.Connection) -> np.ndarray:
        """Seq numbers of removed documents (``uint32``, sorted) whose postings may linger."""
        rows = con.execute("SELECT seq FROM removed ORDER BY seq").fetchall()
        return np.asarray([r[0] for r in rows], dtype=np.uint32)

    def segment_sizes(self, con: sqlite3.Connection) -> list[tuple[int, int]]:
        """``(segment number, postings)`` of the segments in the file now, oldest first
        (numbers are never reused: ``AUTOINCREMENT``)."""
        return [(s, n) for s, n in con.execute("SELECT seg, n FROM segments ORDER BY seg")]

    def load_segment(self, con: sqlite3.Connection, seg: int) -> Segment:
        """One posting segment, its arrays read straight from the blobs."""
        row = con.execute("SELECT kind, keys, seqs FROM segments WHERE seg=?", (seg,)).fetchone()
        if row is None:
            raise IndexFileError(f"{self.path}: segment {seg} is gone")
        found, keys, seqs = row
        return Segment(
            seg,
            found,
            np.frombuffer(keys, dtype=_KEY_DTYPE[found]),
            np.frombuffer(seqs, dtype=np.uint32),
        )

    def rows(
        self, con: sqlite3.Connection, seqs: Sequence[int], columns: Sequence[str]
    ) -> dict[int, tuple[Any, ...]]:
        """The given columns of the documents ``seqs`` (those still there), by seq."""
        cols = ", ".join(columns)
        out: dict[int, tuple[Any, ...]] = {}
        for chunk, marks in _in_chunks([int(s) for s in seqs]):
            for row in con.execute(f"SELECT seq, {cols} FROM docs WHERE seq IN ({marks})", chunk):
                out[row[0]] = row[1:]
        return out

    def text(self, blob: bytes) -> str:
        return self._codec()[1].decompress(blob).decode("utf-8", "surrogatepass")

    def size_on_disk(self) -> int:
        """Bytes of the index file and its write-ahead log."""
        total = 0
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(self.path) + suffix)
            if p.exists():
                total += p.stat().st_size
        return total


def _tier(n: int) -> int:
    """The size tier of a segment of ``n`` postings: ``floor(log_4(n))``.

    >>> _tier(3), _tier(4), _tier(1000)
    (0, 1, 4)
    """
    tier = 0
    while n >= MERGE_FANOUT:
        n //= MERGE_FANOUT
        tier += 1
    return tier


def _in_chunks(values: list[Any]) -> Iterator[tuple[list[Any], str]]:
    """``values`` in chunks of 500 with their ``?`` placeholders, for ``IN (...)`` queries
    (SQLite bounds the parameters of one statement)."""
    for lo in range(0, len(values), 500):
        chunk = values[lo : lo + 500]
        yield chunk, ",".join("?" * len(chunk))


def pack_text(text: str, compressor: zstandard.ZstdCompressor) -> bytes:
    """A text as the index stores it: zstd (level 3, the ``compressor``'s) of its UTF-8."""
    return compressor.compress(text.encode("utf-8", "surrogatepass"))


class Adder:
    """Adds batches of documents inside one open write transaction (see
    :meth:`IndexStore.adding`)."""

    def __init__(self, store: IndexStore, con: sqlite3.Connection, upsert: bool) -> None:
        self.store = store
        self.con = con
        self.upsert = upsert
        self.replaced = 0  # stored documents an upsert replaced
        self._postings: dict[str, tuple[list[np.ndarray], list[np.ndarray]]] = {
            "band": ([], []),
            "sample": ([], []),
        }

    def postings(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Every posting of this add, by kind: ``(keys, seqs)``, seqs ascending."""
        out = {}
        for kind, (keys, seqs) in self._postings.items():
            out[kind] = (
                np.concatenate(keys) if keys else np.empty(0, dtype=_KEY_DTYPE[kind]),
                np.concatenate(seqs) if seqs else np.empty(0, dtype=np.uint32),
            )
        return out

    def __call__(self, docs: Sequence[StoredDoc]) -> list[int]:
        """Store ``docs`` and their postings; their new ``seq`` numbers.

        A duplicate id (in the index, earlier in this transaction, or twice in ``docs``) is an
        :class:`InputError` naming it, and the whole transaction is rolled back, unless
        ``upsert``: the stored document is replaced.
        """
        store, con = self.store, self.con
        seen: set[str] = set()  # the reader already rejects these; a guard for other callers
        for d in docs:
            if d.id in seen:
                raise InputError(f"document {d.id!r}", "given twice in one add")
            seen.add(d.id)
        if not docs:
            return []
        taken = store.seq_of(con, [d.id for d in docs])
        if taken and not self.upsert:
            first = next(d.id for d in docs if d.id in taken)
            more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
            raise InputError(
                f"document {first!r}",
                f"already in the index{more}: remove it first, or add with upsert",
            )
        if taken:
            store._delete(con, list(taken.values()))
            self.replaced += len(taken)
        # seq numbers are never reused (a removed document's postings may linger)
        last = con.execute("SELECT value FROM meta WHERE key='last_seq'").fetchone()
        first_seq = (int(last[0]) if last else 0) + 1
        seqs = list(range(first_seq, first_seq + len(docs)))
        zc = store._codec()[0]
        con.executemany(
            "INSERT INTO docs (seq, id, date, fields, text, exact, n_tokens, cleanliness,"
            " signature, samples, shingles, shown, credited)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                (
                    seq,
                    d.id,
                    d.date,
                    json.dumps(d.fields, ensure_ascii=False, default=str),
                    d.packed_text if d.packed_text is not None else pack_text(d.text, zc),
                    np.ascontiguousarray(d.exact, dtype="<u8").tobytes(),
                    int(d.n_tokens),
                    float(d.cleanliness),
                    np.ascontiguousarray(d.signature, dtype="<u4").tobytes(),
                    np.ascontiguousarray(d.samples, dtype="<u4").tobytes(),
                    np.ascontiguousarray(d.shingles, dtype="<u8").tobytes(),
                    d.shown,
                    int(d.credited),
                )
                for seq, d in zip(seqs, docs, strict=True)
            ),
        )
        con.execute("INSERT OR REPLACE INTO meta VALUES ('last_seq', ?)", (str(seqs[-1]),))
        seq_arr = np.asarray(seqs, dtype=np.uint32)
        with_words = [i for i, d in enumerate(docs) if d.n_tokens > 0]
        if with_words:
            sig = np.stack([docs[i].signature for i in with_words]).astype(np.uint32)
            keys = band_postings(sig, store.bands, store.band_rows)
            self._postings["band"][0].append(keys.ravel())
            self._postings["band"][1].append(np.repeat(seq_arr[with_words], store.bands))
        counts = [len(d.samples) for d in docs]
        if sum(counts):
            self._postings["sample"][0].append(np.concatenate([d.samples for d in docs]))
            self._postings["sample"][1].append(np.repeat(seq_arr, counts))
        return seqs
