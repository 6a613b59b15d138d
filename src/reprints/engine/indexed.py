"""The persistent-index engine: the same stages as a scan, run over documents kept in an index file.

:class:`Index` keeps every document it is given (fingerprints, text, fields) in one SQLite file
(:mod:`reprints.index.persist`) and answers two questions:

- **query**: is this document a reprint of anything stored, and of what? The document is
  fingerprinted, its neighbourhood (the stored documents sharing an LSH band or enough sampled
  shingles with it; at ``rewrite`` also its nearest documents by lead embedding) is read from the
  file, and the scan's own stages (candidates, verification, evidence, clustering) run over the
  document and its neighbourhood, with the boilerplate model fed the sampled keys' frequencies
  over the whole index. The answer: each verified match with relation, figures, passages and
  ``why``, and the cluster the document joins within its neighbourhood, with its canonical member.
  That member is chosen among the neighbourhood's members only: where it misses a member of
  the full cluster (one that prints a date line, a second line that makes lines the pages' own
  rather than the story's), it can name another canonical member than export does.
- **export**: the pairs and clusters of everything stored, computed by the scan's stages over the
  stored fingerprints: the same answer as ``reprints scan`` over the same documents, however they
  were added (one batch, many, one at a time, removed and added again), since a scan's answer does
  not depend on the order of its input.

>>> import tempfile, os
>>> index = Index.open(os.path.join(tempfile.mkdtemp(), "news.db"))
>>> index.add([{"id": "a", "text": "Heavy rain flooded the valley towns on Monday night."}])
AddResult(added=1, replaced=0, skipped=0)
>>> index.stats()["documents"]
1
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import zstandard

from reprints.config import Level, ScanConfig
from reprints.engine.local import LocalEngine, _quiet_worker, batches
from reprints.evidence.embed import Embedder, load_embedder
from reprints.evidence.rewrite import (
    MIN_COSINE,
    NEIGHBOURS,
    document_vectors,
    lead_passages,
)
from reprints.index.lsh import optimal_bands
from reprints.index.persist import IndexStore, Segment, StoredDoc, band_postings, pack_text
from reprints.index.store import Locations, MemoryStore, csr_of
from reprints.index.table import SketchTable
from reprints.index.vectors import CONNECTIVITY, EXACT_UP_TO, available
from reprints.io.reader import (
    DocumentReader,
    Parsed,
    RawLines,
    ReadStats,
    parse_lines,
    parse_record,
)
from reprints.output.write import write_results
from reprints.result import Cluster, Pair, ScanResult
from reprints.sketch.minhash import Permutations
from reprints.sketch.records import fingerprint_records, page_claims
from reprints.text.urls import view_and_site

MAX_NEIGHBOURS = 64
"""Stored documents a query is verified against at most (those sharing the most sampled keys)."""

DocumentLike = Mapping[str, Any]
"""A document given from Python: a mapping with the id and text fields (``id``, ``text`` unless
the read settings name others) and any other fields (``title``, ``date``, ``url``, ``lang``)."""


@dataclass(frozen=True, slots=True)
class AddResult:
    """What an add did: documents added, replaced (with upsert) and skipped (bad records, with
    ``on_error="skip"``; empty texts)."""

    added: int
    replaced: int
    skipped: int


@dataclass(frozen=True, slots=True)
class QueryAnswer:
    """A queried document's verified matches among the stored documents (each a :class:`Pair`
    with the queried document on one side) and the cluster it joins (None when it joins
    nothing)."""

    id: str
    matches: list[Pair]
    cluster: Cluster | None
    added: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "matches": [p.to_dict() for p in self.matches],
            "cluster": self.cluster.to_dict() if self.cluster else None,
            "added": self.added,
        }


@dataclass(slots=True)
class _Incoming:
    """Query or add documents, fingerprinted, in the order given."""

    docs: list[StoredDoc] = field(default_factory=list)
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class _PostingSnapshot:
    """The posting segments and removed seqs of one generation of the file (immutable: a
    refresh swaps in a new one, so a reader never mixes two generations)."""

    generation: int | None = None
    segments: tuple[Segment, ...] = ()
    removed: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint32))

    def holders(self, kind: str, keys: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
        """``(key_index, seq)`` of the live postings of ``keys``, at most ``cap`` per key (a
        longer list is a template or a widely copied text: its first ``cap`` live holders).
        Removed documents' postings are dropped before the cap, so they never hide live ones."""
        extra = len(self.removed)
        idx_parts: list[np.ndarray] = []
        seq_parts: list[np.ndarray] = []
        for seg in self.segments:
            if seg.kind != kind:
                continue
            lo, hi = seg.lookup(keys)
            hi = np.minimum(hi, lo + cap + extra)  # at most ``extra`` of them can be removed
            lens = hi - lo
            total = int(lens.sum())
            if not total:
                continue
            owner = np.repeat(np.arange(len(keys)), lens)
            first = np.repeat(lo - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
            idx_parts.append(owner)
            seq_parts.append(seg.seqs[first + np.arange(total)])
        if not idx_parts:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        idx = np.concatenate(idx_parts)
        seqs = np.concatenate(seq_parts).astype(np.int64)
        if extra:
            live = ~np.isin(seqs, self.removed)
            idx, seqs = idx[live], seqs[live]
        # the first ``cap`` per key (over all segments, oldest first)
        order = np.argsort(idx, kind="stable")
        idx, seqs = idx[order], seqs[order]
        starts = np.searchsorted(idx, idx, side="left")
        keep = np.arange(len(idx)) - starts < cap
        return idx[keep], seqs[keep]

    def frequencies(self, keys: np.ndarray, cap: int = 255) -> np.ndarray:
        """Live documents holding each sampled key, saturating at ``cap`` (``uint8`` in a scan)."""
        counts = np.zeros(len(keys), dtype=np.int64)
        if not len(keys):
            return counts
        unique, inverse = np.unique(keys, return_inverse=True)
        idx, _ = self.holders("sample", unique, cap)
        found = np.bincount(idx, minlength=len(unique))
        return np.minimum(found, cap)[inverse]


class _Postings:
    """The index's posting segments held in memory, refreshed when the file changes."""

    def __init__(self) -> None:
        self.snapshot = _PostingSnapshot()
        self._lock = threading.Lock()

    def at(self, store: IndexStore, con: Any) -> _PostingSnapshot:
        """The snapshot of the generation ``con``'s read transaction sees (loading the segments
        it does not hold yet: a segment number is never reused, and its size is checked)."""
        generation = store.generation(con)
        with self._lock:
            current = self.snapshot
            if current.generation == generation:
                return current
            held = {(s.seg, len(s.keys)): s for s in current.segments}
            segments = tuple(
                held.get((seg, n)) or store.load_segment(con, seg)
                for seg, n in store.segment_sizes(con)
            )
            self.snapshot = _PostingSnapshot(generation, segments, store.removed(con))
            return self.snapshot


class _Vectors:
    """The stored documents' lead vectors (the rewrite level's), searched for a query's nearest.

    The vectors live in the index file (``docs.vector``, written with the documents' other data
    in transactions), so they are always consistent with it; documents added since the last
    rewrite-level query get theirs on the next one. Search is exact up to
    :data:`reprints.index.vectors.EXACT_UP_TO` vectors; past it, through a usearch HNSW index kept
    in a file beside the index (``PATH.vectors.usearch``), a cache rebuilt or brought up to date
    from the file's vectors whenever the index has changed since it was saved.
    """

    def __init__(self, path: Path) -> None:
        self.cache = Path(str(path) + ".vectors.usearch")
        self.generation: int | None = None
        self.seqs = np.empty(0, dtype=np.int64)
        self.matrix = np.empty((0, 0), dtype=np.float32)
        self.ann: Any = None

    def refresh(self, store: IndexStore, embedder: Embedder, name: str, chunk: int = 256) -> None:
        """Embed the documents that have no vector yet (or one from another embedder), then
        load every vector."""
        with store.reading() as con:
            made_by = con.execute("SELECT value FROM meta WHERE key='vectors_by'").fetchone()
        if made_by is None or made_by[0] != name:
            store.reset_vectors(name)
        while True:
            with store.reading() as con:
                rows = con.execute(
                    "SELECT seq, text FROM docs WHERE vector IS NULL ORDER BY seq LIMIT ?",
                    (chunk,),
                ).fetchall()
            if not rows:
                break
            leads = [lead_passages(store.text(text)) for _, text in rows]
            store.set_vectors([seq for seq, _ in rows], document_vectors(leads, embedder))
        with store.reading() as con:
            generation = store.generation(con)
            if generation == self.generation:
                return
            rows = con.execute(
                "SELECT seq, vector FROM docs WHERE vector IS NOT NULL ORDER BY seq"
            ).fetchall()
        self.seqs = np.asarray([seq for seq, _ in rows], dtype=np.int64)
        self.matrix = (
            np.stack([np.frombuffer(v, dtype="<f4") for _, v in rows])
            if rows
            else np.empty((0, 0), dtype=np.float32)
        )
        self.ann = self._ann(generation) if len(rows) > EXACT_UP_TO and available() else None
        self.generation = generation

    def _ann(self, generation: int) -> Any:
        """The HNSW index of the vectors: loaded from its file when that was saved at this
        generation, else built (documents in seq order, one thread) and saved."""
        from usearch.index import Index as Hnsw

        stamp = Path(str(self.cache) + ".generation")
        if self.cache.exists() and stamp.exists() and stamp.read_text() == str(generation):
            return Hnsw.restore(str(self.cache))
        index = Hnsw(ndim=self.matrix.shape[1], metric="ip", dtype="f32", connectivity=CONNECTIVITY)
        index.add(self.seqs.astype(np.uint64), self.matrix, threads=1)
        tmp = Path(str(self.cache) + ".tmp")
        index.save(str(tmp))
        tmp.replace(self.cache)  # the stamp follows the file: a kill between leaves it stale
        stamp.write_text(str(generation))
        return index

    def knn_mean(
        self, vectors: np.ndarray, own: list[int | None], hidden: set[int], k: int
    ) -> np.ndarray:
        """Each vector's mean cosine to its ``k`` nearest among the stored vectors and the
        queried ones (the rows whose ``own`` is None; the others are stored documents, already
        among the stored vectors): row ``i`` leaves out the stored document ``own[i]`` (itself)
        and every seq in ``hidden`` (stored documents a queried one stands for)."""
        n = len(vectors)
        vectors = vectors.astype(np.float32)
        if len(self.seqs) and self.ann is None:
            stored = vectors @ self.matrix.T
            drop = np.isin(self.seqs, list(hidden)) if hidden else np.zeros(len(self.seqs), bool)
            stored[:, drop] = -np.inf
            for i, seq in enumerate(own):
                if seq is not None:
                    stored[i, self.seqs == seq] = -np.inf
        elif len(self.seqs):
            keys, stored = self._search(vectors, k + len(hidden) + 1)
            for i, seq in enumerate(own):
                stored[
                    i, np.isin(keys[i], [*hidden, -1] + ([seq] if seq is not None else []))
                ] = -np.inf
        else:
            stored = np.empty((n, 0))
        queried = [i for i, seq in enumerate(own) if seq is None]
        among = vectors @ vectors[queried].T
        among[queried, np.arange(len(queried))] = -np.inf  # not itself
        sims = np.concatenate([stored, among], axis=1)
        take = min(k, sims.shape[1])
        if take == 0:
            return np.full(n, np.nan)
        best = -np.partition(-sims, take - 1, axis=1)[:, :take]
        finite = np.isfinite(best)
        counts = finite.sum(axis=1)
        total = np.where(finite, best, 0.0).sum(axis=1)
        return np.where(counts > 0, total / np.maximum(counts, 1), np.nan)

    def _search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """``(seqs, cosines)`` of each vector's ``k`` nearest in the HNSW file, one row each."""
        assert self.ann is not None
        found = self.ann.search(vectors, k)
        keys = np.asarray(found.keys, dtype=np.int64).reshape(len(vectors), -1)
        return keys, 1.0 - np.asarray(found.distances, dtype=np.float64).reshape(len(vectors), -1)

    def vector_of(self, seq: int) -> np.ndarray | None:
        at = int(np.searchsorted(self.seqs, seq))
        if at < len(self.seqs) and self.seqs[at] == seq:
            return self.matrix[at]
        return None

    def nearest(self, vectors: np.ndarray, k: int, min_cos: float) -> list[list[int]]:
        """Seqs of each vector's ``k`` nearest stored documents with cosine ``min_cos`` or more."""
        if not len(self.seqs):
            return [[] for _ in vectors]
        if self.ann is not None:
            keys, cos = self._search(vectors.astype(np.float32), k)
            return [
                [int(key) for key, c in zip(row, crow, strict=True) if c >= min_cos]
                for row, crow in zip(keys, cos, strict=True)
            ]
        sims = vectors.astype(np.float32) @ self.matrix.T
        take = min(k, sims.shape[1])
        best = np.argsort(-sims, axis=1, kind="stable")[:, :take]
        return [
            [int(self.seqs[j]) for j in row if sims[i, j] >= min_cos] for i, row in enumerate(best)
        ]


class _Texts:
    """Texts of a workspace's documents, by table index (held in memory)."""

    def __init__(self, texts: list[str], langs: dict[int, str]) -> None:
        self._texts = texts
        self._langs = langs

    def read(self, wanted: Iterable[int]) -> list[str]:
        return [self._texts[int(i)] for i in wanted]

    def stream(self) -> Iterator[tuple[int, str]]:
        yield from enumerate(self._texts)

    def rereadable(self) -> bool:
        return True

    @property
    def given_lang(self) -> dict[int, str]:
        return self._langs


class _StoredTexts:
    """Texts of every stored document, by table index, read from the index file."""

    def __init__(self, store: IndexStore, seqs: list[int], langs: dict[int, str]) -> None:
        self._store = store
        self._seqs = seqs
        self._langs = langs

    def read(self, wanted: Iterable[int]) -> list[str]:
        want = [int(i) for i in wanted]
        rows = self._store.rows(self._store.connection(), [self._seqs[i] for i in want], ["text"])
        return [self._store.text(rows[self._seqs[i]][0]) for i in want]

    def stream(self) -> Iterator[tuple[int, str]]:
        for lo in range(0, len(self._seqs), 1000):
            chunk = list(range(lo, min(lo + 1000, len(self._seqs))))
            yield from zip(chunk, self.read(chunk), strict=True)

    def rereadable(self) -> bool:
        return True

    @property
    def given_lang(self) -> dict[int, str]:
        return self._langs


class _StoredShingles:
    """The shingle store of a table built from the index file: a document's location is its seq
    number (``start``); read only."""

    def __init__(self, store: IndexStore) -> None:
        self._store = store

    def read(self, where: Locations) -> tuple[np.ndarray, np.ndarray]:
        seqs = where.start.tolist()
        rows = self._store.rows(self._store.connection(), seqs, ["shingles"])
        return csr_of([np.frombuffer(rows[s][0], dtype="<u8") for s in seqs])

    def writer(self, name: str) -> Any:
        raise NotImplementedError("the index's shingles are written by IndexStore.add")

    def locate(self, batch: Any, rows: np.ndarray) -> Locations:
        raise NotImplementedError("the index's shingles are located by seq")

    def remove(self) -> None:
        pass


def _encodable(text: str) -> bool:
    """Whether ``text`` can be stored as UTF-8 (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _lang(fields: Mapping[str, Any]) -> str | None:
    lang = fields.get("lang")
    return lang.strip() if isinstance(lang, str) and lang.strip() else None


def _table(docs: Sequence[StoredDoc], num_perm: int, store: Any, where: Locations) -> SketchTable:
    """A sketch table of ``docs`` whose shingles ``store`` holds at ``where``."""
    sample_offsets, samples = csr_of([d.samples.astype(np.uint64) for d in docs])
    signatures = (
        np.stack([d.signature for d in docs]).astype(np.uint32)
        if docs
        else np.empty((0, num_perm), dtype=np.uint32)
    )
    urls = [view_and_site(d.fields.get("url")) for d in docs]
    return SketchTable(
        ids=[d.id for d in docs],
        dates=[d.date for d in docs],
        exact=np.stack([d.exact for d in docs]).astype(np.uint64)
        if docs
        else np.empty((0, 2), dtype=np.uint64),
        n_tokens=np.array([d.n_tokens for d in docs], dtype=np.int64),
        cleanliness=np.array([d.cleanliness for d in docs], dtype=np.float64),
        signature_chunks=[signatures],
        sample_offsets=sample_offsets,
        samples=samples.astype(np.uint32),
        store=store,
        locations=where,
        views=np.array([view for view, _ in urls], dtype=bool),
        sites=np.array([site for _, site in urls], dtype=np.int64),
        shown=[d.shown for d in docs],
        credited=np.array([d.credited for d in docs], dtype=bool),
    )


def _stored(row: Sequence[Any], store: IndexStore, with_text: bool = True) -> StoredDoc:
    """A :class:`StoredDoc` from a ``docs`` row ``(id, date, fields, text, exact, n_tokens,
    cleanliness, signature, samples, shingles)`` and its claims ``(shown, credited, unread)``
    (:meth:`IndexStore.claims`: ``unread`` is the stored text where the claims were never read,
    a document stored by a version-1 reprints; they are read from it here)."""
    doc_id, date, fields, text, exact, n_tokens, clean, signature, samples, shingles = row[:10]
    line, credit, unread = row[10:]
    if credit is None:
        line, credit = page_claims(store.text(unread)) if unread is not None else (None, False)
    return StoredDoc(
        id=doc_id,
        text=store.text(text) if with_text else "",
        date=date,
        fields=json.loads(fields),
        exact=np.frombuffer(exact, dtype="<u8"),
        n_tokens=int(n_tokens),
        cleanliness=float(clean),
        signature=np.frombuffer(signature, dtype="<u4"),
        samples=np.frombuffer(samples, dtype="<u4"),
        shingles=np.frombuffer(shingles, dtype="<u8"),
        shown=line,
        credited=bool(credit),
    )


_DOC_COLUMNS = (
    "id",
    "date",
    "fields",
    "text",
    "exact",
    "n_tokens",
    "cleanliness",
    "signature",
    "samples",
    "shingles",
)


_WORKER: dict[str, Any] = {}


def _init_index_worker(config: ScanConfig) -> None:
    _quiet_worker()
    _WORKER["config"] = config
    _WORKER["perms"] = Permutations.create(config.sketch.num_perm, config.sketch.seed)
    _WORKER["zstd"] = zstandard.ZstdCompressor(level=3)


def _index_work(
    records: list[Parsed | RawLines],
) -> tuple[list[Parsed], list[StoredDoc | None], list[str | None]]:
    """A batch fingerprinted in a worker, texts compressed there (less to send back, less for
    the writing process to do)."""
    parsed, docs, notes = stored_docs(records, _WORKER["config"], _WORKER["perms"])
    zc = _WORKER["zstd"]
    packed = [
        None if d is None else dataclasses.replace(d, text="", packed_text=pack_text(d.text, zc))
        for d in docs
    ]
    return parsed, packed, notes


def stored_docs(
    records: list[Parsed | RawLines], config: ScanConfig, perms: Permutations
) -> tuple[list[Parsed], list[StoredDoc | None], list[str | None]]:
    """Parse a batch of records and fingerprint every one that is a document, keeping its text
    and fields: ``(parsed, docs, notes)``, ``docs[i]`` None where ``parsed[i]`` is no document
    (an error, an empty text), ``notes[i]`` what reading it noted (a date that is not ISO).
    A pure function of the batch (it runs in worker processes); the reading policy (duplicate
    ids, errors) is applied afterwards, in input order."""
    parsed: list[Parsed] = []
    for record in records:
        parsed.extend(
            parse_lines(record, config.read) if isinstance(record, RawLines) else [record]
        )
    for p in parsed:
        if p.error is None and p.doc_id is not None and not _encodable(p.doc_id):
            p.error = ("id is not valid text (it holds a lone surrogate)", "bad_id")
    kept = [i for i, p in enumerate(parsed) if p.error is None and not p.empty and p.text]
    out: list[StoredDoc | None] = [None] * len(parsed)
    notes: list[str | None] = [None] * len(parsed)
    if not kept:
        return parsed, out, notes
    chosen = [parsed[i] for i in kept]
    texts = [p.text or "" for p in chosen]
    fields = [dict(p.fields) for p in chosen]
    ids = [p.doc_id or "" for p in chosen]
    memory = MemoryStore()
    done = fingerprint_records(chosen, config, perms, memory.writer("b"))
    sketch = done.sketch
    rows = np.asarray(done.rows, dtype=np.int64)
    offsets, flat = memory.read(memory.locate(done.where, rows))
    for k, row in enumerate(rows.tolist()):
        s0, s1 = int(sketch.sample_offsets[row]), int(sketch.sample_offsets[row + 1])
        notes[kept[k]] = done.bad_dates[k]
        out[kept[k]] = StoredDoc(
            id=ids[k],
            text=texts[k],
            date=done.dates[k],
            fields=fields[k],
            exact=sketch.exact[row].copy(),
            n_tokens=int(sketch.n_tokens[row]),
            cleanliness=float(sketch.cleanliness[row]),
            signature=sketch.signatures[row].copy(),
            samples=sketch.samples[s0:s1].copy(),
            shingles=flat[offsets[k] : offsets[k + 1]].copy(),
            shown=done.shown[k],
            credited=done.credited[k],
        )
    return parsed, out, notes


class Index:
    """A persistent index of documents: add, query, remove, export (see the module's text).

    Open one with :meth:`open`; every method may be called from several threads (one add or
    remove runs at a time; queries run beside it and see the last committed state).
    """

    def __init__(self, store: IndexStore, config: ScanConfig) -> None:
        self.store = store
        self.config = config
        self._perms = Permutations.create(config.sketch.num_perm, config.sketch.seed)
        self._postings = _Postings()
        self._vectors = _Vectors(store.path)
        self._vector_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        path: str | Path,
        level: str | Level | None = None,
        config: ScanConfig | None = None,
        **settings: Any,
    ) -> Index:
        """Open the index file at ``path``, creating it on first use. ``level`` (default
        ``near``) is the level queries and exports use unless they name one; ``settings`` as for
        :func:`reprints.scan` (the fingerprint settings must be those the file was made with)."""
        config = ScanConfig.from_settings(level=level, config=config, **settings)
        bands = optimal_bands(config.candidates.lsh_threshold, config.sketch.num_perm)
        store = IndexStore.open(path, config.sketch, bands)
        return cls(store, config)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading documents -------------------------------------------------------------------

    def _level_config(self, level: str | Level | None) -> ScanConfig:
        config = self.config
        if level is not None:
            config = dataclasses.replace(config, level=Level.parse(level))
        # the stages run in this process over a small workspace (or the stored table)
        return dataclasses.replace(config, workers=1, progress=False)

    def _parsed(
        self, docs: Iterable[DocumentLike] | None, inputs: Sequence[str], stats: ReadStats
    ) -> Iterator[list[Parsed | RawLines]]:
        """Batches of records, from Python mappings (parsed) or from input files."""
        read = self.config.read
        if docs is not None:
            batch: list[Parsed] = []
            for n, record in enumerate(docs, 1):
                if not isinstance(record, Mapping):
                    batch.append(
                        Parsed(f"document {n}", error=("record is not an object", "malformed"))
                    )
                else:
                    batch.append(parse_record(dict(record), f"document {n}", read))
                if len(batch) >= 1024:
                    yield batch
                    batch = []
            if batch:
                yield batch
            return
        reader = DocumentReader(read, stats)
        # JSONL stays raw blocks of lines here: they are parsed where they are fingerprinted
        yield from batches(reader.records(inputs))

    def _fingerprint(
        self, batches_of: Iterator[list[Parsed | RawLines]], stats: ReadStats, workers: int = 1
    ) -> Iterator[_Incoming]:
        """Each batch's accepted documents, fingerprinted (bad records follow ``on_error``):
        parsed and fingerprinted in ``config.workers`` processes, accepted here in input order
        (ids checked for duplicates, errors raised or counted in order)."""
        reader = DocumentReader(self.config.read, stats)
        config = self.config
        done: Iterable[tuple[list[Parsed], list[StoredDoc | None], list[str | None]]]
        if workers > 1:
            config = dataclasses.replace(config, workers=workers, progress=False)
            init = (config,)
            done = LocalEngine(config)._pool_map(batches_of, _index_work, _init_index_worker, init)
        else:
            done = (stored_docs(batch, config, self._perms) for batch in batches_of)
        for parsed, docs, notes in done:
            incoming = _Incoming()
            for p, doc, note in zip(parsed, docs, notes, strict=True):
                if reader.accept(p) and doc is not None:
                    incoming.docs.append(doc)
                    if note:
                        stats.warn(note)
                else:
                    incoming.skipped += 1
            yield incoming

    # -- writing -----------------------------------------------------------------------------

    def add(
        self,
        docs: Iterable[DocumentLike] | None = None,
        inputs: Sequence[str | Path] = (),
        upsert: bool = False,
        stats: ReadStats | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> AddResult:
        """Add documents (``docs``: mappings with ``id`` and ``text``; or ``inputs``: files and
        folders as for a scan), all in one transaction: a failure or a kill part way leaves the
        index as it was. A duplicate id is an :class:`~reprints.errors.InputError` naming it,
        unless ``upsert`` (the stored document is replaced). ``progress`` is called with each
        batch's size."""
        stats = stats or ReadStats()
        added = skipped = 0
        records = self._parsed(docs, [str(i) for i in inputs], stats)
        incoming = self._fingerprint(records, stats, self.config.workers)
        # closing: a worker pool behind it stops at once on an error, not when it is collected
        with contextlib.closing(incoming), self.store.adding(upsert) as add:
            for batch in incoming:
                skipped += batch.skipped
                add(batch.docs)
                added += len(batch.docs)
                if progress is not None:
                    progress(len(batch.docs) + batch.skipped)
        return AddResult(added - add.replaced, add.replaced, skipped)

    def remove(self, ids: Sequence[str], missing_ok: bool = False) -> int:
        """Remove documents by id, in one transaction; how many there were. An id not in the
        index is an :class:`~reprints.errors.InputError` (nothing removed) unless ``missing_ok``."""
        return self.store.remove(list(ids), missing_ok)

    # -- queries -----------------------------------------------------------------------------

    def query(
        self,
        docs: Iterable[DocumentLike] | None = None,
        inputs: Sequence[str | Path] = (),
        level: str | Level | None = None,
        add: bool = False,
        stats: ReadStats | None = None,
    ) -> list[QueryAnswer]:
        """For each document: its verified matches among the stored documents and the cluster it
        joins there (see the module's text). Documents queried together are also measured
        against each other. With ``add`` they are added afterwards (one transaction)."""
        config = self._level_config(level)
        stats = stats or ReadStats()
        records = self._parsed(docs, [str(i) for i in inputs], stats)
        batches_in = self._fingerprint(records, stats)
        queried: list[StoredDoc] = [d for batch in batches_in for d in batch.docs]
        if not queried:
            return []
        answers = self._answer(queried, config)
        if add:
            with self.store.adding(upsert=False) as adder:
                adder(queried)
            answers = [dataclasses.replace(a, added=True) for a in answers]
        return answers

    def _uses_vectors(self, config: ScanConfig) -> Embedder | None:
        """The embedder, where the level's sources include the lead-embedding neighbours."""
        if "neighbours" not in {name for r in config.level.verified() for name in r.sources}:
            return None
        return load_embedder(config.verify.embedder)

    def _nearest_by_vector(
        self, queried: Sequence[StoredDoc], config: ScanConfig, embedder: Embedder
    ) -> tuple[set[int], np.ndarray]:
        """Seqs of the stored documents nearest to each queried one by lead embedding (the
        rewrite level: translations share no words), and the queried documents' vectors."""
        with self._vector_lock:
            self._vectors.refresh(self.store, embedder, config.verify.embedder)
            vectors = document_vectors([lead_passages(d.text) for d in queried], embedder)
            found = self._vectors.nearest(vectors, NEIGHBOURS + len(queried), MIN_COSINE)
        return {seq for row in found for seq in row}, vectors

    def _neighbour_means(
        self, queried: Sequence[StoredDoc], vectors: np.ndarray, seqs: list[int], hidden: set[int]
    ) -> np.ndarray:
        """Mean cosine of every workspace document (queried ones, then the stored ones at
        ``seqs``) to its nearest documents in the whole index (with the queried ones), leaving
        out the stored documents at ``hidden`` (those the queried ones stand for)."""
        own: list[int | None] = [None] * len(queried) + list(seqs)
        with self._vector_lock:  # the vectors may be reloaded by another thread meanwhile
            width = vectors.shape[1]
            rows = np.concatenate(
                [vectors]
                + [
                    (v if v is not None else np.full(width, np.nan))[None, :]
                    for v in (self._vectors.vector_of(s) for s in seqs)
                ]
            )
            known = ~np.isnan(rows).any(axis=1)
            means = np.full(len(rows), np.nan)
            means[known] = self._vectors.knn_mean(
                rows[known], [o for o, k in zip(own, known, strict=True) if k], hidden, NEIGHBOURS
            )
        return means

    def _neighbourhood(
        self, queried: Sequence[StoredDoc], config: ScanConfig
    ) -> tuple[list[StoredDoc], np.ndarray, np.ndarray | None]:
        """The stored documents a query is measured against; for the workspace of the queried
        documents then those, the corpus frequencies of the sampled keys and (at the rewrite
        level) each document's mean cosine to its nearest documents in the index."""
        c = self.config.candidates
        own = {d.id for d in queried}
        near: set[int] = set()
        embedder = self._uses_vectors(config)
        vectors = None
        if embedder is not None:
            near, vectors = self._nearest_by_vector(queried, config, embedder)
        with self.store.reading() as con:
            postings = self._postings.at(self.store, con)
            chosen: set[int] = set()
            for d in queried:
                chosen.update(self._candidates_of(d, postings, c.max_bucket, c.max_postings))
            chosen.update(near)
            columns = [*_DOC_COLUMNS, self.store.claims(con)]
            rows = self.store.rows(con, sorted(chosen), columns)
            # the query stands for its stored self
            seqs = [s for s in sorted(rows) if rows[s][0] not in own]
            stored = [_stored(rows[s], self.store) for s in seqs]
            keys = np.concatenate(
                [d.samples for d in (*queried, *stored)] or [np.empty(0, dtype=np.uint32)]
            ).astype(np.uint32)
            df = postings.frequencies(keys)
            stored_ids = self.store.seq_of(con, [d.id for d in queried])
        # the queried documents not stored yet count too
        fresh = [d.samples for d in queried if d.id not in stored_ids]
        if fresh and len(keys):
            held = np.sort(np.concatenate(fresh))
            extra = np.searchsorted(held, keys, side="right") - np.searchsorted(held, keys)
            df = np.minimum(df + extra, 255)
        means = None
        if vectors is not None:
            hidden = set(stored_ids.values())
            means = self._neighbour_means(queried, vectors, seqs, hidden)
        return stored, df.astype(np.uint8), means

    def _candidates_of(
        self, doc: StoredDoc, postings: _PostingSnapshot, max_bucket: int, max_postings: int
    ) -> list[int]:
        """Stored documents sharing an LSH band, or at least ``min_shared`` sampled keys that
        are not template-common, with ``doc``; the ``MAX_NEIGHBOURS`` that share the most."""
        score: dict[int, int] = {}
        if len(doc.samples):
            idx, seqs = postings.holders("sample", doc.samples.astype(np.uint32), max_postings + 1)
            per_key = np.bincount(idx, minlength=len(doc.samples))
            specific = per_key[idx] <= max_postings
            found, shared = np.unique(seqs[specific], return_counts=True)
            need = min(self.config.candidates.min_shared, max(1, len(doc.samples)))
            for s, n in zip(found.tolist(), shared.tolist(), strict=True):
                if n >= need:
                    score[s] = n
        if doc.n_tokens > 0:
            store = self.store
            keys = band_postings(doc.signature[None, :], store.bands, store.band_rows).ravel()
            _, seqs = postings.holders("band", keys, max_bucket)
            for s in np.unique(seqs).tolist():
                score.setdefault(s, 0)
        ranked = sorted(score, key=lambda s: (-score[s], s))
        return ranked[:MAX_NEIGHBOURS]

    def _answer(self, queried: list[StoredDoc], config: ScanConfig) -> list[QueryAnswer]:
        stored, df, means = self._neighbourhood(queried, config)
        docs = [*queried, *stored]
        memory = MemoryStore()
        writer = memory.writer("w")
        offsets, flat = csr_of([d.shingles for d in docs])
        where = memory.locate(writer.write(offsets, flat), np.arange(len(docs)))
        table = _table(docs, config.sketch.num_perm, memory, where)
        langs = {i: lang for i, d in enumerate(docs) if (lang := _lang(d.fields))}
        texts = _Texts([d.text for d in docs], langs)
        result = LocalEngine(config, tidy=False).analyse(
            table, texts=texts, corpus_df=df, corpus_neighbour_mean=means
        )
        answers = []
        for d in queried:
            matches = [p for p in result.pairs if d.id in (p.a, p.b)]
            cluster = next((c for c in result.clusters if d.id in c.members), None)
            answers.append(QueryAnswer(d.id, matches, cluster))
        return answers

    def get(self, doc_id: str) -> dict[str, Any] | None:
        """The stored document ``doc_id`` as a record (its id and text under the index's id and
        text fields, its other fields, ``date`` as read), or None when the index has no such
        document."""
        store = self.store
        with store.reading() as con:
            seq = store.seq_of(con, [doc_id]).get(doc_id)
            row = store.rows(con, [seq], ["id", "date", "fields", "text"]).get(seq) if seq else None
        if row is None:
            return None
        stored_id, date, fields, text = row
        record: dict[str, Any] = dict(json.loads(fields))
        if date is not None and record.get("date") is None:
            record["date"] = date
        read = self.config.read
        record[read.id_field] = stored_id
        record[read.text_field] = store.text(text)
        return record

    def matches(
        self, doc_id: str, level: str | Level | None = None
    ) -> tuple[dict[str, Any], QueryAnswer] | None:
        """A stored document's record and its answer: the document queried in place of its
        stored self, against its neighbours. None when it is not in the index."""
        record = self.get(doc_id)
        if record is None:
            return None
        (answer,) = self.query([record], level=level)
        return record, answer

    # -- the whole index ---------------------------------------------------------------------

    def scan(self, level: str | Level | None = None) -> ScanResult:
        """The pairs and clusters of every stored document, as ``reprints scan`` gives them."""
        clock = time.perf_counter()
        config = self._level_config(level)
        store = self.store
        with store.reading() as con:
            docs: list[StoredDoc] = []
            seqs: list[int] = []
            langs: dict[int, str] = {}
            # the columns of _stored, without the text and the shingles (read when needed)
            cursor = con.execute(
                "SELECT seq, length(shingles) / 8, id, date, fields, NULL, exact, n_tokens,"
                f" cleanliness, signature, samples, X'', {store.claims(con)} FROM docs"
                " ORDER BY seq"
            )
            counts: list[int] = []
            for seq, n, *row in cursor:
                doc = _stored(row, store, with_text=False)
                if (lang := _lang(doc.fields)) is not None:
                    langs[len(docs)] = lang
                docs.append(doc)
                seqs.append(seq)
                counts.append(n)
            where = Locations(
                np.zeros(len(docs), dtype=np.int32),
                np.asarray(seqs, dtype=np.int64),
                np.asarray(counts, dtype=np.int64),
            )
            table = _table(docs, config.sketch.num_perm, _StoredShingles(store), where)
            texts = _StoredTexts(store, seqs, langs)
            engine = LocalEngine(config)
            engine.stats.read.read = len(docs)
            # in the same read transaction: shingles and texts are read from the same snapshot
            # as the rows, whatever other processes commit meanwhile
            result = engine.analyse(table, texts=texts)
        result.stats.total_seconds = time.perf_counter() - clock
        result.inputs = [str(store.path)]
        return result

    def export(self, out: str | Path, level: str | Level | None = None) -> dict[str, Path]:
        """Write ``pairs.jsonl``, ``clusters.jsonl`` and ``summary.json`` of every stored
        document into ``out``, as a scan writes them."""
        return write_results(self.scan(level), out)

    def stats(self) -> dict[str, Any]:
        """Documents, segments, bytes on disk (and per document), the settings."""
        store = self.store
        with store.reading() as con:
            documents = store.count()
            segs = con.execute(
                "SELECT kind, COUNT(*), COALESCE(SUM(n), 0) FROM segments GROUP BY kind"
            ).fetchall()
            removed = con.execute("SELECT COUNT(*) FROM removed").fetchone()[0]
            vectors = con.execute("SELECT COUNT(*) FROM docs WHERE vector IS NOT NULL").fetchone()[
                0
            ]
        size = store.size_on_disk()
        return {
            "path": str(store.path),
            "documents": documents,
            "removed_pending": int(removed),
            "segments": {kind: {"count": n, "postings": int(p)} for kind, n, p in segs},
            "vectors": int(vectors),
            "bytes_on_disk": size,
            "bytes_per_document": round(size / documents, 1) if documents else None,
            "level": self.config.level.label,
        }


__all__ = ["AddResult", "Index", "QueryAnswer"]
