"""Evidence of the shingle relations: which passages two texts share word for word, which one
of them adds, which were discounted as boilerplate, in character offsets of the original texts.

The near level decides on shingle sets (:mod:`reprints.evidence.verify`); this module shows the
reader where those shingles are. Both texts are tokenised by the fingerprint kernel's own
tokenizer (:func:`reprints.text.tokens.tokenize`), so shingle ``i`` here is shingle ``i`` of the
fingerprint, and a shingle's key is the key the verifier measured. No model, no embedding.

- **Copied passages** are *diagonal runs*: shingle ``i`` of ``a`` equal to shingle ``j`` of
  ``b``, ``i + 1`` equal to ``j + 1``, and so on. Runs on nearly the same diagonal a few
  shingles apart (one word changed, a line re-broken) are one passage; its ``score`` is the share
  of its shingles found in the other text. Boilerplate shingles (the verifier's discounted ones)
  are never part of a copied passage.
- **Added passages** are the passages (:mod:`reprints.text.passages`) of one text that the
  copied passages cover less than half of, boilerplate apart: for seed 001, the four teasers
  appended to the article.
- **Boilerplate** is every run of one text's shingles that the verifier discounted in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

import numpy as np

from reprints.evidence.boilerplate import KEY_MASK
from reprints.evidence.garble import disguised_words, garbled_words
from reprints.sketch.kernel import compiled_module
from reprints.sketch.markup import unmarked
from reprints.text.dates import HEAD_LINES, TOP_LINES, PageHead, head_key, page_head, shows_head
from reprints.text.passages import ends_sentence, is_prose, passages_many, prose
from reprints.text.tokens import ascii_batch, shingle_spans_many

MAX_GAP = 10
"""Shingles between two runs on nearly one diagonal that still make them one passage: a word
changed costs ``k`` shingles (5), two words close together about twice that."""
MAX_SHIFT = 3
"""Tokens by which two runs' diagonals may differ and still be one passage (a word inserted or
dropped)."""
MIN_MATCHED = 3
"""Shingles a copied passage needs (seven words): two related texts also share stock phrases
("the prime minister said on"), which are no evidence of copying. A text of fewer shingles
needs them all."""
ADDED_BELOW = 0.5
"""A passage is added when copied passages cover less than this share of its characters."""
DROPPED_CHARS = 120
"""An added prose passage inside the copied text at least this long (about 20 words: a
paragraph, not a caption or a one-line insert) is text the other document dropped."""

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class RunText:
    """What the run evidence needs of one text: its shingles in order (low 47-bit keys, as the
    verifier measured them) and their sort order, each shingle's character span, its passages,
    which shingles were discounted as boilerplate in it and where those lie."""

    keys: np.ndarray  # (n,) uint64
    order: np.ndarray  # (n,) int64: argsort of ``keys``
    start: np.ndarray  # (n,) int32: character offset where shingle i starts
    end: np.ndarray  # (n,) int32: where it ends (exclusive)
    passages: np.ndarray  # (p, 2) int64: [start, end) of each passage
    boilerplate: np.ndarray  # (n,) bool
    boiler_spans: np.ndarray  # (q, 2) int64: the boilerplate shingles as merged [start, end)
    text: str = ""  # the text itself, where its garbled words, its head and prose are read


class RunEvidence(Mapping[str, object]):
    """The evidence fields of one pair (``aligned``, ``added_in_a``, ``added_in_b``,
    ``boilerplate``) kept as one ``int32`` array of offsets and one of scores, read as the
    dict of lists that ``pairs.jsonl`` holds. A scan can relate hundreds of thousands of pairs
    (every shared stock sentence makes a ``partial``), and a partial pair lists nearly every
    passage of both texts as added: as Python lists that is kilobytes a pair, here a few
    hundred bytes.

    >>> ev = RunEvidence.build(np.array([[0, 9, 4, 13]]), np.array([0.5]), np.array([[10, 20]]),
    ...                        np.empty((0, 2)), np.empty((0, 2)), np.array([[30, 40]]))
    >>> dict(ev)["aligned"]
    [{'a': [0, 9], 'b': [4, 13], 'score': 0.5, 'kind': 'copy'}]
    >>> ev["added_in_a"], ev["boilerplate"]
    ([[10, 20]], {'a': [], 'b': [[30, 40]]})
    >>> ev.swapped()["aligned"][0]["a"], ev.swapped()["added_in_b"]
    ([4, 13], [[10, 20]])
    """

    __slots__ = ("balance", "data", "garbled", "headed", "heads", "scores")
    _KEYS = ("aligned", "added_in_a", "added_in_b", "boilerplate")

    def __init__(
        self,
        data: np.ndarray,
        scores: np.ndarray,
        balance: tuple[float, float] = (0.0, 0.0),
        garbled: tuple[int, int] = (0, 0),
        heads: tuple[bool, bool] = (False, False),
        headed: tuple[bool, bool] = (False, False),
    ) -> None:
        # data: the counts [aligned, added_a, added_b, boiler_a, boiler_b], then the aligned
        # spans (4 numbers each) and the other spans (2 each), in that order
        self.data = data
        self.scores = scores
        # what each side holds that the other dropped, less what it adds (derivation_balance),
        # how many words each side garbled (reprints.evidence.garble), and whether each side
        # shows the head above the other's date line (reprints.text.dates.shows_head): read by
        # the canonical choice, not written out
        self.balance = balance
        self.garbled = garbled
        self.heads = heads
        # whether each side's headline is printed inside the other, below the other's own
        # headline (headed_inside): it is one of the stories the other carries
        self.headed = headed

    @classmethod
    def build(
        cls,
        spans: np.ndarray,
        scores: np.ndarray,
        added_a: np.ndarray,
        added_b: np.ndarray,
        boiler_a: np.ndarray,
        boiler_b: np.ndarray,
        balance: tuple[float, float] = (0.0, 0.0),
        garbled: tuple[int, int] = (0, 0),
        heads: tuple[bool, bool] = (False, False),
        headed: tuple[bool, bool] = (False, False),
    ) -> RunEvidence:
        parts = (spans, added_a, added_b, boiler_a, boiler_b)
        head = np.array([len(p) for p in parts], dtype=np.int32)
        body = [np.asarray(p, dtype=np.int32).ravel() for p in parts]
        data = np.concatenate([head, *body])
        return cls(data, np.asarray(scores, dtype=np.float64), balance, garbled, heads, headed)

    def _parts(self) -> list[np.ndarray]:
        counts = self.data[:5].tolist()
        widths = (4, 2, 2, 2, 2)
        out, at = [], 5
        for count, width in zip(counts, widths, strict=True):
            out.append(self.data[at : at + count * width].reshape(count, width))
            at += count * width
        return out

    def __getitem__(self, key: str) -> object:
        if key not in self._KEYS:
            raise KeyError(key)
        spans, added_a, added_b, boiler_a, boiler_b = self._parts()
        if key == "aligned":
            return [
                {"a": [s, e], "b": [t, u], "score": round(score, 4), "kind": "copy"}
                for (s, e, t, u), score in zip(spans.tolist(), self.scores.tolist(), strict=True)
            ]
        if key == "added_in_a":
            return added_a.tolist()
        if key == "added_in_b":
            return added_b.tolist()
        if key == "boilerplate":
            return {"a": boiler_a.tolist(), "b": boiler_b.tolist()}
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._KEYS)

    def __len__(self) -> int:
        return len(self._KEYS)

    def __repr__(self) -> str:
        return f"RunEvidence({dict(self)!r})"

    def to_dict(self) -> dict[str, object]:
        """The fields as plain lists and dicts (for ``json.dumps``)."""
        return dict(self)

    def swapped(self) -> RunEvidence:
        """The same evidence seen from the other side (b as a)."""
        spans, added_a, added_b, boiler_a, boiler_b = self._parts()
        return RunEvidence.build(
            spans[:, [2, 3, 0, 1]],
            self.scores,
            added_b,
            added_a,
            boiler_b,
            boiler_a,
            (self.balance[1], self.balance[0]),
            (self.garbled[1], self.garbled[0]),
            (self.heads[1], self.heads[0]),
            (self.headed[1], self.headed[0]),
        )


def run_texts(
    texts: list[str], k: int, boilerplate_keys: list[np.ndarray | None] | None = None
) -> list[RunText]:
    """The run evidence's view of each of ``texts`` at shingle size ``k``;
    ``boilerplate_keys[i]``: the sorted keys discounted as boilerplate in text ``i`` (none
    where not given). The views keep their texts (for the garbled words and heads).

    >>> t = run_texts(["one two three four five six"], 5)[0]
    >>> len(t.keys), t.start.tolist(), t.end.tolist()
    (2, [0, 4], [23, 27])
    """
    # exact copies (a task holds a document's copies together) are read once: only what was
    # discounted in each is its own. Spans are read from the texts as written (the tokenizer
    # blanks their markup itself, and widens a token over the JSON escapes it reads); the views
    # keep each text as shown, its markup blanked (offsets unchanged), for the words and heads
    distinct = list(dict.fromkeys(texts))
    # encoded once for both compiled passes (none where they do not run)
    batch = ascii_batch(distinct) if compiled_module("sketch._compiled") is not None else None
    shared = {
        text: (
            keys := spans.hashes & KEY_MASK,
            np.argsort(keys),
            spans.start.astype(np.int32),
            spans.end.astype(np.int32),
            units,
        )
        for text, spans, units in zip(
            distinct,
            shingle_spans_many(distinct, k, batch),
            passages_many(distinct, batch=batch),
            strict=True,
        )
    }
    shown = {text: unmarked(text) for text in distinct}
    out: list[RunText] = []
    for n, text in enumerate(texts):
        keys, order, start, end, units = shared[text]
        bp_keys = boilerplate_keys[n] if boilerplate_keys is not None else None
        if bp_keys is not None and len(bp_keys) and len(keys):
            pos = np.minimum(np.searchsorted(bp_keys, keys), len(bp_keys) - 1)
            bp = bp_keys[pos] == keys
        else:
            bp = np.zeros(len(keys), dtype=bool)
        merged = _merged_spans(start, end, bp)
        out.append(RunText(keys, order, start, end, units, bp, merged, shown[text]))
    return out


def _merged_spans(start: np.ndarray, end: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The character spans of the shingles in ``mask``, overlapping ones merged: ``(q, 2)``.

    >>> _merged_spans(np.array([0, 4, 9]), np.array([8, 12, 15]), np.array([1, 1, 0], bool))
    array([[ 0, 12]])
    """
    if not mask.any():  # most texts: nothing discounted
        return np.empty((0, 2), dtype=np.int64)
    s, e = start[mask].astype(np.int64), end[mask].astype(np.int64)
    reach = np.maximum.accumulate(e)
    first = np.ones(len(s), dtype=bool)
    first[1:] = s[1:] > reach[:-1]
    groups = np.flatnonzero(first)
    ends = reach[np.r_[groups[1:] - 1, len(s) - 1]]
    return np.stack([s[groups], ends], axis=1)


