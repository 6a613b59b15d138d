"""The local engine: runs the stages on one machine, fingerprinting in a pool of processes.

The engine owns everything that is not a stage: the process pool and batching, the progress
display, handing memory back, the shingle store's lifecycle, timing each stage and collecting its
counters. The stages are functions of plain data from the stage modules (``sketch``, ``index``,
``evidence``, ``graph``, ``output``); which candidate sources and verifiers run is read from the
relation registry (:mod:`reprints.relations`) for the configured level.
"""

from __future__ import annotations

import ctypes
import dataclasses
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from typing import Any, NamedTuple, TypeVar

import numpy as np

import reprints.evidence.builtin  # registers the built-in verifiers
import reprints.evidence.rewrite  # noqa: F401 - the rewrite relation's source and verifier
from reprints.config import ScanConfig
from reprints.errors import InputError, WorkerError
from reprints.evidence.align import swapped
from reprints.evidence.pairs import PairTable
from reprints.evidence.runs import (
    RunText,
    line_states,
    load_kernels,
    pack_evidence,
    pack_views,
    pair_evidence,
    pair_tasks,
    task_evidence,
    text_views,
    unpack_evidence,
    unpack_views,
    views_of,
)
from reprints.evidence.verifiers import DiscountedKeys, Verified, discounted_of, verifier
from reprints.graph.cluster import cluster_documents
from reprints.index.lsh import exact_groups, unique_pairs
from reprints.index.sources import TextSource, Workspace, source
from reprints.index.spill import SpillStore
from reprints.index.store import ShingleStore, ShingleWriter
from reprints.index.table import SketchTable, SketchTableBuilder
from reprints.io.reader import (
    DocumentReader,
    InputTexts,
    Parsed,
    Places,
    RawLines,
    ReadStats,
    kept_open,
    parse_lines,
    read_placed,
)
from reprints.output.records import cluster_records, document_langs, pair_records
from reprints.relations import Relation
from reprints.result import ScanResult, ScanStats
from reprints.sketch.kernel import sketch_texts
from reprints.sketch.minhash import Permutations
from reprints.sketch.records import FingerprintedBatch, fingerprint_records

_WORKER: dict[str, Any] = {}
T = TypeVar("T")


def _quiet_worker() -> None:
    # the parent decides on interrupts: it stops the pool (SIGTERM ends a worker quietly)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    # a task's error reaches the parent with its result; what a worker would print on its own
    # is shutdown noise (a pipe closed while the parent stops the pool)
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the worker


def _init_worker(config: ScanConfig, store: ShingleStore) -> None:
    _quiet_worker()
    _WORKER["config"] = config
    _WORKER["perms"] = Permutations.create(config.sketch.num_perm, config.sketch.seed)
    _WORKER["writer"] = store.writer(str(os.getpid()))


def _work(records: list[Parsed | RawLines]) -> FingerprintedBatch:
    return fingerprint_records(records, _WORKER["config"], _WORKER["perms"], _WORKER["writer"])


def _init_evidence_worker(
    config: ScanConfig, wanted: dict[str, int], discounted: list[DiscountedKeys]
) -> None:
    _quiet_worker()
    _WORKER.update(config=config, wanted=wanted, discounted=discounted)


def _evidence_work(records: list[Parsed | RawLines]) -> tuple[np.ndarray, ...]:
    """Parse a batch of records again and give the wanted documents' run views, packed."""
    config: ScanConfig = _WORKER["config"]
    wanted: dict[str, int] = _WORKER["wanted"]
    docs: list[tuple[int, str]] = []
    for record in records:
        for p in parse_lines(record, config.read) if isinstance(record, RawLines) else [record]:
            index = wanted.get(p.doc_id) if p.doc_id is not None else None
            if index is not None and p.error is None and p.text is not None:
                docs.append((index, p.text))
    keys = _WORKER["discounted"]
    return pack_views(
        views_of(docs, config.sketch.shingle_size, lambda doc: discounted_of(keys, doc))
    )


