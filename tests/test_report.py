"""report.html without a browser: what the page holds, rebuilding it, the text budget, escaping.
(tests/test_report_browser.py drives the page in Chromium.)"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from typer.testing import CliRunner

from reprints.cli import app
from reprints.output.report import Results, collect_documents, text_priority
from tests.conftest import S000, S001, S002, SEEDS, write_jsonl

runner = CliRunner(env={"COLUMNS": "1000"})  # messages on one line
_DATA = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)


def report_data(path: Path) -> dict[str, Any]:
    """The JSON block of a report page (exactly one; nothing in it closes the script)."""
    html = path.read_text(encoding="utf-8")
    (block,) = _DATA.findall(html)
    assert "<" not in block and ">" not in block
    return json.loads(block)


def scan(args: list[str]) -> None:
    res = runner.invoke(app, ["scan", *args, "--workers", "1"])
    assert res.exit_code == 0, res.output


def test_a_scan_writes_the_report_with_texts_and_evidence(tmp_path: Path) -> None:
    out = tmp_path / "out"
    scan([str(SEEDS), "--out", str(out), "--level", "rewrite"])
    data = report_data(out / "report.html")
    ids = [d["id"] for d in data["docs"]]
    assert sorted(ids) == [S000, S001, S002]
    for doc in data["docs"]:  # the texts as the scan read them: offsets slice them
        assert doc["text"] == (SEEDS / doc["id"]).read_text(encoding="utf-8")
    (cluster,) = data["clusters"]
    assert ids[cluster["canonical"]] == S000 and cluster["why"]
    assert data["meta"]["notes"] == [] and data["meta"]["texts_left_out"] == 0
    pairs = {(ids[p["a"]], ids[p["b"]]): p for p in data["pairs"]}
    assert pairs[S000, S001]["relation"] == "containment"
    assert pairs[S000, S002]["relation"] == "rewrite"
    assert all(p["evidence"]["aligned"] for p in pairs.values())
    assert sorted(cluster["pairs"]) == list(range(len(data["pairs"])))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["inputs"] == [str(SEEDS)]
    assert summary["read"] == {
        "id_field": "id",
        "text_field": "text",
        "max_chars": 2_000_000,
        "on_error": "raise",
    }


def test_no_report_writes_none_and_replaces_an_old_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    scan([str(SEEDS), "--out", str(out)])
    assert (out / "report.html").is_file()
    scan([str(SEEDS), "--out", str(out), "--no-report"])
    assert not (out / "report.html").exists()  # no stale report beside new results


def test_report_command_rebuilds_the_same_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    scan([str(SEEDS), "--out", str(out), "--level", "rewrite"])
    first = (out / "report.html").read_bytes()
    (out / "report.html").unlink()
    res = runner.invoke(app, ["report", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "report.html").read_bytes() == first


def test_report_command_says_when_the_inputs_moved(tmp_path: Path) -> None:
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "out"
    scan([str(corpus), "--out", str(out)])
    moved = tmp_path / "moved"
    corpus.rename(moved)
    res = runner.invoke(app, ["report", str(out)])
    assert res.exit_code == 2
    assert str(corpus) in res.output and "--input" in res.output
    res = runner.invoke(app, ["report", str(out), "--input", str(moved)])
    assert res.exit_code == 0, res.output
    assert all(d["text"] for d in report_data(out / "report.html")["docs"])


def test_report_command_on_a_folder_that_is_no_scan(tmp_path: Path) -> None:
    res = runner.invoke(app, ["report", str(tmp_path)])
    assert res.exit_code == 2 and "summary.json" in res.output and "not found" in res.output


def test_over_the_text_budget_the_report_says_what_it_left_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    scan([str(SEEDS), "--out", str(out), "--level", "rewrite"])
    size = max(len(p.read_text(encoding="utf-8")) for p in SEEDS.iterdir())
    res = runner.invoke(app, ["report", str(out), "--max-text-chars", str(size + 10)])
    assert res.exit_code == 0, res.output
    data = report_data(out / "report.html")
    assert sum(d["text"] is not None for d in data["docs"]) == 1
    assert data["meta"]["texts_left_out"] == 2
    (note,) = data["meta"]["notes"]
    assert "2 of 3 documents" in note and "reprints compare" in note
    # pairs keep their figures; passages only where both texts are there, and the page knows why
    assert all(p["evidence"] is None and p["left_out"] for p in data["pairs"])
    assert {p["relation"] for p in data["pairs"]} == {"containment", "rewrite"}


def test_texts_kept_are_the_most_wanted_whatever_the_reading_order() -> None:
    results = Results(
        {},
        [{"cluster": "b", "members": ["b", "c", "d"]}, {"cluster": "x", "members": ["x", "y"]}],
        [{"a": "p", "b": "q"}],
    )
    priority = text_priority(results)
    assert priority == ["b", "c", "d", "x", "y", "p", "q"]
    docs = [SimpleNamespace(id=i, text=i * 10, fields={"title": i.upper()}) for i in "qpyxdcbz"]
    for order in (docs, docs[::-1]):
        found = collect_documents(order, priority, max_text_chars=45)
        assert sorted(found) == sorted(priority)  # every wanted document, none other
        assert [i for i in priority if found[i].text] == ["b", "c", "d", "x"]
        assert found["p"].title == "P"


def test_document_text_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    evil = '</script><script>window.__pwned=1</script></textarea><img src=x onerror="x()">&amp;'
    text = (SEEDS / S000).read_text(encoding="utf-8")
    rows = [
        {"id": f"a{evil}", "text": evil + "\n" + text, "title": evil},
        {"id": "b", "text": text + "\n" + evil},
    ]
    out = tmp_path / "out"
    scan([str(write_jsonl(tmp_path / "docs.jsonl", rows)), "--out", str(out)])
    html = (out / "report.html").read_text(encoding="utf-8")
    for raw in (evil, "</script><script>", "<img", "</textarea>"):
        assert raw not in html  # only ever escaped
    assert html.count("<script") == 2  # the data block and the page's own script
    data = report_data(out / "report.html")
    assert data["docs"][0]["id"] == f"a{evil}" and data["docs"][0]["title"] == evil
    assert data["docs"][0]["text"].startswith(evil)


def test_standard_input_is_named_and_its_texts_are_in_the_report(tmp_path: Path) -> None:
    rows = [{"id": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.iterdir())]
    lines = "".join(json.dumps(r) + "\n" for r in rows)
    out = tmp_path / "out"
    res = runner.invoke(app, ["scan", "-", "--out", str(out), "--workers", "1"], input=lines)
    assert res.exit_code == 0, res.output
    assert json.loads((out / "summary.json").read_text())["inputs"] == ["-"]
    data = report_data(out / "report.html")
    given = {r["id"]: r["text"] for r in rows}
    assert {d["id"]: d["text"] for d in data["docs"]} == given  # 002 through a partial pair
    res = runner.invoke(app, ["report", str(out)])
    assert res.exit_code == 2 and "standard input" in res.output


def test_a_scan_without_pairs_and_one_without_evidence_still_report(tmp_path: Path) -> None:
    rows = [{"id": "a", "text": "One story about the harbour."}, {"id": "b", "text": "Another."}]
    out = tmp_path / "none"
    scan([str(write_jsonl(tmp_path / "docs.jsonl", rows)), "--out", str(out)])
    data = report_data(out / "report.html")
    assert data["pairs"] == [] and data["clusters"] == [] and data["docs"] == []
    assert data["histogram"]["counts"] == []
    out = tmp_path / "bare"
    scan([str(SEEDS), "--out", str(out), "--no-evidence"])
    data = report_data(out / "report.html")
    assert data["pairs"] and all(p["evidence"] is None and not p["left_out"] for p in data["pairs"])


def test_a_lone_surrogate_in_a_text_does_not_stop_the_report(tmp_path: Path) -> None:
    text = (SEEDS / S000).read_text(encoding="utf-8")
    docs = tmp_path / "docs.jsonl"
    line = json.dumps({"id": "a", "text": "Cut emoji \ud83d here.\n" + text})
    docs.write_text(line + "\n" + json.dumps({"id": "b", "text": text}) + "\n")
    out = tmp_path / "out"
    scan([str(docs), "--out", str(out)])
    (doc,) = [d for d in report_data(out / "report.html")["docs"] if d["id"] == "a"]
    assert doc["text"].startswith("Cut emoji \ufffd here.")  # one code point for one: offsets hold


def test_damaged_result_files_and_bad_settings_are_named_errors(tmp_path: Path) -> None:
    out = tmp_path / "out"
    scan([str(SEEDS), "--out", str(out)])
    res = runner.invoke(app, ["report", str(out), "--max-text-chars", "-1"])
    assert res.exit_code == 2
    pairs = (out / "pairs.jsonl").read_text().splitlines()
    broken = json.loads(pairs[0])
    del broken["b"]
    (out / "pairs.jsonl").write_text(json.dumps(broken) + "\n")
    res = runner.invoke(app, ["report", str(out)])
    assert res.exit_code == 2 and "pairs.jsonl:1" in res.output and "no field b" in res.output


def test_inputs_that_got_shorter_since_the_scan_show_no_passages(tmp_path: Path) -> None:
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "out"
    scan([str(corpus), "--out", str(out)])
    text = (corpus / S001).read_text(encoding="utf-8")
    (corpus / S001).write_text(text[: len(text) // 3], encoding="utf-8")  # edited since
    res = runner.invoke(app, ["report", str(out)])
    assert res.exit_code == 0, res.output
    data = report_data(out / "report.html")
    ids = [d["id"] for d in data["docs"]]
    (pair,) = [p for p in data["pairs"] if {ids[p["a"]], ids[p["b"]]} == {S000, S001}]
    assert pair["evidence"] is None and pair["changed"] and not pair["left_out"]
    assert any("changed since the scan" in note and S001 in note for note in data["meta"]["notes"])
