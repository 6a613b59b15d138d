"""The local engine: wires the stages together, one way, and times them.

read -> normalise -> fingerprint -> candidates -> verify -> cluster. Each stage is a pure function
over plain data (documents, flat arrays, pair arrays), so another engine (a process pool, Spark)
can run the same stage code and get the same answer.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from multiprocessing.pool import AsyncResult
from pathlib import Path

import numpy as np

from reprints.config import Level, ReadConfig, Relation, ScanConfig
from reprints.evidence.boilerplate import block_content
from reprints.evidence.overlap import mark_shared
from reprints.evidence.verify import PairEvidence, Thresholds, anchor_content, verify_pairs
from reprints.graph.cluster import Priority, canonical_scores, star_clusters
from reprints.index.lsh import exact_groups, lsh_candidates, optimal_bands, unique_pairs
from reprints.index.postings import containment_candidates
from reprints.index.spill import Spill, SpillWriter
from reprints.index.table import SketchTable, SketchTableBuilder, subset_rows
from reprints.io.reader import DocumentReader, Parsed, RawLines, ReadStats, parse_lines
from reprints.result import Cluster, Pair, ScanResult, ScanStats
from reprints.sketch.kernel import BatchSketch, sketch_texts
from reprints.sketch.minhash import Permutations


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


@dataclass(slots=True)
class FingerprintedBatch:
    """What a worker sends back for a batch of records: the parsed records (texts dropped), the
    fingerprints of those that are documents, and where their shingles were spilled."""

    parsed: list[Parsed]
    rows: list[int]  # row of each record in ``sketch``, -1 when it is not a document
    dates: list[str | None]
    bad_dates: list[str | None]
    sketch: BatchSketch
    spill_path: str
    spill_offsets: np.ndarray


def fingerprint_records(
    records: list[Parsed | RawLines],
    config: ScanConfig,
    perms: Permutations,
    writer: SpillWriter,
) -> FingerprintedBatch:
    """Parse (JSONL lines) and fingerprint a batch of records: a pure step but for the spill."""
    parsed: list[Parsed] = []
    for record in records:
        if isinstance(record, RawLines):
            parsed.extend(parse_lines(record, config.read))
        else:
            parsed.append(record)
    texts: list[str] = []
    rows: list[int] = []
    dates: list[str | None] = []
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
        bad.append(
            f"{p.where}: date {raw_date!r} of {p.doc_id!r} is not an ISO date; ignored"
            if raw_date not in (None, "") and date is None
            else None
        )
        p.text = None
        p.fields = {}
        p.raw = None
    sketch = sketch_texts(texts, config.shingle_size, perms, config.sample_rate)
    base = writer.write(sketch.shingles)
    writer.flush()
    spilled = base + sketch.shingle_offsets[:-1]
    # the shingles are on disk now: do not send them back
    sketch = replace(sketch, shingles=np.empty(0, dtype=np.uint64))
    return FingerprintedBatch(parsed, rows, dates, bad, sketch, writer.path, spilled)


_WORKER: dict[str, object] = {}


def _init_worker(config: ScanConfig, folder: str) -> None:
    _WORKER["config"] = config
    _WORKER["perms"] = Permutations.create(config.num_perm, config.seed)
    _WORKER["writer"] = SpillWriter(os.path.join(folder, f"part-{os.getpid()}.u64"))


def _work(records: list[Parsed | RawLines]) -> FingerprintedBatch:
    return fingerprint_records(
        records,
        _WORKER["config"],  # type: ignore[arg-type]
        _WORKER["perms"],  # type: ignore[arg-type]
        _WORKER["writer"],  # type: ignore[arg-type]
    )


def _batches(
    records: Iterable[Parsed | RawLines], max_records: int = 1024, max_bytes: int = 1 << 20
) -> Iterator[list[Parsed | RawLines]]:
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
def _progress(enabled: bool) -> Iterator[object]:
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.completed:,} documents"),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        yield progress


@contextmanager
def _stage_display(enabled: bool) -> Iterator[Callable[[str], None] | None]:
    """A spinner naming the current stage, on a terminal only."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    with Console(stderr=True).status("analysing") as status:
        yield lambda stage: status.update(stage)


