"""Languages: detected where the input does not give them, reported per document and per pair
at the rewrite level; two languages make a translation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reprints
from reprints.text.lang import detect
from tests.conftest import SEEDS, eval_set, write_jsonl


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The government said on Tuesday that the new bridge would open in May.", "en"),
        ("Die Regierung teilte am Dienstag mit, die neue Brücke werde im Mai eröffnet.", "de"),
        ("Le gouvernement a annoncé mardi que le nouveau pont ouvrirait en mai prochain.", "fr"),
        ("Правительство заявило во вторник, что новый мост откроется в мае этого года.", "ru"),
        ("El gobierno anunció el martes que el nuevo puente se abrirá en mayo próximo.", "es"),
    ],
)
def test_detects_the_language_of_a_sentence(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_too_short_or_unclear_is_no_language() -> None:
    assert detect("Photo: Reuters") is None
    assert detect("1234 5678 9012 3456 7890 1234 5678 9012 3456 7890") is None


def test_seeds_members_are_english_and_pairs_say_so() -> None:
    result = reprints.scan([SEEDS], level="rewrite")
    (cluster,) = result.clusters
    assert cluster.langs == dict.fromkeys(cluster.members, "en")
    rewrites = [p for p in result.pairs if p.relation == "rewrite"]
    assert rewrites and all(p.evidence["lang"] == {"a": "en", "b": "en"} for p in rewrites)


def test_a_lang_field_of_the_input_wins(tmp_path: Path) -> None:
    rows = [
        {"id": p.name, "text": p.read_text(), "lang": "en-GB" if p.name < "002" else None}
        for p in sorted(SEEDS.iterdir())
    ]
    result = reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], level="rewrite")
    (cluster,) = result.clusters
    langs = cluster.langs
    assert langs[rows[0]["id"]] == langs[rows[1]["id"]] == "en-GB"
    assert langs[rows[2]["id"]] == "en"  # not given: detected


def test_translations_of_the_rewrites_dev_set_pair_two_languages() -> None:
    folder = eval_set("rewrites")
    given = {
        row["id"]: row.get("lang")
        for row in map(json.loads, (folder / "docs.jsonl").read_text().splitlines())
    }
    result = reprints.scan([folder / "docs.jsonl"], level="rewrite")
    translations = [p for p in result.pairs if p.relation == "translation"]
    assert translations
    for p in translations:
        lang = p.evidence["lang"]
        assert lang == {"a": given[p.a], "b": given[p.b]} and lang["a"] != lang["b"]
    for p in (p for p in result.pairs if p.relation == "rewrite"):
        assert p.evidence["lang"]["a"] == p.evidence["lang"]["b"]
