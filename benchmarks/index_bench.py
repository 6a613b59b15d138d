"""reprints' persistent index against datasketch's MinHashLSH on Redis: add, query, bytes, memory.

Each tool runs in its own subprocess (so that its peak memory is its own) over the same documents
and the same query documents:

- adds: the first documents of a JSONL corpus, in batches (``--batch``), one ``Index.add`` call
  (one transaction) per batch for reprints; for the peer MinHash of the word 5-gram shingles
  (``text.lower().split()``, as in ``bench.py``) and one ``MinHashLSH.insertion_session()`` per
  batch. Documents per second overall and per batch (does it slow down as the index grows?);
  reading and parsing the JSONL is not timed.
- queries: ``--queries`` documents, one at a time (``Index.query(level="near")``; for the peer:
  MinHash of the document + ``lsh.query``), latency p50/p95/p99/max in ms. Half are stored
  documents lightly changed (a few words replaced and a teaser paragraph appended, new id), half
  are unseen texts (documents of the corpus that were not added: those after ``--limit``, or the
  tail of the first ``--limit`` when the file has no more). reprints answers verified matches with
  evidence; datasketch answers unverified candidate keys (LSH buckets only).
- bytes: reprints' index file (and its write-ahead log) per document; for the peer Redis's
  ``INFO memory`` ``used_memory`` per document (in memory: Redis here keeps nothing on disk).
- peak RSS: ``ru_maxrss`` of the tool's process (and of ``redis-server``, from ``/proc``).

The script installs Redis if it is missing (``apt-get install -y redis-server``, as root or with
``sudo -n``), starts ``redis-server`` on a free port with persistence off and stops it at the end;
without Redis the peer runs on datasketch's in-memory storage, and the table says so.

    python benchmarks/corpus.py --docs 1000000 --out benchmarks/data/1m     # the corpus (README)
    python benchmarks/index_bench.py --limit 5000 --queries 200
    python benchmarks/index_bench.py --limit 100000 --json-out benchmarks/results/index-100k.json
    python benchmarks/index_bench.py --limit 1000000 --tools reprints --queries 1000
    python benchmarks/index_bench.py --limit 100000 --tools reprints --queries 300 --profile 300
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import NUM_PERM, K, cpu_seconds, peak_rss_mb, shingle_strings  # noqa: E402

DEFAULT_DOCS = Path(__file__).parent / "data" / "1m" / "docs.jsonl"  # benchmarks/corpus.py
THRESHOLD = 0.5
"""The peer's LSH threshold: reprints' own ``lsh_threshold`` (candidates, before verification)."""
WARMUP = 3
"""Untimed queries before the timed ones (kernels compiled or loaded, caches filled)."""
REPLACED_WORDS = 5
TOP = 30
"""Entries of a profile printed (by cumulative time)."""


# ---------------------------------------------------------------------------------- the plan


class Changer:
    """Light edits of a stored text: a few words replaced, a teaser paragraph appended."""

    def __init__(self, seed: int) -> None:
        from corpus import Writer

        self.writer = Writer(np.random.default_rng(7))  # the corpus's own vocabulary
        self.writer.rng = np.random.default_rng(seed)  # other draws than the corpus's
        self.rng = np.random.default_rng(seed + 1)

    def __call__(self, text: str) -> str:
        words = text.split(" ")
        w = self.writer
        for pos in self.rng.choice(len(words), min(REPLACED_WORDS, len(words)), replace=False):
            words[int(pos)] = str(w.words[w.draw(1)[0]])
        teaser = w.text(w.draw(int(self.rng.integers(40, 80))))
        return " ".join(words) + "\n\nRead more\n\n" + teaser


def read_docs(path: Path, skip: int = 0, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """``{"id", "text"}`` of the lines ``skip`` .. ``skip + limit`` of a JSONL corpus."""
    with path.open("rb") as handle:
        for n, line in enumerate(handle):
            if n < skip:
                continue
            if limit is not None and n >= skip + limit:
                return
            record = json.loads(line)
            yield {"id": record["id"], "text": record["text"]}


def batched(path: Path, n: int, size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for doc in read_docs(path, 0, n):
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def make_plan(path: Path, limit: int, n_queries: int, seed: int, out: Path) -> dict[str, Any]:
    """Which documents are added (the first ``n_add`` lines) and the query documents (written to
    ``out``, one JSON line each, with their kind and source id; ``WARMUP`` warm-up ones first)."""
    n_unseen = n_queries // 2
    n_changed = n_queries - n_unseen
    with path.open("rb") as handle:
        available = sum(1 for _ in zip(range(limit + n_unseen), handle, strict=False))
    if available >= limit + n_unseen:
        n_add, unseen_from, note = limit, limit, "unseen: the documents after --limit"
    else:
        n_add = max(0, available - n_unseen)
        unseen_from = n_add
        note = f"unseen: the last {n_unseen} of the first {available} documents (not added)"
    if n_add < n_changed + WARMUP:
        raise SystemExit(f"{n_add} documents to add: too few for {n_queries} queries")
    rng = np.random.default_rng(seed)
    picks = rng.choice(n_add, n_changed + WARMUP, replace=False)
    wanted = {int(p): i for i, p in enumerate(picks.tolist())}
    sources: dict[int, dict[str, Any]] = {}
    for n, doc in enumerate(read_docs(path, 0, n_add)):
        if n in wanted:
            sources[wanted[n]] = doc
    change = Changer(seed)
    changed = [
        {"id": f"q-changed-{i}", "text": change(sources[i]["text"]), "kind": "changed",
         "source": sources[i]["id"]}
        for i in range(n_changed + WARMUP)
    ]  # fmt: skip
    warm, changed = changed[:WARMUP], changed[WARMUP:]
    for q in warm:
        q["kind"] = "warmup"
    unseen = [
        {"id": f"q-unseen-{i}", "text": d["text"], "kind": "unseen", "source": d["id"]}
        for i, d in enumerate(read_docs(path, unseen_from, n_unseen))
    ]
    mixed: list[dict[str, Any]] = []
    for i in range(max(len(changed), len(unseen))):  # interleaved: no phase effects
        mixed.extend(group[i] for group in (changed, unseen) if i < len(group))
    with out.open("w") as handle:
        for q in (*warm, *mixed):
            handle.write(json.dumps(q) + "\n")
    return {"n_add": n_add, "changed": len(changed), "unseen": len(unseen), "note": note}


def load_queries(path: Path) -> list[dict[str, Any]]:
    with path.open() as handle:
        return [json.loads(line) for line in handle]


# ---------------------------------------------------------------------------------- measuring


def remove_index(path: Path) -> None:
    """Delete an index file and its write-ahead log."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def latency_summary(ms: list[float]) -> dict[str, float]:
    if not ms:
        return {}
    a = np.asarray(ms)
    return {
        "n": len(ms),
        "p50": round(float(np.percentile(a, 50)), 2),
        "p95": round(float(np.percentile(a, 95)), 2),
        "p99": round(float(np.percentile(a, 99)), 2),
        "max": round(float(a.max()), 2),
        "mean": round(float(a.mean()), 2),
    }


