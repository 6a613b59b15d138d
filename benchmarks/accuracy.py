"""Are reprints' MinHash estimates as accurate as datasketch's? Same pairs, 128 permutations each.

For planted near-copies (true Jaccard ~0.8) and containment copies (~0.6), each tool's estimate
is compared with the exact Jaccard of *its own* shingle sets; the error's mean (bias) and
standard deviation are printed beside the theoretical ``sqrt(J(1-J)/128)``.

    python benchmarks/accuracy.py benchmarks/data/10k
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from datasketch import MinHash

from reprints.sketch.kernel import sketch_texts
from reprints.sketch.minhash import Permutations, estimate_jaccard

K = 5
NUM_PERM = 128


def words_shingles(text: str) -> set[bytes]:
    words = text.lower().split()
    return {" ".join(words[i : i + K]).encode() for i in range(max(len(words) - K + 1, 1))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--pairs", type=int, default=400)
    args = parser.parse_args()
    texts: dict[str, str] = {}
    with (args.corpus / "docs.jsonl").open() as handle:
        for record in map(json.loads, handle):
            texts[record["id"]] = record["text"]
    pairs: list[tuple[str, str]] = []
    with (args.corpus / "truth.jsonl").open() as handle:
        for record in map(json.loads, handle):
            if record["kind"] in ("near", "contains") and len(pairs) < args.pairs:
                pairs.append((record["cluster"], record["id"]))
    perms = Permutations.create(NUM_PERM, 1)
    rows = {"reprints": [], "datasketch": []}
    for a, b in pairs:
        batch = sketch_texts([texts[a], texts[b]], K, perms, 4)
        sa = set(batch.shingles[: batch.shingle_offsets[1]].tolist())
        sb = set(batch.shingles[batch.shingle_offsets[1] :].tolist())
        true = len(sa & sb) / len(sa | sb)
        est = estimate_jaccard(batch.signatures[0], batch.signatures[1])
        rows["reprints"].append((true, est))
        da, db = words_shingles(texts[a]), words_shingles(texts[b])
        ma, mb = MinHash(num_perm=NUM_PERM), MinHash(num_perm=NUM_PERM)
        ma.update_batch(list(da))
        mb.update_batch(list(db))
        rows["datasketch"].append((len(da & db) / len(da | db), ma.jaccard(mb)))
    print(f"{len(pairs)} planted pairs, {NUM_PERM} permutations")
    print(f"{'tool':<12}{'mean J':>8}{'bias':>9}{'error SD':>10}{'theory SD':>11}")
    for tool, values in rows.items():
        arr = np.array(values)
        err = arr[:, 1] - arr[:, 0]
        theory = np.sqrt(np.mean(arr[:, 0] * (1 - arr[:, 0])) / NUM_PERM)
        print(
            f"{tool:<12}{arr[:, 0].mean():>8.3f}{err.mean():>+9.4f}"
            f"{err.std():>10.4f}{theory:>11.4f}"
        )


if __name__ == "__main__":
    main()
