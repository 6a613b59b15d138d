"""Real news articles for the stress generator (``generate.py --texts``), from the dev sets.

    python benchmarks/stress/real_texts.py ../shared/eval --out /tmp/real.jsonl

The synthetic prose of ``prose.py`` is regular: every story names a cast of five, its sentences
come from one grammar. The corpora reprints is checked on copy news articles (WMT news test
documents, web news), so the same copy styles are run over real articles too. Taken, one text
a line (``{"id", "text"}``, headline first):

- ``scraped``: the originals (ids without a copy suffix), their date line left to the generator;
- ``rewrites``: the English documents, one per gold cluster (two translations of one story are
  rewrites of each other, which would be an unlabelled pair in the corpus);
- ``events``: one article per gold cluster (two reports of one event are joined at the
  rewrite level, and ``events`` counts that right; in a stress corpus they would be an
  unlabelled pair), or every article with ``--events all`` (more real text; for the near
  level only, where reports of one event stay apart).

News sets hold real reprints of their own (two outlets running one wire story, ECB+ among
them): an article sharing ``PARTIAL`` or more word 5-grams with one taken before it is left
out, so that the only copies in a corpus are the ones the generator plants and labels (5-grams
found in five or more articles are stock phrases and do not count).

These are dev-split texts: the corpora built over them tune nothing the project is checked on.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

PARTIAL = 15
"""Shared word 5-grams that make two articles one story's copies (the generator's own bar)."""
_WORD = re.compile(r"[^\W_]+")


def _grams(text: str) -> set[tuple[str, ...]]:
    words = [w.casefold() for w in _WORD.findall(text)]
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def unshared(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """``rows`` less every article that shares ``PARTIAL`` word 5-grams or more with one kept
    before it (stock 5-grams, in five articles or more, aside)."""
    grams = [_grams(r["text"]) for r in rows]
    df = Counter(g for gs in grams for g in gs)
    seen: dict[tuple[str, ...], int] = {}
    kept: list[dict[str, str]] = []
    for row, gs in zip(rows, grams, strict=True):
        own = {g for g in gs if df[g] < 5}
        hits = Counter(seen[g] for g in own if g in seen)
        if hits and max(hits.values()) >= PARTIAL:
            continue
        k = len(kept)
        kept.append(row)
        for g in own:
            seen.setdefault(g, k)
    return kept


def _rows(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def articles(root: Path, events: str = "one") -> list[dict[str, str]]:
    """The ``{"id", "text"}`` rows described in the module docstring, in a fixed order, less
    the articles that copy one taken before them (:func:`unshared`)."""
    out: list[dict[str, str]] = []
    for row in _rows(root / "scraped" / "docs.jsonl"):
        if "_" not in row["id"]:
            out.append({"id": f"scraped/{row['id']}", "text": row["text"]})
    clustered: dict[str, str] = {}
    for g in _rows(root / "rewrites" / "gold.jsonl"):
        for m in g["members"]:
            clustered[m] = g["cluster"]
    taken: set[str] = set()
    for row in _rows(root / "rewrites" / "docs.jsonl"):
        key = clustered.get(row["id"], row["id"])
        if row.get("lang") == "en" and key not in taken:
            taken.add(key)
            out.append({"id": f"rewrites/{row['id']}", "text": row["text"]})
    clustered = {}
    for g in _rows(root / "events" / "gold.jsonl"):
        for m in g["members"]:
            clustered[m] = g["cluster"]
    taken = set()
    for row in _rows(root / "events" / "docs.jsonl"):
        key = clustered.get(row["id"], row["id"])
        if events == "all" or key not in taken:
            taken.add(key)
            out.append({"id": f"events/{row['id']}", "text": row["text"]})
    return unshared(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("eval", type=Path, help="the dev sets' folder (../shared/eval)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--events", choices=["one", "all"], default="one")
    args = ap.parse_args(argv)
    rows = articles(args.eval, args.events)
    with open(args.out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} articles in {args.out}")


if __name__ == "__main__":
    main()
