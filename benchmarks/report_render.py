"""How long report.html takes to build and to open in headless Chromium.

Two reports: the ``scraped`` dev set (a few hundred documents) and a corpus of 10,000 clusters
(each an original of ~500 words and one or two copies: an exact copy, a near copy, or the
original inside a page with teasers), built at the default text budget. For each: the scan and
report build time (docs/s), the file size, peak memory of this process, and the time from
navigation to a rendered page in Chromium (the page sets ``body[data-ready]`` when its first
view is drawn), median of 3 cold page loads; then opening the largest cluster's view and a
pair view by their links. No peer library writes a report, so there is no ratio to give.

    .venv/bin/python benchmarks/report_render.py [--clusters 10000] [--scraped PATH] \
        [--max-text-chars N]

Needs Debian's chromium (scripts/install-browser.sh) and playwright (the dev extras).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import reprints
from reprints.output.report import HEADLESS_CHROMIUM, MAX_TEXT_CHARS
from reprints.output.write import write_results

FLAGS = list(HEADLESS_CHROMIUM)


def cluster_corpus(path: Path, clusters: int, seed: int = 11) -> Path:
    """``clusters`` originals of ~500 words, each with one or two copies."""
    rng = random.Random(seed)
    vocabulary = [f"{rng.choice('bcdfghklmnprst')}{rng.choice('aeiou')}{k}" for k in range(40_000)]
    teasers = [" ".join(rng.choices(vocabulary, k=40)) for _ in range(200)]
    with open(path, "w", encoding="utf-8") as out:
        for c in range(clusters):
            paragraphs = [" ".join(rng.choices(vocabulary, k=50)) + "." for _ in range(10)]
            original = f"Story {c}\n" + "\n".join(paragraphs)
            copies = [original]
            kind = c % 3
            if kind == 0:
                cut = paragraphs[3][: len(paragraphs[3]) // 2]  # a near copy: half a paragraph
                copies.append(original.replace(paragraphs[3], cut))
            elif kind == 1:
                copies.append(original + "\n" + "\n".join(rng.sample(teasers, 4)))
            else:
                copies += [original + "\nComments are closed.", original]
            out.write(json.dumps({"id": f"c{c:05d}-0", "text": original, "title": f"Story {c}"}))
            out.write("\n")
            for k, text in enumerate(copies[1:], 1):
                out.write(json.dumps({"id": f"c{c:05d}-{k}", "text": text}) + "\n")
    return path


def build(corpus: Path, out: Path, max_text_chars: int) -> dict[str, Any]:
    clock = time.perf_counter()
    result = reprints.scan([corpus], workers=2)
    scanned = time.perf_counter() - clock
    write_results(result, out, report=True, max_text_chars=max_text_chars)
    built = time.perf_counter() - clock - scanned
    return {
        "documents": result.stats.documents,
        "clusters": len(result.clusters),
        "pairs": len(result.pairs),
        "scan_s": round(scanned, 2),
        "report_s": round(built, 2),
        "report_docs_per_s": round(result.stats.documents / built),
        "report_mb": round((out / "report.html").stat().st_size / 2**20, 1),
    }


def render(browser: Any, report: Path) -> dict[str, Any]:
    loads = []
    for _ in range(3):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        clock = time.perf_counter()
        page.goto(report.resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        loads.append(time.perf_counter() - clock)
        page.close()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(report.resolve().as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    clock = time.perf_counter()
    page.locator('table[data-role="clusters"] tr.row').first.click()
    page.wait_for_selector('[data-role="graph"]')
    cluster_s = time.perf_counter() - clock
    clock = time.perf_counter()
    page.locator('table[data-role="pairs"] tr.row').first.click()
    page.wait_for_selector(".text[data-side=b]")
    pair_s = time.perf_counter() - clock
    page.goto(report.resolve().as_uri() + "#/clusters")
    page.wait_for_selector('[data-role="search"]')
    term = page.evaluate("DATA.docs[DATA.clusters[DATA.clusters.length - 1].canonical].id")
    clock = time.perf_counter()
    page.locator('[data-role="search"]').fill(term)  # ids and texts of every member searched
    page.wait_for_selector('table[data-role="clusters"] tr.row')
    search_s = time.perf_counter() - clock
    notes = page.evaluate("DATA.meta.notes")
    page.close()
    return {
        "open_s_median": round(statistics.median(loads), 2),
        "open_s": [round(x, 2) for x in loads],
        "cluster_view_s": round(cluster_s, 2),
        "pair_view_s": round(pair_s, 2),
        "search_s": round(search_s, 2),
        "notes": notes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clusters", type=int, default=10_000)
    parser.add_argument("--max-text-chars", type=int, default=MAX_TEXT_CHARS)
    parser.add_argument(
        "--scraped",
        type=Path,
        default=Path(__file__).resolve().parents[1].parent / "shared/eval/scraped/docs.jsonl",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is not installed: bash scripts/install-browser.sh")
    work = Path(tempfile.mkdtemp(prefix="reprints-report-bench-"))
    try:
        rows = {}
        if args.scraped.is_file():
            rows["scraped"] = build(args.scraped, work / "scraped", args.max_text_chars)
        corpus = cluster_corpus(work / "clusters.jsonl", args.clusters)
        rows[f"{args.clusters} clusters"] = build(corpus, work / "clusters", args.max_text_chars)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
            for name, folder in (("scraped", "scraped"), (f"{args.clusters} clusters", "clusters")):
                if name in rows:
                    rows[name].update(render(browser, work / folder / "report.html"))
            browser.close()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for name, row in rows.items():
            print(f"{name}: {json.dumps(row)}")
        print(f"peak memory of this process (scan + report build): {peak:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
