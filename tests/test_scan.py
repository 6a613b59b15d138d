import json
import os
import shutil
from pathlib import Path

import pytest

import reprints
from reprints.evaluate import load_gold, score
from reprints.output.write import atomic_file, write_results
from tests.conftest import S000, S001, S002, eval_set, write_jsonl

ARTICLE_A = " ".join(
    f"Alpha story sentence {i} tells how the harbour council voted on plan {i}." for i in range(60)
)
ARTICLE_C = " ".join(
    f"Charlie report line {i} explains why the mountain railway closed in winter {i}."
    for i in range(60)
)


def test_seeds_containment_cluster_and_canonical(seeds):
    result = reprints.scan([seeds], level="near")
    assert [c.members for c in result.clusters] == [[S000, S001]]
    assert result.clusters[0].canonical == S000
    pair = next(p for p in result.pairs if {p.a, p.b} == {S000, S001})
    assert pair.relation == "containment"
    assert pair.container == S001 and pair.contained == S000
    assert pair.containment_a_in_b > 0.9 and pair.jaccard < 0.6
    assert S002 not in result.cluster_of


def test_a_mangled_scrape_is_the_same_copy(tmp_path):
    """Seed 001 scraped through a wrong decoding (mojibake) or with its characters written as
    HTML references reads as the same words: an exact copy of 001 (before, the scrape broke a
    word at every curly quote, apostrophe and dash), so it joins 000's cluster with 001, and
    000 still names the cluster."""
    from benchmarks.stress.generate import mangle

    from tests.conftest import SEEDS

    text = {name: (SEEDS / name).read_text(encoding="utf-8") for name in (S000, S001)}
    hows = ("cp1252", "references")
    rows = [{"id": f"001-{how}", "text": mangle(text[S001], how)} for how in hows]
    rows += [{"id": "000", "text": text[S000]}, {"id": "001", "text": text[S001]}]
    result = reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], level="near")
    assert [c.members for c in result.clusters] == [["000", "001", "001-cp1252", "001-references"]]
    assert result.clusters[0].canonical == "000"
    relation = {frozenset((p.a, p.b)): p.relation for p in result.pairs}
    assert all(relation[frozenset(("001", f"001-{how}"))] == "exact" for how in hows)
    assert relation[frozenset(("000", "001"))] == "containment"


def test_a_marked_up_crawl_is_the_same_copy(tmp_path):
    """Seed 001 crawled into Markdown (links to long addresses inside its sentences), with its
    links as references, with HTML tags left in, dumped by a text browser, or encoded as a JSON
    string once more: the same words, so exact copies of one
    another, contained in 000 as 001 is (before, the three were only near duplicates or
    contained in one another, and a crawl linking a phrase in every paragraph stayed `partial`
    to 000); the evidence's passages point into the marked-up text, and none is an address."""
    from benchmarks.stress import generate as stress

    from reprints.sketch.markup import unmarked
    from tests.conftest import SEEDS

    text = {name: (SEEDS / name).read_text(encoding="utf-8") for name in (S000, S001)}
    gen = stress.Gen(3, "all")
    site = gen.site()
    blocks = [stress.Block(p, "body") for p in text[S001].split("\n") if p.strip()]
    rows = [
        {
            "id": f"001-{how}",
            "text": (stress.json_escaped("\n") if how == "json" else "\n").join(
                b.text
                for b in stress.convert(gen, blocks, site, how)
                if not b.text.startswith("![")
            ),
        }
        for how in stress.CONVERSIONS
    ]
    rows += [{"id": "000", "text": text[S000]}]
    marked = {r["id"]: r["text"] for r in rows}
    result = reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], level="near")
    names = [f"001-{how}" for how in stress.CONVERSIONS]
    assert [c.members for c in result.clusters] == [sorted(["000", *names])]
    assert result.clusters[0].canonical == "000"
    (pair,) = [p for p in result.pairs if "000" in (p.a, p.b)]  # 000 and the copies' representative
    assert pair.relation == "containment"
    assert all(p.relation == "exact" for p in result.pairs if p is not pair)
    name = pair.b if pair.a == "000" else pair.a
    ours, theirs = ("a", "b") if pair.a == name else ("b", "a")
    shown = unmarked(marked[name])
    assert pair.evidence["aligned"]
    for passage in pair.evidence["aligned"]:  # the same words, the markup read past
        (s, e), (s0, e0) = passage[ours], passage[theirs]
        assert shown[s:e].split() == marked["000"][s0:e0].split()
    for s, e in pair.evidence[f"added_in_{ours}"]:
        assert shown[s:e].strip()  # never an address alone


