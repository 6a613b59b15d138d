import json

from typer.testing import CliRunner

from reprints.cli import app
from tests.conftest import S000, S001, eval_set, write_jsonl

runner = CliRunner()


def test_scan_writes_pairs_and_clusters(tmp_path, seeds):
    out = tmp_path / "out"
    res = runner.invoke(app, ["scan", str(seeds), "--out", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    clusters = [json.loads(x) for x in (out / "clusters.jsonl").read_text().splitlines()]
    assert clusters == [
        {
            "cluster": S000,
            "canonical": S000,
            "members": [S000, S001],
            "why": clusters[0]["why"],
        }
    ]
    pairs = [json.loads(x) for x in (out / "pairs.jsonl").read_text().splitlines()]
    assert {"containment", "partial"} == {p["relation"] for p in pairs}
    assert "documents read" in res.output


def test_scan_bad_input_exits_with_named_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n")
    res = runner.invoke(app, ["scan", str(bad), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "bad.jsonl:1" in res.output


def test_dedup_jsonl_keeps_format_and_fields(tmp_path, seeds):
    rows = [
        {"id": f.name, "text": f.read_text(), "source": "seed", "n": i}
        for i, f in enumerate(sorted(seeds.iterdir()))
    ]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "dedup.jsonl"
    res = runner.invoke(app, ["dedup", str(src), "--out", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    kept = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["id"] for r in kept] == [S000, "002_0463619b20e909a6.txt"]
    assert kept[0] == rows[0]
    assert "dropped 1" in res.output and "containment" in res.output


def test_dedup_folder(tmp_path, seeds):
    out = tmp_path / "deduped"
    res = runner.invoke(app, ["dedup", str(seeds), "--out", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == [S000, "002_0463619b20e909a6.txt"]


def test_eval_json():
    path = eval_set("scraped")
    res = runner.invoke(app, ["eval", str(path), "--json"])
    assert res.exit_code == 0, res.output
    row = json.loads(res.output.strip().splitlines()[-1])
    assert row["ari"] >= 0.95 and set(row) >= {"precision", "recall", "f1", "ari"}


def test_bad_settings_are_named_errors_not_tracebacks(tmp_path, seeds):
    for flag, value in (("--level", "bogus"), ("--embedder", "bogus")):
        res = runner.invoke(app, ["scan", str(seeds), "--out", str(tmp_path / "o"), flag, value])
        assert res.exit_code == 2, res.output
        assert "error:" in res.output and "bogus" in res.output
        assert "Traceback" not in res.output


def test_embedder_none_keeps_the_rewrite_level_on_words(tmp_path, seeds):
    out = tmp_path / "o"
    args = ["scan", str(seeds), "--out", str(out), "--level", "rewrite", "--embedder", "none"]
    res = runner.invoke(app, [*args, "--workers", "1"])
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["stages"]["verify"]["lexical_only"] == 1
    relations = [json.loads(x)["relation"] for x in (out / "pairs.jsonl").read_text().splitlines()]
    assert "rewrite" in relations
