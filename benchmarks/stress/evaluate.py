"""Score reprints on a corpus from ``generate.py``, per copy style and overall.

    python benchmarks/stress/evaluate.py benchmarks/stress/data/10k --json-out s.json --md-out s.md

For every style (and overall):

- ``ari``: adjusted Rand index over the style's documents (its originals, copies, site pages,
  aggregator pages and hard negatives), as ``reprints eval`` computes it;
- ``precision`` / ``recall``: pairs of documents put together (predicted) or meant to be together
  (gold), counting every pair with at least one document of the style, so that a style's
  document glued into another style's cluster counts against it;
- ``canonical_ok``: of the gold clusters of the style that reprints found (a predicted cluster
  holding two or more of the gold members, the one holding most), the share whose canonical is
  the true original;
- ``relations_ok``: planted relations (each document to its original, and the ``related`` ones:
  teasers, borrowed leads) for which reprints reported the expected relation (``none`` when it
  reported no pair; a containment must name the right container); ``joins_ok``: the same at the
  level of joining or not.

The JSON also holds, per style, the expected-to-reported relation counts and a few examples of
each mistake.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import reprints
from reprints.evaluate import load_gold, score

JOINING = ("exact", "near_duplicate", "containment")


def _c2(n: int) -> int:
    return n * (n - 1) // 2


def _share(good: int, bad: int) -> list[float | int | None]:
    """``[share, count]`` of good among good + bad."""
    n = good + bad
    return [round(good / n, 4) if n else None, n]


def touching_pairs(labels: dict[str, str], ids: list[str], inside: set[str]) -> int:
    """Pairs sharing a label with at least one member in ``inside``."""
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in ids:
        key = labels.get(i)
        if key is None:
            continue
        g = groups[key]
        g[0] += 1
        g[1] += i in inside
    return sum(_c2(m) - _c2(m - k) for m, k in groups.values() if k)


def style_pairs(
    ids: list[str], gold: dict[str, str], pred: dict[str, str], inside: set[str]
) -> tuple[int, int, int]:
    both = {i: f"{gold[i]}\0{pred[i]}" for i in ids if i in gold and i in pred}
    return (
        touching_pairs(gold, ids, inside),
        touching_pairs(pred, ids, inside),
        touching_pairs(both, ids, inside),
    )


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(
    corpus: Path, level: str = "near", workers: int = 2, **settings: Any
) -> dict[str, Any]:
    records = _jsonl(corpus / "docs.jsonl")
    ids = [r["id"] for r in records]
    rows = _jsonl(corpus / "styles.jsonl")
    gold = load_gold(corpus / "gold.jsonl")
    clock = time.perf_counter()
    result = reprints.scan([corpus / "docs.jsonl"], level=level, workers=workers, **settings)
    seconds = time.perf_counter() - clock
    pred = result.cluster_of
    canonical = {c.cluster: c.canonical for c in result.clusters}
    pairs = {(p.a, p.b) if p.a < p.b else (p.b, p.a): p for p in result.pairs}
    meta = json.loads((corpus / "meta.json").read_text(encoding="utf-8"))

    by_style: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_style[r["style"]].append(r)
    dated = {r["id"] for r in records if r.get("date")}
    # exact copies of a document are interchangeable with it: a pair may name either, and an
    # undated exact copy is as good a canonical as the original
    twins: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["relation"] == "exact":
            twins[r["original"]].add(r["id"])
            twins[r["id"]].add(r["original"])

    def find_pair(a: str, b: str) -> Any:
        for x in (b, *sorted(twins[b])):
            p = pairs.get((a, x) if a < x else (x, a))
            if p is not None:
                return p
        return None

    gold_members: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        if i in gold:
            gold_members[gold[i]].append(i)

    def report(style_rows: list[dict[str, Any]]) -> dict[str, Any]:
        inside = {r["id"] for r in style_rows}
        sub = [i for i in ids if i in inside]
        s = score(sub, gold, pred)
        g_pairs, p_pairs, t_pairs = style_pairs(ids, gold, pred, inside)
        # canonical: gold clusters whose original is of this style
        found = ok = 0
        split = Counter()
        wrong_canonical: list[dict[str, str]] = []
        for r in style_rows:
            if r["relation"] != "original" or r["cluster"] is None:
                continue
            members = gold_members[r["cluster"]]
            held = Counter(pred[m] for m in members if m in pred)
            if not held:
                continue
            best, n = max(held.items(), key=lambda kv: (kv[1], pred.get(r["id"]) == kv[0]))
            if n < 2:
                continue
            found += 1
            good = canonical[best] == r["id"] or canonical[best] in twins[r["id"]]
            ok += good
            split[("dated" if r["id"] in dated else "undated", good)] += 1
            if not good and len(wrong_canonical) < 5:
                wrong_canonical.append({"original": r["id"], "canonical": canonical[best]})
        # planted relations
        confusion: Counter[str] = Counter()
        rel_ok = join_ok = planted = 0
        mistakes: list[dict[str, Any]] = []
        for r in style_rows:
            if r["relation"] == "original":
                continue
            expected = [(r["original"], r["relation"], r.get("container"))]
            expected += [(x["id"], x["relation"], x.get("container")) for x in r.get("related", [])]
            for other, want, container in expected:
                p = find_pair(r["id"], other)
                got = p.relation if p else "none"
                planted += 1
                good = got == want and (
                    want != "containment"
                    or p.container == container
                    or p.container in twins[container]
                )
                rel_ok += good
                join_ok += (got in JOINING) == (want in JOINING)
                confusion[f"{want}->{got}"] += 1
                if not good and len(mistakes) < 8:
                    mistakes.append(
                        {
                            "doc": r["id"],
                            "role": r["role"],
                            "other": other,
                            "expected": want,
                            "got": got,
                            "same_cluster": pred.get(r["id"]) is not None
                            and pred.get(r["id"]) == pred.get(other),
                        }
                    )
        # documents joined where gold keeps them apart, by role
        false_joins: Counter[str] = Counter()
        for r in style_rows:
            c = pred.get(r["id"])
            if c is None or r["id"] == canonical[c]:
                continue
            if gold.get(r["id"]) != gold.get(canonical[c], "\0" + canonical[c]):
                false_joins[r["role"]] += 1
        missed = sum(1 for r in style_rows if r["cluster"] and r["id"] not in pred)
        return {
            "docs": len(sub),
            "gold_pairs": g_pairs,
            "predicted_pairs": p_pairs,
            "true_pairs": t_pairs,
            "ari": round(s.ari, 4),
            "precision": round(t_pairs / p_pairs, 4) if p_pairs else 1.0,
            "recall": round(t_pairs / g_pairs, 4) if g_pairs else 1.0,
            "clusters_found": found,
            "canonical_ok": round(ok / found, 4) if found else None,
            "canonical_ok_dated": _share(split[("dated", True)], split[("dated", False)]),
            "canonical_ok_undated": _share(split[("undated", True)], split[("undated", False)]),
            "planted_relations": planted,
            "relations_ok": rel_ok,
            "joins_ok": join_ok,
            "confusion": dict(sorted(confusion.items())),
            "wrongly_joined_by_role": dict(sorted(false_joins.items())),
            "unclustered_gold_members": missed,
            "examples": {"relations": mistakes, "canonical": wrong_canonical},
        }

    styles = {name: report(by_style[name]) for name in sorted(by_style)}
    overall = report(rows)
    overall_scores = score(ids, gold, pred).to_dict()
    return {
        "corpus": str(corpus),
        "meta": {k: meta[k] for k in ("seed", "docs", "dates") if k in meta},
        "level": level,
        "workers": workers,
        "scan_seconds": round(seconds, 1),
        "reprints_version": reprints.__version__,
        "overall": {**overall, "eval": overall_scores},
        "styles": styles,
    }


def markdown(report: dict[str, Any]) -> str:
    head = (
        "| style | docs | gold pairs | ARI | precision | recall | canonical ok (clusters) |"
        " dated | undated | relations ok | joins ok |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )

    def share(v: list[Any]) -> str:
        return "-" if v[0] is None else f"{v[0]:.2f} ({v[1]})"

    def row(name: str, s: dict[str, Any]) -> str:
        can = share([s["canonical_ok"], s["clusters_found"]])
        n = s["planted_relations"]
        return (
            f"| {name} | {s['docs']} | {s['gold_pairs']} | {s['ari']:.3f} | {s['precision']:.3f} "
            f"| {s['recall']:.3f} | {can} | {share(s['canonical_ok_dated'])} "
            f"| {share(s['canonical_ok_undated'])} | {s['relations_ok']}/{n} "
            f"| {s['joins_ok']}/{n} |\n"
        )

    body = "".join(row(k, v) for k, v in report["styles"].items())
    return head + body + row("**overall**", report["overall"])


def _setting(text: str) -> tuple[str, Any]:
    name, _, value = text.partition("=")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--level", default="near")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json-out", type=Path)
    ap.add_argument("--md-out", type=Path)
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a scan setting, as reprints.scan takes it (for experiments: min_passage=24)",
    )
    args = ap.parse_args(argv)
    settings = dict(_setting(s) for s in args.set)
    report = evaluate(args.corpus, args.level, args.workers, **settings)
    table = markdown(report)
    json_out = args.json_out or args.corpus / "scores.json"
    md_out = args.md_out or args.corpus / "scores.md"
    json_out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    md_out.write_text(table, encoding="utf-8")
    print(table, end="")
    print(f"scan {report['scan_seconds']} s; {json_out}, {md_out}")


if __name__ == "__main__":
    main()
