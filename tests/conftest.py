from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
SHARED_EVAL = ROOT.parent / "shared" / "eval"

S000 = "000_ee3534933aebc203.txt"
S001 = "001_8f1867b386f159f2.txt"
S002 = "002_0463619b20e909a6.txt"


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def seeds() -> Path:
    return SEEDS


def eval_set(name: str) -> Path:
    path = SHARED_EVAL / name
    if not (path / "docs.jsonl").is_file():
        pytest.skip(f"labelled data {path} is absent (it sits beside the project in CI)")
    return path
