"""The canonical member without dates (issue 10): the text the others derive from, a whole
before its parts, the member adding the least; and ``why`` names the evidence that decided."""

from __future__ import annotations

import random
import re
from pathlib import Path

import reprints
from tests.conftest import write_jsonl

WORDS = [f"w{i}" for i in range(3000)]


def article(rng: random.Random, paragraphs: int = 12) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(40)) + "." for _ in range(paragraphs)]


def _scan_records(tmp_path: Path, records: list[dict]) -> reprints.ScanResult:
    return reprints.scan([write_jsonl(tmp_path / "docs.jsonl", records)], level="near")


def scan(tmp_path: Path, docs: dict[str, str]) -> reprints.ScanResult:
    return _scan_records(tmp_path, [{"id": k, "text": v} for k, v in docs.items()])


def _same_from_the_index(tmp_path: Path, docs: dict[str, str], cluster: object) -> None:
    """The persistent index names the same canonical member, for the same reason."""
    from reprints.engine.indexed import Index

    index = Index.open(tmp_path / "same.db")
    index.add([{"id": k, "text": v} for k, v in docs.items()])
    (stored,) = index.scan("near").clusters
    assert (stored.canonical, stored.why) == (cluster.canonical, cluster.why)  # type: ignore[attr-defined]


def test_a_copy_with_comments_is_not_the_original(tmp_path: Path) -> None:
    rng = random.Random(1)
    body = article(rng)
    comments = [" ".join(rng.choice(WORDS) for _ in range(25)) for _ in range(6)]
    # ids chosen so that the smallest id is the copy: the id must not decide
    result = scan(tmp_path, {"b-original": "\n".join(body), "a-copy": "\n".join(body + comments)})
    (cluster,) = result.clusters
    assert cluster.canonical == "b-original"
    assert "adds less text of its own" in cluster.why


def test_the_whole_names_the_cluster_of_its_pages(tmp_path: Path) -> None:
    rng = random.Random(2)
    body = article(rng)
    docs = {"z-whole": "\n".join(body)}
    docs.update({f"a-page{k}": "\n".join(body[4 * k : 4 * k + 4]) for k in range(3)})
    result = scan(tmp_path, docs)
    (cluster,) = result.clusters
    assert cluster.canonical == "z-whole" and len(cluster.members) == 4
    assert "the other candidates are parts" in cluster.why


