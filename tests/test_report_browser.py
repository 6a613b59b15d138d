"""report.html in headless Chromium (Debian's package, driven by Playwright): what a person checks.

Chromium is installed by scripts/install-browser.sh (CI runs it from .ci/run). Where it is
missing the tests are skipped, unless REPRINTS_REQUIRE_BROWSER=1 (set by CI) makes that a
failure. Screenshots of each view are written to ``out/test-artifacts/`` (or
``$REPRINTS_ARTIFACTS``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import reprints
from reprints.output.report import HEADLESS_CHROMIUM
from reprints.output.write import write_results
from tests.conftest import ROOT, S000, S001, S002, SEEDS, write_jsonl

ARTIFACTS = Path(os.environ.get("REPRINTS_ARTIFACTS", ROOT / "out" / "test-artifacts"))
FLAGS = list(HEADLESS_CHROMIUM)


def _missing(reason: str) -> None:
    if os.environ.get("REPRINTS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        _missing("chromium is not installed (scripts/install-browser.sh installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    result = reprints.scan([SEEDS], level="rewrite", workers=1)
    write_results(result, out, report=True)
    return out


def open_report(browser: Any, path: Path) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-ready=true]")
    page.errors = errors
    return page


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def pairs_of(out: Path) -> dict[tuple[str, str], dict[str, Any]]:
    rows = [json.loads(line) for line in (out / "pairs.jsonl").read_text().splitlines()]
    return {(p["a"], p["b"]): p for p in rows}


def side_spans(page: Any, side: str, kind: str | None = None) -> list[dict[str, Any]]:
    """The highlighted segments of one side of the pair view, with their offsets."""
    return (
        page.eval_on_selector_all(  # type: ignore[no-any-return]
            f'.text[data-side="{side}"] span[data-kind]',
            """nodes => nodes.map(n => ({kind: n.dataset.kind, start: +n.dataset.start,
            end: +n.dataset.end, link: n.dataset.link === undefined ? null : +n.dataset.link,
            text: n.textContent}))""",
        )
        if kind is None
        else [s for s in side_spans(page, side) if s["kind"] == kind]
    )


def merged(segments: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Adjacent segments joined into the spans they were cut from."""
    out: list[list[int]] = []
    for s in sorted(segments, key=lambda s: s["start"]):
        if out and out[-1][1] == s["start"]:
            out[-1][1] = s["end"]
        else:
            out.append([s["start"], s["end"]])
    return [(a, b) for a, b in out]


def merged_texts(segments: list[dict[str, Any]]) -> list[str]:
    """The texts of :func:`merged`'s spans, from the page's own segments."""
    out: list[list[Any]] = []
    for s in sorted(segments, key=lambda s: s["start"]):
        if out and out[-1][0] == s["start"]:
            out[-1] = [s["end"], out[-1][1] + s["text"]]
        else:
            out.append([s["end"], s["text"]])
    return [t for _, t in out]


def test_overview_lists_the_cluster_and_its_view_names_the_original(browser, seeds_report):
    page = open_report(browser, seeds_report / "report.html")
    shot(page, "overview")
    assert page.locator('[data-role="histogram"] rect').count() >= 2
    row = page.locator(f'table[data-role="clusters"] tr[data-cluster="{S000}"]')
    assert row.count() == 1 and "3" in row.inner_text()
    row.click()
    page.wait_for_selector('[data-role="graph"]')
    shot(page, "cluster")
    assert page.locator('[data-role="canonical"]').inner_text() == S000
    clusters = [json.loads(x) for x in (seeds_report / "clusters.jsonl").read_text().splitlines()]
    assert page.locator('[data-role="why"]').inner_text() == clusters[0]["why"]
    nodes = page.eval_on_selector_all(
        '[data-role="graph"] .node', "ns => ns.map(n => [n.dataset.doc, n.dataset.canonical])"
    )
    assert sorted(nodes) == [[S000, "true"], [S001, "false"], [S002, "false"]]
    edges = page.eval_on_selector_all(
        '[data-role="graph"] .edge', "es => es.map(e => [e.dataset.pair, e.dataset.relation])"
    )
    assert sorted(edges) == sorted(
        [[f"{a}~{b}", p["relation"]] for (a, b), p in pairs_of(seeds_report).items()]
    )
    assert page.errors == []


