"""reprints against its peers (datasketch, rensa), side by side on one planted corpus.

For each tool, in its own subprocess (so that its peak memory is its own):

- signatures: documents per CPU-second from raw text to a 128-permutation MinHash signature
  (word 5-gram shingles; the peers' shingles are built in Python, as their users do);
- pipeline: read the JSONL, fingerprint, find and group duplicates; documents per CPU-second
  (workers included), wall seconds, peak RSS;
- quality: pairwise precision / recall / F1 and ARI of the clusters against the planted truth.

    python benchmarks/corpus.py --docs 100000 --out benchmarks/data/100k
    python benchmarks/bench.py benchmarks/data/100k --json-out benchmarks/results/100k.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NUM_PERM = 128
K = 5


def best_rate(n: int, work: Any, repeats: int = 3) -> float:
    """Documents per CPU-second of ``work()`` over ``n`` documents: the best of ``repeats``."""
    best = float("inf")
    for _ in range(repeats):
        start = cpu_seconds()
        work()
        best = min(best, cpu_seconds() - start)
    return n / best


def cpu_seconds() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in MiB."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def load_texts(corpus: Path, limit: int | None = None) -> tuple[list[str], list[str]]:
    ids, texts = [], []
    with (corpus / "docs.jsonl").open("rb") as handle:
        for line in handle:
            record = json.loads(line)
            ids.append(record["id"])
            texts.append(record["text"])
            if limit and len(ids) >= limit:
                break
    return ids, texts


def truth(corpus: Path) -> dict[str, str]:
    with (corpus / "truth.jsonl").open() as handle:
        return {r["id"]: r["cluster"] for r in map(json.loads, handle)}


def shingle_strings(text: str) -> list[str]:
    words = text.lower().split()
    if len(words) < K:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + K]) for i in range(len(words) - K + 1)]


def components(n: int, pairs: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def quality(ids: list[str], cluster_of: dict[str, str], corpus: Path) -> dict[str, float]:
    from reprints.evaluate import score

    s = score(ids, truth(corpus), cluster_of)
    return {k: round(float(v), 4) for k, v in s.to_dict().items() if k != "documents"}


# ---------------------------------------------------------------------------------- tools


def run_reprints(corpus: Path, workers: int, sig_limit: int) -> dict[str, Any]:
    import numpy as np

    import reprints
    from reprints.sketch.kernel import default_backend, sketch_texts
    from reprints.sketch.minhash import Permutations

    perms = Permutations.create(NUM_PERM, 1)
    _, texts = load_texts(corpus, sig_limit)
    sketch_texts(texts[:10], K, perms, 4)  # compile / load the kernel outside the timing

    def signatures() -> None:
        for i in range(0, len(texts), 1024):
            sketch_texts(texts[i : i + 1024], K, perms, 4)

    sig_rate = best_rate(len(texts), signatures)
    texts.clear()

    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    result = reprints.scan([corpus / "docs.jsonl"], level="near", workers=workers)
    wall = time.perf_counter() - wall0
    cpu = cpu_seconds() - cpu0
    n = result.stats.documents
    ids = [f"d{i:08d}" for i in range(n)]
    seconds = result.stats.seconds
    out = {
        "tool": f"reprints ({default_backend()})",
        "signature_docs_per_cpu_s": sig_rate,
        "docs": n,
        "pipeline_wall_s": wall,
        "pipeline_cpu_s": cpu,
        "pipeline_docs_per_cpu_s": n / cpu,
        "containment_docs_per_s": n / max(seconds.get("candidates.containment_index", 1e-9), 1e-9),
        "stage_seconds": {k: round(v, 2) for k, v in seconds.items()},
        "candidates": dict(result.stats.candidates),
        "workers": workers,
        **quality(ids, result.cluster_of, corpus),
    }
    del result
    np.zeros(1)
    return out


def lsh_result(
    tool: str,
    lsh: Any,
    sigs: list[Any],
    ids: list[str],
    sig_rate: float,
    cpu0: float,
    wall0: float,
    corpus: Path,
) -> dict[str, Any]:
    """Finish a peer's pipeline: insert all, query all, connected components, and measure."""
    for i, m in enumerate(sigs):
        lsh.insert(i, m)
    pairs = [(i, j) for i, m in enumerate(sigs) for j in lsh.query(m) if j != i]
    roots = components(len(ids), pairs)
    wall = time.perf_counter() - wall0
    cpu = cpu_seconds() - cpu0
    cluster_of = {ids[i]: ids[r] for i, r in enumerate(roots)}
    return {
        "tool": tool,
        "signature_docs_per_cpu_s": sig_rate,
        "docs": len(ids),
        "pipeline_wall_s": wall,
        "pipeline_cpu_s": cpu,
        "pipeline_docs_per_cpu_s": len(ids) / cpu,
        **quality(ids, cluster_of, corpus),
    }