def _lynx_dump(text: str) -> str:
    """``text`` as a text browser dumps its page (``lynx -dump``): each link marked ``[n]``
    before its words, the addresses listed at the end."""
    import re

    marks: list[str] = []

    def mark(m: re.Match[str]) -> str:
        marks.append(f"https://www.example.com/tag/{m.group(0).lower()}")
        return f"[{len(marks)}]{m.group(0)}"

    body = re.sub(r"\b(Baghdad|Iraq|Washington|Iran|Pompeo)\b", mark, text)
    listed = "\n".join(f"  {n}. {url}" for n, url in enumerate(marks, 1))
    return f"{body}\n\nReferences\n\n{listed}\n"


def test_an_escaped_or_text_browser_dump_is_the_same_copy(tmp_path):
    """Seed 000 encoded as a JSON string once more by a scraper (literal ``\\n``, ``\\"`` and
    ``\\u2019`` in the text), dumped by a text browser (``[3]Washington``, the addresses listed
    at the end) or with an encyclopedia's citation marks (``Iraq.[3]``) reads as the same
    words: exact copies of it (before, word 5-gram Jaccard 0.55 and about 0.5 with it); tokens'
    offsets point at the words as written."""
    import json as json_module

    from tests.conftest import SEEDS
    from tests.test_tokens import assert_offsets_exact

    text = (SEEDS / S000).read_text(encoding="utf-8")
    copies = {
        "escaped": json_module.dumps(text)[1:-1],
        "escaped-ascii": json_module.dumps(text, ensure_ascii=True)[1:-1].replace("/", "\\/"),
        "lynx": _lynx_dump(text),
        "cited": text.replace("Iraq.", "Iraq.[3]").replace("said.", "said.[14][15]"),
    }
    rows = [{"id": "000", "text": text}] + [{"id": k, "text": v} for k, v in copies.items()]
    result = reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], level="near")
    assert [c.members for c in result.clusters] == [sorted(["000", *copies])]
    assert result.clusters[0].canonical == "000"
    assert {p.relation for p in result.pairs} == {"exact"}
    for copy in copies.values():
        assert_offsets_exact(copy)


def test_evidence_of_an_escaped_copy_points_at_whole_escapes(tmp_path):
    """The evidence's passages of a JSON-escaped copy start and end at whole escapes (a word
    written ``\\u00c9coles`` starts at its backslash, not inside the escape)."""
    import json as json_module

    from reprints.sketch.markup import escape_spans

    story = (
        "Écoles et élèves de Genève ont été fermés mardi, selon les autorités locales qui "
        "parlent d'une mesure exceptionnelle. "
    ) * 3
    original = story + "Une phrase ajoutée ici pour la première version du texte, avec des mots."
    added = "Autre ajout différent dans la copie, avec des mots ici."
    copy = json_module.dumps(story + added)[1:-1]
    rows = [{"id": "a", "text": original}, {"id": "b", "text": copy}]
    (pair,) = reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], level="near").pairs
    runs = escape_spans(copy)
    side = "b" if pair.b == "b" else "a"
    assert runs and pair.evidence["aligned"]
    for passage in pair.evidence["aligned"]:
        start, end = passage[side]
        assert not any(a < start < b or a < end < b for a, b in runs), copy[start:end]


SCRIPT_NEWS = [
    json.loads(line) for line in (Path(__file__).parent / "data" / "scripts_news.jsonl").open()
]


def _every_other_letter(text: str, mark: str, letters: str) -> str:
    out, k = [], 0
    for char in text:
        out.append(char)
        if char in letters:
            k += 1
            if k % 2:
                out.append(mark)
    return "".join(out)


ARABIC_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
HEBREW_LETTERS = "אבגדהוזחטיכלמנסעפצקרשת"
def _chinese(config: str):  # the story republished in the other script, as OpenCC converts it
    import opencc

    return opencc.OpenCC(config).convert


