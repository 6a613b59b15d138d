"""reprints on a small instance of every web copy style of the stress corpus (issue 10).

One seeded corpus of 1,500 documents (about 55 of each style, ``benchmarks/stress``) is scanned
at ``near`` and scored per style against its planted relations. Pair precision must reach the
issue's bar (0.95) in every style: no style may glue unrelated pages, except the styles listed
in ``KNOWN_GLUES``. Recall must too, except in the styles listed in ``KNOWN_MISSES``. Both are
strict xfails: each starts failing the suite the day it is fixed, so the lists stay true. The
scores at 10,000 documents are in ``benchmarks/stress/README.md``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from benchmarks.stress import evaluate as stress_eval
from benchmarks.stress import generate as stress

DOCS = 1500
SEED = 11  # not a seed the 10k scores were measured on
BAR = 0.95

KNOWN_MISSES = {
    "sidebar_trap": "the paywalled lead-only copy: where the pages holding the lead in their "
    "rail are not all read (no candidate stage paired them with the copy or its article) the "
    "lead stays discounted in the article, and a copy with its own date line is under half of "
    "its page in the article (docs/design.md, known limit 2)",
    "aggregator": "the lead-only copy is a part of its article; some stay partial to it for "
    "the same reasons as in sidebar_trap",
    "press_release": "outlets framing the release with their own intro and outro hold it as "
    "62-70% of their content, under the containment bar, and every other outlet holds it too "
    "(no one source): partial, where the ideal reads containment (four pages of this draw; the "
    "same with session 19's code, the draw changed with session 20's markup conversions)",
}
KNOWN_GLUES: dict[str, str] = {}
# A known limit this draw does not show (docs/design.md): two copies appending comments longer
# than the article leave one out (canonical rule 2), which shows at 10,000 documents.


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out: Path = tmp_path_factory.mktemp("styles") / "corpus"
    stress.generate(out, n=DOCS, seed=SEED)
    return stress_eval.evaluate(out, level="near", workers=1)


STYLES = sorted(set(stress.STYLES) - {"background"})


def _styles(known: dict[str, str]) -> list[Any]:
    """Every style, those in ``known`` as strict xfails with their reason."""
    xfail = functools.partial(pytest.mark.xfail, strict=True, raises=AssertionError)
    return [pytest.param(s, marks=xfail(reason=known[s])) if s in known else s for s in STYLES]


@pytest.mark.parametrize("style", _styles(KNOWN_GLUES))
def test_no_style_glues_unrelated_pages(report: dict[str, Any], style: str) -> None:
    s = report["styles"][style]
    assert s["precision"] >= BAR, (style, s["examples"])


@pytest.mark.parametrize("style", _styles(KNOWN_MISSES))
def test_every_style_finds_its_reprints(report: dict[str, Any], style: str) -> None:
    s = report["styles"][style]
    assert s["recall"] >= BAR, (style, s["examples"])


def test_background_pages_of_one_template_stay_apart(report: dict[str, Any]) -> None:
    s = report["styles"]["background"]
    assert s["precision"] == 1.0 and s["ari"] == 1.0


def test_dated_stories_are_named_by_their_original(report: dict[str, Any]) -> None:
    share, clusters = report["overall"]["canonical_ok_dated"]
    assert clusters >= 100 and share >= BAR


def test_overall(report: dict[str, Any]) -> None:
    overall = report["overall"]
    assert overall["ari"] >= BAR and overall["precision"] >= BAR


def test_undated_home_pages_keep_apart_from_their_posts(tmp_path: Path) -> None:
    """Home pages carrying their latest posts whole, none dated and none copied elsewhere: the
    page prints each post's headline above it, so it carries stories, not the pages of one
    (docs/design.md, Compilations)."""
    out = tmp_path / "home"
    stress.generate(out, n=300, seed=SEED, styles=["home_page"], dates="none")
    s = stress_eval.evaluate(out, level="near", workers=1)["styles"]["home_page"]
    assert s["precision"] >= BAR, s["examples"]