def run_datasketch(corpus: Path, threshold: float, sig_limit: int) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    _, texts = load_texts(corpus, sig_limit)

    def signatures() -> None:
        for i in range(0, len(texts), 1024):
            MinHash.bulk(
                [[s.encode() for s in shingle_strings(t)] for t in texts[i : i + 1024]],
                num_perm=NUM_PERM,
            )

    sig_rate = best_rate(len(texts), signatures)
    texts.clear()

    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    ids, texts = load_texts(corpus)
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    sigs = []
    for i in range(0, len(texts), 1024):
        sigs.extend(
            MinHash.bulk(
                [[s.encode() for s in shingle_strings(t)] for t in texts[i : i + 1024]],
                num_perm=NUM_PERM,
            )
        )
    texts = []
    return lsh_result(
        f"datasketch (LSH {threshold})", lsh, sigs, ids, sig_rate, cpu0, wall0, corpus
    )


def run_rensa(corpus: Path, threshold: float, sig_limit: int) -> dict[str, Any]:
    from rensa import RMinHash, RMinHashLSH

    def minhash(text: str) -> RMinHash:
        m = RMinHash(num_perm=NUM_PERM, seed=42)
        m.update(shingle_strings(text))
        return m

    _, texts = load_texts(corpus, sig_limit)

    def signatures() -> None:
        for t in texts:
            minhash(t)

    sig_rate = best_rate(len(texts), signatures)
    texts.clear()

    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    ids, texts = load_texts(corpus)
    sigs = [minhash(t) for t in texts]
    texts = []
    lsh = RMinHashLSH(threshold=threshold, num_perm=NUM_PERM, num_bands=16)
    return lsh_result(f"rensa (LSH {threshold})", lsh, sigs, ids, sig_rate, cpu0, wall0, corpus)


# ---------------------------------------------------------------------------------- driver


def run_one(args: argparse.Namespace) -> None:
    corpus = Path(args.corpus)
    if args.run == "reprints":
        out = run_reprints(corpus, args.workers, args.sig_limit)
    elif args.run == "datasketch":
        out = run_datasketch(corpus, args.threshold, args.sig_limit)
    else:
        out = run_rensa(corpus, args.threshold, args.sig_limit)
    me, kids = peak_rss_mb()
    out["peak_rss_mb"] = round(me, 1)
    out["peak_rss_worker_mb"] = round(kids, 1)
    print(json.dumps(out))


def table(rows: list[dict[str, Any]]) -> str:
    base = next((r for r in rows if r["tool"].startswith("reprints")), rows[0])
    head = (
        f"{'tool':<24}{'sig docs/CPU-s':>15}{'pipeline docs/CPU-s':>21}{'wall s':>9}"
        f"{'peak RSS MiB':>14}{'precision':>11}{'recall':>8}{'ARI':>7}  {'speed-up':>10}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        ratio = base["pipeline_docs_per_cpu_s"] / r["pipeline_docs_per_cpu_s"]
        sig_ratio = base["signature_docs_per_cpu_s"] / r["signature_docs_per_cpu_s"]
        lines.append(
            f"{r['tool']:<24}{r['signature_docs_per_cpu_s']:>15,.0f}"
            f"{r['pipeline_docs_per_cpu_s']:>21,.0f}{r['pipeline_wall_s']:>9.1f}"
            f"{r['peak_rss_mb']:>14,.0f}{r['precision']:>11.3f}{r['recall']:>8.3f}"
            f"{r['ari']:>7.3f}  {f'{sig_ratio:.1f}x/{ratio:.1f}x':>10}"
        )
    lines.append("speed-up: reprints / tool, signatures / pipeline (per CPU-second)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="a folder made by benchmarks/corpus.py")
    parser.add_argument("--tools", default="reprints,rensa,datasketch")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threshold", type=float, default=0.8, help="the peers' LSH threshold")
    parser.add_argument(
        "--sig-limit", type=int, default=20000, help="documents timed for signatures (best of 3)"
    )
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_one(args)
        return
    rows = []
    for tool in args.tools.split(","):
        cmd = [
            sys.executable,
            __file__,
            args.corpus,
            "--run",
            tool,
            "--workers",
            str(args.workers),
            "--threshold",
            str(args.threshold),
            "--sig-limit",
            str(args.sig_limit),
        ]
        print(f"running {tool} ...", file=sys.stderr, flush=True)
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{tool} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(row), file=sys.stderr)
        rows.append(row)
    print(table(rows))
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "corpus": str(args.corpus),
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "command": " ".join(sys.argv),
        }
        args.json_out.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
