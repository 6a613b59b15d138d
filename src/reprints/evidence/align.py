"""Passage alignment of two texts: which passages of one are reworded, copied or absent in
the other.

The lexical signal of the rewrite level. Each passage (:mod:`reprints.text.passages`) becomes a
vector of character 4-grams of its normalised text (case folded, punctuation as spaces), weighted
by TF-IDF over the passages of both texts: robust to rewording and inflection, and names, numbers
and dates survive it. Two passages are *aligned* when

- their cosine is at least ``min_similarity``, and
- it stands out among each one's neighbours: the ratio of the cosine to the mean of the two
  passages' ``k`` best cosines is at least ``min_margin`` (the ratio margin of bitext mining,
  Artetxe & Schwenk 2019), or it is a copy (``copy_similarity``). A different article about the
  same event shares names and numbers with every passage of the other about equally, so none of
  its cosines stands out.

Pairs are taken best first, each passage at most once. A pair is a ``copy`` from ``copy_similarity``
up, ``reworded`` below. The document-level decision never rests on one cosine: it needs
``min_aligned`` aligned passages, mostly in the same order, covering most of one of the texts
(:func:`decide`). No model, no download. Texts in two languages (:func:`two_languages`) are
aligned on multilingual sentence embeddings instead (:mod:`reprints.evidence.embed`), read
relative to the pair (:func:`relative_cosines`), with the same margin and decision.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from reprints.evidence.embed import Embedder, language_code
from reprints.sketch.kernel import unmangle
from reprints.sketch.markup import unmarked
from reprints.text.passages import passages, sentences

NGRAM = 4
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class AlignConfig:
    """Thresholds of the lexical aligner (set on the seeds and the rewrites dev split)."""

    min_similarity: float = 0.3
    """Cosine of character 4-gram TF-IDF below which two passages are never aligned."""
    min_margin: float = 1.3
    """Cosine over the mean of the two passages' best ``margin_k`` cosines."""
    margin_k: int = 4
    """Neighbours in the margin."""
    copy_similarity: float = 0.85
    """From this cosine an aligned pair is a ``copy``, below it ``reworded``."""
    min_embedding_similarity: float = 0.4
    """Relative embedding cosine (:func:`relative_cosines`: over the pair's median, in shares of
    the way to 1) below which two passages are no evidence of each other. On the `rewrites` dev
    split and the hand-made `benchmarks/multilingual` set, translated passages stand at
    0.4-0.8 with USE and e5 alike, passages of two stories on one topic under 0.25."""
    other_language: float = 0.04
    """Whole-text character 4-gram cosine under which two texts are in different languages
    where their languages are not both known (:func:`two_languages`; measured on the dev
    splits: translations 0.00-0.03 for most, unrelated texts in one language 0.06-0.5 for nine
    in ten). Only in two languages do embeddings decide: within one language words do, and
    embeddings would mistake the same topic for the same text."""
    one_language: float = 0.25
    """Whole-text character 4-gram cosine from which two texts are read as one language whatever
    their languages are said to be: a wrong ``lang`` field must not send two texts that share
    words to the embeddings. Translations reach 0.195 on `rewrites` dev (0.06 on
    `benchmarks/multilingual`); two languages close enough to pass it (Spanish, Portuguese) align
    on words."""
    min_aligned: int = 3
    """Aligned passages a rewrite needs."""
    min_order: float = 0.8
    """Share of the aligned pairs in the same order in both texts (longest increasing run).
    0.6 let two short reports of one event through on the events and rewrites dev splits (three
    aligned lines, one out of order); 0.8 did not, and kept every rewrite of the seeds."""
    min_coverage: float = 0.5
    """Share of one text's characters its aligned passages must cover."""
    close_similarity: float = 0.5
    """From this cosine a reworded sentence is *closely* reworded: it keeps most of its source
    sentence's words and names. Sentences of two texts written apart on one topic share its
    vocabulary (0.3-0.45 on the dev splits: `events`, `rewrites`, the `reuse` answers written
    without the source); three closely reworded ones in order never came apart there."""
    min_close_coverage: float = 0.3
    """Share of one text that the alignment holding ``min_aligned`` closely reworded
    sentences must cover, all its aligned sentences counted: three sentences of a long
    text are no derivation of it. Meant to stay under ``copy_similarity``."""
    min_whole_coverage: float = 0.8
    """Share of one text that a run of aligned sentences in order covers, from which copied and
    reworded sentences count alike (``min_aligned`` of them, one *closely* reworded at least:
    two forecasts sharing two template lines and a third loosely alike are not) and a
    sentence moved out of order elsewhere does not undo it (``min_order`` not asked): nearly all
    of it was written from the other (a short answer that copies one sentence of its source,
    rewords two and puts one first)."""