def covered(passages: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """Characters of each passage ``[start, end)`` that ``spans`` cover (overlaps between
    spans counted once).

    >>> covered(np.array([[0, 10], [20, 30]]), np.array([[5, 25], [8, 12]])).tolist()
    [5, 5]
    """
    out = np.zeros(len(passages), dtype=np.int64)
    if not len(spans):
        return out
    spans = spans[np.argsort(spans[:, 0], kind="mergesort")]
    merged = np.empty_like(spans)
    m = 0
    for q in range(len(spans)):
        if m > 0 and spans[q, 0] <= merged[m - 1, 1]:
            merged[m - 1, 1] = max(merged[m - 1, 1], spans[q, 1])
        else:
            merged[m, 0] = spans[q, 0]
            merged[m, 1] = spans[q, 1]
            m += 1
    for p in range(len(passages)):
        s, e = passages[p, 0], passages[p, 1]
        total = 0
        for q in range(m):
            lo = max(s, merged[q, 0])
            hi = min(e, merged[q, 1])
            if hi > lo:
                total += hi - lo
        out[p] = total
    return out


def pair_runs_loop(
    keys_a: np.ndarray,
    boiler_a: np.ndarray,
    keys_b: np.ndarray,
    boiler_b: np.ndarray,
    order_b: np.ndarray,
    max_gap: int,
    max_shift: int,
) -> tuple[np.ndarray, np.ndarray]:
    """``(m, 5)`` rows ``[i_first, i_last, j_first, j_last, matched]`` of the copied passages
    of ``a`` and ``b``: their equal content shingles (``i`` in ``a``, ``j`` in ``b``) merged
    along diagonals, and runs a few shingles apart on nearly the same diagonal merged into one
    passage (``matched``: the shingles of it found in the other). A shingle that occurs several
    times in ``b`` is matched where it continues the previous match's diagonal, else at its
    first occurrence. ``order_b``: an argsort of ``keys_b``.

    Second, the *changes* inside the passages: ``(g, 5)`` rows ``[row, i_before, i_after,
    j_before, j_after]``, one for each place where two runs were merged across shingles missing
    on both sides (a word changed): the last matched shingle before and the first after, in
    each text, and the passage's row.
    """
    nb = len(keys_b)
    sorted_b = keys_b[order_b]
    out = np.zeros((len(keys_a), 5), dtype=np.int64)
    changes = np.zeros((len(keys_a), 5), dtype=np.int64)
    g = 0
    m = 0
    prev_i = -2
    prev_j = -2
    for i in range(len(keys_a)):
        if boiler_a[i]:
            continue
        x = keys_a[i]
        j = -1
        if prev_i == i - 1 and prev_j + 1 < nb and keys_b[prev_j + 1] == x:
            j = prev_j + 1
        else:
            p = np.searchsorted(sorted_b, x)
            while p < nb and sorted_b[p] == x:  # the first occurrence of the equal keys
                if j < 0 or order_b[p] < j:
                    j = order_b[p]
                p += 1
        if j < 0 or boiler_b[j]:
            continue
        prev_i = i
        prev_j = j
        if m > 0:
            gap_i = i - out[m - 1, 1] - 1
            gap_j = j - out[m - 1, 3] - 1
            near = 0 <= gap_i <= max_gap and 0 <= gap_j <= max_gap
            if near and abs(gap_i - gap_j) <= max_shift:  # the same passage (a word changed)
                if gap_i > 0 and gap_j > 0:
                    changes[g, 0] = m - 1
                    changes[g, 1] = out[m - 1, 1]
                    changes[g, 2] = i
                    changes[g, 3] = out[m - 1, 3]
                    changes[g, 4] = j
                    g += 1
                out[m - 1, 1] = i
                out[m - 1, 3] = j
                out[m - 1, 4] += 1
                continue
        out[m, 0] = i
        out[m, 1] = i
        out[m, 2] = j
        out[m, 3] = j
        out[m, 4] = 1
        m += 1
    return out[:m], changes[:g]


def evidence_loop(
    a_keys: np.ndarray,
    a_boiler: np.ndarray,
    a_start: np.ndarray,
    a_end: np.ndarray,
    a_passages: np.ndarray,
    a_boiler_spans: np.ndarray,
    b_keys: np.ndarray,
    b_boiler: np.ndarray,
    b_order: np.ndarray,
    b_start: np.ndarray,
    b_end: np.ndarray,
    b_passages: np.ndarray,
    b_boiler_spans: np.ndarray,
    max_gap: int,
    max_shift: int,
    min_matched: int,
    added_below: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The run evidence of two texts as arrays: the copied passages' character spans
    ``(m, 4)`` ``[a_start, a_end, b_start, b_end]`` and scores ``(m,)``, which passages of
    ``a`` and of ``b`` are added, and the changed words inside the copied passages ``(g, 4)``
    ``[a_start, a_end, b_start, b_end]``: the characters between two matched runs in each text
    (a word one text changed, garbled or split). Plain loops over arrays: compiled by numba
    where it is installed (:mod:`reprints.evidence._compiled`), run as they are else."""
    rows, changes = pair_runs_loop(a_keys, a_boiler, b_keys, b_boiler, b_order, max_gap, max_shift)
    least = min(min_matched, len(a_keys), len(b_keys))
    spans = np.zeros((len(rows), 4), dtype=np.int64)
    scores = np.zeros(len(rows), dtype=np.float64)
    changed = np.zeros((len(changes), 4), dtype=np.int64)
    c = 0
    for q in range(len(changes)):
        if rows[changes[q, 0], 4] < least:
            continue
        lo_a, hi_a = a_end[changes[q, 1]], a_start[changes[q, 2]]
        lo_b, hi_b = b_end[changes[q, 3]], b_start[changes[q, 4]]
        if hi_a > lo_a and hi_b > lo_b:
            changed[c, 0] = lo_a
            changed[c, 1] = hi_a
            changed[c, 2] = lo_b
            changed[c, 3] = hi_b
            c += 1
    m = 0
    for r in range(len(rows)):
        if rows[r, 4] < least:
            continue
        spans[m, 0] = a_start[rows[r, 0]]
        spans[m, 1] = a_end[rows[r, 1]]
        spans[m, 2] = b_start[rows[r, 2]]
        spans[m, 3] = b_end[rows[r, 3]]
        scores[m] = rows[r, 4] / max(rows[r, 1] - rows[r, 0] + 1, rows[r, 3] - rows[r, 2] + 1)
        m += 1
    spans = spans[:m]
    added_a = _added(a_passages, spans[:, 0:2].copy(), a_boiler_spans, added_below)
    added_b = _added(b_passages, spans[:, 2:4].copy(), b_boiler_spans, added_below)
    return spans, scores[:m], added_a, added_b, changed[:c]


def _added(
    passages: np.ndarray, copied: np.ndarray, boiler: np.ndarray, added_below: float
) -> np.ndarray:
    """Which passages the ``copied`` spans cover less than ``added_below`` of, and the
    boilerplate spans less than half of."""
    length = passages[:, 1] - passages[:, 0]
    return (covered(passages, copied) < added_below * length) & (
        covered(passages, boiler) * 2 < length
    )


RunsLoop = Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]


def runs_loop() -> RunsLoop:
    """:func:`evidence_loop`, compiled where numba is installed and in use."""
    compiled = compiled_module("evidence._compiled")
    return compiled.pair_evidence if compiled is not None else evidence_loop


def load_kernels(k: int) -> None:
    """Compile (or load from the cache) the compiled kernels of the views and the runs, so that
    worker processes forked after it inherit them instead of each loading its own (processes
    started by spawn, as on macOS, load their own all the same)."""
    views = run_texts(["warm up the kernels.", "warm up the kernels"], k)
    run_evidence(views[0], views[1])


def run_evidence(
    a: RunText,
    b: RunText,
    loop: RunsLoop | None = None,
    balance: bool = True,
    pages: tuple[PageHead, PageHead] | None = None,
) -> RunEvidence:
    """The evidence fields of a pair related by shingles (the schema of ``pairs.jsonl``):
    ``aligned`` copied passages (``kind`` ``copy``), ``added_in_a``/``added_in_b`` and
    ``boilerplate``, all in character offsets of the two texts. With ``balance``, also what
    the canonical choice reads: the derivation balance, the garbled words and, where
    ``pages`` gives the two texts' heads (:func:`reprints.text.dates.page_head`; given where
    a date line can tell the two apart), whether each shows the head of the other's line.

    >>> x = "The storm hit the coast on Monday night and cut power to thousands of homes."
    >>> y = x + "\\nRead more: ten things to do this weekend in the city centre."
    >>> ev = run_evidence(*run_texts([x, y], 5))
    >>> [(s["a"], s["b"], s["kind"]) for s in ev["aligned"]]
    [([0, 75], [0, 75], 'copy')]
    >>> [y[s:e] for s, e in ev["added_in_b"]]
    ['Read more: ten things to do this weekend in the city centre.']
    """
    loop = loop or runs_loop()
    spans, scores, added_a, added_b, changes = loop(
        a.keys,
        a.boilerplate,
        a.start,
        a.end,
        a.passages,
        a.boiler_spans,
        b.keys,
        b.boilerplate,
        b.order,
        b.start,
        b.end,
        b.passages,
        b.boiler_spans,
        MAX_GAP,
        MAX_SHIFT,
        MIN_MATCHED,
        ADDED_BELOW,
    )
    sides = (
        (
            derivation_balance(spans[:, 0:2], a.passages, added_a, _added_prose(a, added_a)),
            derivation_balance(spans[:, 2:4], b.passages, added_b, _added_prose(b, added_b)),
        )
        if balance
        else (0.0, 0.0)
    )
    garbled = (0, 0)
    if balance and a.text and b.text and len(spans):
        ga, gb = garbled_words(a.text, b.text, changed_stretches(spans, changes))
        garbled = (
            ga + disguised_words(a.text, spans[:, 0:2].tolist()),
            gb + disguised_words(b.text, spans[:, 2:4].tolist()),
        )
    heads = (False, False)
    if balance and pages is not None:
        head_a, head_b = pages
        heads = (shows_head(head_a, head_b), shows_head(head_b, head_a))
    headed = (False, False)
    if balance and a.text and b.text and len(spans):
        # only a text that another at least CARRIER_RATIO times its length holds mostly is read
        copied_a = int((spans[:, 1] - spans[:, 0]).sum())
        copied_b = int((spans[:, 3] - spans[:, 2]).sum())
        if len(b.text) >= CARRIER_RATIO * len(a.text) and 2 * copied_a >= len(a.text):
            headed = (headed_inside(a, b), False)
        elif len(a.text) >= CARRIER_RATIO * len(b.text) and 2 * copied_b >= len(b.text):
            headed = (False, headed_inside(b, a))
    return RunEvidence.build(
        spans,
        scores,
        a.passages[added_a],
        b.passages[added_b],
        a.boiler_spans,
        b.boiler_spans,
        sides,
        garbled,
        heads,
        headed,
    )


HEADLINE_WORDS = 5
"""Words a headline holds at least: a section heading ("Early life", "What happens next") that
starts a chunk of a document, or a page of an article, is shorter."""

CARRIER_RATIO = 1.5
"""A text this many times as long as another that it mostly holds may carry it as one of its
stories (:func:`headed_inside` is read only there)."""


def head_lines(view: RunText, limit: int | None = None, until_prose: bool = False) -> list[str]:
    """The lines of a text that could head it (:func:`reprints.text.dates.head_key`: a few words,
    casefolded), in order; among its first ``limit`` lines holding text where given, and above
    its first line of prose (:func:`reprints.text.passages.prose`) below a head line where
    ``until_prose``. A line ending a sentence (a short paragraph, a quote, an interview's
    question) is no head line. Boilerplate counts (a site's masthead and navigation, a feed's
    "Comments | Share" line before a post's headline): it is what the page prints.

    >>> text = "Home | World | Sport\\nStorm hits the coast\\nIs it over?\\nThe storm hit us all."
    >>> head_lines(run_texts([text], 5)[0])
    ['home world sport', 'storm hits the coast']
    """
    text = view.text
    out: list[str] = []
    start, seen = 0, 0
    while start < len(text) and (limit is None or seen < limit):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].strip()
        if line:
            seen += 1
            if until_prose and out and is_prose(line):
                break  # prose before any head line is a notice above the page (cookies)
            key = head_key(line)
            if key is not None and not ends_sentence(line):
                out.append(key)
        start = end + 1
    return out


def headed_inside(part: RunText, whole: RunText) -> bool:
    """Whether ``whole`` prints ``part``'s headline inside it, below its own top. ``part``'s
    headline is its first head line (:func:`head_lines`: among its first ``TOP_LINES``, above
    its first line of prose) that ``whole`` does not print at its top (its head lines above its
    first prose, among its first ``HEAD_LINES``: a site's masthead, the article's headline,
    byline and date line); it must hold ``HEADLINE_WORDS`` or more and stand as a line of its
    own further down ``whole``. A page that prints another text's headline above that text
    carries it as one of its stories (a blog's home page with its latest posts, a digest, an
    infinite-scroll page with the next story). A page of one article prints the article's head,
    which the whole prints at its top, and whatever follows it is the article's text; a chunk
    of a document starts on a section heading, shorter than a headline;
    :func:`reprints.graph.cluster.compilations` asks for two such texts (a page starting on a
    long subheading of its article is one).

    >>> head, body = "Storm hits the coast at dawn\\n", "The storm cut power to homes. " * 9
    >>> post = head + "By Ann Lee\\n" + body
    >>> home = "Latest posts\\nBudget passes vote\\nThe council met.\\n" * 5 + head + body
    >>> views = run_texts([post, home], 5)
    >>> headed_inside(views[0], views[1])
    True
    >>> whole = head + "By Ann Lee\\n" + body * 2
    >>> headed_inside(views[0], run_texts([whole], 5)[0])
    False
    """
    top = set(head_lines(whole, HEAD_LINES, until_prose=True))
    title = next((k for k in head_lines(part, TOP_LINES, until_prose=True) if k not in top), None)
    if title is None or title.count(" ") + 1 < HEADLINE_WORDS:
        return False
    low = whole.text.casefold()
    if not all(word in low for word in title.split()):
        return False  # the cheap test first: its words are not all in the whole
    return title in head_lines(whole)


def _added_prose(view: RunText, added: np.ndarray) -> np.ndarray:
    """Which of a text's passages are added prose: only the added ones are read (the balance
    reads no other), a few a pair rather than every passage of every text."""
    out = np.zeros(len(added), dtype=bool)
    rows = np.flatnonzero(added)
    if len(rows):
        out[rows] = prose(view.text, view.passages[rows])
    return out


def changed_stretches(spans: np.ndarray, changes: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Where two texts' copied runs leave words out on both sides (``[a_start, a_end, b_start,
    b_end]``): the ``changes`` inside the copied passages, and the stretch between two
    passages that follow each other in both texts.

    >>> spans = np.array([[0, 10, 0, 10], [30, 50, 25, 45], [60, 70, 5, 9]])
    >>> changed_stretches(spans, np.array([[40, 42, 35, 38]]))
    [(40, 42, 35, 38), (10, 30, 10, 25)]
    """
    out = [(int(a0), int(a1), int(b0), int(b1)) for a0, a1, b0, b1 in changes.tolist()]
    order = np.argsort(spans[:, 0], kind="stable")
    for r, s in zip(order[:-1].tolist(), order[1:].tolist(), strict=True):
        if spans[s, 0] > spans[r, 1] and spans[s, 2] > spans[r, 3]:
            out.append((int(spans[r, 1]), int(spans[s, 0]), int(spans[r, 3]), int(spans[s, 2])))
    return out


def derivation_balance(
    copied: np.ndarray, units: np.ndarray, added: np.ndarray, is_prose: np.ndarray
) -> float:
    """What one text of a pair holds that the other dropped, less what it adds, in characters
    of prose: the canonical choice's reading of which text derives from which.

    Copies add prose at the edges of what they copy (a local intro, an outro, comments, teasers,
    a cookie notice) and insert short things inside it (headings, captions, one-line boxes);
    they drop whole paragraphs from inside it (a listicle keeps most of the article, a shortened
    syndication). So an added prose passage before the first or after the last copied passage,
    or a short one inside, counts as added (minus its length); a prose passage of at least
    ``DROPPED_CHARS`` inside the copied text (from the first to the last copied passage at least
    that long and a quarter of the longest) counts as text the other dropped (plus its length).
    Passages that are not prose (headlines, bylines, date lines, navigation, credits) count
    neither way: every page has its own.

    >>> units = np.array([[0, 30], [31, 200], [201, 400], [401, 560], [561, 600]])
    >>> copied = np.array([[31, 200], [401, 560]])  # around an added paragraph
    >>> added, is_prose = np.array([1, 0, 1, 0, 1], bool), np.array([0, 1, 1, 1, 1], bool)
    >>> derivation_balance(copied, units, added, is_prose)  # 199 dropped by the other, 39 added
    160.0
    >>> # comments (150) appended after the article, then a footer line both sites share (130):
    >>> # the footer is under a quarter of the article, so the comments are still at the edge
    >>> units = np.array([[0, 1000], [1001, 1151], [1152, 1282]])
    >>> copied = np.array([[0, 1000], [1152, 1282]])
    >>> derivation_balance(copied, units, np.array([0, 1, 0], bool), np.ones(3, bool))
    -150.0
    """
    # the copied text: its copied passages of a paragraph or more and at least a quarter of the
    # longest (a headline, a consent notice or a footer that two sites happen to have alike
    # does not stretch it)
    if not len(copied):
        return 0.0
    spans = copied.tolist()  # a few passages: plain lists beat numpy's per-call cost here
    floor = max(DROPPED_CHARS, max(end - start for start, end in spans) // 4)
    kept = [(start, end) for start, end in spans if end - start >= floor]
    if not kept:
        return 0.0
    lo, hi = min(start for start, _ in kept), max(end for _, end in kept)
    total = 0.0
    for start, end in units[added & is_prose].tolist():
        length = end - start
        inside = start >= lo and end <= hi
        total += length if inside and length >= DROPPED_CHARS else -length
    return total


def line_states(group: np.ndarray, has_line: np.ndarray) -> np.ndarray:
    """For each document, whether the members of its exact-copy group (``group``: each
    document's representative) show a date line: 0 none, 1 all, 2 some (a copy whose line
    breaks were flattened shows no line where its twin does). :func:`pair_evidence` reads the
    heads of a pair unless both sides are all lined or both unlined.

    >>> line_states(np.array([0, 1, 0, 3]), np.array([True, False, False, True])).tolist()
    [2, 0, 2, 1]
    """
    group = np.asarray(group, dtype=np.int64)
    has_line = np.asarray(has_line, dtype=bool)
    some = np.zeros(len(group), dtype=bool)
    every = np.ones(len(group), dtype=bool)
    np.logical_or.at(some, group, has_line)
    np.logical_and.at(every, group, has_line)
    return np.where(every[group], 1, np.where(some[group], 2, 0)).astype(np.int8)


def _owned(view: RunText) -> RunText:
    """A view with arrays of its own (not slices of its batch's)."""
    return replace(view, **{name: getattr(view, name).copy() for name in _FIELDS})


def pair_evidence(
    views: Iterable[list[tuple[int, RunText]]],
    pairs: np.ndarray,
    balanced: np.ndarray | None = None,
    lined: np.ndarray | None = None,
    own: bool = False,
) -> Iterator[tuple[int, RunEvidence]]:
    """The run evidence of every pair ``(a, b)`` of document indices, from one pass over the
    documents (``views``: batches of ``(index, RunText)`` in increasing index order, as the
    inputs are read again; an index seen before is ignored): yields ``(row, evidence)`` as soon
    as both documents of a pair have been read. A document is kept only until its last pair is
    done, so memory holds the documents whose partners come later in the inputs, not the
    corpus. ``balanced`` marks the pairs that get a derivation balance (the joining ones: only
    they are read by the canonical choice); all where not given. ``lined`` gives each
    document's :func:`line_states` (whether its group shows a date line,
    :func:`reprints.text.dates.text_date`): the heads are read only for pairs where the line
    can tell the two apart (all pairs where not given). ``own``: the views are slices of their
    batch (:func:`unpack_views` without ``copy``); a document still waiting for a partner when
    its batch is done gets copies of its own, so no batch outlives its pairs.

    >>> texts = ["a b c d e f", "x y", "a b c d e f g"]
    >>> views = [list(enumerate(run_texts(texts, 5)))]
    >>> [(row, len(ev["aligned"])) for row, ev in pair_evidence(views, np.array([[0, 2]]))]
    [(0, 1)]
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return
    later = pairs.max(axis=1)
    rows_by_later = np.argsort(later, kind="stable")
    ready_at = later[rows_by_later]
    last_use = np.zeros(int(pairs.max()) + 1, dtype=np.int64)
    np.maximum.at(last_use, pairs[:, 0], later)
    np.maximum.at(last_use, pairs[:, 1], later)
    held: dict[int, RunText] = {}
    heads = _Heads(held)  # read once a document, for its first pair that needs it

    done = 0
    seen = -1
    loop = runs_loop()
    for batch in views:
        fresh = [(i, v) for i, v in batch if i > seen]
        if not fresh:
            continue
        held.update(fresh)
        seen = fresh[-1][0]
        upto = int(np.searchsorted(ready_at, seen, side="right"))
        for row in rows_by_later[done:upto].tolist():
            a, b = pairs[row].tolist()
            weigh = balanced is None or bool(balanced[row])
            yield row, _one(held, heads, a, b, weigh, lined, loop)
        done = upto
        for i in [i for i in held if last_use[i] <= seen]:
            del held[i]
            heads.read.pop(i, None)
        if own:
            for i, _ in fresh:
                if i in held:
                    held[i] = _owned(held[i])


class _Heads:
    """Each document's head (:func:`reprints.text.dates.page_head`), read once, on demand."""

    def __init__(self, views: Mapping[int, RunText]) -> None:
        self.views = views
        self.read: dict[int, PageHead] = {}

    def __call__(self, i: int) -> PageHead:
        if i not in self.read:
            self.read[i] = page_head(self.views[i].text)
        return self.read[i]


def _one(
    views: Mapping[int, RunText],
    head: Callable[[int], PageHead],
    a: int,
    b: int,
    weigh: bool,
    lined: np.ndarray | None,
    loop: RunsLoop,
) -> RunEvidence:
    """The run evidence of documents ``a`` and ``b``; their heads are read only where a date
    line can tell them apart (:func:`pair_evidence`)."""
    read = weigh and (lined is None or lined[a] != lined[b] or lined[a] == 2)
    pages = (head(a), head(b)) if read else None
    return run_evidence(views[a], views[b], loop, weigh, pages)


def task_evidence(
    views: Mapping[int, RunText],
    pairs: np.ndarray,
    balanced: np.ndarray | None = None,
    lined: Mapping[int, int] | np.ndarray | None = None,
) -> list[RunEvidence]:
    """The run evidence of every pair ``(a, b)`` of documents whose views are all at hand (one
    task of :func:`pair_tasks`): the same as :func:`pair_evidence` gives them. ``lined``: the
    :func:`line_states` of the task's documents (by index).

    >>> texts = ["a b c d e f", "x y", "a b c d e f g"]
    >>> views = dict(enumerate(run_texts(texts, 5)))
    >>> [len(ev["aligned"]) for ev in task_evidence(views, np.array([[0, 2], [0, 1]]))]
    [1, 0]
    """
    heads = _Heads(views)
    loop = runs_loop()
    rows = np.asarray(pairs, dtype=np.int64).reshape(-1, 2).tolist()
    weighs = [True] * len(rows) if balanced is None else np.asarray(balanced, bool).tolist()
    return [
        _one(views, heads, a, b, weigh, lined, loop)  # type: ignore[arg-type]
        for (a, b), weigh in zip(rows, weighs, strict=True)
    ]


TASK_PAIRS = 1024
"""Pairs packed into one evidence task (small groups together, a task of work for a worker)."""
TASK_DOCUMENTS = 2048
"""Documents a task reads at most: a group of more is cut in blocks of documents."""


def pair_tasks(
    pairs: np.ndarray, most: int | None = None, most_docs: int | None = None
) -> list[np.ndarray]:
    """The rows of ``pairs`` (``(m, 2)`` document indices) in tasks that can each be done on
    their own (:func:`task_evidence`). The pairs of connected documents go together, so that a
    document is read and tokenised once: small groups packed up to ``most`` pairs a task
    (:data:`TASK_PAIRS`), a group of any number of pairs over at most ``most_docs`` documents
    (:data:`TASK_DOCUMENTS`) whole. A larger group (a
    hub with thousands of copies) is cut in blocks of ``most_docs // 2`` documents, one task
    for each two blocks its pairs join: every task reads at most ``most_docs`` documents, and
    a document is read once for each block it meets. Deterministic: the tasks follow the
    documents' order, whatever the number of workers that do them.

    >>> [t.tolist() for t in pair_tasks(np.array([[0, 5], [1, 2], [5, 7], [2, 3]]), most=2)]
    [[0, 2], [1, 3]]
    >>> star = np.array([[0, k] for k in range(1, 9)])  # 9 documents over blocks of 2
    >>> [t.tolist() for t in pair_tasks(star, most_docs=4)]
    [[0], [1, 2], [3, 4], [5, 6], [7]]
    """
    most = TASK_PAIRS if most is None else most
    most_docs = TASK_DOCUMENTS if most_docs is None else most_docs
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return []
    docs, local = np.unique(pairs, return_inverse=True)
    local = local.reshape(-1, 2)
    roots = components(len(docs), local)
    sizes = np.bincount(roots, minlength=len(docs))  # documents in each group, by its root
    group = roots[local[:, 0]]
    order = np.argsort(group, kind="stable")
    cuts = np.flatnonzero(np.diff(group[order])) + 1
    tasks: list[np.ndarray] = []
    current: list[np.ndarray] = []
    size = 0
    for rows in np.split(order, cuts):
        whole = sizes[group[rows[0]]] <= most_docs
        if size and (size + len(rows) > most or not whole or len(rows) > most):
            tasks.append(np.concatenate(current))
            current, size = [], 0
        if not whole:
            tasks.extend(_blocks(local[rows], rows, max(1, most_docs // 2)))
        elif len(rows) > most:
            tasks.append(rows)
        else:
            current.append(rows)
            size += len(rows)
    if current:
        tasks.append(np.concatenate(current))
    return tasks


def components(n: int, edges: np.ndarray) -> np.ndarray:
    """Each of ``n`` nodes' component, named by its smallest node, over ``edges`` (``(m, 2)``):
    :func:`components_loop`, compiled where numba is installed and in use.

    >>> components(6, np.array([[4, 1], [1, 3], [5, 2]])).tolist()
    [0, 1, 2, 1, 1, 2]
    """
    compiled = compiled_module("evidence._compiled")
    loop = compiled.components if compiled is not None else components_loop
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    return loop(n, edges[:, 0].copy(), edges[:, 1].copy())  # type: ignore[no-any-return]


def components_loop(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Union-find over the edges ``(a[k], b[k])``: the larger of two roots is put under the
    smaller, so each component's root is its smallest node."""
    parent = np.arange(n, dtype=np.int64)
    for k in range(len(a)):
        x = a[k]
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        y = b[k]
        while parent[y] != y:
            parent[y] = parent[parent[y]]
            y = parent[y]
        if x < y:
            parent[y] = x
        elif y < x:
            parent[x] = y
    out = np.empty(n, dtype=np.int64)
    for x in range(n):
        r = x
        while parent[r] != r:
            r = parent[r]
        out[x] = r
    return out


def _blocks(local: np.ndarray, rows: np.ndarray, width: int) -> list[np.ndarray]:
    """The ``rows`` of one large group by the two blocks of ``width`` documents their pairs
    join (the group's documents in index order)."""
    members, rank = np.unique(local, return_inverse=True)
    block = rank.reshape(-1, 2) // width
    key = np.minimum(block[:, 0], block[:, 1]) * (len(members) // width + 1) + np.maximum(
        block[:, 0], block[:, 1]
    )
    order = np.argsort(key, kind="stable")
    cuts = np.flatnonzero(np.diff(key[order])) + 1
    return [rows[part] for part in np.split(order, cuts)]


def pack_evidence(evidence: list[RunEvidence]) -> tuple[np.ndarray, ...]:
    """A list of evidence as a few flat arrays, to cross a process boundary cheaply;
    :func:`unpack_evidence` undoes it."""
    data = [ev.data for ev in evidence]
    scores = [ev.scores for ev in evidence]
    return (
        np.cumsum([0] + [len(d) for d in data], dtype=np.int64),
        np.concatenate(data) if data else np.empty(0, np.int32),
        np.cumsum([0] + [len(x) for x in scores], dtype=np.int64),
        np.concatenate(scores) if scores else np.empty(0, np.float64),
        np.array([ev.balance for ev in evidence], dtype=np.float64).reshape(-1, 2),
        np.array([ev.garbled for ev in evidence], dtype=np.int64).reshape(-1, 2),
        np.array([ev.heads for ev in evidence], dtype=bool).reshape(-1, 2),
        np.array([ev.headed for ev in evidence], dtype=bool).reshape(-1, 2),
    )


def unpack_evidence(packed: tuple[np.ndarray, ...]) -> list[RunEvidence]:
    """The evidence of :func:`pack_evidence` again (its arrays are slices of the packed ones).

    >>> views = dict(enumerate(run_texts(["a b c d e f", "a b c d e f g"], 5)))
    >>> ev = task_evidence(views, np.array([[0, 1]]))
    >>> [dict(x) == dict(y) for x, y in zip(ev, unpack_evidence(pack_evidence(ev)))]
    [True]
    """
    data_at, data, score_at, scores, balance, garbled, heads, headed = packed
    d, q = data_at.tolist(), score_at.tolist()
    return [
        RunEvidence(
            data[d[k] : d[k + 1]], scores[q[k] : q[k + 1]], tuple(w), tuple(g), tuple(h), tuple(x)
        )
        for k, (w, g, h, x) in enumerate(
            zip(balance.tolist(), garbled.tolist(), heads.tolist(), headed.tolist(), strict=True)
        )
    ]


def text_views(
    stream: Iterable[tuple[int, str]],
    wanted: np.ndarray,
    k: int,
    boilerplate: Callable[[int], np.ndarray | None],
    batch: int = 1024,
) -> Iterator[list[tuple[int, RunText]]]:
    """Batches of ``(index, RunText)`` of the ``wanted`` documents (a boolean mask over
    indices) of a stream of ``(index, text)``: one process's way of feeding
    :func:`pair_evidence`."""
    chunk: list[tuple[int, str]] = []
    for index, text in stream:
        if index < len(wanted) and wanted[index]:
            chunk.append((index, text))
            if len(chunk) >= batch:
                yield views_of(chunk, k, boilerplate)
                chunk = []
    if chunk:
        yield views_of(chunk, k, boilerplate)


def views_of(
    docs: list[tuple[int, str]], k: int, boilerplate: Callable[[int], np.ndarray | None]
) -> list[tuple[int, RunText]]:
    """``(index, RunText)`` of each ``(index, text)``."""
    indices = [i for i, _ in docs]
    views = run_texts([t for _, t in docs], k, [boilerplate(i) for i in indices])
    return list(zip(indices, views, strict=True))


_FIELDS = ("keys", "order", "start", "end", "passages", "boilerplate", "boiler_spans")


def pack_views(views: list[tuple[int, RunText]]) -> tuple[np.ndarray, ...]:
    """A batch of views as a few flat arrays, to cross a process boundary cheaply (pickling
    thousands of small arrays costs more than computing them): the indices, then each field's
    values concatenated and its offsets, then the texts. :func:`unpack_views` undoes it.

    >>> views = views_of([(4, "one two three four five six"), (7, "a b")], 5, lambda i: None)
    >>> again = unpack_views(pack_views(views))
    >>> [(i, v.start.tolist(), v.text) for i, v in again]
    [(4, [0, 4], 'one two three four five six'), (7, [0], 'a b')]
    """
    out: list[np.ndarray] = [np.array([i for i, _ in views], dtype=np.int64)]
    for name in _FIELDS:
        parts = [getattr(view, name) for _, view in views]
        sizes = np.array([len(p) for p in parts], dtype=np.int64)
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        out.append(offsets)
        out.append(np.concatenate(parts) if parts else np.empty(0))
    texts = np.empty(len(views), dtype=object)
    texts[:] = [view.text for _, view in views]
    out.append(texts)
    return tuple(out)


def unpack_views(packed: tuple[np.ndarray, ...], copy: bool = True) -> list[tuple[int, RunText]]:
    """The views of :func:`pack_views` again. With ``copy`` each view gets its own copies: a
    slice would keep its whole batch alive for as long as any one document of it waits for a
    partner. Without, the views are slices, and :func:`pair_evidence` (``own``) copies only
    the documents that outlive their batch."""
    indices, arrays, texts = packed[0], packed[1:-1], packed[-1]
    columns = [
        [
            values[offsets[k] : offsets[k + 1]].copy()
            if copy
            else values[offsets[k] : offsets[k + 1]]
            for k in range(len(indices))
        ]
        for offsets, values in zip(arrays[0::2], arrays[1::2], strict=True)
    ]
    return [
        (int(index), RunText(*(column[k] for column in columns), str(texts[k])))
        for k, index in enumerate(indices.tolist())
    ]