def query_summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Latencies (all, and per kind) and what was found: for changed copies whether their source
    was among the answers, for unseen texts whether anything was."""
    out: dict[str, Any] = {"all": latency_summary([r["ms"] for r in records])}
    for kind in ("changed", "unseen"):
        group = [r for r in records if r["kind"] == kind]
        out[kind] = latency_summary([r["ms"] for r in group])
        if group:
            out[kind]["with_answer"] = round(sum(r["found"] > 0 for r in group) / len(group), 4)
            out[kind]["mean_answers"] = round(sum(r["found"] for r in group) / len(group), 2)
        if kind == "changed" and group:
            out[kind]["source_found"] = round(sum(r["source_hit"] for r in group) / len(group), 4)
    return out


def add_summary(batches: list[dict[str, Any]], wall: float, cpu: float) -> dict[str, Any]:
    n = sum(b["added"] for b in batches)
    rates = [b["docs_per_s"] for b in batches]
    return {
        "docs": n,
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "docs_per_s": round(n / wall, 1) if wall else None,
        "first_batch_docs_per_s": rates[0] if rates else None,
        "last_batch_docs_per_s": rates[-1] if rates else None,
        "batches": batches,
    }


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def profile_text(profile: cProfile.Profile, top: int = TOP) -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).strip_dirs().sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# ---------------------------------------------------------------------------------- tools


def run_reprints(args: argparse.Namespace) -> dict[str, Any]:
    from reprints.engine.indexed import Index

    docs, n_add = Path(args.docs), args.n_add
    out_dir = Path(args.out_dir)
    path = out_dir / "index.db"
    remove_index(path)
    queries = load_queries(Path(args.queries_file))
    warm = [q for q in queries if q["kind"] == "warmup"]
    timed = [q for q in queries if q["kind"] != "warmup"]

    index = Index.open(path, workers=args.workers)
    t0 = time.perf_counter()
    index.query(docs=[{"id": warm[0]["id"], "text": warm[0]["text"]}], level="near")
    first_call_s = time.perf_counter() - t0  # on the empty index: kernels compiled or loaded

    batches: list[dict[str, Any]] = []
    wall = cpu = 0.0
    done = 0
    for batch in batched(docs, n_add, args.batch):
        c0, t0 = cpu_seconds(), time.perf_counter()
        result = index.add(docs=batch)
        dt, dc = time.perf_counter() - t0, cpu_seconds() - c0
        wall, cpu = wall + dt, cpu + dc
        done += len(batch)
        size = index.store.size_on_disk()
        batches.append(
            {
                "docs": done,
                "added": result.added,
                "seconds": round(dt, 3),
                "cpu_seconds": round(dc, 3),
                "docs_per_s": round(len(batch) / dt, 1),
                "bytes_on_disk": size,
            }
        )
        say(
            f"reprints: {done:,} documents; this batch {len(batch):,} in {dt:.2f} s = "
            f"{len(batch) / dt:,.0f} docs/s (CPU {dc:.2f} s); file {size / 2**20:,.0f} MiB"
        )
    adds = add_summary(batches, wall, cpu)
    rss_after_adds = peak_rss_mb()[0]
    stats = index.stats()

    for q in warm:
        index.query(docs=[{"id": q["id"], "text": q["text"]}], level="near")
    records = []
    for n, q in enumerate(timed, 1):
        t0 = time.perf_counter()
        answer = index.query(docs=[{"id": q["id"], "text": q["text"]}], level="near")[0]
        ms = (time.perf_counter() - t0) * 1000
        matched = {x for p in answer.matches for x in (p.a, p.b)} - {q["id"]}
        # an exact copy is answered through its group: the cluster holds the source
        members = set(answer.cluster.members) if answer.cluster else set()
        records.append(
            {
                "kind": q["kind"],
                "ms": ms,
                "found": len(matched),
                "source_hit": q["source"] in matched | members,
            }
        )
        if n % max(1, len(timed) // 5) == 0:
            p50 = np.median([r["ms"] for r in records])
            say(f"reprints: {n:,} queries, p50 so far {p50:.1f} ms")

    out: dict[str, Any] = {
        "tool": "reprints Index (near)",
        "storage": "SQLite file",
        "first_call_s": round(first_call_s, 3),
        "add": adds,
        "query": query_summary(records),
        "query_ms": sorted(round(r["ms"], 2) for r in records),
        "bytes_per_doc": stats["bytes_per_document"],
        "bytes_on_disk": stats["bytes_on_disk"],
        "file_bytes": file_bytes(path),
        "index_stats": stats,
        "peak_rss_after_adds_mb": round(rss_after_adds, 1),
    }

    if args.profile:
        out["profile"] = profile_reprints(index, args, timed, out_dir)
    index.close()
    if not args.keep_index:
        remove_index(path)
    return out


def file_bytes(path: Path) -> dict[str, int]:
    """The index file's bytes: the main file, its write-ahead log, free pages, and the bytes of
    each table's rows (text, fingerprints, posting segments), from SQLite itself."""
    import sqlite3

    out = {"main": path.stat().st_size}
    wal = Path(str(path) + "-wal")
    out["wal"] = wal.stat().st_size if wal.exists() else 0
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        page = con.execute("PRAGMA page_size").fetchone()[0]
        out["free_pages"] = con.execute("PRAGMA freelist_count").fetchone()[0] * page
        columns = ("text", "shingles", "samples", "signature", "exact", "fields")
        sums = con.execute(
            "SELECT " + ", ".join(f"SUM(length({c}))" for c in columns) + " FROM docs"
        ).fetchone()
        out.update({f"docs.{c}": int(v or 0) for c, v in zip(columns, sums, strict=True)})
        for kind, keys, seqs in con.execute(
            "SELECT kind, SUM(length(keys)), SUM(length(seqs)) FROM segments GROUP BY kind"
        ):
            out[f"segments.{kind}"] = int(keys) + int(seqs)
    finally:
        con.close()
    return out