def build_table(
    inputs: list[str], config: ScanConfig, stats: ReadStats, spill: Spill
) -> tuple[SketchTable, list[str]]:
    """Read, parse and fingerprint every document (in ``config.workers`` processes).

    Records are read in this process and applied in input order (so errors surface in order and
    duplicate ids are caught); parsing JSONL and fingerprinting run in the workers. The table is
    the same whatever the number of workers.
    """
    reader = DocumentReader(config.read, stats)
    builder = SketchTableBuilder(config.num_perm, spill)
    bad_dates: list[str] = []
    perms = Permutations.create(config.num_perm, config.seed)
    # compile (or load) the kernel before any worker forks
    sketch_texts(["warm up"], config.shingle_size, perms, config.sample_rate)

    def apply(result: FingerprintedBatch) -> int:
        keep: list[int] = []
        ids: list[str] = []
        dates: list[str | None] = []
        for p, row, date, bad in zip(
            result.parsed, result.rows, result.dates, result.bad_dates, strict=True
        ):
            if reader.accept(p):
                assert row >= 0 and p.doc_id is not None
                keep.append(row)
                ids.append(p.doc_id)
                dates.append(date)
                if bad:
                    bad_dates.append(bad)
        builder.add(
            ids,
            dates,
            result.sketch,
            np.asarray(keep, dtype=np.int64),
            result.spill_path,
            result.spill_offsets,
        )
        return len(result.parsed)

    with _progress(config.progress) as progress:
        task = progress.add_task("fingerprinting", total=None) if progress else None  # type: ignore[attr-defined]
        batches = _batches(reader.records(inputs))
        if config.workers > 1:
            ctx = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
            pool = ctx.Pool(
                config.workers, initializer=_init_worker, initargs=(config, spill.folder)
            )
            window: deque[AsyncResult[FingerprintedBatch]] = deque()
            try:
                for batch in batches:
                    window.append(pool.apply_async(_work, (batch,)))
                    while len(window) > 2 * config.workers:
                        done = apply(window.popleft().get())
                        if progress:
                            progress.advance(task, done)  # type: ignore[attr-defined]
                while window:
                    done = apply(window.popleft().get())
                    if progress:
                        progress.advance(task, done)  # type: ignore[attr-defined]
                pool.close()
            finally:
                pool.terminate()
                pool.join()
        else:
            writer = SpillWriter(os.path.join(spill.folder, "part-main.u64"))
            try:
                for batch in batches:
                    done = apply(fingerprint_records(batch, config, perms, writer))
                    if progress:
                        progress.advance(task, done)  # type: ignore[attr-defined]
            finally:
                writer.close()
    return builder.build(), bad_dates


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _pair_why(ev: PairEvidence, a: str, b: str) -> str:
    discount = (
        f"; {ev.boilerplate_discounted} shared boilerplate shingles discounted"
        if ev.boilerplate_discounted
        else ""
    )
    if ev.relation is Relation.NEAR_DUPLICATE:
        core = f"near-duplicates: Jaccard {ev.jaccard:.2f} of their content shingles"
    elif ev.relation is Relation.CONTAINMENT:
        small, big, share = (
            (a, b, ev.containment_a_in_b)
            if ev.containment_a_in_b >= ev.containment_b_in_a
            else (b, a, ev.containment_b_in_a)
        )
        core = (
            f"{_pct(share)} of {small}'s content shingles are in {big} "
            f"(Jaccard only {ev.jaccard:.2f}): {big} contains {small}"
        )
    else:
        core = (
            f"share {ev.shared_content} content shingles (a whole passage) but neither holds "
            f"most of the other ({_pct(ev.containment_a_in_b)} / {_pct(ev.containment_b_in_a)})"
        )
    return core + discount


