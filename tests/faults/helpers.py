"""Shared pieces of the fault-injection tests: a corpus generator and a real CLI subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

WORDS = [
    "harbour",
    "council",
    "vote",
    "ferry",
    "plan",
    "railway",
    "winter",
    "closing",
    "orchard",
    "apples",
    "growers",
    "market",
    "minister",
    "budget",
    "school",
    "teachers",
    "strike",
    "river",
    "flood",
    "bridge",
    "repair",
    "museum",
    "opening",
    "festival",
    "police",
    "inquiry",
    "court",
    "ruling",
    "hospital",
    "doctors",
    "nurses",
    "energy",
    "prices",
    "wind",
    "farm",
    "election",
    "result",
]


def article(seed: int, words: int = 300) -> str:
    """A reproducible pseudo-article: sentences of words drawn by a small LCG."""
    x = seed * 2654435761 % 2**32 or 1
    out = []
    for k in range(words):
        x = (1103515245 * x + 12345) % 2**31
        out.append(WORDS[x % len(WORDS)] + ("." if k % 12 == 11 else ""))
    return " ".join(out)


def corpus_rows(n: int, seed: int = 0) -> list[dict]:
    """``n`` documents: originals, near-copies, teaser pages and exact copies."""
    rows = []
    for i in range(n):
        base = article(seed * 100_000 + i // 4)
        kind = i % 4
        text = {
            0: base,
            1: base.replace(" vote ", " voted ", 3),
            2: base + " " + article(seed * 7 + i, 120),
            3: base,
        }[kind]
        rows.append({"id": f"d{seed}-{i:05d}", "text": text})
    return rows


def write_rows(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def reprints_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "from reprints.cli import main; main()", *args]


def start(args: list[str], tmpdir: Path) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        reprints_cmd(*args), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def result_set(folder: Path) -> dict[str, object]:
    """The files of a result folder; ``summary.json`` without its timings (they vary)."""
    files: dict[str, object] = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name == "summary.json":
            summary = json.loads(path.read_text())
            files[path.name] = {k: v for k, v in summary.items() if k not in ("seconds", "stages")}
        else:
            files[path.name] = path.read_bytes()
    return files