def test_the_medoid_beats_a_trimmed_and_an_extended_copy(tmp_path: Path) -> None:
    rng = random.Random(3)
    body = article(rng)
    extra = article(rng, 3)
    docs = {
        "c-original": "\n".join(body),
        "a-extended": "\n".join(body + extra),
        "b-trimmed": "\n".join(body[:10]),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "c-original"
    assert "closest to all of them" in cluster.why


def test_a_lead_only_copy_does_not_glue_its_article_to_an_aggregator(tmp_path: Path) -> None:
    rng = random.Random(4)
    stories = [article(rng) for _ in range(4)]
    docs = {f"story{k}": "\n".join(s) for k, s in enumerate(stories)}
    docs["lead-only"] = stories[0][0]
    docs["aggregator"] = "\n".join(s[0] for s in stories)
    result = scan(tmp_path, docs)
    cluster_of = result.cluster_of
    assert cluster_of.get("aggregator") != cluster_of.get("story0")
    assert cluster_of.get("lead-only") is not None


def test_a_print_or_amp_view_does_not_name_the_cluster_of_its_page(tmp_path: Path) -> None:
    """Without dates, a page and its print and AMP views hold the same text: their urls tell
    which is the page. Ids are chosen so that the smallest id is a view, and the views carry
    less template than the page, so neither the id nor the text would pick the page."""
    rng = random.Random(5)
    body = "\n".join(article(rng))
    nav = "Home | World | Business | Sport | Culture | Subscribe | Sign in"
    records = [
        {"id": "c-page", "text": f"{nav}\n{body}\n{nav}", "url": "https://news.example/a/flood"},
        {"id": "a-amp", "text": body, "url": "https://amp.news.example/a/flood"},
        {
            "id": "b-print",
            "text": body + "\nPrinted from news.example",
            "url": "https://news.example/a/flood?print=1",
        },
    ]
    (cluster,) = _scan_records(tmp_path, records).clusters
    assert sorted(cluster.members) == ["a-amp", "b-print", "c-page"]
    assert cluster.canonical == "c-page"
    assert "print or AMP views" in cluster.why
    # without urls the same texts are named by the text evidence (here: the AMP view)
    for r in records:
        del r["url"]
    (cluster,) = _scan_records(tmp_path, records).clusters
    assert cluster.canonical != "c-page"


def test_a_url_that_only_looks_like_a_view_changes_nothing(tmp_path: Path) -> None:
    """A view is put after its own page only: an AMP url whose page is not in the cluster, or a
    path with an 'amp' or 'print' section, does not hand the cluster to another site's copy."""
    rng = random.Random(6)
    body = "\n".join(article(rng))
    urls = [
        "https://news-example.cdn.ampproject.org/c/s/news.example/a/flood",  # the AMP cache
        "https://guitars.example/reviews/amp/fender-blues-junior",  # an 'amp' section
        "https://magazine.example/print/2023/issue-5/story",  # a print-edition section
    ]
    for url in urls:
        records = [
            {"id": "b-origin", "text": body, "url": url},
            {
                "id": "a-scraper",
                "text": body + "\nScraped by a-scraper.example, all rights ours.",
                "url": "https://a-scraper.example/copied/story",
            },
        ]
        (cluster,) = _scan_records(tmp_path, records).clusters
        assert cluster.canonical == "b-origin", url
        assert "print or AMP" not in cluster.why


def test_an_exact_amp_copy_of_its_page_says_why(tmp_path: Path) -> None:
    rng = random.Random(7)
    body = "\n".join(article(rng))
    records = [
        {"id": "b-page", "text": body, "url": "https://news.example/a/flood", "date": "2024-05-01"},
        {
            "id": "a-amp",
            "text": body,
            "url": "https://news.example/a/flood/amp",
            "date": "2024-05-01",
        },
    ]
    (cluster,) = _scan_records(tmp_path, records).clusters
    assert cluster.canonical == "b-page"
    assert cluster.why.startswith("dated alike: the page itself")


def test_a_rewrap_that_drops_paragraphs_and_adds_headings_is_not_the_original(
    tmp_path: Path,
) -> None:
    """A listicle keeps most of the article under its own headings and intro: it adds less
    text than the article has that it dropped, yet it is the copy. Dropped paragraphs lie inside
    the shared text, the intro at its edge."""
    rng = random.Random(5)
    body = article(rng)
    kept = [p for k, p in enumerate(body) if k not in (3, 8)]
    intro = "Here is what we know so far about the story, and what it means for you today."
    rewrap = [intro]
    for k in range(0, len(kept), 2):
        rewrap += [f"{k // 2 + 1}. What happened next", *kept[k : k + 2]]
    result = scan(tmp_path, {"z-article": "\n".join(body), "a-listicle": "\n".join(rewrap)})
    (cluster,) = result.clusters
    assert cluster.canonical == "z-article"
    assert "holds more paragraphs that the others dropped" in cluster.why


def test_prose_added_at_the_edges_names_the_copy(tmp_path: Path) -> None:
    rng = random.Random(6)
    body = article(rng)
    intro = " ".join(rng.choice(WORDS) for _ in range(30)) + "."
    outro = " ".join(rng.choice(WORDS) for _ in range(20)) + "."
    docs = {"z-original": "\n".join(body), "a-framed": "\n".join([intro, *body, outro])}
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-original"
    assert "adds less prose at the edges" in cluster.why  # not only the shingle balance


def test_the_page_that_shows_its_date_line_names_the_cluster(tmp_path: Path) -> None:
    """The scraped dev split's shape: the article prints a headline and a date line; a scrape
    drops both and keeps a truncated body behind a prompt, another adds a rail of teasers. The
    text evidence alone prefers the scrapes (they add nothing of their own); the line decides."""
    rng = random.Random(7)
    body = article(rng)
    teasers = [" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(4)]
    docs = {
        "z-article": "\n\n".join(["Storm hits the coast", "Published 2024-02-11", *body]),
        "a-teasers": "\n".join(["Home | World | Sport", *body, *teasers]),
        "b-truncated": "\n".join([*body[:9], "Subscribe to read the full story."]),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-article"
    assert "its text shows a date line (2024-02-11)" in cluster.why


def test_the_earliest_date_line_wins_and_a_date_field_comes_first(tmp_path: Path) -> None:
    rng = random.Random(8)
    body = article(rng)

    def page(line: str) -> str:
        return "\n".join(["Storm hits the coast", line, *body])

    docs = {
        "a-copy": page("Posted May 6, 2023 at 09:15"),
        "z-original": page("Published May 4, 2023 at 10:29"),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-original"
    assert "(2023-05-04T10:29)" in cluster.why
    # a record's date field is the stronger claim: it decides before any line in a text
    records = [
        {"id": "a-copy", "text": docs["a-copy"], "date": "2023-05-01"},
        {"id": "z-original", "text": docs["z-original"]},
    ]
    (cluster,) = _scan_records(tmp_path, records).clusters
    assert cluster.canonical == "a-copy" and "earliest date (2023-05-01" in cluster.why


def test_a_date_in_the_story_is_not_a_date_line(tmp_path: Path) -> None:
    """Only a line that starts with a date (after Published, Posted, Date) or holds nothing
    else counts: a timeline entry or a sentence naming a date is what the story is about."""
    rng = random.Random(9)
    body = article(rng)
    docs = {
        "z-original": "\n".join(body),
        "a-copy": "\n".join(["2023-05-04 Council votes on budget", *body, *article(rng, 2)]),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-original"
    assert "date line" not in cluster.why


def test_a_copy_that_credits_its_source_is_not_the_original(tmp_path: Path) -> None:
    """A mirror prints the article under its own date line and says where it took it from;
    the original prints no date line. The credit is the copy's own word: it decides first."""
    rng = random.Random(10)
    body = article(rng)
    docs = {
        "z-original": "\n".join(["Storm hits the coast", *body]),
        "a-mirror": "\n".join(
            ["Sturm trifft die Küste", "Published 2024-02-11", *body, "Quelle: The Coast Herald"]
        ),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-original"
    assert "the others credit a source for their text" in cluster.why
    # the same pair through the persistent index
    _same_from_the_index(tmp_path, docs, cluster)


def test_the_same_head_on_other_sites_lets_the_text_decide(tmp_path: Path) -> None:
    """An undated original that prints no date line, and two copies on other sites that print
    the same headline and byline under their own mastheads, each with its own date line, and
    add comments. Two different lines say each page prints its own date: the original simply
    prints none, the lines say nothing of which came first, and the text evidence names the
    original. A scrape that dropped the head with the line is another matter
    (test_the_page_that_shows_its_date_line_names_the_cluster)."""
    rng = random.Random(11)
    body = article(rng)
    comments = [" ".join(rng.choice(WORDS) for _ in range(25)) + "." for _ in range(4)]
    head = ["Storm hits the coast", "By Ann Lee, Staff Writer"]
    docs = {
        "z-original": "\n".join(["The Coast Herald", *head, *body]),
        "a-copy": "\n".join(
            ["Bay News | Home | World", *head, "Published May 6, 2023 at 09:15", *body, *comments]
        ),
        "b-copy": "\n".join(
            ["Valley Post", *head, "Published May 7, 2023 at 11:40", *body, *comments[2:]]
        ),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-original"
    assert "date line" not in cluster.why
    _same_from_the_index(tmp_path, docs, cluster)


def test_the_one_date_line_is_the_storys(tmp_path: Path) -> None:
    """The original prints its date line under the headline and ends on its own tip line; a
    copy keeps the headline, drops the line and the tip line (as the `scraped` dev split's
    copies do). By the text alone the original adds prose at its end, so the copy would look
    first; but one line shown in the cluster is the story's, and the copy dropped it."""
    rng = random.Random(16)
    body = article(rng)
    tip = "Have a story the Coast Herald should cover? Send your tips to the newsroom by email."
    docs = {
        "z-original": "\n".join(["Storm hits the coast", "Published 2023-05-04", *body, tip]),
        "a-copy": "\n".join(["STORM HITS THE COAST", *body]),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-original"
    assert "its text shows a date line (2023-05-04)" in cluster.why
    _same_from_the_index(tmp_path, docs, cluster)


def test_a_view_with_the_masthead_and_no_line_is_not_the_original(tmp_path: Path) -> None:
    """A page and its AMP view (no url to tell): the same masthead and head, the view drops
    the date line and the navigation. It is the same page in another template, not another
    site's page: the line decides."""
    rng = random.Random(12)
    body = article(rng)
    head = ["Storm hits the coast", "By Ann Lee, Staff Writer"]
    docs = {
        "z-page": "\n".join(
            ["The Coast Herald", "Home | World", *head, "Published 2023-05-04", *body]
        ),
        "a-amp": "\n".join(["The Coast Herald  ☰", *head, *body]),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-page"
    assert "its text shows a date line (2023-05-04)" in cluster.why


ENGLISH = re.findall(
    r"\w+",
    "the council will discuss issues with residents about housing plans during public"
    " meetings across several districts while officials consider budgets schools transport"
    " roads hospitals parks libraries workers families business leaders local government",
)


def test_a_garbled_copy_is_not_the_original(tmp_path: Path) -> None:
    """An OCR copy garbles words the original prints whole ('drnscuss' for 'discuss'); it
    also prints a date line the original lacks. A text that garbles the other's words is the
    copy, whatever lines it shows."""
    rng = random.Random(13)
    body = [" ".join(rng.choice(ENGLISH) for _ in range(40)) + "." for _ in range(12)]
    garbled = []
    for k, paragraph in enumerate(body):
        words = paragraph.split()
        if k % 3 == 1:  # one word in every third paragraph
            at = next(i for i, w in enumerate(words[5:], 5) if len(w) >= 6)
            w = words[at]
            words[at] = w[:2] + "rn" + w[3:] if k % 2 else w[:3] + " " + w[3:]
        garbled.append(" ".join(words))
    docs = {
        "z-original": "\n".join(["Council meets residents", *body]),
        "a-ocr": "\n".join(["Published 2023-05-04", *garbled]),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-original"
    assert "the others garble words that a member prints whole" in cluster.why


def test_a_url_view_shares_no_line_with_its_page(tmp_path: Path) -> None:
    """The page prints the date line; its AMP view (told by its url, under another masthead)
    shows the head but no line. The page's record has no url, so the view rule cannot place
    them; but a view is the page in another template, not another site's page that prints no
    date: it shares nothing, and the line names the page."""
    rng = random.Random(14)
    body = article(rng)
    comments = [" ".join(rng.choice(WORDS) for _ in range(25)) + "." for _ in range(3)]
    head = ["Storm hits the coast", "By Ann Lee, Staff Writer"]
    records = [
        {
            "id": "z-page",
            "text": "\n".join(["Coast Herald", *head, "Published 2023-05-04", *body, *comments]),
        },
        {
            "id": "a-amp",
            "text": "\n".join(["CH  ☰", *head, *body]),
            "url": "https://amp.coastherald.com/news/storm-hits-the-coast",
        },
    ]
    (cluster,) = _scan_records(tmp_path, records).clusters
    assert cluster.canonical == "z-page"
    assert "date line (2023-05-04)" in cluster.why


def test_a_shared_line_says_whose_it_is(tmp_path: Path) -> None:
    """Two pages print their own date lines and credit a source (they come after the others);
    the syndicated page shows their head and no line; a scrape dropped both. The syndicated
    page shares the earliest line and comes before the scrape, and ``why`` says the line is
    another member's."""
    rng = random.Random(15)
    body = article(rng)
    head = ["Storm hits the coast", "By Ann Lee, Staff Writer"]
    docs = {
        "c-lined": "\n".join(
            ["Coast Herald", *head, "Published 2023-05-04", *body, "Source: Bay Wire"]
        ),
        "d-lined": "\n".join(
            ["Harbour Times", *head, "Published 2023-05-05", *body, "Source: Bay Wire"]
        ),
        "a-syndicated": "\n".join(["Bay News | Home", *head, *body]),
        "b-scrape": "\n".join(["Sections » World » Asia", *body]),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "a-syndicated"
    assert "it shows the head (headline, byline) of a member that prints a date line" in cluster.why
    assert "(2023-05-04)" in cluster.why and "None" not in cluster.why


def test_the_story_line_names_the_original_before_a_page_twice_its_size(tmp_path: Path) -> None:
    """The original prints its date line; a copy drops it and appends a comment section twice
    the article's length, so it holds the article whole and the article reads as a part of it
    (as a lead-only copy is of its article). One line in the cluster is the story's: it names
    the original before the whole-before-part rule."""
    rng = random.Random(17)
    body = article(rng, paragraphs=6)
    comments = [" ".join(rng.choice(WORDS) for _ in range(40)) + "." for _ in range(14)]
    docs = {
        "z-original": "\n".join(["Storm hits the coast", "Published 2023-05-04", *body]),
        "a-comments": "\n".join(["Storm hits the coast", *body, "14 comments", *comments]),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-original"
    assert "its text shows a date line (2023-05-04)" in cluster.why
    _same_from_the_index(tmp_path, docs, cluster)


def test_a_paywalled_lead_with_the_only_line_is_still_a_part(tmp_path: Path) -> None:
    """A lead-only copy prints the only date line and ends on a paywall prompt; its article
    prints none. The prompt says the full text is elsewhere (a credit): the line is not the
    story's, and the whole names the cluster over its part."""
    rng = random.Random(18)
    body = article(rng)
    lead = ["Storm hits the coast", "Published 2023-05-04", *body[:3]]
    docs = {
        "z-article": "\n".join(["Storm hits the coast", *body]),
        "a-lead": "\n".join([*lead, "Subscribe to read the full story."]),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-article"
    assert "date line" not in cluster.why


def test_a_page_of_a_site_that_prints_no_date_line_dropped_none(tmp_path: Path) -> None:
    """The original ran on a site whose pages print no date line (three more of its pages are in
    the corpus, none with a line); a copy on another site prints its own line and appends a
    comment section. The original dropped no line, its site prints none: the copy's line says
    nothing of which ran first, and the text (the copy adds the comments) names the original.
    Where the text cannot tell them apart, or nothing shows the site's habit, the line stays
    the claim that decides."""
    from reprints.engine.indexed import Index

    rng = random.Random(19)
    body = article(rng)
    comments = [" ".join(rng.choice(WORDS) for _ in range(30)) + "." for _ in range(5)]
    masthead = "Coast Herald | Home | World | Sport"

    def site_page(k: int) -> dict[str, str]:
        text = "\n".join([masthead, f"Story number {k} of the day", *article(rng, 6)])
        return {"id": f"other-{k}", "text": text, "url": f"https://coastherald.example/n/{k}"}

    others = [site_page(k) for k in range(3)]
    original = {
        "id": "z-original",
        "text": "\n".join([masthead, "Storm hits the coast", *body]),
        "url": "https://coastherald.example/n/storm-hits-the-coast",
    }
    head = ["Bay News", "Storm hits the coast", "Published May 6, 2023 at 09:15"]
    copy = {
        "id": "a-copy",
        "text": "\n".join([*head, *body, "5 comments", *comments]),
        "url": "https://baynews.example/2023/05/storm",
    }
    (cluster,) = _scan_records(tmp_path, [*others, original, copy]).clusters
    assert cluster.canonical == "z-original"
    assert "date line" not in cluster.why
    index = Index.open(tmp_path / "same.db")
    index.add([*others, original, copy])
    (stored,) = index.scan("near").clusters
    assert (stored.canonical, stored.why) == (cluster.canonical, cluster.why)
    for sub in ("alone", "same"):
        (tmp_path / sub).mkdir()
    # nothing shows that its site prints no line: it may be a scrape that dropped it
    (alone,) = _scan_records(tmp_path / "alone", [original, copy]).clusters
    assert alone.canonical == "a-copy" and "date line (2023-05-06T09:15)" in alone.why
    # the copy prints the same prose: the text cannot tell, the line decides
    plain = {**copy, "text": "\n".join([*head, *body])}
    (same,) = _scan_records(tmp_path / "same", [*others, original, plain]).clusters
    assert same.canonical == "a-copy" and "date line (2023-05-06T09:15)" in same.why


def test_a_silent_page_named_by_its_sites_habit_says_so(tmp_path: Path) -> None:
    """The silent site's page ranks with the earliest line, which a copy crediting its source
    prints (a copy whatever its line); a scrape that dropped the line is the runner-up. The
    page was chosen by the line it ranks with: ``why`` says its site prints none."""
    rng = random.Random(20)
    body = article(rng)
    comments = [" ".join(rng.choice(WORDS) for _ in range(30)) + "." for _ in range(5)]
    masthead = "Coast Herald | Home | World | Sport"
    others = [
        {
            "id": f"other-{k}",
            "text": "\n".join([masthead, f"Story number {k} of the day", *article(rng, 6)]),
            "url": f"https://coastherald.example/n/{k}",
        }
        for k in range(3)
    ]
    original = {
        "id": "z-original",
        "text": "\n".join([masthead, "Storm hits the coast", *body]),
        "url": "https://coastherald.example/n/storm-hits-the-coast",
    }
    credited = "\n".join(
        ["Bay News", "Storm hits the coast", "Published May 6, 2023 at 09:15", *body, *comments]
    )
    copy = {"id": "a-copy", "text": credited + "\nSource: The Coast Herald"}
    scrape = {"id": "b-scrape", "text": "\n".join(body[:10])}
    (cluster,) = _scan_records(tmp_path, [*others, original, copy, scrape]).clusters
    assert cluster.canonical == "z-original"
    assert "its site prints no date line on any of its pages" in cluster.why