def test_the_containment_pair_marks_the_teasers_as_added(browser, seeds_report):
    page = open_report(browser, seeds_report / "report.html")
    page.locator(f'tr[data-cluster="{S000}"]').click()
    page.locator(f'[data-role="graph"] .edge[data-pair="{S000}~{S001}"]').click()
    page.wait_for_selector(".text[data-side=b]")
    shot(page, "pair-containment")
    pair = pairs_of(seeds_report)[S000, S001]
    text = (SEEDS / S001).read_text(encoding="utf-8")
    shown = merged(side_spans(page, "b", "added"))
    assert shown == [tuple(s) for s in pair["added_in_b"]]
    assert len(shown) >= 4  # the four "latest news" teasers
    for (a, b), segment in zip(shown, merged_texts(side_spans(page, "b", "added")), strict=True):
        assert segment == text[a:b]
    article = (SEEDS / S000).read_text(encoding="utf-8")
    assert not any(text[a:b] in article for a, b in shown)  # nothing of the article is "added"
    assert page.errors == []


def test_the_rewrite_pair_links_each_reworded_paragraph(browser, seeds_report):
    page = open_report(browser, seeds_report / "report.html")
    page.goto(page.url.split("#")[0] + "#/pairs")
    page.locator(f'tr[data-pair="{S000}~{S002}"]').click()
    page.wait_for_selector(".text[data-side=a] [data-link]")
    shot(page, "pair-rewrite")
    pair = pairs_of(seeds_report)[S000, S002]
    texts = {
        "a": (SEEDS / S000).read_text(encoding="utf-8"),
        "b": (SEEDS / S002).read_text(encoding="utf-8"),
    }
    assert len(pair["aligned"]) >= 14
    for side in ("a", "b"):
        segments = side_spans(page, side)
        for k, passage in enumerate(pair["aligned"]):
            linked = [s for s in segments if s["link"] == k]
            start, end = passage[side]
            assert merged(linked) == [(start, end)]
            assert "".join(s["text"] for s in linked) == texts[side][start:end]
            assert {s["kind"] for s in linked} == {passage["kind"]}
    # clicking a passage lights its partner on the other side
    page.locator(".text[data-side=a] [data-link='3']").first.click()
    assert page.locator(".text[data-side=b] [data-link='3'].hot").count() >= 1
    assert page.errors == []


def test_search_and_paging_of_many_clusters(browser, tmp_path):
    rng = random.Random(7)
    vocabulary = [f"w{k}" for k in range(5000)]
    rows = []
    for k in range(60):  # 60 unrelated stories and their copies: two pages of 50 clusters
        body = f"Place{k} story.\n" + " ".join(rng.choice(vocabulary) for _ in range(200))
        rows.append({"id": f"s{k:02d}", "text": body})
        rows.append({"id": f"s{k:02d}-copy", "text": body + "\nEnd."})
    out = tmp_path / "out"
    write_results(
        reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], workers=1), out, report=True
    )
    page = open_report(browser, out / "report.html")
    page.goto(page.url.split("#")[0] + "#/clusters")
    table = page.locator('table[data-role="clusters"] tr.row')
    assert table.count() == 50
    assert "page 1 of 2" in page.locator('[data-role="page"]').inner_text()
    page.locator('[data-role="next"]').click()
    assert page.locator('table[data-role="clusters"] tr.row').count() == 10
    page.locator('[data-role="search"]').fill("s42-copy")
    assert page.locator('table[data-role="clusters"] tr.row').count() == 1
    page.locator('[data-role="search"]').fill("Place17 ")  # text of a member
    assert page.locator('table[data-role="clusters"] tr.row').count() == 1
    assert page.errors == []


def test_document_text_is_shown_as_text_and_runs_nothing(browser, tmp_path):
    evil = (
        "</script><script>window.__pwned=1</script></textarea>"
        '<img src=x onerror="window.__pwned=2">'
    )
    text = (SEEDS / S000).read_text(encoding="utf-8")
    rows = [
        {"id": "a-evil", "text": evil + "\n" + text, "title": evil},
        {"id": "b-plain", "text": text + "\n" + evil},
    ]
    out = tmp_path / "out"
    write_results(
        reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], workers=1), out, report=True
    )
    page = open_report(browser, out / "report.html")
    page.locator('tr[data-cluster="a-evil"], tr[data-cluster="b-plain"]').first.click()
    page.locator('table[data-role="pairs"] tr.row').first.click()
    page.wait_for_selector(".text[data-side=a]")
    shot(page, "escaped")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main img").count() == 0
    assert evil in page.locator(".text[data-side=a]").inner_text()
    assert evil in page.locator(".pane .title").first.inner_text()
    assert page.errors == []


