"""A bounded load test of the HTTP API over a persistent index, on localhost only.

It makes a temporary index, starts the server (``reprints.service.app.serve``, as ``reprints
serve`` does) in a subprocess on a free port with a random token, preloads ``--preload`` documents
from ``--docs`` (JSONL of ``{"id", "text"}``; simple synthetic texts when the file is missing),
then for ``--seconds`` runs ``--clients`` query threads (``POST /query`` of one document, a stored
one or a new one; a ``--get-fraction`` of ``GET /documents/{id}``) beside one writer adding
batches of ``--batch`` new documents (``POST /documents``). It prints requests/s, p50/p99 latency
and errors per endpoint, then checks that every add the server acknowledged is in the index
(``/stats`` count, ``GET /documents/{id}`` of a sample, and every id in the file once the server
has stopped) and exits non-zero otherwise, or when the server died. The server is always stopped.

    .venv/bin/python benchmarks/index_load.py --seconds 10 --preload 500
    .venv/bin/python benchmarks/index_load.py --json-out load.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

DEFAULT_DOCS = str(Path(__file__).parent / "data" / "100k" / "docs.jsonl")  # corpus.py
WORDS = [
    "the",
    "a",
    "river",
    "town",
    "council",
    "vote",
    "rain",
    "flood",
    "road",
    "bridge",
    "school",
    "market",
    "price",
    "report",
    "said",
    "officials",
    "week",
    "year",
    "people",
    "water",
    "power",
    "storm",
    "farm",
    "police",
    "court",
    "trade",
    "union",
    "north",
    "south",
]


# -- documents ---------------------------------------------------------------------------------


def _synthetic(n: int, rng: random.Random, prefix: str) -> Iterator[dict[str, Any]]:
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(300, 600))]
        yield {"id": f"{prefix}{i:08d}", "text": " ".join(words)}


class DocSource:
    """Documents in file order (then synthetic ones when the file runs out or is missing)."""

    def __init__(self, path: str | None, seed: int) -> None:
        self.path = Path(path) if path else None
        self.rng = random.Random(seed)
        self.from_file = bool(self.path and self.path.is_file())
        self._lines = self.path.open("rb") if self.from_file and self.path else None
        self._synth = _synthetic(10**9, self.rng, "syn-")
        self._lock = threading.Lock()

    def take(self, n: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        with self._lock:
            while len(out) < n and self._lines is not None:
                line = self._lines.readline()
                if not line:
                    self._lines.close()
                    self._lines = None
                    break
                record = json.loads(line)
                out.append({"id": str(record["id"]), "text": record["text"]})
            while len(out) < n:
                out.append(next(self._synth))
        return out

    def close(self) -> None:
        if self._lines is not None:
            self._lines.close()


# -- the server --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(db: Path, token: str, level: str | None, log: Path) -> Iterator[tuple[str, Any]]:
    """The API served from a subprocess on a free localhost port; stopped on leaving."""
    port = _free_port()
    code = (
        "from reprints.service.app import serve; "
        f"serve({str(db)!r}, host='127.0.0.1', port={port}, level={level!r}, "
        "log_level='warning')"
    )
    env = {**os.environ, "REPRINTS_TOKEN": token}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited ({proc.returncode}): {log.read_text()}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer /health within 120 s")
            time.sleep(0.2)
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # uvicorn's graceful stop
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


# -- measuring ---------------------------------------------------------------------------------


@dataclass
class Recorder:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, endpoint: str, seconds: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies[endpoint].append(seconds)
            else:
                self.errors[endpoint][error] += 1


def _call(
    client: httpx.Client,
    rec: Recorder,
    endpoint: str,
    method: str,
    path: str,
    **kwargs: Any,
) -> httpx.Response | None:
    t = time.perf_counter()
    try:
        response = client.request(method, path, **kwargs)
    except httpx.HTTPError as exc:
        rec.record(endpoint, time.perf_counter() - t, type(exc).__name__)
        return None
    took = time.perf_counter() - t
    error = None if response.status_code < 400 else str(response.status_code)
    rec.record(endpoint, took, error)
    return response


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


# -- the run -----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    source = DocSource(args.docs, args.seed)
    token = secrets.token_urlsafe(24)
    auth = {"Authorization": f"Bearer {token}"}
    tmp = Path(tempfile.mkdtemp(prefix="reprints-load-"))
    db = tmp / "index.db"
    log = tmp / "server.log"
    print(
        f"documents from {args.docs if source.from_file else 'synthetic texts'}; index {db}",
        flush=True,
    )
    preload = source.take(args.preload)
    # queries: stored documents and documents not stored (the writer never adds these)
    fresh = source.take(args.query_pool)
    stored_ids = [d["id"] for d in preload]
    acked: list[str] = []
    uncertain: list[str] = []
    rec = Recorder()
    out: dict[str, Any] = {"settings": dict(vars(args))}
    failures: list[str] = []
    server_died = False
    elapsed = float("nan")

    try:
        with server(db, token, args.level, log) as (url, proc):
            limits = httpx.Timeout(args.timeout)
            with httpx.Client(base_url=url, timeout=limits, headers=auth) as client:
                t0 = time.perf_counter()
                for lo in range(0, len(preload), 500):
                    r = client.post("/documents", json={"documents": preload[lo : lo + 500]})
                    r.raise_for_status()
                preload_s = time.perf_counter() - t0
            print(
                f"preloaded {len(preload):,} documents in {preload_s:.1f} s "
                f"({len(preload) / preload_s:,.0f} docs/s)",
                flush=True,
            )
            out["preload"] = {"documents": len(preload), "seconds": round(preload_s, 2)}

            stop = threading.Event()
            query_pool = [*preload, *fresh]

            def query_client(k: int) -> None:
                r = random.Random(args.seed * 1000 + k)
                with httpx.Client(base_url=url, timeout=limits, headers=auth) as c:
                    while not stop.is_set():
                        if stored_ids and r.random() < args.get_fraction:
                            doc_id = r.choice(stored_ids)
                            _call(c, rec, "GET /documents/{id}", "GET", f"/documents/{doc_id}")
                        else:
                            doc = r.choice(query_pool)
                            body: dict[str, Any] = {"documents": [doc]}
                            if args.level:
                                body["level"] = args.level
                            _call(c, rec, "POST /query", "POST", "/query", json=body)

            def writer() -> None:
                with httpx.Client(base_url=url, timeout=limits, headers=auth) as c:
                    while not stop.is_set():
                        batch = source.take(args.batch)
                        ids = [d["id"] for d in batch]
                        r = _call(
                            c,
                            rec,
                            "POST /documents",
                            "POST",
                            "/documents",
                            json={"documents": batch},
                        )
                        if r is not None and r.status_code == 200:
                            acked.extend(ids)
                        elif r is None:  # no answer: it may or may not have been committed
                            uncertain.extend(ids)

            threads = [
                threading.Thread(target=query_client, args=(k,), daemon=True)
                for k in range(args.clients)
            ]
            threads.append(threading.Thread(target=writer, daemon=True))
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            while time.perf_counter() - t0 < args.seconds and proc.poll() is None:
                time.sleep(0.2)
            stop.set()
            for t in threads:
                t.join(args.timeout + 5)
            elapsed = time.perf_counter() - t0
            server_died = proc.poll() is not None
            if server_died:
                failures.append(f"the server died (exit {proc.returncode}); see {log}")

            # every acknowledged add is in the index, seen through the API
            if not server_died:
                with httpx.Client(base_url=url, timeout=limits, headers=auth) as c:
                    count = c.get("/stats").json()["documents"]
                    expected = len(preload) + len(acked)
                    if not expected <= count <= expected + len(uncertain):
                        failures.append(
                            f"/stats counts {count:,} documents; {expected:,} acknowledged "
                            f"(+{len(uncertain)} unanswered)"
                        )
                    sample = rng.sample(acked, min(args.check_sample, len(acked)))
                    sample += acked[-args.batch :]
                    for doc_id in dict.fromkeys(sample):
                        r = c.get(f"/documents/{doc_id}", params={"level": "exact"})
                        if r.status_code != 200:
                            failures.append(f"GET /documents/{doc_id}: {r.status_code} {r.text}")
                    out["checked_via_api"] = len(set(sample))
                    out["documents_in_index"] = count
    except Exception as exc:
        failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        source.close()

    # the server is stopped: every acknowledged id, straight from the file
    if db.exists():
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            present = {row[0] for row in con.execute("SELECT id FROM docs")}
        finally:
            con.close()
        lost = [i for i in [*stored_ids, *acked] if i not in present]
        if lost:
            failures.append(f"{len(lost)} acknowledged documents missing, e.g. {lost[:5]}")
        out["checked_in_file"] = len(stored_ids) + len(acked)

    # the table
    rows = []
    endpoints = sorted(set(rec.latencies) | set(rec.errors))
    for endpoint in endpoints:
        ok = rec.latencies.get(endpoint, [])
        errors = dict(rec.errors.get(endpoint, {}))
        rows.append(
            {
                "endpoint": endpoint,
                "requests": len(ok) + sum(errors.values()),
                "ok": len(ok),
                "per_second": round(len(ok) / elapsed, 2) if elapsed == elapsed else None,
                "p50_ms": round(_percentile(ok, 50) * 1000, 1),
                "p99_ms": round(_percentile(ok, 99) * 1000, 1),
                "errors": errors,
            }
        )
    out.update(
        {
            "seconds": round(elapsed, 2),
            "endpoints": rows,
            "acknowledged_adds": len(acked),
            "unanswered_adds": len(uncertain),
            "failures": failures,
        }
    )
    print(f"\n{args.clients} query clients + 1 writer ({args.batch}/batch), {elapsed:.1f} s")
    print(f"{'endpoint':<22}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  errors")
    for row in rows:
        print(
            f"{row['endpoint']:<22}{row['requests']:>9}{row['per_second'] or 0:>9.1f}"
            f"{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}  {row['errors'] or '-'}"
        )
    print(
        f"acknowledged adds: {len(acked):,} (+{len(preload):,} preloaded), "
        f"all in the index: {'no' if failures else 'yes'}"
    )
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(out, indent=2) + "\n")
    if not failures and not args.keep:
        for p in sorted(tmp.iterdir()):
            p.unlink()
        tmp.rmdir()
    elif failures:
        print(f"kept {tmp} (index and server log)", file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", default=DEFAULT_DOCS, help="JSONL of {id, text} (default %(default)s)")
    p.add_argument("--preload", type=int, default=2000, help="documents added first")
    p.add_argument("--seconds", type=float, default=30.0, help="length of the loaded phase")
    p.add_argument("--clients", type=int, default=8, help="concurrent query clients")
    p.add_argument("--batch", type=int, default=50, help="documents per writer batch")
    p.add_argument("--query-pool", type=int, default=200, help="unstored documents to query")
    p.add_argument("--get-fraction", type=float, default=0.1, help="share of GET /documents/{id}")
    p.add_argument("--level", choices=["exact", "near", "rewrite"], default=None)
    p.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    p.add_argument("--check-sample", type=int, default=100, help="ids checked through the API")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json-out", default=None, help="write the numbers here")
    p.add_argument("--keep", action="store_true", help="keep the temporary index")
    args = p.parse_args(argv)
    if args.clients < 0 or args.batch < 1 or args.preload < 0 or args.seconds <= 0:
        p.error("--clients >= 0, --batch >= 1, --preload >= 0, --seconds > 0")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