SCRIPT_COPIES = {
    "ar": {  # how Arabic copies differ: what a reader of Arabic reads the same
        "tatweel": lambda t: _every_other_letter(t, "\u0640", "بتسكلمنه"),
        "harakat": lambda t: _every_other_letter(t, "\u064e", ARABIC_LETTERS),
        "hamza seats": lambda t: t.replace("أ", "ا").replace("إ", "ا").replace("ى", "ي"),
        "teh marbuta": lambda t: t.replace("ة", "ه"),
        "digits": lambda t: t + "\n٢٠٢٤",
    },
    "fa": {  # a Persian text typed on an Arabic keyboard; Persian digits
        "arabic keyboard": lambda t: t.replace("ی", "ي").replace("ک", "ك"),
        "half-space as space": lambda t: t.replace("\u200c", " "),
        "digits": lambda t: t + "\n۱۴۰۳",
    },
    "he": {"niqqud": lambda t: _every_other_letter(t, "\u05b8", HEBREW_LETTERS)},
    "zh": {  # simplified, republished in traditional characters (Taiwan's and Hong Kong's forms)
        "traditional": lambda t: _chinese("s2t")(t),
        "taiwan": lambda t: _chinese("s2tw")(t),
        "hong kong": lambda t: _chinese("s2hk")(t),
    },
    "hi": {  # a Hindi copy that writes no nukta and a dot for the chandrabindu
        "nukta": lambda t: t.replace("\u093c", ""),
        "chandrabindu": lambda t: t.replace("\u0901", "\u0902"),
    },
}


@pytest.mark.parametrize("lang", sorted(SCRIPT_COPIES))
def test_copies_in_another_form_of_the_script_read_as_the_text(tmp_path, lang):
    """Arabic and Persian copies stretch words with tatweel, add or drop vowel marks, write hamza
    seats, teh marbuta and the Persian letters in one form or another, and use Arabic-Indic,
    Persian or ASCII digits; Hebrew copies add points (niqqud); Chinese stories are republished
    in traditional characters; Hindi copies drop the nukta and write the chandrabindu as a dot.
    A reader reads the same words: so does reprints (before, an Arabic, Persian or Hebrew copy
    with the marks or the other letter forms shared 0-1% of its word 5-grams with the text, a
    traditional Chinese one 6%, a Hindi one two thirds; a half-space written as a space read the
    same already)."""
    text = next(r["text"] for r in SCRIPT_NEWS if r["lang"] == lang)
    ascii_digits = {"digits": "\n2024" if lang == "ar" else "\n1403"}
    rows = []
    for name, copy in SCRIPT_COPIES[lang].items():
        original = text + ascii_digits.get(name, "")
        rows += [
            {"id": f"{name}-original", "text": original + f"\n{name}"},
            {"id": f"{name}-copy", "text": copy(text) + f"\n{name}"},
        ]
        assert copy(text) != text
    result = reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], level="near")
    pairs = {frozenset((p.a, p.b)): p.relation for p in result.pairs}
    for name in SCRIPT_COPIES[lang]:
        assert pairs[frozenset((f"{name}-original", f"{name}-copy"))] == "exact", name


def test_mojibake_names_the_copy(tmp_path):
    """A copy of seed 000 (its date line left out) on another site, decoded wrongly on the way
    (mojibake), adding less than the original's page does: the clean page is the original
    whatever the ids, since the copy garbles the words it prints
    (``evidence.garble.disguised_words``; by the additions alone the copy would name it)."""
    from benchmarks.stress.generate import mangle

    from tests.conftest import SEEDS

    body = (SEEDS / S000).read_text(encoding="utf-8").split("\n", 1)[1]
    copy = "\n".join(["Latest news", mangle(body, "cp1252")])
    share = "Share this story with your friends and family on social media today"
    rows = [{"id": "a-copy", "text": copy}, {"id": "b-original", "text": f"{body}\n{share}"}]
    result = reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], level="near")
    assert [p.relation for p in result.pairs] == ["near_duplicate"]
    (cluster,) = result.clusters
    assert cluster.canonical == "b-original" and "garble" in cluster.why


def test_seeds_exact_level_has_no_cluster(seeds):
    assert reprints.scan([seeds], level="exact").clusters == []


def test_exact_copies_cluster_at_exact_level(tmp_path):
    rows = [
        {"id": "b", "text": ARTICLE_A},
        {"id": "a", "text": ARTICLE_A.upper().replace(".", " .")},
        {"id": "c", "text": ARTICLE_C},
    ]
    result = reprints.scan([write_jsonl(tmp_path / "x.jsonl", rows)], level="exact")
    assert [(c.canonical, c.members) for c in result.clusters] == [("a", ["a", "b"])]
    assert result.pairs[0].relation == "exact"


