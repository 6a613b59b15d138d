"""Evidence of the shingle relations: copied passages from shared shingle runs, what one text
adds, what was discounted as boilerplate, in exact character offsets of the original texts."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import reprints
from reprints.cli import app
from reprints.evidence import runs
from reprints.sketch import kernel
from reprints.text.tokens import shingle_spans, shingle_spans_many, tokenize
from tests.conftest import S000, S001, SEEDS, eval_set, write_jsonl

HAVE_NUMBA = kernel._numba_kernel() is not None
ascii_text = st.text(alphabet=st.sampled_from(list("ab Zq09 .,'’-\n\t\"()x")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.lists(ascii_text, min_size=1, max_size=5), st.integers(1, 6))
def test_the_compiled_ascii_pass_finds_the_tokenizers_shingles(texts, k):
    for text, got in zip(texts, shingle_spans_many(texts, k), strict=True):
        tokens = tokenize(text)
        starts, ends = shingle_spans(tokens, k)
        assert got.hashes.tolist() == tokens.shingle_hashes(k).tolist()
        assert got.start.tolist() == starts.tolist() and got.end.tolist() == ends.tolist()


def words(text: str) -> list[str]:
    return tokenize(text).forms


def test_seed_001_at_near_level_lists_its_four_teasers_as_added() -> None:
    result = reprints.scan([SEEDS], level="near")
    (pair,) = [p for p in result.pairs if {p.a, p.b} == {S000, S001}]
    assert pair.relation == "containment"
    a, b = (SEEDS / S000).read_text(), (SEEDS / S001).read_text()
    ev = pair.evidence
    assert ev is not None
    added_b = " ".join(b[s:e] for s, e in ev["added_in_b"])
    for teaser in ("DIALOGUE:", "GREAT OPPRTUNITY", "FIGHT TO THE END", "CYBERSCAM:"):
        assert teaser in added_b
    # the article itself is copied, not added: every copied passage has the same words on
    # both sides, and together they hold nearly all of 000's words
    copied = 0
    for x in ev["aligned"]:
        assert x["kind"] == "copy" and 0 < x["score"] <= 1
        (s, e), (t, u) = x["a"], x["b"]
        if x["score"] == 1.0:
            assert words(a[s:e]) == words(b[t:u])
        copied += len(words(a[s:e]))
    assert copied > 0.9 * len(words(a))
    assert "Pompeo" not in " ".join(a[s:e] for s, e in ev["added_in_a"])


def test_boilerplate_spans_are_what_was_discounted() -> None:
    folder = eval_set("scraped")
    result = reprints.scan([folder / "docs.jsonl"], level="near")
    texts = {
        row["id"]: row["text"]
        for row in map(json.loads, (folder / "docs.jsonl").read_text().splitlines())
    }
    discounted = [p for p in result.pairs if p.boilerplate_discounted and p.evidence]
    assert discounted
    for pair in discounted[:20]:
        boiler = pair.evidence["boilerplate"]
        assert boiler["a"] or boiler["b"]
        for side, doc in (("a", pair.a), ("b", pair.b)):
            text = texts[doc]
            for s, e in boiler[side]:
                assert 0 <= s < e <= len(text) and text[s:e].strip() == text[s:e]
            # no copied passage lies inside a boilerplate span
            for x in pair.evidence["aligned"]:
                s, e = x[side]
                assert not any(bs <= s and e <= be for bs, be in boiler[side])


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
def test_compiled_and_plain_loops_agree() -> None:
    from reprints.evidence import _compiled

    rng = random.Random(3)
    # words of letters, some a letter or two apart: changed words the garble test reads
    vocab = ["".join(rng.choice("abcdeh") for _ in range(rng.randint(3, 6))) for _ in range(40)]
    for _ in range(200):
        base = [rng.choice(vocab) for _ in range(rng.randint(0, 80))]
        other = base[: rng.randint(0, len(base))] + [rng.choice(vocab) for _ in range(10)]
        if rng.random() < 0.3:
            rng.shuffle(other)
        text_a = "\n".join(" ".join(base[i : i + 9]) for i in range(0, len(base), 9))
        text_b = "\n".join(" ".join(other[i : i + 7]) for i in range(0, len(other), 7))
        a, b = runs.run_texts([text_a, text_b], 3)
        compiled = runs.run_evidence(a, b, _compiled.pair_evidence)
        plain = runs.run_evidence(a, b, runs.evidence_loop)
        assert compiled == plain
        # what the canonical choice reads too (Mapping equality compares the written fields)
        assert (compiled.balance, compiled.garbled, compiled.heads, compiled.headed) == (
            plain.balance,
            plain.garbled,
            plain.heads,
            plain.headed,
        )
        args = (
            *(a.keys, a.boilerplate, a.start, a.end, a.passages, a.boiler_spans),
            *(b.keys, b.boilerplate, b.order, b.start, b.end, b.passages, b.boiler_spans),
            *(runs.MAX_GAP, runs.MAX_SHIFT, runs.MIN_MATCHED, runs.ADDED_BELOW),
        )
        for got, want in zip(
            _compiled.pair_evidence(*args), runs.evidence_loop(*args), strict=True
        ):
            assert np.array_equal(got, want)  # the changed words' spans among them
        for x in compiled["aligned"]:
            assert words(text_a[slice(*x["a"])]) and words(text_b[slice(*x["b"])])


def test_a_changed_word_keeps_one_copied_passage() -> None:
    a = "The minister said on Tuesday that the new bridge over the river would open in May."
    b = "The minister said on Tuesday that the new tunnel over the river would open in May."
    ev = runs.run_evidence(*runs.run_texts([a, b], 5))
    (x,) = ev["aligned"]
    assert x["a"] == [0, len(a) - 1] and x["b"] == [0, len(b) - 1]
    assert 0.5 < x["score"] < 1
    assert ev["added_in_a"] == ev["added_in_b"] == []


def test_no_evidence_option(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["scan", str(SEEDS), "--out", str(out), "--no-evidence"])
    assert done.exit_code == 0, done.output
    rows = [json.loads(x) for x in (out / "pairs.jsonl").read_text().splitlines()]
    assert rows[0]["relation"] == "containment"
    assert all("aligned" not in row for row in rows)
    done = CliRunner().invoke(app, ["scan", str(SEEDS), "--out", str(out)])
    rows = [json.loads(x) for x in (out / "pairs.jsonl").read_text().splitlines()]
    assert all(len(row["aligned"]) >= 1 for row in rows)
    assert len(rows[0]["added_in_b"]) >= 4


def test_standard_input_through_the_api_says_it_has_no_passages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io
    import sys

    rows = [{"id": n, "text": (SEEDS / n).read_text()} for n in (S000, S001)]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = reprints.scan(["-"], level="near")
    assert [p.relation for p in result.pairs] == ["containment"]
    assert result.pairs[0].evidence is None
    assert result.pairs[0].to_dict().keys().isdisjoint({"aligned", "added_in_a"})
    assert any("standard input" in note for note in result.stats.notes)


def test_evidence_the_same_in_any_input_order(tmp_path: Path) -> None:
    rows = [{"id": n.name, "text": n.read_text()} for n in sorted(SEEDS.iterdir())]
    first = reprints.scan([write_jsonl(tmp_path / "a.jsonl", rows)], level="near")
    second = reprints.scan([write_jsonl(tmp_path / "b.jsonl", rows[::-1])], level="near")
    assert [p.evidence for p in first.pairs] == [p.evidence for p in second.pairs]


def test_sliced_views_give_the_same_evidence_and_no_batch_outlives_its_pairs() -> None:
    """Views unpacked as slices of their batch (the scan's worker path) give the evidence that
    copied views give; a document still waiting for its partner when its batch is done holds
    arrays of its own, not its batch's."""
    rng = random.Random(5)
    words = [f"w{k}" for k in range(300)]
    base = [" ".join(rng.choice(words) for _ in range(60)) for _ in range(6)]
    texts = [t + " " + " ".join(rng.choice(words) for _ in range(20)) for t in base * 2]
    pairs = np.array([[k, k + 6] for k in range(6)])  # each pair spans two batches
    batches = [
        list(enumerate(runs.run_texts(texts, 5)))[:6],
        list(enumerate(runs.run_texts(texts, 5)))[6:],
    ]
    packed = [runs.pack_views(b) for b in batches]
    copied = dict(runs.pair_evidence((runs.unpack_views(p) for p in packed), pairs))
    sliced_batches = [runs.unpack_views(p, copy=False) for p in packed]

    def batches_then_clobbered():
        # once the first batch is read, its arrays are overwritten (as a freed buffer would
        # be): documents still waiting for a partner must hold copies of their own
        yield sliced_batches[0]
        for values in packed[0][2:-1:2]:
            values[...] = 0
        yield sliced_batches[1]

    sliced = dict(runs.pair_evidence(batches_then_clobbered(), pairs, own=True))
    assert sorted(copied) == sorted(sliced) == list(range(6))
    for row in range(6):
        assert dict(copied[row]) == dict(sliced[row])


def _evidence_of(result: reprints.ScanResult) -> dict[tuple[str, str], tuple]:
    """Every pair's evidence fields and what the canonical choice reads of it."""
    column = result.table.extra["evidence"]
    out = {}
    for k in range(len(result.table)):
        ev = column[k]
        a, b = result.ids[int(result.table.a[k])], result.ids[int(result.table.b[k])]
        out[a, b] = (dict(ev), ev.balance, ev.garbled, ev.heads, ev.headed)
    return out


@pytest.mark.parametrize(("workers", "task_documents"), [(1, 2048), (2, 2048), (2, 6)])
def test_documents_read_where_they_lie_give_the_evidence_of_a_read_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, task_documents: int
) -> None:
    """The evidence stage reads a plain JSONL file's documents where their lines lie, in tasks
    of connected pairs (groups cut in blocks where they are larger than a task); a compressed
    copy of the same file is read through, as before. Both give the same evidence of every pair
    (passages, balance, garbled words, heads, headlines inside), in any number of workers."""
    import gzip

    from benchmarks.stress import generate as stress

    import reprints.engine.local as engine

    stress.generate(tmp_path / "c", n=300, seed=7)
    plain = tmp_path / "c" / "docs.jsonl"
    packed = tmp_path / "docs.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    reads = tmp_path / "reads"
    read_placed = engine.read_placed

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        with reads.open("a") as log:  # the workers are forked: they append here too
            log.write("1")
        return read_placed(*args, **kwargs)

    monkeypatch.setattr(engine, "read_placed", counted)
    monkeypatch.setattr(runs, "TASK_DOCUMENTS", task_documents)
    placed = reprints.scan([str(plain)], level="near", workers=workers)
    assert reads.is_file() and len(reads.read_text()) >= 100  # the documents were read in place
    reads.unlink()
    through = reprints.scan([str(packed)], level="near", workers=workers)
    assert not reads.exists()
    assert len(placed.pairs) > 100
    assert _evidence_of(placed) == _evidence_of(through)
    assert any(ev[3] != (False, False) for ev in _evidence_of(placed).values())  # heads read


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_moved_in_its_input_during_the_scan_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """A file changed between the two reads is an error naming the document, never evidence
    of the wrong text; raised in a worker, it reaches the caller whole (it pickles)."""
    from reprints.engine.local import LocalEngine
    from reprints.errors import InputError

    rows = [{"id": n.name, "text": n.read_text()} for n in sorted(SEEDS.iterdir())]
    path = write_jsonl(tmp_path / "d.jsonl", rows)
    analyse = LocalEngine.analyse

    def changed_first(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        write_jsonl(path, [{"id": "new", "text": "an unrelated first line"}, *rows])
        return analyse(self, *args, **kwargs)

    monkeypatch.setattr(LocalEngine, "analyse", changed_first)
    with pytest.raises(InputError, match="changed during the scan"):
        reprints.scan([str(path)], level="near", workers=workers)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=80),
    st.integers(1, 8),
    st.integers(2, 12),
)
def test_pair_tasks_hold_every_pair_once_and_keep_groups_whole_up_to_their_size(
    edges: list[tuple[int, int]], most: int, most_docs: int
) -> None:
    pairs = np.array([(a, b) for a, b in edges if a != b], dtype=np.int64).reshape(-1, 2)
    tasks = runs.pair_tasks(pairs, most, most_docs)
    rows = np.concatenate(tasks) if tasks else np.empty(0, np.int64)
    assert sorted(rows.tolist()) == list(range(len(pairs)))
    # a task reads a bounded number of documents: small groups packed by pairs, a whole group
    # up to most_docs, blocks of a larger one
    assert all(0 < len(set(pairs[t].ravel().tolist())) <= max(most_docs, 2 * most) for t in tasks)
    # a group of at most most_docs documents is never cut: its documents are read once
    task_of = {row: k for k, t in enumerate(tasks) for row in t.tolist()}
    for row in range(len(pairs)):
        members, group_rows = _group(pairs, row)
        if len(members) <= most_docs:
            assert {task_of[r] for r in group_rows} == {task_of[row]}
    again = runs.pair_tasks(pairs, most, most_docs)
    assert [t.tolist() for t in again] == [t.tolist() for t in tasks]


