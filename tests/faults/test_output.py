"""Output locations, file modes, input order and documents without word tokens."""

from __future__ import annotations

import errno
import json
import os
import random
import stat

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import reprints
from reprints.cli import app
from reprints.output.write import write_results
from tests.conftest import SEEDS, eval_set
from tests.faults.helpers import article, corpus_rows, result_set, write_rows

runner = CliRunner()


def scan_cli(*args):
    return runner.invoke(app, ["scan", *map(str, args), "--workers", "1"])


def test_out_that_is_a_file_fails_before_reading(tmp_path):
    target = tmp_path / "taken"
    target.write_text("x")
    missing = tmp_path / "missing.jsonl"  # reading would fail too: the output is checked first
    res = scan_cli(missing, "--out", target)
    assert res.exit_code == 2
    assert "taken" in res.output and "is a file" in res.output
    assert "Traceback" not in res.output


def test_out_holding_other_files_is_refused(tmp_path, seeds):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    res = scan_cli(seeds, "--out", out)
    assert res.exit_code == 2 and "not reprints results" in res.output
    assert (out / "notes.txt").read_text() == "mine"


def test_unwritable_folder_fails_before_reading(tmp_path, monkeypatch):
    # the folder refuses new files (as a read-only mount would, even for root); the input does
    # not exist, so the output error can only come first if it is checked before reading
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("reprints.output.publish.tempfile.mkstemp", refuse)
    res = scan_cli(tmp_path / "missing.jsonl", "--out", tmp_path / "out")
    assert res.exit_code == 2 and "cannot write here" in res.output


def test_full_disk_is_a_named_error_and_keeps_the_old_set(tmp_path, seeds, monkeypatch):
    out = tmp_path / "out"
    assert scan_cli(seeds, "--out", out).exit_code == 0
    before = result_set(out)

    def full(path, rows):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr("reprints.output.write.write_jsonl", full)
    res = scan_cli(seeds, "--out", out)
    assert res.exit_code == 2
    assert "No space left on device" in res.output and "Traceback" not in res.output
    assert result_set(out) == before
    assert not [p for p in tmp_path.iterdir() if ".reprints-" in p.name]


def test_outputs_respect_the_umask_and_dedup_keeps_the_mode(tmp_path, seeds):
    old = os.umask(0o002)  # not the usual 022: a writer that hard-codes 644/755 fails
    try:
        out = tmp_path / "out"
        assert scan_cli(seeds, "--out", out).exit_code == 0
        for name in ("pairs.jsonl", "clusters.jsonl", "summary.json"):
            assert stat.S_IMODE((out / name).stat().st_mode) == 0o664, name
        assert stat.S_IMODE(out.stat().st_mode) == 0o775
        corpus = write_rows(tmp_path / "c.jsonl", corpus_rows(8))
        corpus.chmod(0o640)
        res = runner.invoke(app, ["dedup", str(corpus), "--out", str(corpus), "--workers", "1"])
        assert res.exit_code == 0, res.output
        assert stat.S_IMODE(corpus.stat().st_mode) == 0o640
        fresh = tmp_path / "fresh.jsonl"
        res = runner.invoke(app, ["dedup", str(corpus), "--out", str(fresh), "--workers", "1"])
        assert res.exit_code == 0 and stat.S_IMODE(fresh.stat().st_mode) == 0o664
    finally:
        os.umask(old)


def scan_bytes(path, tmp_path, name):
    out = tmp_path / name
    write_results(reprints.scan([path]), out)
    return (out / "pairs.jsonl").read_bytes(), (out / "clusters.jsonl").read_bytes()


def test_shuffled_and_reversed_inputs_give_identical_results(tmp_path):
    rows = json.loads(json.dumps(corpus_rows(600, seed=3)))
    for k in range(0, 600, 50):  # exact copies whose ids sort before and after the original
        rows.append({"id": f"a{k}", "text": rows[k]["text"]})
        rows.append({"id": f"z{k}", "text": rows[k]["text"]})
    base = scan_bytes(write_rows(tmp_path / "a.jsonl", rows), tmp_path, "a")
    random.Random(7).shuffle(rows)
    assert scan_bytes(write_rows(tmp_path / "b.jsonl", rows), tmp_path, "b") == base
    rows.reverse()
    assert scan_bytes(write_rows(tmp_path / "c.jsonl", rows), tmp_path, "c") == base


def test_scraped_dev_set_in_any_order(tmp_path):
    lines = (eval_set("scraped") / "docs.jsonl").read_text(encoding="utf-8").splitlines(True)
    base = scan_bytes(
        write_rows(tmp_path / "a.jsonl", [json.loads(x) for x in lines]), tmp_path, "a"
    )
    random.Random(11).shuffle(lines)
    shuffled = write_rows(tmp_path / "b.jsonl", [json.loads(x) for x in lines])
    assert scan_bytes(shuffled, tmp_path, "b") == base


@settings(max_examples=8, deadline=None)
@given(st.permutations(list(range(9))))
def test_any_order_of_copies_gives_the_same_canonical_and_pairs(tmp_path_factory, order):
    tmp = tmp_path_factory.mktemp("perm")
    texts = [article(1), article(1), article(1) + " " + article(9, 80), article(2), article(2)]
    texts += [article(2)[:900], article(3), "🙂🙂 !!", "🙂🙂   !!"]
    rows = [{"id": f"d{k}", "text": t} for k, t in enumerate(texts)]
    shuffled = write_rows(tmp / "x.jsonl", [rows[k] for k in order])
    reference = write_rows(tmp / "r.jsonl", rows)
    assert scan_bytes(shuffled, tmp, "x") == scan_bytes(reference, tmp, "r")


def test_identical_documents_without_words_are_exact_copies(tmp_path):
    rows = [
        {"id": "e1", "text": "🙂🙂🙂 ★"},
        {"id": "e2", "text": "🙂🙂🙂  ★\n"},
        {"id": "p1", "text": "!!! ... ???"},
        {"id": "p2", "text": "?!?!"},
        {"id": "seed", "text": (SEEDS / sorted(os.listdir(SEEDS))[0]).read_text()},
    ]
    corpus = write_rows(tmp_path / "x.jsonl", rows)
    result = reprints.scan([corpus])
    assert [(p.a, p.b, str(p.relation)) for p in result.pairs] == [("e1", "e2", "exact")]
    assert [c.members for c in result.clusters] == [["e1", "e2"]]
    counters = result.stats.stages["read_and_fingerprint"].counters
    assert counters["no_word_tokens"] == 4
    out = tmp_path / "dedup.jsonl"
    res = runner.invoke(app, ["dedup", str(corpus), "--out", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["e1", "p1", "p2", "seed"]
    summary_out = tmp_path / "o"
    write_results(result, summary_out)
    summary = json.loads((summary_out / "summary.json").read_text())
    assert summary["exact_only"] == {"no_word_tokens": 4}