def profile_reprints(
    index: Any, args: argparse.Namespace, timed: list[dict[str, Any]], out_dir: Path
) -> dict[str, Any]:
    """cProfile of ``--profile`` queries (the timed ones again) and of one add batch of new
    documents (changed copies of the first stored ones, new ids) into the full index."""
    queries = [{"id": q["id"], "text": q["text"]} for q in timed[: args.profile]]
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for q in queries:
        index.query(docs=[q], level="near")
    prof.disable()
    query_s = time.perf_counter() - t0
    query_text = profile_text(prof)
    prof.dump_stats(str(out_dir / "profile-query.pstats"))

    change = Changer(args.seed + 100)
    extra = [
        {"id": f"p-{d['id']}", "text": change(d["text"])}
        for d in read_docs(Path(args.docs), 0, min(args.batch, args.n_add))
    ]
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    index.add(docs=extra)
    prof.disable()
    add_s = time.perf_counter() - t0
    add_text = profile_text(prof)
    prof.dump_stats(str(out_dir / "profile-add.pstats"))
    (out_dir / "profile-query.txt").write_text(query_text)
    (out_dir / "profile-add.txt").write_text(add_text)
    say(f"\n== profile: {len(queries)} queries, {query_s:.1f} s (profiled) ==\n{query_text}")
    say(f"\n== profile: one add of {len(extra):,} documents, {add_s:.1f} s (profiled) ==")
    say(add_text)
    return {
        "queries": len(queries),
        "query_seconds_profiled": round(query_s, 2),
        "add_docs": len(extra),
        "add_seconds_profiled": round(add_s, 2),
        "query_top": query_text.splitlines(),
        "add_top": add_text.splitlines(),
        "files": [str(out_dir / f"profile-{k}.pstats") for k in ("query", "add")],
    }