@dataclass(frozen=True, slots=True)
class Aligned:
    """One aligned passage pair, in character offsets of the two original texts."""

    a: tuple[int, int]
    b: tuple[int, int]
    score: float
    kind: str  # "copy" | "reworded" | "translated"

    def to_dict(self) -> dict[str, object]:
        return {
            "a": list(self.a),
            "b": list(self.b),
            "score": round(self.score, 4),
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class Alignment:
    """The passage alignment of texts ``a`` and ``b`` and its document-level figures."""

    aligned: list[Aligned]
    added_in_a: list[tuple[int, int]]
    added_in_b: list[tuple[int, int]]
    coverage_a: float  # share of a's passage characters that are aligned
    coverage_b: float
    order: float  # share of the aligned pairs in the same order in both texts
    translated: bool = False  # two languages: aligned on embeddings, every pair ``translated``
    # passages of a and of b left out as boilerplate (recurring page furniture)
    boilerplate: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
    # "passage": paragraphs paired one to one (:func:`align`); "sentence": a chain of sentences
    # in order, where one sentence may stand for several of the other text (:func:`align_sentences`)
    unit: str = "passage"


def evidence(alignment: Alignment) -> dict[str, object]:
    """The alignment as the evidence fields of a pair (``pairs.jsonl``): offsets into a and b."""
    return {
        "aligned": [x.to_dict() for x in alignment.aligned],
        "added_in_a": [list(s) for s in alignment.added_in_a],
        "added_in_b": [list(s) for s in alignment.added_in_b],
        "boilerplate": {
            "a": [list(s) for s in alignment.boilerplate[0]],
            "b": [list(s) for s in alignment.boilerplate[1]],
        },
        "unit": alignment.unit,
    }


def swapped(fields: dict[str, object]) -> dict[str, object]:
    """The same evidence seen from the other side (b as a).

    >>> swapped({"aligned": [{"a": [0, 1], "b": [5, 6]}], "added_in_a": [[2, 3]],
    ...          "added_in_b": [], "boilerplate": {"a": [], "b": [[9, 10]]}})["boilerplate"]
    {'a': [[9, 10]], 'b': []}
    """
    own = getattr(fields, "swapped", None)
    if callable(own):  # a compact form that swaps itself (evidence.runs.RunEvidence)
        return own()  # type: ignore[no-any-return]
    out = dict(fields)
    out["aligned"] = [{**x, "a": x["b"], "b": x["a"]} for x in fields["aligned"]]  # type: ignore[attr-defined]
    out["added_in_a"], out["added_in_b"] = fields["added_in_b"], fields["added_in_a"]
    for name in ("boilerplate", "lang"):  # {"a": ..., "b": ...} fields
        if name in fields:
            side = fields[name]
            out[name] = {"a": side["b"], "b": side["a"]}  # type: ignore[index]
    return out


def normalise(text: str) -> str:
    """Case folded, compatibility-normalised, every run of non-word characters one space.

    >>> normalise("The U.S.-Iran  ROW, 2019!")
    ' the u s iran row 2019 '
    """
    folded = unicodedata.normalize("NFKC", unmangle(text)).casefold()
    return " " + _NON_WORD.sub(" ", folded).strip() + " "


def _ngram_codes(text: str, n: int = NGRAM) -> np.ndarray:
    """Stable 64-bit hashes of the character ``n``-grams of ``normalise(text)``, and of its Han
    characters one by one.

    A Chinese character (or a Japanese kanji) is about a word: two translations of one report
    into Chinese share its characters far more than its runs of four (cosines 0.35-0.8 between
    the paragraphs that say the same, 0.05-0.3 between the others, against 0.05-0.4 for all by
    4-grams). So a Han character counts alone, and the ``n``-grams are those of the rest: windows
    holding a Han character are left out. A text with none gets the same codes as before.

    >>> len(_ngram_codes("abcdef")), len(_ngram_codes("电池工厂"))
    (5, 4)
    """
    cps = np.frombuffer(normalise(text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cps) < n:
        cps = np.concatenate([cps, np.zeros(n - len(cps), dtype=np.uint64)])
    h = np.zeros(len(cps) - n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(n):
            h = h * np.uint64(0x100000001B3) + cps[i : len(cps) - n + 1 + i]
    han = ((cps >= 0x3400) & (cps <= 0x4DBF)) | ((cps >= 0x4E00) & (cps <= 0x9FFF))
    if not han.any():
        return h
    in_window = np.convolve(han.astype(np.int64), np.ones(n, dtype=np.int64), mode="valid") > 0
    return np.concatenate([h[~in_window], cps[han] ^ _HAN_SALT])


_HAN_SALT = np.uint64(0x9E3779B97F4A7C15)
"""Sets a Han character's code apart from the ``n``-gram hashes."""


@lru_cache(maxsize=1 << 14)
def _ngram_counts(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``_ngram_codes`` of a passage and how often each occurs (kept for the
    passages a document shares with its other candidate pairs)."""
    unique, counts = np.unique(_ngram_codes(text), return_counts=True)
    unique.flags.writeable = counts.flags.writeable = False
    return unique, counts


def similarity(texts_a: list[str], texts_b: list[str]) -> np.ndarray:
    """Cosine matrix ``(len(texts_a), len(texts_b))`` of character 4-gram TF-IDF vectors, the
    document frequencies counted over the passages of both sides."""
    rows = texts_a + texts_b
    grams = [_ngram_counts(t) for t in rows]
    owner = np.repeat(np.arange(len(rows)), [len(u) for u, _ in grams])
    flat = np.concatenate([u for u, _ in grams]) if grams else np.zeros(0, dtype=np.uint64)
    counts = np.concatenate([c for _, c in grams]) if grams else np.zeros(0, dtype=np.int64)
    vocab, column = np.unique(flat, return_inverse=True)
    df = np.bincount(column, minlength=len(vocab))
    idf = np.log((1.0 + len(rows)) / (1.0 + df)) + 1.0
    vectors = np.zeros((len(rows), len(vocab)), dtype=np.float64)
    vectors[owner, column] = (1.0 + np.log(counts.astype(np.float64))) * idf[column]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.maximum(norms, 1e-12)
    return vectors[: len(texts_a)] @ vectors[len(texts_a) :].T


def _top_mean(matrix: np.ndarray, k: int, axis: int) -> np.ndarray:
    if matrix.shape[axis] == 0:
        return np.zeros(matrix.shape[1 - axis])
    k = min(k, matrix.shape[axis])
    part = -np.partition(-matrix, k - 1, axis=axis)
    return part.take(range(k), axis=axis).mean(axis=axis)


def passage_key(passage: str) -> int:
    """A stable key of a passage's normalised text: the same line on two pages, the same key.

    >>> passage_key("Sign in | Subscribe") == passage_key("SIGN IN  subscribe!")
    True
    """
    return zlib.crc32(normalise(passage).encode("utf-8"))


Boilerplate = frozenset[int] | tuple[frozenset[int], frozenset[int]]
"""Keys (:func:`passage_key`) of the passages left out as boilerplate: one set for both texts,
or one for each (``a``'s, ``b``'s) where what is furniture depends on the document."""


def _sides(boilerplate: Boilerplate) -> tuple[frozenset[int], frozenset[int]]:
    return boilerplate if isinstance(boilerplate, tuple) else (boilerplate, boilerplate)


def _split(
    text: str, boilerplate: frozenset[int]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """A text's passages, and those of them that are boilerplate, apart."""
    kept: list[tuple[int, int]] = []
    left_out: list[tuple[int, int]] = []
    for span in passages(text):
        is_boiler = bool(boilerplate) and passage_key(text[span[0] : span[1]]) in boilerplate
        (left_out if is_boiler else kept).append(span)
    return kept, left_out


_NUMBER = re.compile(r"\d+(?:[,.'\u00a0\u202f]\d{3})*(?:[.,]\d+)?")
MIN_FACTS = 2
"""Numbers each of two units must state before differing numbers keep them apart: one figure
can be written otherwise (a date as ``24.4.`` or ``April 24``, a time as ``12.30`` or
``12:30``, a rounded ``nearly 1,500``), two figures none of which is kept are another story."""


@lru_cache(maxsize=1 << 14)
def numbers(text: str) -> frozenset[str]:
    """The numbers a text states, as their significant digits in ASCII: separators, decimal
    marks and trailing zeros dropped, digits of any script read as their values, so that
    ``1,500``, ``1500``, ``１５００`` and ``1,5`` (thousand) are one number in any language, and
    ``€185,000`` is the ``€185 тысяч`` it translates.

    >>> sorted(numbers("1,500 evacuated on 24 April 2020, 7.9% of 07 blocks, ١٥٠٠"))
    ['15', '202', '24', '7', '79']
    """
    return frozenset(
        "".join(str(unicodedata.decimal(ch)) for ch in m.group() if ch.isdecimal()).strip("0")
        or "0"
        for m in _NUMBER.finditer(text)
    )


def _agree(a: str, b: str) -> bool:
    """One number, maybe written with more or fewer digits (``24.4.`` for 24 April, ``12.30``
    for 12:30): equal, or one starts with the other's two or more digits."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return short == long or (len(short) >= 2 and long.startswith(short))


def facts_differ(texts_a: list[str], texts_b: list[str], candidates: np.ndarray) -> np.ndarray:
    """For each candidate unit pair ``(i, j)`` (rows of ``candidates``), whether the two state
    ``MIN_FACTS`` numbers or more each and none of them agree: a rewording or a translation
    keeps the facts it rewords (numbers, dates survive both), so such a pair is one sentence
    frame with other facts, two stories written from one template ("Revenue rose to 765,000 in
    the 3 months to February" against "... to 7.9 billion in the 11 months to August")."""

    def differ(a: frozenset[str], b: frozenset[str]) -> bool:
        if len(a) < MIN_FACTS or len(b) < MIN_FACTS or not a.isdisjoint(b):
            return False
        return not any(_agree(x, y) for x in a for y in b)

    # ``numbers`` is cached: a passage recurs in each candidate pair of its document
    return np.array(
        [differ(numbers(texts_a[i]), numbers(texts_b[j])) for i, j in candidates.tolist()],
        dtype=bool,
    )


def _linkable(
    sim: np.ndarray,
    lexical: np.ndarray,
    config: AlignConfig,
    texts: tuple[list[str], list[str]] | None = None,
) -> np.ndarray:
    """Which unit pairs may be aligned: a cosine from ``min_similarity`` that stands out by the
    ratio margin over the two units' ``margin_k`` best (bitext mining), or a copy (``lexical``
    from ``copy_similarity``), which aligns whatever its neighbours (a one-line text and itself:
    margin 1). With the units' ``texts``, a pair short of a copy whose numbers differ
    (:func:`facts_differ`) is not linked."""
    row = _top_mean(sim, config.margin_k, axis=1)
    col = _top_mean(sim, config.margin_k, axis=0)
    margin = sim / np.maximum((row[:, None] + col[None, :]) / 2.0, 1e-12)
    copy = lexical >= config.copy_similarity
    ok = (sim >= config.min_similarity) & ((margin >= config.min_margin) | copy)
    if texts is not None:
        reworded = np.argwhere(ok & ~copy)
        if len(reworded):
            differ = facts_differ(texts[0], texts[1], reworded)
            ok[reworded[differ, 0], reworded[differ, 1]] = False
    return ok


def relative_cosines(cosines: np.ndarray) -> np.ndarray:
    """Embedding cosines of two texts' passages as how far each stands above the pair's median
    cosine, in shares of the way from it to 1: ``(c - m) / (1 - m)``.

    Most passage pairs of two texts are not each other's translation, so the median is what the
    embedder gives two passages of these texts that say different things: about 0.1-0.3 for
    USE, 0.75-0.8 for e5, whose cosines are compressed. Read this way, most translated passages
    stand at 0.4-0.8 for both (some of e5's at 0.3-0.4, which a long translation survives: it
    needs three aligned in order), two stories on one topic under 0.25, and one floor serves
    every embedder. With under three passages on a side the median is no longer that of
    unrelated passages (a 1x1 matrix reads 0); no decision rests on it there, as a translation
    needs three aligned passages.

    >>> relative_cosines(np.array([[0.95, 0.8, 0.8], [0.8, 0.9, 0.8]])).round(2).tolist()
    [[0.75, 0.0, 0.0], [0.0, 0.5, 0.0]]
    """
    base = float(np.median(cosines)) if cosines.size else 0.0
    return (cosines - base) / max(1.0 - base, 1e-6)


def two_languages(
    texts_a: list[str],
    texts_b: list[str],
    languages: tuple[str | None, str | None],
    config: AlignConfig,
) -> bool:
    """Whether two texts are in different languages: by their ``languages`` where both are
    known (given by the input or detected, :mod:`reprints.text.lang`) and the texts share too
    few character 4-grams to be one language (under ``one_language``), else by that cosine
    alone (under ``other_language``). Two languages of one script share the names, numbers and
    loanwords of a story: a Czech or Icelandic translation of an English report reaches 0.06
    with it, and one dense with names more, which the cosine alone reads as one language."""
    lang_a, lang_b = (language_code(lang) for lang in languages)
    known = lang_a is not None and lang_b is not None
    if known and lang_a == lang_b:
        return False  # the common case: no whole-text vectors to build
    whole = similarity([" ".join(texts_a)], [" ".join(texts_b)])[0, 0]
    return bool(whole < (config.one_language if known else config.other_language))


def _share(spans: list[tuple[int, int]], got: set[int]) -> float:
    total = sum(e - s for s, e in spans)
    return sum(spans[i][1] - spans[i][0] for i in got) / total if total else 0.0


def align(
    text_a: str,
    text_b: str,
    config: AlignConfig | None = None,
    boilerplate: Boilerplate = frozenset(),
    embedder: Embedder | None = None,
    languages: tuple[str | None, str | None] = (None, None),
) -> Alignment:
    """Align the passages of two texts (see the module docstring). Passages whose
    :func:`passage_key` is in ``boilerplate`` (lines that recur across many pages: navigation,
    teasers of the day) are left out of the alignment and its coverage, and listed apart. With an
    ``embedder`` and texts in different languages (:func:`two_languages`), passages are compared by
    their embedding cosine (from ``min_embedding_similarity``) and aligned pairs are
    ``translated``.

    >>> a = "Storm hits the coast.\\nThousands lose power in the night.\\nSchools stay shut."
    >>> b = "A storm hit the coast on Monday.\\nSchools stay shut.\\nOur weather forecast."
    >>> result = align(a, b)
    >>> [(a[x.a[0]:x.a[1]], b[x.b[0]:x.b[1]], x.kind) for x in result.aligned]
    [('Storm hits the coast.', 'A storm hit the coast on Monday.', 'reworded'), \
('Schools stay shut.', 'Schools stay shut.', 'copy')]
    >>> [b[s:e] for s, e in result.added_in_b]
    ['Our weather forecast.']
    """
    config = config or AlignConfig()
    text_a, text_b = unmarked(text_a), unmarked(text_b)  # as shown: the same offsets
    left_out_a, left_out_b = _sides(boilerplate)
    spans_a, boiler_a = _split(text_a, left_out_a)
    spans_b, boiler_b = _split(text_b, left_out_b)
    texts_a = [text_a[s:e] for s, e in spans_a]
    texts_b = [text_b[s:e] for s, e in spans_b]
    lexical = similarity(texts_a, texts_b)
    sim = lexical
    translated = False
    if embedder is not None and lexical.size and two_languages(texts_a, texts_b, languages, config):
        translated = True
        semantic = relative_cosines(embedder.encode(texts_a) @ embedder.encode(texts_b).T)
        sim = np.where(semantic >= config.min_embedding_similarity, semantic, 0.0)
    aligned: list[Aligned] = []
    pairs: list[tuple[int, int]] = []
    if sim.size:
        ii, jj = np.nonzero(_linkable(sim, lexical, config, (texts_a, texts_b)))
        order = np.lexsort((jj, ii, -sim[ii, jj]))  # best first; ties in passage order
        used_a: set[int] = set()
        used_b: set[int] = set()
        for k in order.tolist():
            i, j = int(ii[k]), int(jj[k])
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
        pairs.sort()
        for i, j in pairs:
            s = float(sim[i, j])
            if translated:
                kind = "translated"
            elif s >= config.copy_similarity:
                kind = "copy"
            else:
                kind = "reworded"
            aligned.append(Aligned(spans_a[i], spans_b[j], s, kind))
    got_a = {i for i, _ in pairs}
    got_b = {j for _, j in pairs}
    order_share = len(_in_order([j for _, j in pairs])) / len(pairs) if pairs else 0.0  # j distinct
    return Alignment(
        aligned=aligned,
        added_in_a=[s for i, s in enumerate(spans_a) if i not in got_a],
        added_in_b=[s for j, s in enumerate(spans_b) if j not in got_b],
        coverage_a=_share(spans_a, got_a),
        coverage_b=_share(spans_b, got_b),
        order=order_share,
        translated=translated,
        boilerplate=(boiler_a, boiler_b),
    )


def _in_order(best: list[int]) -> list[int]:
    """Indices of a longest run of ``best`` that never goes back (a longest non-decreasing
    subsequence): consecutive sentences may derive from one sentence of the other text.

    >>> _in_order([0, 0, 5, 1, 2])
    [0, 1, 3, 4]
    """
    tails: list[int] = []  # tails[k]: the smallest value ending a run of length k + 1
    ends: list[int] = []  # the index holding it
    back = [-1] * len(best)
    for k, v in enumerate(best):
        at = bisect.bisect_right(tails, v)
        back[k] = ends[at - 1] if at else -1
        if at == len(tails):
            tails.append(v)
            ends.append(k)
        else:
            tails[at] = v
            ends[at] = k
    out: list[int] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        out.append(k)
        k = back[k]
    return out[::-1]


def align_sentences(
    text_a: str,
    text_b: str,
    config: AlignConfig | None = None,
    boilerplate: Boilerplate = frozenset(),
) -> Alignment:
    """Align two texts of one language sentence by sentence, where one was written from the
    other: a reworded text merges two sentences into one, splits one into two and reflows the
    paragraphs, which one-to-one paragraph pairs cannot follow (a student's answer rewritten from
    a source; a rewrite of a wire story).

    Each sentence of the derived text is linked to the sentence of the other that it stands out
    against (cosine from ``min_similarity``, ratio margin from ``min_margin``, as in
    :func:`align`); the alignment is the longest run of links that never goes back in the other
    text. Both directions are read (``b`` from ``a``, ``a`` from ``b``); the one covering more of
    its derived text is kept. ``order`` is the share of the links in that run.

    >>> a = "Storm hits the coast. Thousands lose power. Schools stay shut for a week."
    >>> b = ("A storm hit the coast and thousands lost power overnight. "
    ...      "All schools will stay shut for a week.")
    >>> result = align_sentences(a, b)
    >>> [(a[x.a[0]:x.a[1]][:12], b[x.b[0]:x.b[1]][:12]) for x in result.aligned]
    [('Storm hits t', 'A storm hit '), ('Schools stay', 'All schools ')]
    >>> round(result.coverage_b, 2), round(result.coverage_a, 2)
    (1.0, 0.7)
    """
    config = config or AlignConfig()
    text_a, text_b = unmarked(text_a), unmarked(text_b)  # as shown: the same offsets
    left_out_a, left_out_b = _sides(boilerplate)
    kept_a, boiler_a = _split(text_a, left_out_a)
    kept_b, boiler_b = _split(text_b, left_out_b)
    spans_a = [x for s, e in kept_a for x in sentences(text_a, s, e)]
    spans_b = [x for s, e in kept_b for x in sentences(text_b, s, e)]
    units = ([text_a[s:e] for s, e in spans_a], [text_b[s:e] for s, e in spans_b])
    sim = similarity(*units)
    best: tuple[float, list[tuple[int, int]], int] = (0.0, [], 0)
    if sim.size:
        ok = _linkable(sim, sim, config, units)
        for derived, matrix, valid, spans in (
            (1, sim.T, ok.T, spans_b),  # each sentence of b from one of a
            (0, sim, ok, spans_a),  # each sentence of a from one of b
        ):
            pick = matrix.argmax(axis=1)  # first best on ties: sentence order
            linked = [k for k in range(len(pick)) if valid[k, pick[k]]]
            run = [linked[k] for k in _in_order([int(pick[k]) for k in linked])]
            pairs = [(k, int(pick[k])) if derived == 0 else (int(pick[k]), k) for k in run]
            cover = _share(spans, set(run))
            if cover > best[0]:
                best = (cover, pairs, len(linked))
    _, chain, links = best
    aligned = [
        Aligned(
            spans_a[i],
            spans_b[j],
            float(sim[i, j]),
            "copy" if sim[i, j] >= config.copy_similarity else "reworded",
        )
        for i, j in chain
    ]
    got_a = {i for i, _ in chain}
    got_b = {j for _, j in chain}
    return Alignment(
        aligned=aligned,
        added_in_a=[s for i, s in enumerate(spans_a) if i not in got_a],
        added_in_b=[s for j, s in enumerate(spans_b) if j not in got_b],
        coverage_a=_share(spans_a, got_a),
        coverage_b=_share(spans_b, got_b),
        order=len(chain) / links if links else 0.0,
        boilerplate=(boiler_a, boiler_b),
        unit="sentence",
    )


def align_texts(
    text_a: str,
    text_b: str,
    config: AlignConfig | None = None,
    boilerplate: Boilerplate = frozenset(),
    embedder: Embedder | None = None,
    languages: tuple[str | None, str | None] = (None, None),
) -> Alignment:
    """The alignment the rewrite level decides on: paragraphs one to one (:func:`align`); where
    that is no rewrite and the texts are in one language, sentences in order
    (:func:`align_sentences`), which follow a rewrite that merged, split or reflowed them.
    ``languages``: the two texts' languages where known (see :func:`two_languages`)."""
    config = config or AlignConfig()
    result = align(text_a, text_b, config, boilerplate, embedder, languages)
    if decide(result, config) or result.translated:
        return result
    # two languages: with an embedder ``align`` told them apart already (``translated``)
    if embedder is None and two_languages([text_a], [text_b], languages, config):
        return result
    by_sentence = align_sentences(text_a, text_b, config, boilerplate)
    return by_sentence if decide(by_sentence, config) else result


def _distinct(aligned: list[Aligned]) -> int:
    """Distinct sentences on the side that has fewer: a sentence that stands for two
    sentences of the other text counts once."""
    return min(len({x.a for x in aligned}), len({x.b for x in aligned}))


def closely_reworded(alignment: Alignment, config: AlignConfig) -> list[Aligned]:
    """The aligned pairs reworded with most of their words kept (``close_similarity``)."""
    return [
        x for x in alignment.aligned if x.kind == "reworded" and x.score >= config.close_similarity
    ]


def decide(alignment: Alignment, config: AlignConfig | None = None) -> bool:
    """Whether an alignment is a rewrite: enough aligned passages, mostly in order, covering most
    of one of the texts. Never one cosine."""
    config = config or AlignConfig()
    if alignment.unit == "sentence":
        # as many distinct sentences on each side (a headline that several sentences of a report
        # on the same event each echo is one sentence), and as many of them reworded: sentences
        # copied word for word are shared passages, which the shingles measure already (an
        # outlet quoting a press release is `partial` to it, not its rewrite)
        reworded = [x for x in alignment.aligned if x.kind == "reworded"]
        close = closely_reworded(alignment, config)
        coverage = max(alignment.coverage_a, alignment.coverage_b)
        if _distinct(reworded) >= config.min_aligned and coverage >= config.min_coverage:
            return True
        # a heavy revision keeps the source's order of sentences, some of them close to their
        # source, and adds its own: three closely reworded sentences in order are derivation
        # where they make up a third of one text (texts written apart on one topic do not come
        # that close). Copied sentences do not count here either: with them, outlets that
        # quote a press release and paraphrase one line joined it (stress corpus, unseen draw)
        if (
            _distinct(close) >= config.min_aligned
            and alignment.order >= config.min_order
            and coverage >= config.min_close_coverage
        ):
            return True
        # nearly the whole of one text is a run of counterparts in the other, in order, some
        # copied and some closely reworded: it was written from the other whatever the mix
        # (copies alone are the shingles' to measure; a page that quotes a release and adds its
        # own intro and outro keeps more than a fifth of its own)
        return (
            bool(close)
            and _distinct(alignment.aligned) >= config.min_aligned
            and coverage >= config.min_whole_coverage
        )
    return (
        len(alignment.aligned) >= config.min_aligned
        and alignment.order >= config.min_order
        and max(alignment.coverage_a, alignment.coverage_b) >= config.min_coverage
    )
