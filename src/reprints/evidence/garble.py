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

- a word split in two ("N ews", an OCR's "art-" at a line end and "ist" on the next) or two
  run together ("councilmeeting"): the texts say which form is a word. The split side garbled
  it where its hyphen ends a line, or where the whole word occurs elsewhere in the two texts
  and not every piece does; the joined side where every piece occurs elsewhere as a word and
  the whole does not; else neither (no evidence). A hyphen inside a line ("e-mail",
  "co-operate") is a spelling, not a garble;
- else the side whose own letter sequences the texts show nowhere else: of the character
  trigrams that one variant has and the other lacks, the share that occurs nowhere else in
  the two texts, by a margin of ``MARGIN`` over the other side. Garbling makes letter
  sequences no word of the language has ("drn", "wll", "lll"); the whole word's sequences
  recur in other words of the texts.

Limits: a copy that localises spelling ("colour" for "color") or an original with typos its
copy's editor fixed reads as garbled where one variant's letter sequences happen to occur
nowhere else in the two texts; two such changes, twice as many as the other way, are needed
before a text garbles the other. Scripts written without spaces (Chinese, Japanese, Thai) are
one "word" a run and are not read.

A text that disguises the words of its copied passages (:func:`disguised_words`: zero-width
characters inside them, look-alike letters of another alphabet) garbles them too, for a reader of
bytes: each place counts as a garbled word.

A pair's ``garbled`` counts are how many changes each side garbled; a text *garbles* the other
when it garbled at least ``MIN_GARBLED`` and at least twice as many as the other (an editor who
fixed one typo of the original is no OCR).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import cached_property

from reprints.sketch.kernel import INVISIBLE, LOOKALIKE_FROM, MOJIBAKE, mangled_runs, read_run

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
MARGIN = 0.25
"""How much larger one side's share of unseen letter sequences must be to have garbled it."""
MAX_WORD_CHARS = 40
"""Letters a change holds at most (a url or a long token is not a garbled word)."""

_WORD = re.compile(r"\w+")
_NON_LETTER = re.compile(r"[\W\d_]+")
_INLINE_HYPHEN = re.compile(r"[^\W\d_]-[^\W\d_]")
_LINE_END_HYPHEN = re.compile(r"[^\W\d_]-[ \t]*\r?\n\s*[^\W\d_]")


class _Union:
    """Both texts of a pair, casefolded, and the words they hold (counted only when a split
    word is read): built once a pair, when a change is read."""

    def __init__(self, text_a: str, text_b: str) -> None:
        self.text = (text_a + "\n" + text_b).casefold()

    @cached_property
    def words(self) -> Counter[str]:
        return Counter(_WORD.findall(self.text))


def within_edits(x: str, y: str, limit: int) -> bool:
    """Whether ``x`` and ``y`` are at most ``limit`` insertions, deletions or substitutions
    apart (Levenshtein distance, with an early stop).

    >>> within_edits("drnscuss", "discuss", 2), within_edits("said", "told", 2)
    (True, False)
    """
    if abs(len(x) - len(y)) > limit:
        return False
    if len(set(x) ^ set(y)) > 2 * limit:  # an edit adds or removes at most two letters' kinds
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


def _trigrams(words: list[str]) -> Counter[str]:
    return Counter(word[i : i + 3] for word in words for i in range(len(word) - 2))


def garbled_side(
    x: list[str], y: list[str], union: str | _Union, raw_x: str = "", raw_y: str = ""
) -> int:
    """Which side of one change garbled it: ``-1`` the first (``x``, its words casefolded),
    ``1`` the second, ``0`` neither or not a garble. ``union``: both texts (casefolded);
    ``raw_x``, ``raw_y``: the change's text as each prints it (where its hyphens are read).

    >>> both = "we will discuss the issues and will go\\nwe wll discuss the issues and will go"
    >>> garbled_side(["will"], ["wll"], both)
    1
    >>> news = "latest news: the n ews desk\\nlatest news: the news desk"
    >>> garbled_side(["n", "ews"], ["news"], news, "N ews", "News")
    -1
    >>> run = "the council meeting and public hearing\\nthe councilmeeting and public hearing"
    >>> garbled_side(["council", "meeting"], ["councilmeeting"], run + " council, meeting")
    1
    >>> garbled_side(["e", "mail"], ["email"], "send e-mail\\nsend email", "e-mail", "email")
    0
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
    if max(len(joined_x), len(joined_y)) > MAX_WORD_CHARS:
        return 0
    if not (joined_x.isalpha() and joined_y.isalpha()):  # a figure changed, not a word
        return 0
    context = union if isinstance(union, _Union) else _Union(union, "")
    if joined_x == joined_y:  # split or run together
        if len(x) == len(y):
            return 0
        sign = -1 if len(x) > len(y) else 1  # the side with more pieces
        split, pieces = (raw_x, x) if sign < 0 else (raw_y, y)
        return sign * _split_garbled(pieces, joined_x, split, context)
    if not within_edits(joined_x, joined_y, MAX_EDITS):
        return 0
    tx, ty = _trigrams(x), _trigrams(y)
    text = context.text

    def unseen(own: Counter[str], other: Counter[str]) -> float:
        mine = [g for g in own if g not in other]
        if not mine:
            return 0.0
        # occurrences elsewhere: in the union, less this change's own (one side holds them)
        alone = sum(text.count(g) - tx[g] - ty[g] <= 0 for g in mine)
        return alone / len(mine)

    seen_x, seen_y = unseen(tx, ty), unseen(ty, tx)
    margin = MARGIN - 1e-9  # 2/3 - 5/12 is a quarter, whatever the float says
    return (seen_y - seen_x >= margin) - (seen_x - seen_y >= margin)


def _split_garbled(pieces: list[str], whole: str, raw: str, context: _Union) -> int:
    """``1`` where the side printing ``pieces`` (``raw``) split the word ``whole``, ``-1``
    where the other side ran the pieces together, ``0`` where the texts do not say."""
    if _LINE_END_HYPHEN.search(raw):  # hyphenated at a line end: an OCR of a printed column
        return 1
    if _INLINE_HYPHEN.search(raw):  # e-mail, co-operate: a spelling
        return 0
    words = context.words
    # each form's occurrences beyond this change's own (the whole once, each piece once)
    whole_elsewhere = words[whole] > 1
    pieces_elsewhere = all(words[p] > pieces.count(p) for p in pieces)
    if whole_elsewhere and not pieces_elsewhere:
        return 1
    if pieces_elsewhere and not whole_elsewhere:
        return -1
    return 0


_LOOKALIKE = LOOKALIKE_FROM + LOOKALIKE_FROM.upper()
_DISGUISED = re.compile(
    rf"(?<=[A-Za-z])(?:[{INVISIBLE}]+|[{_LOOKALIKE}])(?=[A-Za-z])"  # inside a Latin word
)


def disguised_words(text: str, spans: Iterable[tuple[int, int]] = ((0, -1),)) -> int:
    """How many places of ``text`` (within ``spans``, the copied passages) disguise a Latin
    word: a zero-width space, word joiner or byte order mark inside it, or a Cyrillic or Greek
    look-alike letter between two of its Latin letters. They read the same as the plain word and
    match it (the kernel reads them through: :func:`reprints.sketch.kernel.fold`), so only a
    copy made to evade detection or to watermark carries them: an original has no reason to.
    Soft hyphens are hyphenation hints that originals print too, zero-width joiners belong to
    Persian and Indic words, and a Greek letter at the end of a Latin one is science (``TNFα``,
    ``NF-κB``): none counts. Mojibake counts too (``donâ€™t``: a page or a scrape that decoded
    the text wrongly, :func:`reprints.sketch.kernel.unmangle`), each mangled byte sequence; HTML
    references (``&#8217;``) do not: they are how some pipelines write a text, not damage.

    >>> disguised_words("The hоtel's wa\u200bter bill"), disguised_words("Кот. TNFα, NF-κB")
    (2, 0)
    >>> disguised_words("donâ€™t, SociÃ©tÃ©"), disguised_words("don&#8217;t, Société")
    (3, 0)
    """
    if text.isascii():
        return 0
    # each run read back: where it starts, and how many byte sequences it mangled
    runs = [
        (m.start(), len(MOJIBAKE.findall(m.group())))
        for m in mangled_runs(text)
        if read_run(m.group()) != m.group()
    ]
    count = 0
    for a, b in spans:
        end = len(text) if b < 0 else b
        count += len(_DISGUISED.findall(text, a, end))
        count += sum(n for at, n in runs if a <= at < end)
    return count


def garbled_words(
    text_a: str, text_b: str, changes: Iterable[tuple[int, int, int, int]]
) -> tuple[int, int]:
    """How many of the ``changes`` (``[a_start, a_end, b_start, b_end]`` character spans of
    the two texts, :func:`reprints.evidence.runs.evidence_loop`) each text garbled.

    >>> a = "We will go home. They will discuss the summit at home."
    >>> b = "We wll go horne. They will discuss the summit at home."
    >>> garbled_words(a, b, [(3, 7, 3, 6), (11, 15, 10, 15)])  # "wll", "horne"
    (0, 2)
    >>> # one stretch holding garbles around a shared word: read in the alignment of its words
    >>> a = "we will discuss the issues today. we will discuss the issues"
    >>> b = "we wll dscuss the isues today. we will discuss the issues"
    >>> garbled_words(a, b, [(3, 26, 3, 23)])
    (0, 2)
    """
    union: _Union | None = None
    counts = [0, 0]
    for a0, a1, b0, b1 in changes:
        raw_a, raw_b = text_a[a0:a1].casefold(), text_b[b0:b1].casefold()
        one_word = len(raw_a.split(None, 1)) <= 1 and len(raw_b.split(None, 1)) <= 1
        if one_word and not _could_garble(raw_a, raw_b):  # the usual stretch: one word each
            continue
        x, y = _WORD.findall(raw_a), _WORD.findall(raw_b)
        if not x or not y or len(x) > MAX_REGION or len(y) > MAX_REGION:
            continue
        if union is None:
            union = _Union(text_a, text_b)
        if len(x) <= MAX_WORDS and len(y) <= MAX_WORDS and set(x).isdisjoint(y):
            # one change, the usual stretch (a word between two copied runs): no alignment
            if one_word or _could_garble(raw_a, raw_b):  # all the stretch is the change
                side = garbled_side(x, y, union, raw_a, raw_b)
                if side:
                    counts[side > 0] += 1
            continue
        words_a, words_b = list(_WORD.finditer(raw_a)), list(_WORD.finditer(raw_b))
        for kind, i0, i1, j0, j1 in SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
            if kind != "replace":
                continue
            # each side's own stretch of the change, where its hyphens are read
            part_a = raw_a[words_a[i0].start() : words_a[i1 - 1].end()]
            part_b = raw_b[words_b[j0].start() : words_b[j1 - 1].end()]
            side = garbled_side(x[i0:i1], y[j0:j1], union, part_a, part_b)
            if side:
                counts[side > 0] += 1
    return counts[0], counts[1]


def _could_garble(x: str, y: str) -> bool:
    """A cheap test of a short change, before its words are read: the two sides' letters are
    within ``MAX_EDITS`` edits by their kinds and counts (an edit adds or removes at most two
    kinds of letter, and changes the count by at most one).

    >>> _could_garble("drnscuss", "discuss"), _could_garble("said", "told")
    (True, False)
    """
    # (a word of letters between spaces, the usual case, has only its spaces to remove)
    word_x, word_y = x.strip(), y.strip()
    x = word_x if word_x.isalpha() else _NON_LETTER.sub("", x)
    y = word_y if word_y.isalpha() else _NON_LETTER.sub("", y)
    if abs(len(x) - len(y)) > MAX_EDITS or min(len(x), len(y)) < MIN_CHARS:
        return False
    return len(set(x) ^ set(y)) <= 2 * MAX_EDITS


def garbles(counts: tuple[int, int]) -> tuple[bool, bool]:
    """Whether each text of a pair garbles the other (see the module docstring).

    >>> garbles((0, 5)), garbles((2, 3)), garbles((1, 0))
    ((False, True), (False, False), (False, False))
    """
    a, b = counts
    return (a >= MIN_GARBLED and a >= 2 * b, b >= MIN_GARBLED and b >= 2 * a)

