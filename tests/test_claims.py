"""What a page says of itself, for the canonical choice: the date line it prints near its top
(text/dates.py: the forms read, the lines that are not date lines, how lines compare) and a
paywall's prompt that sends the reader elsewhere for the full text (text/credits.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reprints.text.credits import credits_a_source
from reprints.text.dates import text_date
from tests.test_canonical import WORDS, article, scan


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published May 4, 2023 at 10:29", "2023-05-04T10:29"),
        ("Published 2024-02-11", "2024-02-11"),
        ("date 2020-09-30 US exit threat raises fear of war in Iraq", "2020-09-30"),
        # weekdays, ordinals, a comma after the weekday
        ("Monday 4 May 2023", "2023-05-04"),
        ("Monday, May 4, 2023", "2023-05-04"),
        ("May 4th, 2023", "2023-05-04"),
        ("Posted on Thursday, 4th May 2023 at 10:29", "2023-05-04T10:29"),
        ("Saturday 12 March 2022 | 09:00", "2022-03-12T09:00"),
        # time zones are read past; AP prints the time first
        ("May 4, 2023 at 10:29 a.m. EDT", "2023-05-04T10:29"),
        ("Published 10:29 AM EDT, May 4, 2023", "2023-05-04T10:29"),
        ("10:29 a.m. May 4, 2023", "2023-05-04T10:29"),
        ("Mon 4 May 2023 10.29 BST", "2023-05-04T10:29"),
        # the languages of the mirrors: French, German, Spanish, Italian, Dutch
        ("Publié le 4 mai 2023 à 10h29", "2023-05-04T10:29"),
        ("Veröffentlicht am 04.05.2023, 10:29 Uhr", "2023-05-04T10:29"),
        ("Montag, 4. Mai 2023", "2023-05-04"),
        ("Publicado el 4 de mayo de 2023", "2023-05-04"),
        ("Pubblicato il 4 maggio 2023", "2023-05-04"),
        ("Gepubliceerd op 4 mei 2023", "2023-05-04"),
        # not the page's date: an edit, a sentence, a timeline entry, a month, a bad day
        ("Updated 4 May 2023", None),
        ("The council met on May 4, 2023 to vote.", None),
        ("4 May 2023 Council votes on the budget", None),
        ("March 2023 report", None),
        ("Sunday to Monday", None),
        ("Dated 31.02.2023", None),
        ("04/05/2023", None),  # which part is the month depends on the country
    ],
)
def test_date_line_forms(line: str, expected: str | None) -> None:
    assert text_date(f"Storm hits the coast\n{line}\nThe storm cut power.") == expected


def test_blank_lines_do_not_count_as_lines_of_the_head() -> None:
    """Pages scraped with a blank line between paragraphs print their date as the ninth line
    of text or later; the head is counted in lines that hold text."""
    head = ["The Coast Herald", "Sections  World  Sport", "Storm hits the coast", "By Ann Lee"]
    text = "\n\n".join([*head, "Published January 12, 2024 at 16:01", "The storm..."])
    assert text_date(text) == "2024-01-12T16:01"
    deep = "\n".join([*head, *head, "Published January 12, 2024 at 16:01"])  # the ninth line
    assert text_date(deep) is None


def test_two_lines_of_one_day_tie_and_the_text_decides(tmp_path: Path) -> None:
    """A page prints its time in its own zone: a copy showing only the day does not beat the
    original showing the same day with a time; what the copy adds names it."""
    rng = random.Random(11)
    body = article(rng)
    intro = " ".join(rng.choice(WORDS) for _ in range(30)) + "."
    docs = {
        "z-original": "\n".join(["Storm hits the coast", "Published May 4, 2023 at 10:29", *body]),
        "a-copy": "\n".join(["Storm hits the coast", "May 4, 2023", intro, *body]),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-original"
    assert "date line" not in cluster.why


@pytest.mark.parametrize(
    ("last_line", "expected"),
    [
        ("Subscribe to read the full story.", True),
        ("Subscribe to read the full story. Already a subscriber? Log in", True),
        ("This article is for subscribers only. Subscribe now", True),
        ("To continue reading, subscribe today.", True),
        ("Log in to keep reading this article", True),
        ("Read the full story", True),
        # furniture inside articles, and prose that happens to hold the words
        ("Continue reading the main story", False),
        ("Our readers subscribe to the idea that taxes are too high.", False),
        ("He urged them to keep reading the small print.", False),
        ("She told them to read the full story of the war.", False),
    ],
)
def test_a_paywall_prompt_at_the_end_says_the_text_is_elsewhere(
    last_line: str, expected: bool
) -> None:
    assert credits_a_source(f"Storm hits the coast\nThe storm cut power.\n{last_line}") is expected
    # at the top of a page the same words are a headline or a site's banner, not a prompt
    assert credits_a_source(f"{last_line}\nThe storm cut power.\nMore below.") is False


def test_a_paywalled_copy_is_not_the_original(tmp_path: Path) -> None:
    """Neither page prints a date. The paywalled copy holds the article's first paragraphs and
    a prompt: by the text alone the original "adds" its later paragraphs at the end, as a copy
    adds comments; the prompt says which text is cut."""
    rng = random.Random(12)
    body = article(rng)
    docs = {
        "z-original": "\n".join(["Storm hits the coast", *body]),
        "a-paywalled": "\n".join(
            ["Storm hits the coast", *body[:8], "Subscribe to read the full story."]
        ),
    }
    (cluster,) = scan(tmp_path, docs).clusters
    assert cluster.canonical == "z-original"
    assert "elsewhere for the full text" in cluster.why
