"""The local engine: wires the stages together, one way, and times them.

read -> normalise -> fingerprint -> candidates -> verify -> cluster. Each stage is a pure function
over plain data (documents, flat arrays, pair arrays), so another engine (a process pool, Spark)
can run the same stage code and get the same answer.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from multiprocessing.pool import AsyncResult
from pathlib import Path

import numpy as np

from reprints.config import Level, ReadConfig, Relation, ScanConfig
from reprints.document import Document
from reprints.evidence.boilerplate import content_mask, document_frequencies
from reprints.evidence.verify import PairEvidence, Thresholds, anchor_content, verify_pairs
from reprints.graph.cluster import Priority, canonical_scores, star_clusters
from reprints.index.lsh import exact_groups, lsh_candidates, optimal_bands, unique_pairs
from reprints.index.postings import containment_candidates
from reprints.index.table import DocSketch, SketchTable, SketchTableBuilder, subset_rows
from reprints.io.reader import ReadStats, read_documents
from reprints.result import Cluster, Pair, ScanResult, ScanStats
from reprints.sketch.minhash import Permutations, signature
from reprints.sketch.shingles import exact_hash, shingle_hashes, token_hashes
from reprints.text.normalize import cleanliness, normalised_text, tokenize


def sketch_text(text: str, shingle_size: int, perms: Permutations) -> DocSketch:
    """Every fingerprint of one text: a pure function, safe to run in any worker.

    >>> s = sketch_text("A rose is a rose is a rose.", 3, Permutations.create(16))
    >>> len(s.shingles), s.n_tokens
    (3, 8)
    """
    tokens = tokenize(text)
    shingles = np.unique(shingle_hashes(token_hashes(tokens.forms), shingle_size))
    return DocSketch(
        exact=exact_hash(normalised_text(tokens)),
        shingles=shingles,
        signature=signature(shingles, perms),
        cleanliness=cleanliness(text),
        n_tokens=len(tokens),
    )


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


_WORKER_STATE: dict[str, object] = {}


def _init_worker(shingle_size: int, num_perm: int, seed: int) -> None:
    _WORKER_STATE["k"] = shingle_size
    _WORKER_STATE["perms"] = Permutations.create(num_perm, seed)


def _sketch_batch(texts: list[str]) -> list[DocSketch]:
    k = int(_WORKER_STATE["k"])  # type: ignore[call-overload]
    perms = _WORKER_STATE["perms"]
    assert isinstance(perms, Permutations)
    return [sketch_text(t, k, perms) for t in texts]


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
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


def build_table(docs: Iterable[Document], config: ScanConfig) -> tuple[SketchTable, list[str]]:
    """Read, normalise and fingerprint every document (in ``config.workers`` processes)."""
    builder = SketchTableBuilder(config.num_perm)
    bad_dates: list[str] = []
    with _progress(config.progress) as progress:
        task = progress.add_task("fingerprinting", total=None) if progress else None  # type: ignore[attr-defined]
        if config.workers > 1:
            ctx = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
            pool = ctx.Pool(
                config.workers,
                initializer=_init_worker,
                initargs=(config.shingle_size, config.num_perm, config.seed),
            )
            window: deque[tuple[list[Document], AsyncResult[list[DocSketch]]]] = deque()

            def drain_one() -> None:
                batch, pending = window.popleft()
                for doc, sketch in zip(batch, pending.get(), strict=True):
                    _add(builder, doc, sketch, bad_dates)
                if progress:
                    progress.advance(task, len(batch))  # type: ignore[attr-defined]

            try:
                # documents are read in this process (so input errors surface here, in order);
                # a bounded window of batches is fingerprinted by the workers
                for batch in _batches(docs, 256):
                    texts = [d.text for d in batch]
                    window.append((batch, pool.apply_async(_sketch_batch, (texts,))))
                    while len(window) > 2 * config.workers:
                        drain_one()
                while window:
                    drain_one()
                pool.close()
            finally:
                pool.terminate()
                pool.join()
        else:
            perms = Permutations.create(config.num_perm, config.seed)
            for doc in docs:
                _add(builder, doc, sketch_text(doc.text, config.shingle_size, perms), bad_dates)
                if progress:
                    progress.advance(task, 1)  # type: ignore[attr-defined]
    return builder.build(), bad_dates


def _add(builder: SketchTableBuilder, doc: Document, sketch: DocSketch, bad: list[str]) -> None:
    raw_date = doc.fields.get("date")
    date = parse_date(raw_date)
    if raw_date not in (None, "") and date is None:
        bad.append(f"{doc.origin}: date {raw_date!r} of {doc.id!r} is not an ISO date; ignored")
    builder.add(doc.id, date, sketch)


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


def analyse(table: SketchTable, config: ScanConfig, stats: ScanStats) -> ScanResult:
    """Candidates, verification and clustering over a finished sketch table."""
    ids = table.ids
    n = len(table)
    clock = time.perf_counter()
    group = exact_groups(table.exact)
    # a text with no word tokens (punctuation only) copies nothing: keep it alone
    wordless = np.flatnonzero(table.n_tokens == 0)
    group[wordless] = wordless
    reps = np.flatnonzero(group == np.arange(n))
    offsets, shingles = subset_rows(table.offsets, table.shingles, reps)

    bands, rows = optimal_bands(config.lsh_threshold, config.num_perm)
    lsh = lsh_candidates(table.signatures[reps], bands, rows, config.max_bucket)
    contained = containment_candidates(offsets, shingles, config.sample_rate, config.max_postings)
    candidates = unique_pairs(np.concatenate([lsh, contained]))
    stats.candidates.update(
        {"lsh": len(lsh), "containment_index": len(contained), "total": len(candidates)}
    )
    stats.seconds["candidates"] = time.perf_counter() - clock

    clock = time.perf_counter()
    df = document_frequencies(offsets, shingles)
    content = content_mask(
        offsets,
        df,
        config.boilerplate_min_df,
        config.boilerplate_ratio,
        config.boilerplate_quantile,
    )
    content = anchor_content(offsets, shingles, content, candidates, config.anchor_containment)
    thresholds = Thresholds(
        config.jaccard_threshold, config.containment_threshold, config.partial_min_shingles
    )
    evidence, shared_positions = verify_pairs(offsets, shingles, content, candidates, thresholds)
    rep_ids = [ids[r] for r in reps.tolist()]
    stats.seconds["verify"] = time.perf_counter() - clock

    clock = time.perf_counter()
    level = config.level
    joining = [k for k, ev in enumerate(evidence) if level.joins(ev.relation)]
    reused = np.zeros(len(shingles), dtype=bool)
    for k in joining:
        ia, ib = shared_positions[k]
        reused[ia] = True
        reused[ib] = True
    scores = canonical_scores(offsets, content, reused, table.cleanliness[reps])
    dates = [table.dates[r] for r in reps.tolist()]
    priorities = [
        Priority(d is not None, d or "", float(s), i)
        for d, s, i in zip(dates, scores.tolist(), rep_ids, strict=True)
    ]
    order = np.array(sorted(range(len(reps)), key=lambda x: priorities[x].key()), dtype=np.int64)
    edges = np.array([[evidence[k].a, evidence[k].b] for k in joining], dtype=np.int64).reshape(
        -1, 2
    )
    weights = np.array([evidence[k].jaccard for k in joining], dtype=np.float64)
    centre = star_clusters(len(reps), edges, weights, order)

    # exact copies join their representative's cluster
    members: dict[int, list[int]] = {}
    copies: dict[int, list[int]] = {}
    for doc, rep in enumerate(group.tolist()):
        copies.setdefault(rep, []).append(doc)
    for r, c in enumerate(centre.tolist()):
        members.setdefault(int(reps[c]), []).extend(copies[int(reps[r])])
    clusters = _make_clusters(members, copies, table, priorities, reps)
    stats.seconds["cluster"] = time.perf_counter() - clock

    pairs = [_to_pair(ev, rep_ids) for ev in evidence]
    for rep, docs in copies.items():
        for other in docs:
            if other != rep:
                a, b = sorted((ids[rep], ids[other]))
                pairs.append(
                    Pair(
                        a,
                        b,
                        Relation.EXACT.value,
                        1.0,
                        1.0,
                        1.0,
                        1.0,
                        int(table.offsets[rep + 1] - table.offsets[rep]),
                        0,
                        "exact copies: identical text after normalisation",
                    )
                )
    pairs.sort(key=lambda p: (p.a, p.b))
    stats.pairs.update(p.relation for p in pairs)
    stats.clusters = len(clusters)
    stats.clustered_documents = sum(len(c.members) for c in clusters)
    return ScanResult(pairs=pairs, clusters=clusters, stats=stats, level=level.label)


def _make_clusters(
    members: dict[int, list[int]],
    copies: dict[int, list[int]],
    table: SketchTable,
    priorities: list[Priority],
    reps: np.ndarray,
) -> list[Cluster]:
    ids = table.ids
    rep_pos = {int(r): k for k, r in enumerate(reps.tolist())}
    clusters: list[Cluster] = []
    for centre, docs in members.items():
        if len(docs) < 2:
            continue
        # among the centre's exact copies, the earliest date, then the smallest id
        twins = sorted(
            copies[centre],
            key=lambda d: (table.dates[d] is None, table.dates[d] or "", ids[d]),
        )
        canonical = twins[0]
        prio = priorities[rep_pos[centre]]
        if prio.has_date:
            why = f"earliest date ({table.dates[canonical]}) among the members"
        elif len(docs) == len(twins):
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
    docs = read_documents(list(inputs), config.read, rstats)
    table, bad_dates = build_table(docs, config)
    stats.seconds["read_and_fingerprint"] = time.perf_counter() - clock
    stats.documents = rstats.read
    stats.skipped = rstats.skipped
    stats.changed = rstats.changed
    stats.warnings = rstats.messages + bad_dates
    result = analyse(table, config, stats)
    stats.seconds["total"] = time.perf_counter() - clock
    return result
