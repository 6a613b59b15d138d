"""The evaluation harness: score clusters against labelled gold clusters.

Reports the adjusted Rand index over all documents (singletons included) and pairwise precision,
recall and F1 over the pairs of documents that share a cluster.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from reprints.errors import InputError


@dataclass(frozen=True, slots=True)
class Scores:
    documents: int
    gold_pairs: int
    predicted_pairs: int
    true_pairs: int
    precision: float
    recall: float
    f1: float
    ari: float

    def to_dict(self) -> dict[str, float | int]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(ids: Iterable[str], gold: Mapping[str, str], predicted: Mapping[str, str]) -> Scores:
    """Score predicted cluster labels against gold labels; a missing label means "alone".

    >>> s = score(["a", "b", "c", "d"], {"a": "x", "b": "x"}, {"a": "1", "b": "1", "c": "1"})
    >>> s.precision, s.recall
    (0.3333333333333333, 1.0)
    """
    ids = list(ids)
    g = [gold.get(i, f"\0{i}") for i in ids]
    p = [predicted.get(i, f"\0{i}") for i in ids]
    both = sum(_pairs(c) for c in Counter(zip(g, p, strict=True)).values())
    gold_pairs = sum(_pairs(c) for c in Counter(g).values())
    pred_pairs = sum(_pairs(c) for c in Counter(p).values())
    total = _pairs(len(ids))
    precision = both / pred_pairs if pred_pairs else 1.0
    recall = both / gold_pairs if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    expected = gold_pairs * pred_pairs / total if total else 0.0
    maximum = (gold_pairs + pred_pairs) / 2
    ari = (both - expected) / (maximum - expected) if maximum != expected else 1.0
    return Scores(len(ids), gold_pairs, pred_pairs, both, precision, recall, f1, ari)


def load_gold(path: str | Path) -> dict[str, str]:
    """Gold labels from a ``gold.jsonl`` of ``{"cluster": ..., "members": [...]}`` lines."""
    labels: dict[str, str] = {}
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                for member in row["members"]:
                    labels[str(member)] = str(row["cluster"])
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{lineno}", f"malformed gold line ({exc})") from exc
    return labels