def test_earliest_date_is_canonical(tmp_path):
    rows = [
        {"id": "a", "text": ARTICLE_A, "date": "2021-05-01"},
        {
            "id": "b",
            "text": ARTICLE_A + " Extra closing line added by the copier.",
            "date": "2020-01-01",
        },
    ]
    result = reprints.scan([write_jsonl(tmp_path / "x.jsonl", rows)])
    assert result.clusters[0].canonical == "b"
    assert "earliest date" in result.clusters[0].why


def test_no_chaining_through_a_teaser_page(tmp_path):
    teaser = ARTICLE_C[:400]
    rows = [
        {"id": "A", "text": ARTICLE_A},
        {"id": "B", "text": ARTICLE_A + "\nLATEST: " + teaser},
        {"id": "C", "text": teaser + " Subscribe to read the full story."},
        {"id": "D", "text": ARTICLE_C},
    ]
    result = reprints.scan([write_jsonl(tmp_path / "x.jsonl", rows)])
    cluster_of = result.cluster_of
    assert cluster_of["A"] == cluster_of["B"]
    assert cluster_of.get("C") != cluster_of["A"]
    assert cluster_of["C"] == cluster_of["D"]


def test_same_output_byte_for_byte_any_workers(tmp_path, seeds):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds, corpus)
    for i in range(30):
        (corpus / f"gen{i:02d}.txt").write_text(ARTICLE_A[: 1500 + 40 * i] + f" tail {i}")
    outputs = []
    for workers in (1, 2, 1):
        out = tmp_path / f"out{len(outputs)}"
        write_results(reprints.scan([corpus], workers=workers), out)
        outputs.append(((out / "pairs.jsonl").read_bytes(), (out / "clusters.jsonl").read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0][1]  # there are clusters


def test_bad_input_does_not_lose_other_documents(tmp_path, seeds):
    path = tmp_path / "mixed.jsonl"
    good = [{"id": f.name, "text": f.read_text()} for f in sorted(seeds.iterdir())]
    lines = [
        json.dumps(good[0]),
        "{broken",
        json.dumps({"id": "empty", "text": " "}),
        json.dumps({"id": "nofield"}),
        json.dumps(good[1]),
        json.dumps(good[2]),
    ]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(reprints.InputError, match=r"mixed\.jsonl:2"):
        reprints.scan([path])
    result = reprints.scan([path], on_error="skip")
    assert result.stats.documents == 3
    assert result.stats.skipped == {"malformed": 1, "empty": 1, "missing_field": 1}
    assert [c.members for c in result.clusters] == [[S000, S001]]


def test_atomic_write_leaves_old_file_on_crash(tmp_path):
    target = tmp_path / "pairs.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_file(target) as tmp:
        tmp.write_text("half a fi")
        raise RuntimeError("killed")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pairs.jsonl"]


def _score(name: str):
    path = eval_set(name)
    result = reprints.scan([path / "docs.jsonl"], level="near")
    ids = [json.loads(line)["id"] for line in (path / "docs.jsonl").open()]
    return score(ids, load_gold(path / "gold.jsonl"), result.cluster_of)


def test_scraped_bar():
    scores = _score("scraped")
    assert scores.ari >= 0.95
    assert scores.precision >= 0.95 and scores.recall >= 0.9


def test_reuse_finds_cut_and_paste_without_false_pairs():
    scores = _score("reuse")
    assert scores.precision == 1.0
    assert scores.true_pairs >= 5


def test_document_without_word_tokens_does_not_break_the_scan(tmp_path, seeds):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds, corpus)
    (corpus / "aaa.txt").write_text("!!! ??? ---")
    (corpus / "zzz.txt").write_text("*** ...")
    result = reprints.scan([corpus])
    assert result.stats.documents == 5
    assert [c.members for c in result.clusters] == [[S000, S001]]


def test_same_output_with_the_numpy_backend(tmp_path, monkeypatch):
    from reprints.sketch import kernel

    if kernel._numba_kernel() is None:
        pytest.skip("numba not installed: the numpy backend is the only one")
    docs = eval_set("scraped") / "docs.jsonl"
    outputs = []
    for backend in ("numba", "numpy"):
        monkeypatch.setenv("REPRINTS_BACKEND", backend)
        # every stage really switches backend (else this comparison proves nothing)
        assert kernel.default_backend() == backend
        assert (kernel.compiled_module("index._compiled") is None) == (backend == "numpy")
        out = tmp_path / backend
        write_results(reprints.scan([docs], workers=2), out)
        outputs.append(((out / "pairs.jsonl").read_bytes(), (out / "clusters.jsonl").read_bytes()))
    assert outputs[0] == outputs[1]


