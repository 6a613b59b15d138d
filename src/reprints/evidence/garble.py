"""Garbled words: which text of a copied pair mangles the words the other prints whole.

OCR, bad encodings and careless re-typing garble a copy: "discuss" becomes "drnscuss", "issues"
"isues", "will" "willl", "News" "N ews". The original never garbles what its copy prints
whole, so a text that garbles several words of a text it shares its passages with is the copy,
whatever else the two show: the canonical choice reads it (:mod:`reprints.graph.cluster`).

Which side garbled a changed word is read from the two texts themselves, with no lexicon (so
in any language written with words): the changes are the places between two copied runs where
one text has a word or two that the other has in their stead (:mod:`reprints.evidence.runs`
gives the stretches between the runs; their words are matched here, and a stretch longer than
``MAX_REGION`` words is added text, not read). A change counts only where the two sides are spelled
within ``MAX_EDITS`` edits of each other and are letters (a garble, not a reworded phrase:
"said" for "told" is an editor's choice, and "558" for "468" an updated figure). Then:

- a word split in two ("N ews", "constitue nts") or two run together: the side with more
  pieces garbled it;
- else the side whose own letter sequences the texts show nowhere else: of the character
  trigrams that one variant has and the other lacks, the share that occurs nowhere else in
  the two texts. Garbling makes letter sequences no word of the language has ("drn", "wll",
  "lll"); the whole word's sequences recur in other words of the texts.

A pair's ``garbled`` counts are how many changes each side garbled; a text *garbles* the other
when it garbled at least ``MIN_GARBLED`` and at least twice as many as the other (an editor who
fixed one typo of the original is no OCR).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

MAX_WORDS = 3
"""Words on either side of a change: a longer change is rewording, not a garbled word."""
MAX_EDITS = 2
"""Character edits between the two sides of a garbled word (case ignored)."""
MIN_CHARS = 3
"""Letters the shorter side of a change needs: shorter words are too short to judge."""
MAX_REGION = 20
"""Words on either side of a stretch between two copied runs that is read word by word (a
date line one text prints and the other drops, beside a garbled name); a longer one is added
text."""
MIN_GARBLED = 2
"""Garbled changes a text needs, and twice as many as the other text, to garble it."""

_WORD = re.compile(r"\w+")


def within_edits(x: str, y: str, limit: int) -> bool:
    """Whether ``x`` and ``y`` are at most ``limit`` insertions, deletions or substitutions
    apart (Levenshtein distance, with an early stop).

    >>> within_edits("drnscuss", "discuss", 2), within_edits("said", "told", 2)
    (True, False)
    """
    if abs(len(x) - len(y)) > limit:
        return False
    previous = list(range(len(y) + 1))
    for i, cx in enumerate(x, 1):
        current = [i]
        for j, cy in enumerate(y, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (cx != cy)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _trigrams(words: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for word in words:
        for i in range(len(word) - 2):
            out[word[i : i + 3]] = out.get(word[i : i + 3], 0) + 1
    return out


def garbled_side(x: list[str], y: list[str], union: str) -> int:
    """Which side of one change garbled it: ``-1`` the first (``x``, its words casefolded),
    ``1`` the second, ``0`` neither or not a garble. ``union``: both texts, casefolded.

    >>> both = "we will discuss the issues and will go\\nwe wll discuss the issues and will go"
    >>> garbled_side(["will"], ["wll"], both), garbled_side(["n", "ews"], ["news"], "")
    (1, -1)
    >>> garbled_side(["said"], ["told"], "they said it\\nthey told it")
    0
    >>> garbled_side(["468"], ["558"], "468 jobs\\n558 jobs")  # an updated figure
    0
    """
    if len(x) > MAX_WORDS or len(y) > MAX_WORDS or not x or not y:
        return 0
    joined_x, joined_y = "".join(x), "".join(y)
    if min(len(joined_x), len(joined_y)) < MIN_CHARS:
        return 0
    if not (joined_x.isalpha() and joined_y.isalpha()):  # a figure changed, not a word
        return 0
    if joined_x == joined_y:  # split or run together: more pieces, more garbled
        return (len(y) > len(x)) - (len(x) > len(y))
    if not within_edits(joined_x, joined_y, MAX_EDITS):
        return 0
    tx, ty = _trigrams(x), _trigrams(y)

    def unseen(own: dict[str, int], other: dict[str, int]) -> float:
        mine = [g for g in own if g not in other]
        if not mine:
            return 0.0
        # occurrences elsewhere: in the union, less this change's own (one side holds them)
        alone = sum(union.count(g) - tx.get(g, 0) - ty.get(g, 0) <= 0 for g in mine)
        return alone / len(mine)

    seen_x, seen_y = unseen(tx, ty), unseen(ty, tx)
    return (seen_y > seen_x) - (seen_x > seen_y)


def garbled_words(
    text_a: str, text_b: str, changes: Iterable[tuple[int, int, int, int]]
) -> tuple[int, int]:
    """How many of the ``changes`` (``[a_start, a_end, b_start, b_end]`` character spans of
    the two texts, :func:`reprints.evidence.runs.evidence_loop`) each text garbled.

    >>> a = "We will go home. They will discuss the summit at home."
    >>> b = "We wll go horne. They will discuss the summit at home."
    >>> garbled_words(a, b, [(3, 7, 3, 6), (11, 15, 10, 15)])  # "wll", "horne"
    (0, 2)
    """
    union = ""
    counts = [0, 0]
    for a0, a1, b0, b1 in changes:
        x = _WORD.findall(text_a[a0:a1].casefold())
        y = _WORD.findall(text_b[b0:b1].casefold())
        if not x or not y or len(x) > MAX_REGION or len(y) > MAX_REGION:
            continue
        if not union:
            union = (text_a + "\n" + text_b).casefold()
        if len(x) <= MAX_WORDS and len(y) <= MAX_WORDS and set(x).isdisjoint(y):
            # one change, the usual stretch (a word between two copied runs): no alignment
            side = garbled_side(x, y, union)
            if side:
                counts[side > 0] += 1
            continue
        for kind, i0, i1, j0, j1 in SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
            side = garbled_side(x[i0:i1], y[j0:j1], union) if kind == "replace" else 0
            if side:
                counts[side > 0] += 1
    return counts[0], counts[1]


def garbles(counts: tuple[int, int]) -> tuple[bool, bool]:
    """Whether each text of a pair garbles the other (see the module docstring).

    >>> garbles((0, 5)), garbles((2, 3)), garbles((1, 0))
    ((False, True), (False, False), (False, False))
    """
    a, b = counts
    return (a >= MIN_GARBLED and a >= 2 * b, b >= MIN_GARBLED and b >= 2 * a)