def run_datasketch(args: argparse.Namespace) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    docs, n_add = Path(args.docs), args.n_add
    queries = load_queries(Path(args.queries_file))
    warm = [q for q in queries if q["kind"] == "warmup"]
    timed = [q for q in queries if q["kind"] != "warmup"]
    port = args.redis_port
    client = None
    if port:
        import redis

        client = redis.Redis(host="localhost", port=port)
        storage: dict[str, Any] = {
            "type": "redis",
            "basename": b"index_bench",
            "redis": {"host": "localhost", "port": port},
        }
        base_memory = int(client.info("memory")["used_memory"])
    else:
        storage = {"type": "dict"}
        base_memory = 0
    rss_before = peak_rss_mb()[0]
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, storage_config=storage)

    def minhashes(texts: list[str]) -> list[Any]:
        return MinHash.bulk(
            [[s.encode() for s in shingle_strings(t)] for t in texts], num_perm=NUM_PERM
        )

    minhashes([warm[0]["text"]])
    batches: list[dict[str, Any]] = []
    wall = cpu = 0.0
    done = 0
    for batch in batched(docs, n_add, args.batch):
        c0, t0 = cpu_seconds(), time.perf_counter()
        sigs = minhashes([d["text"] for d in batch])
        with lsh.insertion_session(buffer_size=50000) as session:
            for d, m in zip(batch, sigs, strict=True):
                session.insert(d["id"], m, check_duplication=False)
        dt, dc = time.perf_counter() - t0, cpu_seconds() - c0
        wall, cpu = wall + dt, cpu + dc
        done += len(batch)
        batches.append(
            {
                "docs": done,
                "added": len(batch),
                "seconds": round(dt, 3),
                "cpu_seconds": round(dc, 3),
                "docs_per_s": round(len(batch) / dt, 1),
            }
        )
        say(
            f"datasketch: {done:,} documents; this batch {len(batch):,} in {dt:.2f} s = "
            f"{len(batch) / dt:,.0f} docs/s (CPU {dc:.2f} s, this process)"
        )
    adds = add_summary(batches, wall, cpu)

    def query(text: str) -> list[Any]:
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch([s.encode() for s in shingle_strings(text)])
        return lsh.query(m)

    for q in warm:
        query(q["text"])
    records = []
    for q in timed:
        t0 = time.perf_counter()
        keys = query(q["text"])
        ms = (time.perf_counter() - t0) * 1000
        records.append(
            {"kind": q["kind"], "ms": ms, "found": len(keys), "source_hit": q["source"] in keys}
        )

    out: dict[str, Any] = {
        "tool": f"datasketch MinHashLSH ({THRESHOLD}, {'Redis' if port else 'in memory'})",
        "storage": "Redis (in memory, persistence off)" if port else "Python dicts (in memory)",
        "add": adds,
        "query": query_summary(records),
        "query_ms": sorted(round(r["ms"], 2) for r in records),
        "answers": "unverified candidate keys",
    }
    if client is not None:
        info = client.info("memory")
        used = int(info["used_memory"]) - base_memory
        out["redis_used_memory"] = used
        out["redis_used_memory_rss"] = int(info["used_memory_rss"])
        out["redis_keys"] = int(client.dbsize())
        out["bytes_per_doc"] = round(used / n_add, 1)
        out["bytes_what"] = "Redis used_memory (RAM)"
    else:
        out["bytes_per_doc"] = round((peak_rss_mb()[0] - rss_before) * 2**20 / n_add, 1)
        out["bytes_what"] = "peak RSS growth of the process (RAM)"
    return out


