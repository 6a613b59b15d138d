"""The persistent index: the same answer as a scan however documents are added, nothing lost."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import reprints
from reprints.cli import app
from reprints.engine.indexed import Index
from reprints.errors import ConfigError, InputError, ReprintsError
from tests.conftest import S000, S001, S002, SEEDS, eval_set, write_jsonl


def seed_docs() -> list[dict]:
    return [
        {"id": name, "text": (SEEDS / name).read_text(encoding="utf-8")}
        for name in (S000, S001, S002)
    ]


def answer_key(result: reprints.ScanResult) -> tuple[list, list]:
    pairs = sorted(
        (p.a, p.b, str(p.relation), round(p.jaccard, 4), round(p.containment_a_in_b, 4))
        for p in result.pairs
    )
    clusters = sorted((c.canonical, tuple(sorted(c.members))) for c in result.clusters)
    return pairs, clusters


def load(name: str) -> list[dict]:
    path = eval_set(name) / "docs.jsonl"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")  # texts hold U+2028
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize(
    ("name", "level"), [("scraped", "near"), ("reuse", "near"), ("reuse", "rewrite")]
)
def test_export_is_the_scan_however_documents_were_added(
    tmp_path: Path, name: str, level: str
) -> None:
    docs = load(name)
    scanned = answer_key(
        reprints.scan([eval_set(name) / "docs.jsonl"], level=level, workers=1, progress=False)
    )
    assert scanned[0], "the set must have pairs for the test to mean anything"
    # one batch; then batches of 37 in reverse order; then one at a time, with a remove and a
    # re-add along the way
    one = Index.open(tmp_path / "one.db")
    one.add(docs)
    many = Index.open(tmp_path / "many.db")
    backwards = docs[::-1]
    for lo in range(0, len(backwards), 37):
        many.add(backwards[lo : lo + 37])
    single = Index.open(tmp_path / "single.db")
    for doc in docs:
        single.add([doc])
    victims = [d["id"] for d in docs[:5]]
    assert single.remove(victims) == 5
    assert single.stats()["documents"] == len(docs) - 5
    single.add(docs[:5])
    for index in (one, many, single):
        assert answer_key(index.scan(level)) == scanned


def test_export_writes_the_scan_files(tmp_path: Path) -> None:
    index = Index.open(tmp_path / "x.db")
    index.add(seed_docs())
    paths = index.export(tmp_path / "out", level="rewrite")
    clusters = [json.loads(line) for line in paths["clusters"].read_text().splitlines()]
    assert clusters[0]["canonical"] == S000
    assert sorted(clusters[0]["members"]) == [S000, S001, S002]
    pairs = {(p["a"], p["b"]): p for p in map(json.loads, paths["pairs"].read_text().splitlines())}
    assert pairs[(S000, S001)]["relation"] == "containment"
    assert len(pairs[(S000, S001)]["added_in_b"]) >= 4  # the teasers, with their offsets
    assert pairs[(S000, S002)]["relation"] == "rewrite"


def test_query_finds_the_seeds_with_evidence(tmp_path: Path) -> None:
    index = Index.open(tmp_path / "x.db")
    s000, s001, s002 = seed_docs()
    index.add([s000])
    (answer,) = index.query([s001])
    (match,) = answer.matches
    assert (match.a, match.b, str(match.relation)) == (S000, S001, "containment")
    assert match.container == S001
    assert answer.cluster is not None and answer.cluster.canonical == S000
    assert index.stats()["documents"] == 1  # a query adds nothing
    index.add([s001])
    (answer,) = index.query([s002], level="rewrite")
    relations = {(m.a, m.b): str(m.relation) for m in answer.matches}
    assert relations[(S000, S002)] == "rewrite"
    rewrite = next(m for m in answer.matches if (m.a, m.b) == (S000, S002))
    assert rewrite.evidence is not None and len(rewrite.evidence["aligned"]) >= 14
    assert answer.cluster is not None
    assert answer.cluster.canonical == S000
    assert sorted(answer.cluster.members) == [S000, S001, S002]
    # at near, 002 only shares a passage: no cluster
    (near,) = index.query([s002])
    assert near.cluster is None


def test_query_of_unrelated_text_and_of_a_stored_document(tmp_path: Path) -> None:
    index = Index.open(tmp_path / "x.db")
    index.add(seed_docs())
    text = "The orchestra rehearsed a new symphony on Thursday in the old town hall. " * 3
    (alone,) = index.query([{"id": "new", "text": text}])
    assert alone.matches == [] and alone.cluster is None
    # a stored document queried again stands for itself: no match with its own stored copy
    (again,) = index.query([seed_docs()[0]])
    found = {(m.a, m.b): str(m.relation) for m in again.matches}
    assert found == {(S000, S001): "containment", (S000, S002): "partial"}


def test_query_with_add_stores_the_documents(tmp_path: Path) -> None:
    index = Index.open(tmp_path / "x.db")
    s000, s001, _ = seed_docs()
    index.add([s000])
    (answer,) = index.query([s001], add=True)
    assert answer.added and index.stats()["documents"] == 2
    with pytest.raises(InputError, match=S001):
        index.query([s001], add=True)


def test_duplicate_ids_and_upsert(tmp_path: Path) -> None:
    index = Index.open(tmp_path / "x.db")
    s000, s001, s002 = seed_docs()
    index.add([s000, s001])
    with pytest.raises(InputError, match=f"{S001}.*already in the index"):
        index.add([s002, s001])
    assert index.stats()["documents"] == 2  # 002 was not added either: one transaction
    with pytest.raises(InputError, match=f"document 2: duplicate id .{S002}."):
        index.add([s002, s002])
    done = index.add([{**s001, "text": s002["text"]}, s002], upsert=True)
    assert (done.added, done.replaced) == (1, 1)
    (answer,) = index.query([{"id": "q", "text": s002["text"]}])
    # 001 now holds 002's text: the query is an exact copy of both (paired with the one that
    # stands for the exact copies, clustered with all)
    assert {str(m.relation) for m in answer.matches} == {"exact"}
    assert answer.cluster is not None
    assert sorted(answer.cluster.members) == sorted([S001, S002, "q"])


def test_remove_names_a_missing_id(tmp_path: Path) -> None:
    index = Index.open(tmp_path / "x.db")
    index.add(seed_docs()[:1])
    with pytest.raises(InputError, match=r"'nope'.*not in the index"):
        index.remove(["nope", S000])
    assert index.stats()["documents"] == 1
    assert index.remove(["nope", S000], missing_ok=True) == 1
    assert index.stats()["documents"] == 0


def test_bad_records_roll_the_add_back_or_are_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    rows = [json.dumps(d) for d in seed_docs()]
    corpus.write_text(rows[0] + "\n{not json\n" + rows[1] + "\n", encoding="utf-8")
    index = Index.open(tmp_path / "x.db")
    with pytest.raises(InputError, match=r"c\.jsonl:2: malformed JSON"):
        index.add(inputs=[corpus])
    assert index.stats()["documents"] == 0
    skipping = Index.open(tmp_path / "x.db", on_error="skip")
    done = skipping.add(inputs=[corpus])
    assert (done.added, done.skipped) == (2, 1)
    with pytest.raises(InputError, match="document 1: missing field 'text'"):
        index.add([{"id": "a"}])


def test_an_index_is_checked_when_opened(tmp_path: Path) -> None:
    Index.open(tmp_path / "x.db").add(seed_docs()[:1])
    with pytest.raises(ReprintsError, match="other fingerprint settings"):
        Index.open(tmp_path / "x.db", shingle_size=4)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 10)
    with pytest.raises(ReprintsError, match="not a reprints index"):
        Index.open(junk)
    with pytest.raises(ReprintsError, match="is a folder"):
        Index.open(tmp_path)
    with pytest.raises(ConfigError, match="unknown level"):
        Index.open(tmp_path / "x.db").query(seed_docs()[:1], level="fuzzy")


def test_an_index_made_with_earlier_tokens_asks_for_a_new_one(tmp_path: Path) -> None:
    """Fingerprints stored before look-alike letters, zero-width characters and soft hyphens
    were read through would not match the same texts fingerprinted now."""
    import sqlite3

    Index.open(tmp_path / "x.db").add(seed_docs()[:1])
    con = sqlite3.connect(tmp_path / "x.db")
    (settings,) = con.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
    old = {k: v for k, v in json.loads(settings).items() if k != "tokens"}
    con.execute("UPDATE meta SET value = ? WHERE key = 'settings'", (json.dumps(old),))
    con.commit()
    con.close()
    with pytest.raises(ReprintsError, match=r"tokens version 1.*make a new index"):
        Index.open(tmp_path / "x.db")


_KILLED_ADD = """
import sys
from pathlib import Path
from reprints.engine.indexed import Index

