"""The rewrite level against a SemHash-style peer, side by side on one labelled corpus.

- ``reprints``: ``reprints.scan(docs, level="rewrite", workers=N)`` with the default embedder
  (multilingual USE where installed): shingle relations, rewrites and translations, aligned
  passages as evidence.
- ``semhash-style``: what embedding-dedup tools do (SemHash, embedding dedup in NeMo Curator):
  one vector per document, the mean of the same multilingual USE vectors over the document's first
  eight passages (a whole-document encoding of ~500 words costs the same encoder about as much),
  its 10 nearest documents from a usearch HNSW index, pairs at cosine >= a threshold, connected
  components. Reported at SemHash's default threshold (0.9) and at the best threshold of
  0.60-0.95 chosen on the corpus itself (close to an upper bound for the method).

Each tool runs in its own process so that each peak memory is its own. Prints documents/s end
to end, wall time, peak memory, pairwise precision/recall/F1 and ARI.

    .venv/bin/python benchmarks/rewrite_bench.py benchmarks/stress/data/10k [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench import components  # the union-find of the MinHash benchmark (this folder)

THRESHOLDS = (0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95)
DEFAULT_THRESHOLD = 0.90
LEAD = 8
NEIGHBOURS = 10


def peak_mb() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(me + kids, 1)


def scores(ids: list[str], cluster_of: dict[str, str], corpus: Path) -> dict[str, float]:
    from reprints.evaluate import load_gold, score

    s = score(ids, load_gold(corpus / "gold.jsonl"), cluster_of)
    return {k: round(float(v), 4) for k, v in s.to_dict().items() if k != "documents"}


def run_reprints(corpus: Path, workers: int) -> dict[str, Any]:
    import reprints

    clock = time.perf_counter()
    result = reprints.scan([corpus / "docs.jsonl"], level="rewrite", workers=workers)
    wall = time.perf_counter() - clock
    ids = result.ids
    return {
        "tool": "reprints --level rewrite",
        "documents": len(ids),
        "wall_s": round(wall, 1),
        "docs_per_s": round(len(ids) / wall, 1),
        **scores(ids, result.cluster_of, corpus),
    }


def run_semhash_style(corpus: Path) -> dict[str, Any]:
    from usearch.index import Index

    from reprints.evidence.embed import load_embedder
    from reprints.text.passages import passages

    embedder = load_embedder("use")
    clock = time.perf_counter()
    ids: list[str] = []
    leads: list[list[str]] = []
    with (corpus / "docs.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            ids.append(str(record["id"]))
            text = record["text"]
            leads.append([text[s:e] for s, e in passages(text)[:LEAD]] or [text[:500]])
    flat = embedder.encode([p for lead in leads for p in lead])
    owner = np.repeat(np.arange(len(leads)), [len(lead) for lead in leads])
    vectors = np.zeros((len(leads), flat.shape[1]), dtype=np.float32)
    np.add.at(vectors, owner, flat)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    index = Index(ndim=vectors.shape[1], metric="cos", dtype="f32")
    index.add(np.arange(len(ids)), vectors)
    found = index.search(vectors, NEIGHBOURS + 1)
    keys = np.asarray(found.keys, dtype=np.int64)
    cos = 1.0 - np.asarray(found.distances, dtype=np.float64)
    rows = np.repeat(np.arange(len(ids)), keys.shape[1])
    wall = time.perf_counter() - clock
    by_threshold = {}
    for threshold in THRESHOLDS:
        keep = (cos.ravel() >= threshold) & (keys.ravel() != rows) & (keys.ravel() >= 0)
        pairs = np.stack([rows[keep], keys.ravel()[keep]], axis=1)
        roots = components(len(ids), pairs.tolist())
        sizes = np.bincount(roots, minlength=len(ids))
        cluster_of = {ids[i]: ids[r] for i, r in enumerate(roots) if sizes[r] > 1}
        by_threshold[threshold] = scores(ids, cluster_of, corpus)
    best = max(THRESHOLDS, key=lambda t: by_threshold[t]["ari"])
    return {
        "tool": f"semhash-style @{DEFAULT_THRESHOLD}",
        "documents": len(ids),
        "wall_s": round(wall, 1),
        "docs_per_s": round(len(ids) / wall, 1),
        **by_threshold[DEFAULT_THRESHOLD],
        "best_threshold": best,
        "best": by_threshold[best],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a folder with docs.jsonl and gold.jsonl")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tools", default="reprints,semhash-style")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    if args.run:
        out = (
            run_reprints(args.corpus, args.workers)
            if args.run == "reprints"
            else run_semhash_style(args.corpus)
        )
        out["peak_rss_mb"] = peak_mb()
        print(json.dumps(out))
        return
    rows = []
    for tool in args.tools.split(","):
        cmd = [sys.executable, __file__, str(args.corpus), "--run", tool]
        cmd += ["--workers", str(args.workers)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    base = rows[0]
    for row in rows:
        print(
            f"{row['tool']:<28} {row['docs_per_s']:>8.1f} docs/s {row['wall_s']:>7.1f} s "
            f"{row['peak_rss_mb']:>8.0f} MiB  P {row['precision']:.3f} R {row['recall']:.3f} "
            f"ARI {row['ari']:.3f}  speed ratio reprints/tool "
            f"{base['docs_per_s'] / row['docs_per_s']:.2f}"
        )
    if args.json_out:
        args.json_out.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
