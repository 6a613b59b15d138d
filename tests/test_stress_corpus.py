"""The adversarial stress corpus generator (benchmarks/stress): deterministic, every style
present, and its gold consistent with its per-document styles and relations.

Nothing here scores reprints itself: the per-style quality is measured by
``benchmarks/stress/evaluate.py`` and reported in ``benchmarks/stress/README.md``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import pytest
from benchmarks.stress import generate as stress

N = 300
SEED = 7
FILES = ("docs.jsonl", "gold.jsonl", "styles.jsonl", "meta.json")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stress") / "a"
    stress.main(["--docs", str(N), "--seed", str(SEED), "--out", str(out)])
    return out


def test_same_seed_same_bytes(corpus: Path, tmp_path: Path) -> None:
    again = tmp_path / "b"
    stress.generate(again, n=N, seed=SEED)
    for name in FILES:
        assert (corpus / name).read_bytes() == (again / name).read_bytes(), name


def test_other_seed_other_corpus(corpus: Path, tmp_path: Path) -> None:
    other = tmp_path / "c"
    stress.generate(other, n=N, seed=SEED + 1)
    assert (corpus / "docs.jsonl").read_bytes() != (other / "docs.jsonl").read_bytes()


def test_documents(corpus: Path) -> None:
    docs = read_jsonl(corpus / "docs.jsonl")
    assert len(docs) == N
    ids = [d["id"] for d in docs]
    assert len(set(ids)) == N
    for d in docs:
        assert d["text"].strip()
        assert set(d) <= {"id", "text", "title", "date", "url"}
        if "date" in d:
            datetime.fromisoformat(d["date"].replace("Z", "+00:00"))
    assert any("date" in d for d in docs) and not all("date" in d for d in docs)


def test_every_style_with_planted_relations(corpus: Path) -> None:
    rows = read_jsonl(corpus / "styles.jsonl")
    styles = Counter(r["style"] for r in rows)
    assert set(styles) == set(stress.STYLES)
    planted = Counter(r["style"] for r in rows if r["role"] != "original" or r.get("related"))
    assert set(planted) == set(stress.STYLES) - {"background"}
    for r in rows:
        assert r["relation"] in (
            "original",
            "exact",
            "near_duplicate",
            "containment",
            "partial",
            "none",
        )
        assert (
            (r["relation"] == "original") == (r["role"] == "original") == (r["id"] == r["original"])
        )
        if r["relation"] == "containment":
            assert r["container"] in (r["id"], r["original"])


def test_styles_agree_with_gold(corpus: Path) -> None:
    rows = {r["id"]: r for r in read_jsonl(corpus / "styles.jsonl")}
    gold = read_jsonl(corpus / "gold.jsonl")
    label = {}
    for g in gold:
        assert len(g["members"]) >= 2
        # a cluster is named by its original (or by the earlier of two aggregator pages of the
        # same leads, which the later one copies)
        head = rows[g["cluster"]]
        assert head["relation"] == "original" or head["role"] == "aggregator"
        assert g["cluster"] in g["members"]
        for m in g["members"]:
            assert m not in label
            label[m] = g["cluster"]
    members = defaultdict(set)
    for r in rows.values():
        assert r["cluster"] == label.get(r["id"])
        if r["relation"] in stress.JOINING:
            assert r["cluster"] == r["original"]
            members[r["original"]].add(r["id"])
        elif r["relation"] != "original":
            assert r["cluster"] is None or r["cluster"] != label.get(r["original"])
        for x in r.get("related", []):
            # teasers and borrowed leads never join; a digest or an infinite-scroll page holds
            # whole stories it does not join (none, or another, makes up most of it)
            assert x["relation"] not in stress.JOINING or r["style"] in ("digest", "home_page")
    for g in gold:
        assert set(g["members"]) == {g["cluster"], *members[g["cluster"]]}


def test_originals_dated_first(corpus: Path) -> None:
    docs = {d["id"]: d for d in read_jsonl(corpus / "docs.jsonl")}
    rows = read_jsonl(corpus / "styles.jsonl")

    def when(i: str) -> datetime:
        return datetime.fromisoformat(docs[i]["date"].replace("Z", "+00:00")).replace(tzinfo=None)

    for r in rows:
        if r["relation"] != "original" and "date" in docs[r["id"]]:
            assert "date" in docs[r["original"]], r
            assert when(r["id"]) > when(r["original"]), r


def test_style_intents(corpus: Path) -> None:
    """The traps are there: lead-only copies join their article, site pages and aggregators
    do not; pages of a paginated article and mostly-release outlets join."""
    rows = read_jsonl(corpus / "styles.jsonl")
    by = defaultdict(Counter)
    for r in rows:
        by[(r["style"], r["role"])][r["relation"] in stress.JOINING] += 1
    assert by[("sidebar_trap", "copy")] == Counter({True: by[("sidebar_trap", "copy")].total()})
    assert by[("sidebar_trap", "site_page")][True] == 0
    assert by[("sidebar_trap", "site_page")][False] >= 10
    roles = {r["id"]: r["role"] for r in rows}
    for r in rows:  # an aggregator page joins no article, only another page of the same leads
        if r["role"] == "aggregator" and r["relation"] in stress.JOINING:
            assert roles[r["original"]] == "aggregator"
    assert by[("same_topic", "negative")][True] == 0
    assert by[("pagination", "copy")][True] >= 2
    for r in rows:  # a digest or a home page is a text of its own that holds whole stories
        if r["style"] in ("digest", "home_page") and r["role"] == "original" and r.get("related"):
            assert r["cluster"] is None
            assert {x["relation"] for x in r["related"]} == {"containment"}
    rels = Counter(r["relation"] for r in rows if r["style"] == "press_release")
    assert rels["near_duplicate"] + rels["containment"] >= 1


def test_article_lengths() -> None:
    docs = stress.build(250, seed=3, styles=list(stress.STYLES))
    for d in docs:
        if d.role == "original" and d.style in ("background", "control", "wire", "comments"):
            body = [b.text for b in d.blocks if b.kind == "body"][1:]  # headline apart
            words = sum(len(p.split()) for p in body)
            assert 300 <= words <= 900 + 10, (d.style, words)


def test_styles_option(tmp_path: Path) -> None:
    stress.main(
        ["--docs", "120", "--seed", "2", "--styles", "pagination,wire", "--out", str(tmp_path)]
    )
    rows = read_jsonl(tmp_path / "styles.jsonl")
    assert {r["style"] for r in rows} <= {"pagination", "wire", "background"}
    assert {"pagination", "wire"} <= {r["style"] for r in rows}
    assert len(rows) == 120


def test_no_dates(tmp_path: Path) -> None:
    stress.main(["--docs", "250", "--dates", "none", "--out", str(tmp_path)])
    assert all("date" not in d for d in read_jsonl(tmp_path / "docs.jsonl"))


def test_real_articles_and_date_lines_of_originals_only(tmp_path: Path) -> None:
    """``--texts``: the stories take the given articles' headlines and paragraphs first (a
    ``Published`` line dropped, a first line ending a sentence read as no headline), the same
    bytes for the same seed; ``--date-lines originals``: no copy's own page prints a date line.
    ``real_texts.unshared`` keeps one of two articles that copy each other."""
    from benchmarks.stress import real_texts

    words = [f"word{k}" for k in range(400)]
    rows = []
    for a in range(6):
        paras = [
            " ".join(words[(a * 50 + p * 7 + w) % 400] for w in range(40)) + "." for p in range(6)
        ]
        head = f"Real headline number {a}" if a % 2 else paras.pop(0)
        rows.append({"id": f"r{a}", "text": "\n".join([head, "Published 2020-01-01", *paras])})
    texts = tmp_path / "texts.jsonl"
    texts.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    articles = stress.read_articles(texts)
    assert [h for h, _ in articles] == [
        None if a % 2 == 0 else f"Real headline number {a}" for a in range(6)
    ]
    assert all(not p.startswith("Published") for _, paras in articles for p in paras)
    args = ["--docs", "150", "--seed", "3", "--texts", str(texts), "--date-lines", "originals"]
    stress.main([*args, "--out", str(tmp_path / "a")])
    stress.main([*args, "--out", str(tmp_path / "b")])
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    docs = {d["id"]: d["text"] for d in read_jsonl(tmp_path / "a" / "docs.jsonl")}
    assert "Real headline number 1" in "\n".join(docs.values())
    styles = {r["id"]: r for r in read_jsonl(tmp_path / "a" / "styles.jsonl")}
    lined = {i for i, t in docs.items() if "\nPublished " in t}
    # an original's page, a page of a story of its own (a site page, a negative), or the same
    # page under another address (an exact copy): never a copy's own page
    copies = {i for i in lined if styles[i]["role"] == "copy" and styles[i]["relation"] != "exact"}
    assert lined and not copies
    assert any(styles[i]["role"] == "original" for i in lined)
    assert real_texts.unshared([{"id": "x", "text": rows[1]["text"]}] * 2) == [
        {"id": "x", "text": rows[1]["text"]}
    ]


def test_the_ideal_finder_reads_mangled_scrapes_as_the_text() -> None:
    """The ``mangled`` style's gold: each mangling of a typeset text (quotes, apostrophes,
    dashes, a copyright sign, an ampersand) reads as the same words, so its copies are near
    duplicates by the generator's own reading, not by reprints'."""
    text = stress.typeset('He said "we don\'t know" - (c) Hicks & Sandoval, 2024.')
    assert all(c in text for c in "“’”—©")
    for how in stress.MANGLINGS:
        copy = stress.mangle(text, how)
        assert copy != text
        assert stress.tokens(copy) == stress.tokens(text), how
        for char in "“’”—©&":  # each alone too, in a word
            assert stress.tokens(stress.mangle(f"ab{char}cd", how)) == stress.tokens(f"ab{char}cd")


def test_the_ideal_finder_reads_marked_up_crawls_as_the_text() -> None:
    """The ``markup`` style's gold: each conversion of a page (Markdown links, references,
    HTML tags) reads as the page's words, by the generator's own reading, not by reprints'."""
    gen = stress.Gen(4, "all")
    site = gen.site()
    story = gen.story()
    page = gen.page(story, site, story.when)
    plain = "\n".join(b.text for b in page)
    seen = stress.tokens(plain)
    for how in stress.CONVERSIONS:
        converted = stress.convert(gen, page, site, how)
        sep = stress.json_escaped("\n") if how == "json" else "\n"
        # the picture's description and a text browser's list heading are the page's furniture
        kept = [b.text for b in converted if not b.text.startswith("![") and b.text != "References"]
        text = sep.join(kept)
        assert text != plain and ("https://" in text) != (how == "json")
        assert stress.tokens(text) == seen, how
