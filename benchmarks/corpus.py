"""A reproducible benchmark corpus with planted reprints (same seed, same bytes).

Documents are ~500-word articles (~2.8 KB) of Zipf-distributed pseudo-words in sentences and
paragraphs. Of every 100 documents, about:

- 70 are original articles;
- 10 are near-copies of an original (1 word in 50 substituted, dropped or inserted; spacing and
  case changed: scraping noise);
- 5 contain an original inside a bigger page (unrelated "latest news" teasers appended, 30-60%
  more text: the partial copy that MinHash at 0.8 misses);
- 5 are exact copies of an original;
- 10 are boilerplate pages: a short original article inside one of 20 site templates (navigation
  and footer text shared with every page of that site). They are *not* reprints of each other.

``truth.jsonl`` gives each document's cluster (its original's id): the pairs inside a cluster are
the planted pairs that a tool should find, and nothing else.

    python benchmarks/corpus.py --docs 100000 --out benchmarks/data/100k
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ra",
    "to",
    "su",
    "be",
    "di",
    "fa",
    "go",
    "hu",
    "pe",
    "qui",
    "st",
    "an",
    "or",
    "en",
    "el",
    "ti",
    "co",
    "ma",
    "re",
    "la",
    "se",
    "de",
    "in",
    "ar",
    "al",
    "on",
    "er",
    "te",
    "is",
    "ch",
    "th",
    "sh",
    "pr",
    "tr",
    "ver",
    "con",
    "pro",
    "ment",
    "tion",
    "ing",
    "ed",
    "ly",
]


def vocabulary(rng: np.random.Generator, size: int = 30000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        n = int(rng.choice([1, 2, 2, 3]))
        words.add("".join(rng.choice(SYLLABLES, size=n)))
    ordered = sorted(words)
    rng.shuffle(ordered)
    noise = rng.normal(0.0, 1.4, size=len(ordered))
    # frequent words tend to be short, as in natural language
    return [
        w for _, w in sorted(zip(np.array([len(w) for w in ordered]) + noise, ordered, strict=True))
    ]


class Writer:
    """Turns word indices into article text."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.words = np.array(vocabulary(rng))
        ranks = np.arange(1, len(self.words) + 1)
        p = 1.0 / ranks**1.05
        self.p = p / p.sum()
        self.cdf = np.cumsum(self.p)

    def draw(self, n: int) -> np.ndarray:
        return np.searchsorted(self.cdf, self.rng.random(n) * self.cdf[-1])

    def text(self, idx: np.ndarray) -> str:
        words = self.words[idx].tolist()
        out: list[str] = []
        sentence = 0
        for k, w in enumerate(words):
            if sentence == 0:
                w = w.capitalize()
            sentence += 1
            end = (sentence >= 8 and (k * 2654435761) % 7 == 0) or sentence >= 25
            out.append(w + ("." if end else ""))
            if end:
                sentence = 0
                if (k * 40503) % 5 == 0:
                    out.append("\n\n")
        text = " ".join(out).replace(" \n\n ", "\n\n")
        return text if text.endswith(".") else text + "."


def near_copy(w: Writer, idx: np.ndarray, rng: np.random.Generator) -> str:
    """Scraping noise: ~1% of words substituted, ~0.5% dropped, ~0.5% inserted; spacing, case."""
    idx = idx.copy()
    n = len(idx)
    sub = rng.random(n) < 0.01
    idx[sub] = w.draw(int(sub.sum()))
    idx = idx[rng.random(n) >= 0.005]
    ins = np.flatnonzero(rng.random(len(idx)) < 0.005)
    idx = np.insert(idx, ins, w.draw(len(ins)))
    text = w.text(idx)
    if rng.random() < 0.5:
        text = text.replace(". ", ".  ").replace("\n\n", "\n \n")
    if rng.random() < 0.3:
        text = text.upper()
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    generate(args.docs, args.out, args.seed, args.words)


def generate(n_docs: int, out: Path, seed: int = 7, words: int = 500) -> None:
    rng = np.random.default_rng(seed)
    w = Writer(rng)
    templates = [(w.text(w.draw(60)), w.text(w.draw(90))) for _ in range(20)]
    out.mkdir(parents=True, exist_ok=True)
    originals: list[tuple[str, np.ndarray]] = []
    with (out / "docs.jsonl").open("w") as docs, (out / "truth.jsonl").open("w") as truth:
        for i in range(n_docs):
            doc_id = f"d{i:08d}"
            roll = rng.random()
            if originals and roll < 0.10:
                kind = "near"
            elif originals and roll < 0.15:
                kind = "contains"
            elif originals and roll < 0.20:
                kind = "exact"
            elif roll < 0.30:
                kind = "site"
            else:
                kind = "original"
            if kind in ("near", "contains", "exact"):
                source, idx = originals[int(rng.integers(0, len(originals)))]
                cluster = source
                if kind == "near":
                    text = near_copy(w, idx, rng)
                elif kind == "exact":
                    text = w.text(idx)
                else:
                    extra = int(len(idx) * rng.uniform(0.3, 0.6))
                    teasers = [w.text(w.draw(extra // 4)) for _ in range(4)]
                    text = w.text(idx) + "\n\nLatest news\n\n" + "\n\n".join(teasers)
            elif kind == "site":
                header, footer = templates[int(rng.integers(0, len(templates)))]
                idx = w.draw(int(words * 0.6))
                text = header + "\n\n" + w.text(idx) + "\n\n" + footer
                cluster = doc_id
            else:
                idx = w.draw(int(rng.integers(int(words * 0.8), int(words * 1.2))))
                text = w.text(idx)
                cluster = doc_id
                if len(originals) < 200_000:
                    originals.append((doc_id, idx))
                else:
                    originals[int(rng.integers(0, len(originals)))] = (doc_id, idx)
            docs.write(json.dumps({"id": doc_id, "text": text}) + "\n")
            truth.write(json.dumps({"id": doc_id, "cluster": cluster, "kind": kind}) + "\n")


if __name__ == "__main__":
    main()
