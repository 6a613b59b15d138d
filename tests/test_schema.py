"""The files a scan writes match docs/schema.md, field by field."""

import json
import re
from pathlib import Path

import pytest

import reprints
from reprints.output.write import SCHEMA_VERSION, write_results

SCHEMA = Path(__file__).parents[1] / "docs" / "schema.md"
TYPES = {
    "string": str,
    "number": (int, float),
    "integer": int,
    "object": dict,
    "list": list,
    "array of string": list,
}


def documented(section: str) -> dict[str, tuple[str, str]]:
    """``field -> (type, present)`` from the table under ``## section``."""
    text = SCHEMA.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("field", "---"):
            rows[cells[0]] = (cells[1], cells[2])
    return rows


def check(record: dict, section: str, relation: str | None = None) -> None:
    fields = documented(section)
    unknown = set(record) - set(fields)
    assert not unknown, f"{section}: fields not in docs/schema.md: {unknown}"
    for name, (kind, present) in fields.items():
        # these scans run with the default, evidence on
        required = present in ("always", "with evidence") or relation in present.split(", ")
        if required:
            assert name in record, f"{section}: {name} missing"
        if name in record:
            assert isinstance(record[name], TYPES[kind]), (section, name, record[name])
            assert not isinstance(record[name], bool)
    if section != "summary.json":
        assert list(record) == [n for n in fields if n in record], "field order as documented"


@pytest.mark.parametrize("level", ["exact", "near", "rewrite"])
def test_written_files_match_the_schema(tmp_path, seeds, level):
    out = tmp_path / "out"
    write_results(reprints.scan([seeds], level=level), out)
    pairs = [json.loads(x) for x in (out / "pairs.jsonl").read_text().splitlines()]
    assert pairs
    for pair in pairs:
        check(pair, "pairs.jsonl", pair["relation"])
    for cluster in (json.loads(x) for x in (out / "clusters.jsonl").read_text().splitlines()):
        check(cluster, "clusters.jsonl")
    summary = json.loads((out / "summary.json").read_text())
    check(summary, "summary.json")
    assert summary["schema_version"] == SCHEMA_VERSION
    assert re.search(rf"schema_version {SCHEMA_VERSION}\)", SCHEMA.read_text())
    for stage in ("read_and_fingerprint", "candidates", "verify", "cluster"):
        assert "seconds" in summary["stages"][stage]