def test_jsonl_errors_found_by_workers_name_the_line_in_order(tmp_path):
    rows = [json.dumps({"id": f"d{i}", "text": f"words of doc {i} " * 20}) for i in range(3000)]
    rows[1500] = '{"id": "broken", "text": '
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(reprints.InputError, match=r"big.jsonl:1501: malformed JSON"):
        reprints.scan([path], workers=2)
    result = reprints.scan([path], workers=2, on_error="skip")
    assert result.stats.documents == 2999
    assert result.stats.skipped["malformed"] == 1


def test_spill_files_are_removed_after_the_scan(tmp_path, seeds):
    spill = tmp_path / "spill"
    spill.mkdir()
    reprints.scan([seeds], spill_dir=str(spill))
    assert list(spill.iterdir()) == []
    with pytest.raises(reprints.InputError):
        reprints.scan([tmp_path / "missing.jsonl"], spill_dir=str(spill))
    assert list(spill.iterdir()) == []


def test_a_template_shared_by_many_pages_costs_linear_work(tmp_path):
    template = " ".join(f"nav{i} menu{i} link{i}" for i in range(60))
    rows = [
        {"id": f"p{i:04d}", "text": template + " " + " ".join(f"w{i}x{j}" for j in range(40))}
        for i in range(400)
    ]
    result = reprints.scan([write_jsonl(tmp_path / "site.jsonl", rows)])
    # 400 pages of one site: at most one star per LSH band (25) and one for the index, never
    # the 79,800 pairs of an all-pairs step
    assert result.stats.candidates["total"] <= 26 * 400


def test_spill_left_by_a_killed_scan_is_removed_by_the_next(tmp_path, seeds):
    import subprocess
    import sys

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / "reprints-spill-killed"
    stale.mkdir()
    (stale / "owner").write_text(gone.stdout.strip())
    (stale / "part-1.u64").write_bytes(b"\0" * 64)
    alive = tmp_path / "reprints-spill-running"
    alive.mkdir()
    (alive / "owner").write_text(str(os.getpid()))
    reprints.scan([seeds], spill_dir=str(tmp_path))
    assert not stale.exists()
    assert alive.exists()  # a scan still running keeps its folder


def test_reading_warnings_reach_the_summary(tmp_path):
    rows = [
        {"id": "a", "text": ARTICLE_A, "date": "soon"},
        {"id": "b", "text": ARTICLE_C},
    ]
    path = write_jsonl(tmp_path / "x.jsonl", rows)
    with path.open("ab") as handle:
        handle.write(b'{"id": "c", "text": "bad byte \xff here"}\n')
    result = reprints.scan([path])
    assert any("not an ISO date" in w for w in result.stats.warnings)
    assert any("x.jsonl:3" in w for w in result.stats.warnings)


def test_exact_copies_stand_for_their_earliest_member(tmp_path):
    rows = [
        {"id": "a", "text": ARTICLE_A, "date": "2021-01-01"},
        {"id": "b", "text": ARTICLE_A, "date": "2020-01-01"},  # the same text, earlier
        {"id": "c", "text": ARTICLE_A + " One more closing line.", "date": "2020-06-01"},
    ]
    result = reprints.scan([write_jsonl(tmp_path / "x.jsonl", rows)])
    assert [(c.canonical, c.members) for c in result.clusters] == [("b", ["a", "b", "c"])]


def test_reuse_at_rewrite_joins_revisions_that_several_members_witness():
    """At ``rewrite`` a heavy revision that is a rewrite of three other revisions of its source,
    worded too far from the source itself for a direct pair, joins their cluster (several
    members witness it); an answer that quotes the source's opening, as two other answers do
    in part, joins it (the source holds more of it than they do). No answer written without
    the source joins anything."""
    path = eval_set("reuse") / "docs.jsonl"
    rows = [json.loads(line) for line in path.open()]
    result = reprints.scan([path], level="rewrite")
    cluster = result.cluster_of
    assert cluster["g3pB_taskc"] == cluster["orig_taskc"]
    (task_c,) = [c for c in result.clusters if "g3pB_taskc" in c.members]
    assert "except g3pB_taskc: the same text as two or more of its members" in task_c.why
    assert cluster["g0pE_taskb"] == cluster["orig_taskb"]
    assert not [r["id"] for r in rows if r.get("reuse") == "non" and r["id"] in cluster]
    ids = [r["id"] for r in rows]
    assert score(ids, load_gold(path.parent / "gold.jsonl"), cluster).precision == 1.0
