"""Copy styles the `scraped` dev split does not show, applied to its own originals.

Each original of ``shared/eval/scraped`` (the dev split: tuning material) gets up to
``--copies`` perturbed copies, one per style, drawn at random; the dev split's own documents
(its copies and hard negatives) stay in, and its gold clusters gain the new copies. Scoring the
result shows which web copy styles the near level survives and where a widely copied article
(many copies) changes what counts as boilerplate.

    .venv/bin/python benchmarks/perturb/perturb.py --copies 2 --seed 5 --out /tmp/pert
    .venv/bin/reprints eval /tmp/pert --level near
    .venv/bin/python benchmarks/perturb/perturb.py --score /tmp/pert   # per style, after a scan

Styles: ``oneline`` (every line break removed), ``sentence_lines`` (one sentence a line),
``ads_inline`` (an ad or share line after every second paragraph), ``related_inline`` ("Read
more:" and "Related:" lines carrying the leads of two other articles, mid-article), ``markdown``
(a ``#`` headline and a link on one word in 33, with its URL), ``caps_head`` (the headline in
capitals), ``lead_plus_teasers`` (the first half of the article, "Continue reading", and the
leads of four other articles: most of the page is the article, but the rest has sources of its
own, so the one-source rule keeps it ``partial``).
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "scraped"
ADS = [
    "ADVERTISEMENT",
    "Advertisement - Scroll to continue",
    "Share this article",
    "Sign up for our daily newsletter",
    "Story continues below",
]


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n+", text) if p.strip()]


def styles(text: str, leads: list[str], rng: random.Random) -> Iterator[tuple[str, str]]:
    ps = paragraphs(text)
    yield "oneline", " ".join(ps)
    yield "sentence_lines", "\n".join(s for p in ps for s in re.split(r"(?<=[.!?])\s+", p))
    out: list[str] = []
    for k, p in enumerate(ps):
        out.append(p)
        if k % 2 == 1:
            out.append(rng.choice(ADS))
    yield "ads_inline", "\n".join(out)
    out = list(ps)
    out.insert(min(3, len(out)), "Read more: " + rng.choice(leads))
    out.insert(min(7, len(out)), "Related: " + rng.choice(leads))
    yield "related_inline", "\n".join(out)

    def linked(p: str) -> str:
        words = []
        for w in p.split(" "):
            if rng.random() < 0.03 and w.isalpha():
                w = f"[{w}](https://www.example.com/tag/{w.lower()}-{rng.randint(100, 999)})"
            words.append(w)
        return " ".join(words)

    yield "markdown", "# " + ps[0] + "\n\n" + "\n\n".join(linked(p) for p in ps[1:])
    yield "caps_head", "\n".join([ps[0].upper(), *ps[1:]])
    half = ps[: max(3, len(ps) // 2)]
    yield "lead_plus_teasers", "\n".join([*half, "Continue reading", *rng.sample(leads, 4)])


def build(out: Path, copies: int, seed: int) -> None:
    rng = random.Random(seed)
    docs = [json.loads(line) for line in (DEV / "docs.jsonl").open(encoding="utf-8")]
    gold = {
        g["cluster"]: list(g["members"])
        for g in map(json.loads, (DEV / "gold.jsonl").open(encoding="utf-8"))
    }
    originals = [d for d in docs if "_" not in d["id"]]
    rows = list(docs)
    for d in originals:
        leads = [paragraphs(o["text"])[0] for o in originals if o["id"] != d["id"]]
        made = list(styles(d["text"], leads, rng))
        for name, text in rng.sample(made, min(copies, len(made))):
            doc_id = f"{d['id']}_{name}"
            rows.append({"id": doc_id, "text": text})
            gold.setdefault(d["id"], [d["id"]]).append(doc_id)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "docs.jsonl").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    with (out / "gold.jsonl").open("w", encoding="utf-8") as f:
        for cluster, members in gold.items():
            f.write(json.dumps({"cluster": cluster, "members": members}) + "\n")
    print(f"{len(rows)} documents, {len(gold)} clusters -> {out}")


def score(folder: Path) -> None:
    """Per style: how many copies joined their original's cluster; clusters mixing stories."""
    scan = folder / "scan"
    command = [sys.executable, "-m", "reprints.cli", "scan", str(folder / "docs.jsonl")]
    subprocess.run(
        [*command, "--out", str(scan)],
        check=True,
        capture_output=True,
    )
    truth = {
        m: g["cluster"]
        for g in map(json.loads, (folder / "gold.jsonl").open())
        for m in g["members"]
    }
    clusters = [json.loads(line) for line in (scan / "clusters.jsonl").open()]
    found = {m: c["cluster"] for c in clusters for m in c["members"]}
    joined: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for doc, cluster in truth.items():
        if "_" not in doc:
            continue
        ok = found.get(doc) is not None and found.get(doc) == found.get(cluster)
        joined[doc.split("_", 1)[1]][0 if ok else 1] += 1
    for style, (ok, missed) in sorted(joined.items()):
        print(f"{style:20s} joined {ok:3d}  missed {missed:3d}")
    for c in clusters:
        stories = {truth.get(m, m) for m in c["members"]}
        if len(stories) > 1:
            print("mixed cluster:", c["members"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--copies", type=int, default=2, help="perturbed copies per original")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--score", type=Path, help="scan FOLDER and score it per style")
    args = parser.parse_args()
    if args.score:
        score(args.score)
    elif args.out:
        build(args.out, args.copies, args.seed)
    else:
        parser.error("give --out or --score")


if __name__ == "__main__":
    main()