def _to_pair(ev: PairEvidence, ids: list[str]) -> Pair:
    a, b = ids[ev.a], ids[ev.b]
    c_ab, c_ba = ev.containment_a_in_b, ev.containment_b_in_a
    if a > b:
        a, b, c_ab, c_ba = b, a, c_ba, c_ab
    container = contained = None
    if ev.relation is Relation.CONTAINMENT:
        contained, container = (a, b) if c_ab >= c_ba else (b, a)
    return Pair(
        a=a,
        b=b,
        relation=ev.relation.value,
        jaccard=ev.jaccard,
        containment_a_in_b=c_ab,
        containment_b_in_a=c_ba,
        raw_jaccard=ev.raw_jaccard,
        shared_shingles=ev.shared,
        boilerplate_discounted=ev.boilerplate_discounted,
        why=_pair_why(ev, ids[ev.a], ids[ev.b]),
        container=container,
        contained=contained,
    )


def _release_memory() -> None:
    """Hand freed memory back to the operating system (glibc keeps it otherwise)."""
    gc.collect()
    with suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def load_candidates(
    table: SketchTable,
    docs: np.ndarray,
    samples: tuple[np.ndarray, np.ndarray, np.ndarray],
    config: ScanConfig,
    block: int = 4096,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The CSR table ``(offsets, sorted unique shingle keys, content mask)`` of the given
    documents, read back from the spill files, boilerplate marked from their samples'
    frequencies. ``samples`` is ``(offsets, keys, frequencies)``, one row per document."""
    sample_offsets, sample_keys, sample_df = samples
    capacity = int(table.n_shingles[docs].sum())
    shingles = np.empty(capacity, dtype=np.uint64)
    content = np.empty(capacity, dtype=bool)
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    at = 0
    for lo in range(0, len(docs), block):
        chunk = docs[lo : lo + block]
        parts = [table.shingles_of(d) for d in chunk.tolist()]
        part_offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum([len(x) for x in parts], out=part_offsets[1:])
        flat = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
        first, last = int(sample_offsets[lo]), int(sample_offsets[lo + len(chunk)])
        s_offsets = sample_offsets[lo : lo + len(chunk) + 1] - first
        s_keys, s_df = sample_keys[first:last], sample_df[first:last]
        u_offsets, unique, mask = block_content(
            flat,
            part_offsets,
            s_offsets,
            s_keys,
            s_df,
            config.sample_rate,
            config.boilerplate_min_df,
            config.boilerplate_ratio,
            config.boilerplate_quantile,
        )
        shingles[at : at + len(unique)] = unique
        content[at : at + len(unique)] = mask
        offsets[lo + 1 : lo + len(chunk) + 1] = at + u_offsets[1:]
        at += len(unique)
    return offsets, shingles[:at], content[:at]


def analyse(
    table: SketchTable,
    config: ScanConfig,
    stats: ScanStats,
    release: bool = False,
    report: Callable[[str], None] | None = None,
) -> ScanResult:
    """Candidates, verification and clustering over a finished sketch table.

    Only documents that are a candidate of another one are read back and verified; with
    ``release`` the signatures are freed as soon as the LSH candidates are found. ``report`` is
    told the name of each stage as it starts (a progress display).
    """
    say = report or (lambda _stage: None)
    say(f"finding candidates among {len(table):,} documents")
    ids = table.ids
    n = len(table)
    clock = time.perf_counter()
    group = exact_groups(table.exact)
    # a text with no word tokens (punctuation only) copies nothing: keep it alone
    wordless = np.flatnonzero(table.n_tokens == 0)
    group[wordless] = wordless
    reps = np.flatnonzero(group == np.arange(n))

    bands, rows = optimal_bands(config.lsh_threshold, config.num_perm)
    lsh = reps[lsh_candidates(table.signature_chunks, bands, rows, config.max_bucket, reps)]
    if release:
        table.release_signatures()
        _release_memory()
    stats.seconds["lsh"] = time.perf_counter() - clock
    clock_index = time.perf_counter()
    is_rep = np.zeros(n, dtype=bool)
    is_rep[reps] = True
    contained, sample_df = containment_candidates(
        table.sample_offsets, table.samples, config.max_postings, include=is_rep
    )
    _release_memory()
    stats.seconds["containment_index"] = time.perf_counter() - clock_index
    candidates = unique_pairs(np.concatenate([lsh, contained]))
    stats.candidates.update(
        {"lsh": len(lsh), "containment_index": len(contained), "total": len(candidates)}
    )
    del lsh, contained
    stats.seconds["candidates"] = time.perf_counter() - clock

    # verification: read back the candidate documents only
    say(f"verifying {len(candidates):,} candidate pairs")
    clock = time.perf_counter()
    docs = np.unique(candidates.ravel())
    pairs = np.searchsorted(docs, candidates).reshape(-1, 2)
    # keep the samples of the candidate documents only, then read their shingles back
    cand_offsets, cand_samples = subset_rows(table.sample_offsets, table.samples, docs)
    _, cand_df = subset_rows(table.sample_offsets, sample_df, docs)
    del sample_df
    if release:
        table.release_samples()
    _release_memory()
    offsets, shingles, content = load_candidates(
        table, docs, (cand_offsets, cand_samples, cand_df), config
    )
    del cand_offsets, cand_samples, cand_df
    stats.candidates["documents"] = len(docs)
    content = anchor_content(offsets, shingles, content, pairs, config.anchor_containment)
    thresholds = Thresholds(
        config.jaccard_threshold, config.containment_threshold, config.partial_min_shingles
    )
    evidence = verify_pairs(offsets, shingles, content, pairs, thresholds)
    doc_ids = [ids[d] for d in docs.tolist()]
    stats.seconds["verify"] = time.perf_counter() - clock

    # clustering, over the candidate documents
    say(f"clustering {len(evidence):,} related pairs")
    clock = time.perf_counter()
    level = config.level
    joining = [ev for ev in evidence if level.joins(ev.relation)]
    edges = np.array([[ev.a, ev.b] for ev in joining], dtype=np.int64).reshape(-1, 2)
    weights = np.array([ev.jaccard for ev in joining], dtype=np.float64)
    reused = np.zeros(len(shingles), dtype=bool)
    mark_shared(offsets, shingles, content, edges, True, reused)
    scores = canonical_scores(offsets, content, reused, table.cleanliness[docs])
    del offsets, shingles, content, reused
    priorities = [
        Priority(d is not None, d or "", float(sc), i)
        for d, sc, i in zip(
            (table.dates[x] for x in docs.tolist()), scores.tolist(), doc_ids, strict=True
        )
    ]
    order = np.array(sorted(range(len(docs)), key=lambda x: priorities[x].key()), dtype=np.int64)
    related = {(ev.a, ev.b): max(ev.containment_a_in_b, ev.containment_b_in_a) for ev in evidence}
    centre = star_clusters(len(docs), edges, weights, order, related)

    # exact copies join their representative's cluster
    copies: dict[int, list[int]] = {}
    for doc in np.flatnonzero(group != np.arange(n)).tolist():
        copies.setdefault(int(group[doc]), [int(group[doc])]).append(doc)
    members: dict[int, list[int]] = {}
    for k, c in enumerate(centre.tolist()):
        rep = int(docs[k])
        members.setdefault(int(docs[c]), []).extend(copies.get(rep, [rep]))
    in_candidates = set(docs.tolist())
    for rep, twins in copies.items():
        if rep not in in_candidates:
            members[rep] = list(twins)
    score_of = {int(d): p for d, p in zip(docs.tolist(), priorities, strict=True)}
    clusters = _make_clusters(members, copies, table, score_of)
    stats.seconds["cluster"] = time.perf_counter() - clock

    pairs_out = [_to_pair(ev, doc_ids) for ev in evidence]
    for rep, twins in copies.items():
        for other in twins[1:]:
            a, b = sorted((ids[rep], ids[other]))
            pairs_out.append(
                Pair(
                    a,
                    b,
                    Relation.EXACT.value,
                    1.0,
                    1.0,
                    1.0,
                    1.0,
                    int(table.n_shingles[rep]),
                    0,
                    "exact copies: identical text after normalisation",
                )
            )
    pairs_out.sort(key=lambda p: (p.a, p.b))
    stats.pairs.update(p.relation for p in pairs_out)
    stats.clusters = len(clusters)
    stats.clustered_documents = sum(len(c.members) for c in clusters)
    return ScanResult(pairs=pairs_out, clusters=clusters, stats=stats, level=level.label)


def _make_clusters(
    members: dict[int, list[int]],
    copies: dict[int, list[int]],
    table: SketchTable,
    priorities: dict[int, Priority],
) -> list[Cluster]:
    ids = table.ids
    clusters: list[Cluster] = []
    for centre, docs in members.items():
        if len(docs) < 2:
            continue
        twins = copies.get(centre, [centre])
        # among the centre's exact copies, the earliest date, then the smallest id
        canonical = min(twins, key=lambda d: (table.dates[d] is None, table.dates[d] or "", ids[d]))
        prio = priorities.get(centre)
        if table.dates[centre] is not None:
            why = f"earliest date ({table.dates[canonical]}) among the members"
        elif len(docs) == len(twins) or prio is None:
            why = "exact copies with no dates: the smallest id"
        else:
            why = (
                "no dates: the member that the others contain or copy, with the most reused "
                f"clean text (score {prio.score:.1f}); every member is directly related to it"
            )
        if len(twins) > 1 and canonical != centre:
            why += "; earliest-dated or smallest id among its exact copies"
        member_ids = sorted(ids[d] for d in docs)
        clusters.append(Cluster(ids[canonical], ids[canonical], member_ids, why))
    clusters.sort(key=lambda c: c.cluster)
    return clusters


def scan(
    inputs: Iterable[str | Path] | str | Path,
    level: str | Level = "near",
    config: ScanConfig | None = None,
    read_stats: ReadStats | None = None,
    **settings: object,
) -> ScanResult:
    """Find every reprint among the documents of ``inputs`` and cluster them.

    ``inputs``: folders, ``.jsonl[.gz|.zst]``, ``.parquet``, ``.csv`` files or ``-`` (stdin).
    ``settings`` override fields of :class:`~reprints.config.ScanConfig`.

    >>> import reprints, pathlib
    >>> seeds = pathlib.Path(reprints.__file__).parents[2] / "examples" / "seeds"
    >>> result = reprints.scan([seeds], level="near")  # doctest: +SKIP
    >>> result.clusters[0].canonical  # doctest: +SKIP
    '000_ee3534933aebc203.txt'
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    if config is None:
        read_keys = {"id_field", "text_field", "on_error", "max_chars"}
        read = ReadConfig(**{k: v for k, v in settings.items() if k in read_keys})  # type: ignore[arg-type]
        rest = {k: v for k, v in settings.items() if k not in read_keys}
        config = ScanConfig(level=Level.parse(level), read=read, **rest)  # type: ignore[arg-type]
    stats = ScanStats()
    rstats = read_stats if read_stats is not None else ReadStats()
    clock = time.perf_counter()
    spill = Spill.create(config.spill_dir)
    try:
        table, bad_dates = build_table([str(i) for i in inputs], config, rstats, spill)
        _release_memory()
        stats.seconds["read_and_fingerprint"] = time.perf_counter() - clock
        stats.documents = rstats.read
        stats.skipped = rstats.skipped
        stats.changed = rstats.changed
        stats.warnings = rstats.messages + bad_dates
        with _stage_display(config.progress) as report:
            result = analyse(table, config, stats, release=True, report=report)
    finally:
        spill.remove()
    stats.seconds["total"] = time.perf_counter() - clock
    return result