class EvidenceTask(NamedTuple):
    """One task of the evidence stage (:func:`reprints.evidence.runs.pair_tasks`): its pairs'
    rows and documents, and where each document's line lies in the inputs."""

    rows: np.ndarray  # (m,) the pairs' rows
    pairs: np.ndarray  # (m, 2) their documents (indices)
    balanced: np.ndarray  # (m,) bool: the pairs that get a derivation balance
    docs: list[tuple[int, str, str, int, int]]  # index, id, path, byte offset, byte length
    lined: dict[int, int] | None  # the documents' line states, where read


def placed_evidence(
    task: EvidenceTask, config: ScanConfig, discounted: list[DiscountedKeys]
) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """The run evidence of one task's pairs, packed: its documents read where they lie in the
    inputs (only those, never the inputs through), their views made and every pair measured."""
    texts: list[tuple[int, str]] = []
    with kept_open() as opened:
        for index, doc_id, path, offset, size in task.docs:
            parsed = read_placed((path, offset, size), doc_id, config.read, opened)
            assert parsed.text is not None
            texts.append((index, parsed.text))
    views = dict(
        views_of(texts, config.sketch.shingle_size, lambda d: discounted_of(discounted, d))
    )
    return task.rows, pack_evidence(task_evidence(views, task.pairs, task.balanced, task.lined))


def _init_task_worker(config: ScanConfig, discounted: list[DiscountedKeys]) -> None:
    _quiet_worker()
    _WORKER.update(config=config, discounted=discounted)


def _task_work(task: EvidenceTask) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    return placed_evidence(task, _WORKER["config"], _WORKER["discounted"])


def batches(
    records: Iterable[Parsed | RawLines], max_records: int = 1024, max_bytes: int = 1 << 20
) -> Iterator[list[Parsed | RawLines]]:
    """Records grouped in batches of at most ``max_records`` records or about ``max_bytes``."""
    batch: list[Parsed | RawLines] = []
    size = 0
    for record in records:
        batch.append(record)
        size += len(record.data) if isinstance(record, RawLines) else len(record.text or "")
        if len(batch) >= max_records or size >= max_bytes:
            yield batch
            batch = []
            size = 0
    if batch:
        yield batch