index = Index.open(sys.argv[1])
marker = Path(sys.argv[2])
words = "river bank loan city council budget school road storm market".split()

def docs():
    for i in range(200_000):
        if i == 3000:
            marker.write_text("writing")
        text = " ".join(words[(i * 7 + k * 3) % 10] + str(k % 97) for k in range(120))
        yield {"id": f"doc{i}", "text": f"Story {i}. " + text}

index.add(docs())
"""


def test_a_kill_in_the_middle_of_an_add_leaves_the_batch_out(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    Index.open(db).add(seed_docs())
    marker = tmp_path / "marker"
    env = {**os.environ, "PYTHONPATH": str(Path(reprints.__file__).parents[1])}
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_ADD, str(db), str(marker)],
        env=env,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
        assert time.monotonic() < deadline, "the add never got going"
        time.sleep(0.05)
    time.sleep(0.2)  # well inside the add: batches have been written to the transaction
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    index = Index.open(db)
    assert index.stats()["documents"] == 3  # the killed batch is wholly out
    assert answer_key(index.scan("near")) == answer_key(
        reprints.scan([SEEDS], level="near", workers=1, progress=False)
    )
    index.add([{"id": "after", "text": "A new document after the crash, added as usual."}])
    assert index.stats()["documents"] == 4


def test_cli_round_trip(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "seeds.db")
    for name in (S000, S001):
        done = runner.invoke(app, ["index", "add", str(SEEDS / name), "--db", db])
        assert done.exit_code == 0, done.output
    query = runner.invoke(
        app, ["index", "query", str(SEEDS / S002), "--db", db, "--level", "rewrite"]
    )
    assert query.exit_code == 0, query.output
    answer = json.loads(query.stdout.splitlines()[0])
    assert answer["cluster"]["canonical"] == S000
    assert {m["relation"] for m in answer["matches"]} == {"rewrite"}
    again = runner.invoke(app, ["index", "add", str(SEEDS / S000), "--db", db])
    assert again.exit_code == 2 and "already in the index" in again.output
    stats = runner.invoke(app, ["index", "stats", "--db", db])
    assert json.loads(stats.stdout)["documents"] == 2
    out = tmp_path / "out"
    exported = runner.invoke(app, ["index", "export", "--db", db, "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    (pair,) = map(json.loads, (out / "pairs.jsonl").read_text().splitlines())
    assert (pair["a"], pair["b"], pair["relation"]) == (S000, S001, "containment")
    removed = runner.invoke(app, ["index", "remove", S001, "--db", db])
    assert removed.exit_code == 0, removed.output
    missing = runner.invoke(app, ["index", "remove", S001, "--db", db])
    assert missing.exit_code == 2 and "not in the index" in missing.output


def test_jsonl_inputs_and_fields(tmp_path: Path) -> None:
    corpus = write_jsonl(
        tmp_path / "c.jsonl",
        [
            {**d, "title": f"t{i}", "date": f"2020-01-0{i + 1}", "url": f"https://x/{i}"}
            for i, d in enumerate(seed_docs())
        ],
    )
    index = Index.open(tmp_path / "x.db")
    assert index.add(inputs=[corpus]).added == 3
    result = index.scan("rewrite")
    (cluster,) = result.clusters
    assert cluster.canonical == S000  # the earliest date


def test_rewrite_queries_find_what_the_scan_joins_translations_included(tmp_path: Path) -> None:
    """Each document of a slice of the rewrites dev set (English translations of Russian
    stories and their originals), queried against the index of the others at rewrite, gets
    exactly the joining partners a scan of the slice gives it."""
    docs = load("rewrites")
    stories = sorted({d["id"].rsplit(".", 1)[0] for d in docs})[:12]
    chosen = [d for d in docs if d["id"].rsplit(".", 1)[0] in stories]
    corpus = write_jsonl(tmp_path / "slice.jsonl", chosen)
    scanned = reprints.scan([corpus], level="rewrite", workers=1, progress=False)
    joining = {"exact", "near_duplicate", "containment", "rewrite", "translation"}
    partners: dict[str, set[str]] = {}
    for p in scanned.pairs:
        if str(p.relation) in joining:
            partners.setdefault(p.a, set()).add(p.b)
            partners.setdefault(p.b, set()).add(p.a)
    assert any(str(p.relation) == "translation" for p in scanned.pairs)
    index = Index.open(tmp_path / "x.db")
    index.add(chosen)
    for doc in chosen:
        (answer,) = index.query([doc], level="rewrite")
        found = {
            m.b if m.a == doc["id"] else m.a for m in answer.matches if str(m.relation) in joining
        }
        assert found == partners.get(doc["id"], set()), doc["id"]


def test_vectors_past_the_exact_limit_live_in_a_usearch_file_beside_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("usearch")
    import reprints.engine.indexed as indexed

    docs = load("rewrites")
    stories = sorted({d["id"].rsplit(".", 1)[0] for d in docs})[:6]
    chosen = [d for d in docs if d["id"].rsplit(".", 1)[0] in stories]
    exact = Index.open(tmp_path / "exact.db")
    exact.add(chosen)
    expected = [exact.query([d], level="rewrite")[0] for d in chosen]

    monkeypatch.setattr(indexed, "EXACT_UP_TO", 3)
    index = Index.open(tmp_path / "ann.db")
    index.add(chosen)
    got = [index.query([d], level="rewrite")[0] for d in chosen]
    cache = tmp_path / "ann.db.vectors.usearch"
    stamp = tmp_path / "ann.db.vectors.usearch.generation"
    assert cache.exists() and stamp.exists()

    def pairs(answers: list) -> list:
        return [sorted((m.a, m.b, str(m.relation)) for m in a.matches) for a in answers]

    assert pairs(got) == pairs(expected)
    # the cache follows the index: an add moves the generation and the file is rebuilt
    before = stamp.read_text()
    index.add([{"id": "extra", "text": "An unrelated note about the weather in the hills."}])
    index.query([chosen[0]], level="rewrite")
    assert stamp.read_text() != before
    # a stale or damaged stamp (a kill between saving the file and stamping it) rebuilds it
    stamp.write_text("garbage")
    reopened = Index.open(tmp_path / "ann.db")
    assert pairs([reopened.query([chosen[0]], level="rewrite")[0]]) == pairs(got[:1])
    assert stamp.read_text() != "garbage"


def _words_doc(rng: random.Random, doc_id: str, n: int) -> dict:
    return {"id": doc_id, "text": " ".join(f"word{rng.randrange(3000)}" for _ in range(n))}


def test_a_long_lived_index_sees_every_add_after_merges(tmp_path: Path) -> None:
    """Merges delete and write segments between queries of one open Index (a service): its
    cached postings must follow (segment numbers are never reused)."""
    rng = random.Random(2)
    index = Index.open(tmp_path / "x.db")
    stored = []
    for i in range(60):
        doc = _words_doc(rng, f"d{i}", rng.choice([7, 80]))
        index.add([doc])
        stored.append(doc)
        index.query([{"id": "probe", "text": "word1 word2 word3"}])  # caches the postings
    for doc in stored:
        (answer,) = index.query([{"id": "copy", "text": doc["text"]}])
        assert doc["id"] in {m.a for m in answer.matches} | {m.b for m in answer.matches}


def test_removed_documents_never_hide_live_ones(tmp_path: Path) -> None:
    rng = random.Random(3)
    text = _words_doc(rng, "x", 80)["text"]
    index = Index.open(tmp_path / "x.db")
    index.add([{"id": f"old{i}", "text": text} for i in range(70)])
    index.add([{"id": f"new{i}", "text": text} for i in range(3)])
    index.remove([f"old{i}" for i in range(70)])
    (answer,) = index.query([{"id": "q", "text": text}])
    assert answer.cluster is not None
    assert sorted(answer.cluster.members) == ["new0", "new1", "new2", "q"]


def test_sqlite_failures_are_named_and_leave_the_index_usable(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    index = Index.open(db)
    index.add(seed_docs()[:1])
    con = index.store.connection()
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.execute(f"PRAGMA max_page_count={pages + 2}")  # a full disk
    rng = random.Random(4)
    with pytest.raises(ReprintsError, match=r"cannot write \(database or disk is full\)"):
        index.add([_words_doc(rng, f"d{i}", 400) for i in range(200)])
    assert not con.in_transaction
    con.execute("PRAGMA max_page_count=1073741823")
    index.add(seed_docs()[1:2])
    assert index.stats()["documents"] == 2
    # a damaged file is a named error, not a traceback
    index.close()
    data = bytearray(db.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    db.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    with pytest.raises(ReprintsError, match=str(db)):
        Index.open(db).scan("near")


def test_opening_an_index_neither_writes_nor_waits_for_a_writer(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    Index.open(db).add(seed_docs())
    writer = sqlite3.connect(db, isolation_level=None)  # another process's add in progress
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO meta VALUES ('in-progress', '1')")
    reader = Index.open(db)
    assert reader.stats()["documents"] == 3  # the last committed state
    assert reader.query(seed_docs()[1:2])[0].matches
    writer.execute("ROLLBACK")
    writer.close()
    with sqlite3.connect(db) as con:
        before = con.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
    db.chmod(0o444)  # a read-only index opens and answers (as root the mode is not enforced)
    try:
        assert Index.open(db).query(seed_docs()[1:2])[0].matches
    finally:
        db.chmod(0o644)
    with sqlite3.connect(db) as con:  # opening and querying committed nothing
        assert con.execute("SELECT value FROM meta WHERE key='generation'").fetchone() == before


def test_adds_fingerprinted_in_worker_processes_store_the_same(tmp_path: Path) -> None:
    path = eval_set("scraped") / "docs.jsonl"
    serial = Index.open(tmp_path / "serial.db")
    serial.add(inputs=[path])
    pooled = Index.open(tmp_path / "pooled.db", workers=2)
    pooled.add(inputs=[path])
    assert answer_key(pooled.scan("near")) == answer_key(serial.scan("near"))
    # errors surface in input order, naming the line, and roll the add back
    corpus = tmp_path / "c.jsonl"
    rows = [json.dumps(d) for d in seed_docs()]
    corpus.write_text(rows[0] + "\n" + rows[1] + "\n" + rows[0] + "\n", encoding="utf-8")
    fresh = Index.open(tmp_path / "fresh.db", workers=2)
    with pytest.raises(InputError, match=r"c\.jsonl:3: duplicate id"):
        fresh.add(inputs=[corpus])
    assert fresh.stats()["documents"] == 0


def test_adds_report_what_reading_noted(tmp_path: Path) -> None:
    from reprints.io.reader import ReadStats

    stats = ReadStats()
    index = Index.open(tmp_path / "x.db")
    index.add(
        [{"id": "a", "text": "Rain fell on the town all night.", "date": "yesterday"}], stats=stats
    )
    assert any("'yesterday'" in m and "not an ISO date" in m for m in stats.messages)
    assert stats.read == 1


def _seeds_stored_otherwise(path: Path, *statements: str) -> tuple[Index, Any]:
    """The seeds indexed, then the file changed by ``statements`` (as an older reprints would
    have left it), opened again: the index and its one cluster, named as a fresh scan names
    it (000, by its date line)."""
    Index.open(path).add(seed_docs())
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    index = Index.open(path)
    (cluster,) = index.scan("near").clusters
    assert cluster.canonical == S000 and "date line (2020-09-30)" in cluster.why
    return index, cluster


def test_a_version_1_index_is_read_and_upgraded_by_its_first_write(tmp_path: Path) -> None:
    """Files made before the claims columns are read as they are (each document's date line
    and credit read from its stored text), and their first write adds the columns empty,
    whatever that write's fate (a failed add leaves the handle and the file usable)."""
    path = tmp_path / "old.db"
    old, cluster = _seeds_stored_otherwise(
        path,
        "ALTER TABLE docs DROP COLUMN shown",
        "ALTER TABLE docs DROP COLUMN credited",
        "UPDATE meta SET value = '1' WHERE key = 'schema'",
    )
    with pytest.raises(InputError, match="already in the index"):
        old.add(seed_docs()[:1])  # rolled back, upgrade included
    assert old.scan("near").clusters == [cluster]
    old.add([{"id": "other", "text": "An unrelated note about the weather in spring."}])
    con = sqlite3.connect(path)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("2",)
    claims = {i: (line, c) for i, line, c in con.execute("SELECT id, shown, credited FROM docs")}
    con.close()
    # the documents stored before keep NULL claims (read from their texts), the new one has its
    assert claims == {
        S000: (None, None),
        S001: (None, None),
        S002: (None, None),
        "other": (None, 0),
    }
    for index in (old, Index.open(path)):
        assert index.scan("near").clusters == [cluster]
        (answer,) = index.query(seed_docs()[1:2], level="near")
        assert answer.cluster is not None and answer.cluster.canonical == S000


def test_claims_read_otherwise_are_read_again_from_the_texts(tmp_path: Path) -> None:
    """A file whose stored claims (date line, credit) came from another reading of the pages
    (an older reprints; meta ``claims``) has them read again from the texts, so the index
    names the same canonical members as a fresh scan; its first write marks where the claims
    stored with this reading begin, and rewrites nothing."""
    path = tmp_path / "old-claims.db"
    # as another reading would have left them: 000 credited and no date line
    old, cluster = _seeds_stored_otherwise(
        path,
        f"UPDATE docs SET credited = 1, shown = NULL WHERE id = '{S000}'",
        "UPDATE meta SET value = '1' WHERE key = 'claims'",
    )
    old.add([{"id": "other", "text": "An unrelated note about the weather in spring."}])
    con = sqlite3.connect(path)
    meta = dict(con.execute("SELECT key, value FROM meta WHERE key LIKE 'claims%'"))
    stored = dict(con.execute("SELECT id, credited FROM docs"))
    con.close()
    assert meta == {"claims": "2", "claims_from": "4"}  # the three seeds came before
    assert stored[S000] == 1 and stored["other"] == 0  # nothing rewritten
    for index in (old, Index.open(path)):
        assert index.scan("near").clusters == [cluster]