def test_offsets_hold_past_characters_outside_the_bmp(browser, tmp_path):
    """Offsets count code points; emoji and CJK extension B take two UTF-16 units in the page."""
    text = (SEEDS / S000).read_text(encoding="utf-8")
    wide = "😀🎉 𠀀𠀁 " * 10
    rows = [{"id": "a", "text": wide + "\n" + text}, {"id": "b", "text": text + "\n" + wide}]
    out = tmp_path / "out"
    write_results(
        reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], workers=1), out, report=True
    )
    (pair,) = pairs_of(out).values()
    page = open_report(browser, out / "report.html")
    page.goto(page.url.split("#")[0] + "#/pair/0")
    page.wait_for_selector(".text[data-side=a] [data-link]")
    for side, body in (("a", rows[0]["text"]), ("b", rows[1]["text"])):
        segments = side_spans(page, side)
        for k, passage in enumerate(pair["aligned"]):
            linked = [s for s in segments if s["link"] == k]
            start, end = passage[side]
            assert merged(linked) == [(start, end)]
            assert "".join(s["text"] for s in linked) == body[start:end]
    assert page.errors == []


def test_pages_without_pairs_without_evidence_or_over_the_budget_say_so(browser, tmp_path):
    rows = [{"id": "a", "text": "One story about the harbour."}, {"id": "b", "text": "Another."}]
    out = tmp_path / "none"
    write_results(
        reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], workers=1), out, report=True
    )
    page = open_report(browser, out / "report.html")
    assert page.locator('table[data-role="clusters"] tr.row').count() == 0
    assert page.errors == []
    out = tmp_path / "bare"
    write_results(reprints.scan([SEEDS], workers=1, evidence=False), out, report=True)
    page = open_report(browser, out / "report.html")
    page.goto(page.url.split("#")[0] + "#/pair/0")
    assert "--no-evidence" in page.locator('[data-role="no-evidence"]').inner_text()
    assert page.errors == []
    out = tmp_path / "budget"
    write_results(reprints.scan([SEEDS], workers=1), out, report=True, max_text_chars=10)
    page = open_report(browser, out / "report.html")
    assert "not in this report" in page.locator('[data-role="note"]').inner_text()
    page.goto(page.url.split("#")[0] + "#/pair/0")
    assert "max-text-chars" in page.locator('[data-role="no-evidence"]').inner_text()
    assert page.locator('[data-role="no-text"]').count() == 2
    assert page.errors == []


def test_a_large_cluster_draws_the_canonical_edges_and_pages_its_pairs(browser, tmp_path):
    text = (SEEDS / S000).read_text(encoding="utf-8")
    rows = [{"id": "orig", "text": text, "date": "2020-01-01"}]
    rows += [{"id": f"copy{k:02d}", "text": text + f"\nCopy footer {k}."} for k in range(59)]
    out = tmp_path / "out"
    write_results(
        reprints.scan([write_jsonl(tmp_path / "docs.jsonl", rows)], workers=1), out, report=True
    )
    page = open_report(browser, out / "report.html")
    page.locator('tr[data-cluster="orig"]').click()
    page.wait_for_selector('[data-role="graph"]')
    shot(page, "large-cluster")
    assert page.locator('[data-role="graph"] .node').count() == 40
    edges = page.eval_on_selector_all(
        '[data-role="graph"] .edge', "es => es.map(e => e.dataset.pair)"
    )
    assert edges and all("orig" in e.split("~") for e in edges)
    note = page.locator('[data-role="graph-note"]').text_content()  # an SVG text
    assert "20 more members" in note and "canonical member's pairs" in note
    assert page.locator('table[data-role="pairs"] tr.row').count() == 50
    assert "page 1 of" in page.locator('[data-role="page"]').inner_text()
    assert page.errors == []
