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
import sys
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "benchmarks.stress"

from .generate import COMMON_DF, PARTIAL, SHINGLE

_WORD = re.compile(r"[^\W_]+")


def _grams(text: str) -> set[tuple[str, ...]]:
    """The text's word 5-grams as written (casefolded; unlike the generator's ``tokens``, which
    reads look-alike letters through: real articles have none, and the pools written up in the
    stress README were drawn with these)."""
    words = [w.casefold() for w in _WORD.findall(text)]
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def unshared(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """``rows`` less every article that shares ``PARTIAL`` word 5-grams or more with one kept
    before it (stock 5-grams, in ``COMMON_DF`` articles or more, aside): the generator's own
    bar for a copy, on its own words."""
    grams = [_grams(r["text"]) for r in rows]
    df = Counter(g for gs in grams for g in gs)
    seen: dict[tuple[str, ...], int] = {}
    kept: list[dict[str, str]] = []
    for row, gs in zip(rows, grams, strict=True):
        own = {g for g in gs if df[g] < COMMON_DF}
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


def _one_per_cluster(rows: list[dict], gold: Path) -> list[dict]:  # type: ignore[type-arg]
    """The first of ``rows`` of each gold cluster (``gold``), and every row in none."""
    cluster = {m: g["cluster"] for g in _rows(gold) for m in g["members"]}
    taken: set[str] = set()
    out = []
    for row in rows:
        key = cluster.get(row["id"], row["id"])
        if key not in taken:
            taken.add(key)
            out.append(row)
    return out


def articles(root: Path, which_events: str = "one") -> list[dict[str, str]]:
    """The ``{"id", "text"}`` rows described in the module docstring, in a fixed order, less
    the articles that copy one taken before them (:func:`unshared`)."""
    out: list[dict[str, str]] = []
    for row in _rows(root / "scraped" / "docs.jsonl"):
        if "_" not in row["id"]:
            out.append({"id": f"scraped/{row['id']}", "text": row["text"]})
    rewrites = _rows(root / "rewrites" / "docs.jsonl")
    english = [row for row in rewrites if row.get("lang") == "en"]
    for row in _one_per_cluster(english, root / "rewrites" / "gold.jsonl"):
        out.append({"id": f"rewrites/{row['id']}", "text": row["text"]})
    events = _rows(root / "events" / "docs.jsonl")
    if which_events == "one":
        events = _one_per_cluster(events, root / "events" / "gold.jsonl")
    for row in events:
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