def _group(pairs: np.ndarray, row: int) -> tuple[set[int], list[int]]:
    """The documents connected to pair ``row`` and the rows of their pairs."""
    docs = set(pairs[row].tolist())
    grew = True
    while grew:
        grew = False
        for a, b in pairs.tolist():
            if (a in docs) != (b in docs):
                docs |= {a, b}
                grew = True
    return docs, [r for r, (a, _) in enumerate(pairs.tolist()) if a in docs]


def test_text_files_are_read_again_whole_and_a_changed_one_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder's text files are read again whole by the evidence pass (no note that the inputs
    were read through); one whose size changed since the first read is an error naming it."""
    from reprints.engine.local import LocalEngine
    from reprints.errors import InputError

    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in SEEDS.iterdir():
        (folder / seed.name).write_bytes(seed.read_bytes())
    result = reprints.scan([str(folder)], level="near")
    assert "containment" in {p.relation for p in result.pairs}
    assert not any("read the inputs through" in note for note in result.stats.notes)
    analyse = LocalEngine.analyse

    def changed_first(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        (folder / S001).write_text((SEEDS / S001).read_text() + "\nOne more line.")
        return analyse(self, *args, **kwargs)

    monkeypatch.setattr(LocalEngine, "analyse", changed_first)
    with pytest.raises(InputError, match=f"{S001}.*changed during the scan"):
        reprints.scan([str(folder)], level="near")


def test_what_the_canonical_choice_reads_survives_packing_and_swapping() -> None:
    """The fields read by the canonical choice and the compilations (balance, garbled words,
    heads, headlines inside) cross the process boundary and turn with the pair."""
    home = "Latest posts\nBudget passes vote\nThe council met.\n" * 5
    post = "Storm hits the coast at dawn\nBy Ann Lee\n" + "The storm cut power to homes. " * 9
    views = runs.run_texts([post, home + post.replace("By Ann Lee\n", "")], 5)
    ev = runs.run_evidence(views[0], views[1])
    assert ev.headed == (True, False)
    (back,) = runs.unpack_evidence(runs.pack_evidence([ev]))
    fields = ("balance", "garbled", "heads", "headed")
    assert [getattr(back, f) for f in fields] == [getattr(ev, f) for f in fields]
    turned = ev.swapped()
    assert turned.headed == (False, True) and turned.balance == ev.balance[::-1]