# ---------------------------------------------------------------------------------- Redis


def redis_server() -> str | None:
    """The ``redis-server`` executable, installed with apt-get when missing (None: no Redis)."""
    exe = shutil.which("redis-server")
    if exe:
        return exe
    try:
        import redis  # noqa: F401  (the client datasketch's Redis storage uses)
    except ImportError:
        say("note: the Python package 'redis' is missing; the peer runs in memory")
        return None
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*sudo, "apt-get", "install", "-y", "-q", "redis-server"]
    say("installing redis-server: " + " ".join(install))
    for attempt in ([install], [[*sudo, "apt-get", "update", "-q"], install]):
        for cmd in attempt:
            done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if done.returncode == 0:
            break
        say(f"  failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    exe = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if exe is None:
        say("note: Redis could not be installed; the peer runs on datasketch's in-memory storage")
    return exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_redis(exe: str, workdir: Path) -> tuple[subprocess.Popen[bytes], int] | None:
    import redis

    port = free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            return proc, port
        except redis.ConnectionError:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    stop_redis(proc)
    say("note: redis-server did not start; the peer runs on datasketch's in-memory storage")
    return None


def redis_peak_rss_mb(proc: subprocess.Popen[bytes]) -> float | None:
    try:
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def stop_redis(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------------------------- driver


def run_one(args: argparse.Namespace) -> None:
    out = run_reprints(args) if args.run == "reprints" else run_datasketch(args)
    out["peak_rss_mb"] = round(peak_rss_mb()[0], 1)
    print(json.dumps(out))


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'tool':<36}{'add docs/s':>11}{'last batch':>11}{'q p50 ms':>10}{'p95':>8}"
        f"{'p99':>8}{'max':>9}{'bytes/doc':>11}{'peak RSS MiB':>14}{'changed':>9}{'unseen':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        q = r["query"]["all"]
        rss = f"{r['peak_rss_mb']:,.0f}"
        if r.get("redis_peak_rss_mb"):
            rss += f" +{r['redis_peak_rss_mb']:,.0f}"
        lines.append(
            f"{r['tool']:<36}{r['add']['docs_per_s']:>11,.0f}"
            f"{r['add']['last_batch_docs_per_s']:>11,.0f}{q['p50']:>10.2f}{q['p95']:>8.2f}"
            f"{q['p99']:>8.2f}{q['max']:>9.1f}{r['bytes_per_doc']:>11,.0f}{rss:>14}"
            f"{r['query']['changed'].get('source_found', 0):>9.3f}"
            f"{r['query']['unseen'].get('with_answer', 0):>8.3f}"
        )
    lines += [
        "changed: share of changed copies whose source was answered; unseen: share of unseen",
        "texts with any answer (reprints: verified matches; datasketch: unverified candidates).",
        "bytes/doc: reprints the index file on disk; datasketch " + ", ".join(
            sorted({r["bytes_what"] for r in rows if "bytes_what" in r})
        ) + ". peak RSS: the process (+ redis-server).",
    ]  # fmt: skip
    base = next((r for r in rows if r["tool"].startswith("reprints")), None)
    for r in rows:
        if base is None or r is base:
            continue
        qa, qb = base["query"]["all"], r["query"]["all"]
        peer_rss = r["peak_rss_mb"] + r.get("redis_peak_rss_mb", 0)  # with its server
        lines.append(
            f"reprints / {r['tool']}:"
            f" add docs/s {base['add']['docs_per_s'] / r['add']['docs_per_s']:.2f}x,"
            f" query p50 {qa['p50'] / qb['p50']:.2f}x, p99 {qa['p99'] / qb['p99']:.2f}x,"
            f" bytes/doc {base['bytes_per_doc'] / max(r['bytes_per_doc'], 1e-9):.2f}x,"
            f" peak RSS {base['peak_rss_mb'] / peer_rss:.2f}x"
            " (above 1: reprints higher; for latency and memory lower is better)"
        )  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="a JSONL corpus")
    parser.add_argument("--limit", type=int, default=100000, help="documents to add")
    parser.add_argument("--batch", type=int, default=10000, help="documents per add")
    parser.add_argument("--queries", type=int, default=1000, help="query documents")
    parser.add_argument("--out-dir", type=Path, help="for the index file (default: a temp dir)")
    parser.add_argument("--tools", default="reprints,datasketch")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--workers", type=int, default=1, help="reprints: processes fingerprinting the adds"
    )
    parser.add_argument("--keep-index", action="store_true", help="keep the index file")
    parser.add_argument(
        "--profile", type=int, default=0, help="then cProfile N queries and one add batch"
    )
    parser.add_argument("--json-out", type=Path)
    for hidden in ("--run", "--queries-file", "--n-add", "--redis-port"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        args.n_add = int(args.n_add)
        args.redis_port = int(args.redis_port) if args.redis_port else 0
        run_one(args)
        return

    temp = tempfile.TemporaryDirectory(prefix="index_bench_")
    out_dir = args.out_dir or Path(temp.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    queries_file = Path(temp.name) / "queries.jsonl"
    say(f"planning: {args.docs}, {args.limit:,} documents, {args.queries:,} queries ...")
    plan = make_plan(args.docs, args.limit, args.queries, args.seed, queries_file)
    say(f"  {plan['n_add']:,} documents to add; {plan['changed']} changed + {plan['unseen']} "
        f"unseen queries ({plan['note']})")  # fmt: skip

    rows = []
    for tool in args.tools.split(","):
        cmd = [
            sys.executable, __file__, "--run", tool, "--docs", str(args.docs),
            "--batch", str(args.batch), "--out-dir", str(out_dir), "--seed", str(args.seed),
            "--queries-file", str(queries_file), "--n-add", str(plan["n_add"]),
            "--profile", str(args.profile), "--workers", str(args.workers),
        ]  # fmt: skip
        if args.keep_index:
            cmd.append("--keep-index")
        redis_proc = None
        redis_rss = None
        try:
            if tool == "datasketch":
                exe = redis_server()
                started = start_redis(exe, Path(temp.name)) if exe else None
                if started:
                    redis_proc, port = started
                    cmd += ["--redis-port", str(port)]
                    say(f"redis-server on port {port} (pid {redis_proc.pid})")
            say(f"running {tool} ...")
            wall0 = time.perf_counter()
            done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
            wall = time.perf_counter() - wall0
            if redis_proc is not None:
                redis_rss = redis_peak_rss_mb(redis_proc)
        finally:
            if redis_proc is not None:
                stop_redis(redis_proc)
        if done.returncode != 0:
            say(f"{tool} failed ({done.returncode})")
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["wall_s"] = round(wall, 1)
        if redis_rss is not None:
            row["redis_peak_rss_mb"] = round(redis_rss, 1)
        summary = {k: v for k, v in row.items() if k not in ("query_ms", "profile")}
        summary["add"] = {k: v for k, v in row["add"].items() if k != "batches"}
        say(json.dumps(summary))
        rows.append(row)
    print(table(rows))
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "docs": str(args.docs),
            "plan": plan,
            "batch": args.batch,
            "shingles": f"word {K}-grams",
            "num_perm": NUM_PERM,
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "command": " ".join(sys.argv),
            "date": time.strftime("%Y-%m-%d"),
        }
        args.json_out.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    temp.cleanup()


if __name__ == "__main__":
    main()