@contextmanager
def progress_counter(
    enabled: bool, label: str = "fingerprinting"
) -> Iterator[Callable[[int], None]]:
    """A counter of records done, named ``label``, on a terminal (nothing in a pipe or CI)."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _done: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.completed:,} documents"),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)
        yield lambda done: progress.advance(task, done)


@contextmanager
def _stage_display(enabled: bool) -> Iterator[Callable[[str], None]]:
    """A spinner naming the current stage, on a terminal only."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _stage: None
        return
    from rich.console import Console

    with Console(stderr=True).status("analysing") as status:
        yield lambda stage: status.update(stage)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM held back while the block runs (cleanup that a handler raising
    mid-way would leave half done), then delivered. The handlers are swapped for a recorder
    rather than the signals masked: a mask covers one thread, and the process has others (BLAS,
    numba), any of which may take a process-wide signal. Only the main thread handles signals;
    elsewhere the block just runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {
        signum: signal.signal(signum, lambda number, _frame: pending.append(number))
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if pending:
            signal.raise_signal(pending[0])


def release_memory() -> None:
    """Hand freed memory back to the operating system (glibc keeps it otherwise)."""
    gc.collect()
    with suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


STOP_GRACE_S = 10.0
"""After a stop, how long the batches already running may take to finish before their workers
are killed (a worker that hangs must not keep the command from stopping)."""

_BROKEN = (
    "a worker process ended abruptly (killed by the system, or out of memory?): the run stopped "
    "and wrote nothing; run it again, with fewer workers if memory is short"
)


def _started(initializer: Callable[..., None], *initargs: Any) -> None:
    """A worker's initializer; its error is kept for the worker's first task to raise (an
    executor whose initializer fails reports only that its pool broke)."""
    try:
        initializer(*initargs)
    except BaseException as exc:  # raised again with the first task
        _WORKER["failed"] = exc


def _call(fn: Callable[[Any], T], batch: Any) -> T:
    failed = _WORKER.get("failed")
    if failed is not None:
        raise failed
    return fn(batch)


def _submit(executor: ProcessPoolExecutor, fn: Callable[[Any], T], batch: Any) -> Future[T]:
    """``fn(batch)`` on a worker. A submission may fork the workers (the first, in the fork
    context): no interrupt meanwhile, it would land in a fork handler and be swallowed there
    (the workers unblock the signals they take, :func:`_quiet_worker`)."""
    stops = {signal.SIGINT, signal.SIGTERM}
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        return executor.submit(_call, fn, batch)
    except BrokenProcessPool as exc:  # a worker died before this batch was handed out
        raise WorkerError(_BROKEN) from exc
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _result(future: Future[T]) -> T:
    """A batch's result; a worker that ended without one, as :class:`WorkerError`."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerError(_BROKEN) from exc


def _stop(executor: ProcessPoolExecutor, grace: float | None = None) -> None:
    """Stop an executor mid-map: the batches not started are cancelled, the running ones get
    ``grace`` seconds to finish (their results read, so no pipe is left mid-message), and the
    workers still busy then are killed. The executor's internals are read before its shutdown
    drops them (Python 3.11-3.13 have no public way to stop a worker): its processes, its
    manager thread, and the result pipe's write end the parent holds, closed once a worker was
    killed so that a read of a message the worker never finished ends."""
    grace = STOP_GRACE_S if grace is None else grace
    processes = list((getattr(executor, "_processes", None) or {}).values())
    manager = getattr(executor, "_executor_manager_thread", None)
    results = getattr(executor, "_result_queue", None)
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    busy = [p for p in processes if p.is_alive()]
    for process in busy:
        process.kill()
        process.join()
    if busy and results is not None:
        with suppress(OSError, AttributeError):
            results._writer.close()
    if manager is not None:
        manager.join(grace)


class LocalEngine:
    """Runs a scan on this machine: ``LocalEngine(config).run(inputs)``."""

    def __init__(
        self, config: ScanConfig, store: ShingleStore | None = None, tidy: bool = True
    ) -> None:
        self.config = config
        self._store = store
        self._places: Places | None = None  # where the documents lie (set by fingerprint)
        self.stats = ScanStats()
        # hand freed memory back between stages (a few ms each: worth it for a corpus, not for
        # the handful of documents of an index query)
        self.tidy = tidy

    def _release(self) -> None:
        if self.tidy:
            release_memory()

    @contextmanager
    def stage(self, name: str) -> Iterator[Any]:
        """Time a stage; its counters are added to ``stats.stage(name).counters``."""
        clock = time.perf_counter()
        record = self.stats.stage(name)
        try:
            yield record.counters
        finally:
            record.seconds += time.perf_counter() - clock

    def run(self, inputs: list[str], read_stats: ReadStats | None = None) -> ScanResult:
        """Read, fingerprint and analyse ``inputs``; the store is removed when the scan ends."""
        if read_stats is not None:
            self.stats.read = read_stats
        clock = time.perf_counter()
        store: ShingleStore | None = None
        try:
            with signals_deferred():  # a stop during creation is taken once cleanup is set
                store = self._store or SpillStore.create(self.config.spill_dir)
            with self.stage("read_and_fingerprint") as counters:
                table = self.fingerprint(inputs, store, counters)
            release_memory()
            texts = InputTexts(inputs, self.config.read, table.ids, self._places)
            self._places = None
            with _stage_display(self.config.progress) as say:
                result = self.analyse(table, release=True, say=say, texts=texts)
            result.inputs = [i if i == "-" else os.path.abspath(i) for i in inputs]
            result.read = self.config.read
        finally:
            if store is not None:
                with signals_deferred():  # a stop arriving now is taken once the folder is gone
                    store.remove()
        self.stats.total_seconds = time.perf_counter() - clock
        return result

    # -- pass 1: fingerprints ------------------------------------------------------------

    def fingerprint(self, inputs: list[str], store: ShingleStore, counters: Any) -> SketchTable:
        """Read, parse and fingerprint every document (in ``config.workers`` processes).

        Records are read in this process and applied in input order (so errors surface in order
        and duplicate ids are caught); parsing JSONL and fingerprinting run in the workers. The
        table is the same whatever the number of workers.
        """
        config = self.config
        reader = DocumentReader(config.read, self.stats.read)
        builder = SketchTableBuilder(config.sketch.num_perm, store)
        perms = Permutations.create(config.sketch.num_perm, config.sketch.seed)
        # where each document's line lies in its input, for reading it again directly
        places = Places()
        self._places = places
        # compile (or load) the kernel before any worker forks
        sketch_texts(["warm up"], config.sketch.shingle_size, perms, config.sketch.sample_rate)

        def apply(result: FingerprintedBatch) -> int:
            kept = [k for k, p in enumerate(result.parsed) if reader.accept(p)]  # in order

            def take(column: list[Any]) -> list[Any]:
                return [column[k] for k in kept]

            for k in kept:
                assert result.rows[k] >= 0 and result.parsed[k].doc_id is not None
                if result.bad_dates[k]:
                    self.stats.notes.append(result.bad_dates[k])
            for k in kept:
                places.add(result.parsed[k].at)
            builder.add(
                [result.parsed[k].doc_id for k in kept],
                take(result.dates),
                result.sketch,
                np.asarray(take(result.rows), dtype=np.int64),
                result.where,
                take(result.views),
                take(result.sites),
                take(result.shown),
                take(result.credited),
            )
            counters.update(result.counters)
            return len(result.parsed)

        with progress_counter(config.progress) as advance:
            work = batches(reader.records(inputs))
            if config.workers > 1:
                for result in self._pool_map(work, _work, _init_worker, (config, store)):
                    advance(apply(result))
            else:
                writer: ShingleWriter = store.writer("main")
                try:
                    for batch in work:
                        advance(apply(fingerprint_records(batch, config, perms, writer)))
                finally:
                    writer.close()
        counters["documents"] = len(builder.ids)
        return builder.build()

    def _pool_map(
        self,
        work: Iterator[Any],
        fn: Callable[[Any], T],
        initializer: Callable[..., None],
        initargs: tuple[Any, ...],
    ) -> Iterator[T]:
        """``fn`` of every batch, from worker processes, in input order, a bounded window ahead.

        A stop (an interrupt, an error, the caller leaving early) cancels the batches no worker
        has started and lets the running ones finish (a batch takes seconds), so that every
        result pipe is read to its end; a worker still busy after :data:`STOP_GRACE_S` is
        killed (:func:`_stop`). Stopping the workers at once could wait forever: one stopped
        while writing its result leaves the pipe's lock held, or half a message in it
        (``multiprocessing.Pool.terminate`` hung on that lock now and then). A worker that dies
        on its own (killed, out of memory) ends the map with :class:`WorkerError`; under
        ``multiprocessing.Pool`` its batch was lost and the scan waited for it forever. A
        worker's initializer that fails raises its own error with the first batch."""
        workers = self.config.workers
        ctx = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
        executor = ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_started, initargs=(initializer, *initargs)
        )
        window: deque[Future[T]] = deque()
        finished = False
        try:
            for batch in work:
                window.append(_submit(executor, fn, batch))
                while len(window) > 2 * workers:
                    yield _result(window.popleft())
            while window:
                yield _result(window.popleft())
            finished = True
        finally:
            with signals_deferred():  # one clean stop, whatever arrives meanwhile
                if finished:
                    executor.shutdown(wait=True)
                else:
                    _stop(executor)

    # -- pass 2: candidates, verification, clusters ------------------------------------------

    def analyse(
        self,
        table: SketchTable,
        release: bool = False,
        say: Callable[[str], None] = lambda _stage: None,
        texts: TextSource | None = None,
        corpus_df: np.ndarray | None = None,
        corpus_neighbour_mean: np.ndarray | None = None,
    ) -> ScanResult:
        """Candidates, verification and clustering over a finished sketch table.

        With ``release`` the table's parts are freed as soon as no later stage needs them;
        ``texts`` reads documents' texts again where a level needs them (rewrites);
        ``corpus_df`` (aligned with ``table.samples``) gives the sampled keys' document
        frequencies in a corpus the table is a part of (a persistent index's neighbourhood of a
        query), for the boilerplate model; ``corpus_neighbour_mean`` (one per document, NaN
        where unknown) each document's mean cosine to its nearest documents in that corpus, for
        the margins of the rewrite level's neighbours.
        """
        config = self.config
        relations = config.level.verified()
        say(f"finding candidates among {len(table):,} documents")
        with self.stage("exact"):
            # every choice among equals (the representative of exact copies, the centre of a
            # star) follows the canonical order, so it is the same whatever the input order and
            # exact copies are represented by the one that would be their canonical member
            rank = document_rank(table.ids, table.dates)
            group = exact_groups(table.exact, rank)
        ws = Workspace(table, config, group, rank, release, texts=texts)
        if corpus_df is not None:
            ws.artifacts["corpus_df"] = corpus_df
        if corpus_neighbour_mean is not None:
            ws.artifacts["corpus_neighbour_mean"] = corpus_neighbour_mean

        with self.stage("candidates") as counters:
            candidates = self._candidates(ws, relations, counters)
        say(f"verifying {counters['total']:,} candidate pairs")
        with self.stage("verify") as counters:
            pairs, scores, discounted = self._verify(ws, candidates, counters)
            joining = [r.code for r in config.level.relations]
            pairs = _one_row_per_pair(pairs, joining)
        if config.evidence and texts is not None and not texts.rereadable():
            self.stats.notes.append(
                "standard input cannot be read again: pairs of the shingle relations carry "
                "their figures but no passages (save the input to a file for them)"
            )
        elif config.evidence and texts is not None:
            say(f"showing the shared passages of {len(pairs):,} pairs")
            with self.stage("evidence") as counters:
                # the heads are read only where a date line can tell a pair's two apart
                shown = table.shown
                lined = (
                    line_states(group, np.array([line is not None for line in shown], bool))
                    if len(shown) == len(table.ids)
                    else None
                )
                pairs = self._evidence(
                    pairs, table.ids, texts, discounted, counters, joining, lined
                )
        say(f"clustering {len(pairs):,} related pairs")
        with self.stage("cluster") as counters:
            joins = np.isin(pairs.relation, joining)
            records = cluster_documents(
                pairs,
                joins,
                group,
                table.dates,
                table.ids,
                scores,
                config.cluster,
                (table.views, table.sites),
                table.shown,
                table.credited,
            )
            counters["clusters"] = len(records)
        with self.stage("output"):
            result = ScanResult(
                pairs=pair_records(pairs, table.ids, config.verify.containment_threshold),
                clusters=cluster_records(records, table.ids, document_langs(pairs)),
                stats=self.stats,
                level=config.level.label,
                table=pairs,
                ids=table.ids,
            )
        self.stats.pairs.update(str(p.relation) for p in result.pairs)
        self.stats.clusters = len(result.clusters)
        self.stats.clustered_documents = sum(len(c.members) for c in result.clusters)
        return result

    def _candidates(
        self, ws: Workspace, relations: tuple[Relation, ...], counters: Any
    ) -> dict[str, np.ndarray]:
        """Run every candidate source the relations need, once each, in registry order; return
        each verifier's candidates (the union of its relations' sources)."""
        plan: dict[str, list[str]] = {}
        for r in relations:
            wanted = plan.setdefault(r.verifier, [])
            wanted.extend(s for s in r.sources if s not in wanted)
        names = list(dict.fromkeys(name for sources in plan.values() for name in sources))
        found: dict[str, np.ndarray] = {}
        for k, name in enumerate(names):
            clock = time.perf_counter()
            found[name], own = source(name).find(ws)
            counters.update(own)
            self.stats.stage(f"candidates.{name}").seconds += time.perf_counter() - clock
            later = {need for rest in names[k + 1 :] for need in source(rest).needs}
            if ws.release and "signatures" not in later and ws.table.signature_chunks:
                ws.table.release_signatures()
            self._release()
        out = {
            name: unique_pairs(np.concatenate([found[s] for s in sources]))
            for name, sources in plan.items()
        }
        counters["total"] = sum(len(pairs) for pairs in out.values())
        return out

    def _verify(
        self, ws: Workspace, candidates: dict[str, np.ndarray], counters: Any
    ) -> tuple[PairTable, dict[int, tuple[float, float, bool]], list[DiscountedKeys]]:
        """Run each verifier on its candidates; one table of every related pair, the text
        evidence (score, tie, part) the verifiers gave, and what they discounted."""
        tables: list[PairTable] = []
        scores: dict[int, tuple[float, float, bool]] = {}
        discounted: list[DiscountedKeys] = []
        for name in list(candidates):
            clock = time.perf_counter()
            verified: Verified = verifier(name)(ws, candidates.pop(name))
            self.stats.stage(f"verify.{name}").seconds += time.perf_counter() - clock
            tables.append(verified.pairs)
            counters.update(verified.counters)
            if verified.evidence is not None:
                ev = verified.evidence
                rows = zip(ev.score.tolist(), ev.tie.tolist(), ev.part.tolist(), strict=True)
                scores.update(zip(ev.docs.tolist(), rows, strict=True))
            if verified.discounted is not None:
                discounted.append(verified.discounted)
            self._release()
        return PairTable.concat(tables), scores, discounted

    def _evidence(
        self,
        pairs: PairTable,
        ids: list[str],
        texts: TextSource,
        discounted: list[DiscountedKeys],
        counters: Any,
        joining: list[int],
        lined: np.ndarray | None = None,
    ) -> PairTable:
        """Give every pair that has no evidence fields yet (the shingle relations) its copied,
        added and boilerplate passages (:mod:`reprints.evidence.runs`). Where every document
        in a pair can be read where its line lies (plain JSONL), only those are read, in tasks
        of connected pairs done in the worker processes (:meth:`_tasks`); else the inputs are
        read through once more (parsing and tokenising in the workers, the pairs measured
        here). Each
        pair is measured from its smaller id's side, so the passages do not depend on the
        input order. Only the ``joining`` relations' pairs get a derivation balance (the
        canonical choice reads no other)."""
        column = pairs.extra.get("evidence")
        if column is None:
            column = np.full(len(pairs), None, dtype=object)
        missing = np.flatnonzero(np.equal(column, None))
        counters["pairs"] = len(missing)
        if not len(missing):
            return pairs
        rows = np.stack([pairs.a[missing], pairs.b[missing]], axis=1)
        flip = np.array([ids[a] > ids[b] for a, b in rows.tolist()], dtype=bool)
        rows[flip] = rows[flip][:, ::-1]
        docs = np.unique(rows)
        counters["documents"] = len(docs)
        config = self.config
        column = column.copy()
        balanced = np.isin(pairs.relation[missing], joining)
        placed = isinstance(texts, InputTexts) and texts.placed(docs.tolist())
        if not placed and isinstance(texts, InputTexts):
            self.stats.notes.append(
                "the evidence pass read the inputs through again: some documents in a pair are "
                "not in a plain JSONL or text file (compressed, CSV or Parquet), so they cannot "
                "be read where they lie"
            )
        if placed:
            assert isinstance(texts, InputTexts)
            # each document read where it lies, in tasks of connected pairs done in the workers
            for task_rows, packed in self._tasks(rows, balanced, lined, ids, texts, discounted):
                for row, fields in zip(task_rows.tolist(), unpack_evidence(packed), strict=True):
                    column[missing[row]] = swapped(fields) if flip[row] else fields
            return dataclasses.replace(pairs, extra={**pairs.extra, "evidence": column})
        views: Iterable[list[tuple[int, RunText]]]
        if config.workers > 1 and isinstance(texts, InputTexts):
            wanted = {ids[i]: i for i in docs.tolist()}
            work = batches(DocumentReader(config.read, ReadStats()).records(texts.inputs))
            init = (config, wanted, discounted)
            packed = self._pool_map(work, _evidence_work, _init_evidence_worker, init)
            # slices of each batch: only the documents that outlive it are copied
            views = (unpack_views(batch, copy=False) for batch in packed)
            own = True
        else:
            mask = np.zeros(len(ids), dtype=bool)
            mask[docs] = True
            k = config.sketch.shingle_size
            views = text_views(texts.stream(), mask, k, lambda d: discounted_of(discounted, d))
            own = False
        for row, fields in pair_evidence(views, rows, balanced, lined, own):
            column[missing[row]] = swapped(fields) if flip[row] else fields
        lost = int(np.equal(column[missing], None).sum())
        if lost:
            raise InputError("inputs", f"{lost} related pairs' documents are no longer there")
        return dataclasses.replace(pairs, extra={**pairs.extra, "evidence": column})

    def _tasks(
        self,
        rows: np.ndarray,
        balanced: np.ndarray,
        lined: np.ndarray | None,
        ids: list[str],
        texts: InputTexts,
        discounted: list[DiscountedKeys],
    ) -> Iterator[tuple[np.ndarray, tuple[np.ndarray, ...]]]:
        """The packed evidence of every task of ``rows`` (:func:`placed_evidence`), in the
        workers where there are several."""
        places = texts.places
        assert places is not None

        def task(picked: np.ndarray) -> EvidenceTask:
            pairs = rows[picked]
            docs = np.unique(pairs).tolist()
            located = [(i, ids[i], *places[i]) for i in docs]  # type: ignore[misc]
            states = {i: int(lined[i]) for i in docs} if lined is not None else None
            return EvidenceTask(picked, pairs, balanced[picked], located, states)

        work = (task(picked) for picked in pair_tasks(rows))
        if self.config.workers > 1:
            load_kernels(self.config.sketch.shingle_size)  # once here, not in every worker
            init = (self.config, discounted)
            yield from self._pool_map(work, _task_work, _init_task_worker, init)
        else:
            for one in work:
                yield placed_evidence(one, self.config, discounted)


def document_rank(ids: list[str], dates: list[str | None]) -> np.ndarray:
    """Each document's position in the canonical order: dated first, earliest date, then id.

    >>> document_rank(["b", "c", "a"], [None, "2020-01-01", None]).tolist()
    [2, 0, 1]
    """
    rank = np.empty(len(ids), dtype=np.int64)

    def key(i: int) -> tuple[bool, str, str]:
        return (dates[i] is None, dates[i] or "", ids[i])

    rank[sorted(range(len(ids)), key=key)] = np.arange(len(ids))
    return rank


def _one_row_per_pair(table: PairTable, joining: list[int]) -> PairTable:
    """Where several verifiers related one pair, keep the strictest relation: one that joins at
    the level before one that does not (a rewrite before a shared passage), then the lowest
    code."""
    if len(table) < 2:
        return table
    apart = ~np.isin(table.relation, joining)
    order = np.lexsort((table.relation, apart, table.b, table.a))
    a, b = table.a[order], table.b[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    if first.all():
        return table
    return table.take(np.sort(order[first]))
