"""The ``rewrite`` and ``translation`` relations: the same text reworded, or in another language.

Candidate source ``anchors``: documents that share many *anchor words* (words of four letters or
more, or with a digit, that occur in at most ``max_postings`` documents: names, places, numbers,
the story's own vocabulary). A rewrite keeps them while it changes every 5-gram around them.
Posting lists are bounded, so the cost grows with the corpus, not with its square; each document
keeps its ``max_candidates`` best candidates.

Candidate source ``neighbours`` (where an embedder is available, :mod:`.embed`): each document's
lead (its first passages) embedded and averaged; documents that are among each other's nearest
by the ratio margin of bitext mining (relative scores: multilingual vectors are not comparable
across language pairs) are candidates. This finds translations, which share no words.

Verifier ``passages``: the texts of the candidate documents are read again from the inputs
(``Workspace.texts``), passages that recur in ``min_df`` or more of them and far more often
than the document's own text (page furniture: a navigation line, the teasers of the day; not
the paragraphs of a widely reprinted release) are left out, the rest aligned
(:mod:`reprints.evidence.align`), and a pair is a ``rewrite`` when the alignment decides so
(aligned passages, in order, covering most of one text).
Pairs already related by shingles keep that stricter relation.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
import zlib
from collections import Counter
from functools import lru_cache

import numpy as np

from reprints.evidence.align import (
    AlignConfig,
    align_texts,
    decide,
    evidence,
    passage_key,
    swapped,
)
from reprints.evidence.embed import (
    CachedEmbedder,
    Embedder,
    has_embedder,
    language_code,
    load_embedder,
    pair_embedder,
    trained_languages,
)
from reprints.evidence.pairs import PairTable
from reprints.evidence.verifiers import Verified, register_verifier
from reprints.index.sources import Counters, Workspace, register_source
from reprints.index.vectors import EXACT_UP_TO, nearest
from reprints.relations import Relation
from reprints.sketch import charclass
from reprints.sketch.markup import unmarked
from reprints.text.lang import detect
from reprints.text.passages import passages

_WORD = re.compile(r"\w+")
MIN_ANCHORS = 8
"""Anchor words two documents must share to be a rewrite candidate."""
MIN_ANCHORS_UNREAD = 4
"""Anchor words two documents must share to be a candidate where one of them is in a language
the lead vectors' embedder was not trained on (USE: Czech, Hindi, Swahili, ...). Its
translations have no other way in: USE's vectors of such a text find nothing, and a translation
keeps only the story's names and numbers (four to seven of them for one in ten pairs of the
`rewrites` dev split's German-French translations). The pair's alignment (on e5, which reads
those languages) decides, as for every candidate."""
MAX_CANDIDATES = 20
"""Candidates kept per document (those sharing the rarest anchor words: :func:`anchor_counts`)."""


def anchor_words(text: str) -> np.ndarray:
    """Sorted unique 32-bit hashes of the words that can anchor a rewrite, accents folded and
    numbers read as values: a name keeps its letters across a translation but not always its
    accents (Horáková, Horakova), a number its value but not always its digits (२०२९, 2029), its
    thousands separator (1,200; 1 200; 1200) or a space from the word after it (2021年, 15일).

    >>> len(anchor_words("The BBC said 13 people died in Quang Binh, the BBC said."))
    6
    >>> (anchor_words("Jana Horáková") == anchor_words("JANA HORAKOVA")).all()
    np.True_
    >>> (anchor_words("२०२९ ١٥٠٠") == anchor_words("2029 1500")).all()
    np.True_
    >>> (anchor_words("Łódź Wałęsa Ørsted") == anchor_words("Lodz Walesa Orsted")).all()
    np.True_
    >>> same = anchor_words("1200").tolist()
    >>> [anchor_words(x).tolist() == same for x in ("1,200", "1 200", "１，２００", "١٬٢٠٠")]
    [True, True, True, True]
    >>> anchor_words("2021年3月15日").tolist() == anchor_words("15 3 2021").tolist()
    True
    >>> anchor_words("Norvolt周一").tolist() == anchor_words("Norvolt 周一").tolist()
    True
    >>> anchor_words("投资1,200亿元").tolist() == anchor_words("1200").tolist()
    True
    >>> len(anchor_words("हिन्दी भाषा"))  # vowel signs are marks: each word stays whole
    2
    """
    pattern = _TOKEN
    if not text.isascii():
        # a word keeps its marks (accents in either form, Devanagari and Thai vowel signs:
        # ``\w`` alone cuts हिन्दी at each), and a grouped number glued to Chinese or Japanese
        # text (投资1,200亿元) is made one number before the words are cut
        text, pattern = unicodedata.normalize("NFC", text), _token_with_marks()
        if _CJK.search(text):
            text = _GLUED_NUMBER.sub(lambda m: _NOT_DIGIT.sub("", m.group()), text)
    words: set[str] = set()
    for token in set(pattern.findall(text.casefold())):
        if token[0].isdigit() and not token.isalnum():  # 1,200 or 1 200: the number 1200
            token = _NOT_DIGIT.sub("", token)
        parts = [token] if token.isascii() else _DIGITS_APART.findall(token)
        words.update(w for w in parts if len(w) >= 4 or any(ch.isdigit() for ch in w))
    folded = {w if w.isascii() else _folded(w) for w in words}
    return np.unique(np.array([zlib.crc32(w.encode("utf-8")) for w in folded], dtype=np.int64))


_SEPARATORS = ",.\u00a0\u202f\u2009\u066c\uff0c "
"""Thousands separators: comma, full stop, no-break, narrow and thin spaces, the Arabic one, the
full-width comma, a space."""
_GROUPED = rf"\d{{1,3}}(?:[{_SEPARATORS}]\d{{3}})+(?!\d)"
_TOKEN = re.compile(rf"{_GROUPED}|\w+")
"""A word, or a number written with thousands separators (1,200; 1.200; 1 200) as one."""
_NOT_DIGIT = re.compile(r"\D")
_GLUED_NUMBER = re.compile(rf"(?<![0-9A-Za-z_]){_GROUPED}")
"""A grouped number, wherever it starts (after a Chinese character too)."""
_CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_DIGITS_APART = re.compile(rf"\d+|[{_CJK_CLASS}]+|[^\d{_CJK_CLASS}]+")
"""A word that is not ASCII cut into its digits, its Chinese, Japanese or Korean characters
and the rest: a number or a Latin name glued to a script that writes no space (2021年, 15일,
Norvolt周一) is a word of its own."""

_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t"})
_LIGATURES = {"ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
"""Letters with a stroke that NFKD does not decompose, and ligatures, as English spells them."""


@lru_cache(maxsize=1)
def _token_with_marks() -> re.Pattern[str]:
    """:data:`_TOKEN` with a word read as the fingerprint kernel reads one: letters, digits and
    combining marks (:mod:`reprints.sketch.charclass`, whose shipped table says which characters
    of the Basic Multilingual Plane those are; ``\\w`` alone leaves the marks out)."""
    table = charclass.char_table()[:0x10000] & charclass.CLASS_MASK
    word = np.flatnonzero((table == charclass.WORD) | (table == charclass.NOSPACE))
    marks = [cp for cp in word.tolist() if not chr(cp).isalnum()]
    ranges: list[list[int]] = []
    for cp in marks:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    extra = "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)
    return re.compile(_TOKEN.pattern.replace(r"|\w+", rf"|[\w{extra}]+"))


def _folded(word: str) -> str:
    """``word`` without its combining marks (accents, diacritics; NFKD), its letters with a
    stroke plain (Łódź, Lodz; Ørsted, Orsted), its digits as ASCII."""
    word = word.translate(_LETTERS)
    for ligature, spelled in _LIGATURES.items():
        word = word.replace(ligature, spelled)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() else ch
        for ch in decomposed
        if not unicodedata.combining(ch)
    )


def anchor_counts(
    words: list[np.ndarray], max_postings: int, min_shared: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``(i, j)``, ``i < j``, of documents sharing at least ``min_shared`` words that occur
    in 2 to ``max_postings`` documents, with how many they share and how rare those are: the sum
    of the shared words' weights ``log((n + 1) / df)`` (in thousandths, integers: the same sum in
    any order). A shared name found in three documents says more than a word in sixty.

    >>> w = [np.array([1, 2, 3]), np.array([1, 2, 3, 9]), np.array([7, 8])]
    >>> pairs, shared, weight = anchor_counts(w, 64, 3)
    >>> pairs.tolist(), shared.tolist(), weight.tolist()
    ([[0, 1]], [3], [2079])
    """
    empty = np.empty((0, 2), dtype=np.int64)
    none = np.empty(0, dtype=np.int64)
    if not words:
        return empty, none, none
    n = len(words)
    owner = np.repeat(np.arange(n, dtype=np.int64), [len(w) for w in words])
    flat = np.concatenate(words)
    order = np.lexsort((owner, flat))
    flat, owner = flat[order], owner[order]
    del order
    starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    sizes = np.diff(np.r_[starts, len(flat)])
    rare = (sizes >= 2) & (sizes <= max_postings)
    starts, sizes = starts[rare], sizes[rare]
    if not len(starts):
        return empty, none, none
    # one int64 a co-occurrence: the pair's code, its word's weight in the low bits (one sort,
    # no second array of weights: the pairs of 100,000 documents run into the tens of millions)
    packed = n * n < 1 << (63 - _WEIGHT_BITS)
    total = int((sizes * (sizes - 1) // 2).sum())
    keys = np.empty(total, dtype=np.int64)
    weights = None if packed else np.empty(total, dtype=np.int64)
    at = 0
    for start, size in zip(starts.tolist(), sizes.tolist(), strict=True):
        docs = owner[start : start + size]
        i, j = np.triu_indices(size, 1)
        weight = int(1000 * np.log((n + 1) / size))
        if packed:
            keys[at : at + len(i)] = ((docs[i] * n + docs[j]) << _WEIGHT_BITS) | weight
        else:
            keys[at : at + len(i)] = docs[i] * n + docs[j]
            weights[at : at + len(i)] = weight  # type: ignore[index]
        at += len(i)
    if packed:
        keys.sort()
        low = keys & ((1 << _WEIGHT_BITS) - 1)
        keys >>= _WEIGHT_BITS
    else:
        order = np.argsort(keys, kind="stable")
        keys, low = keys[order], weights[order]  # type: ignore[index]
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    shared = np.diff(np.r_[first, len(keys)])
    weight_sums = np.add.reduceat(low, first)
    ok = shared >= min_shared
    pair_codes = keys[first][ok]
    pairs = np.stack([pair_codes // n, pair_codes % n], axis=1)
    return pairs, shared[ok].astype(np.int64), weight_sums[ok].astype(np.int64)


_WEIGHT_BITS = 15
"""Bits of a word's weight (``1000 log((n + 1) / df)``: under 2**15 up to e**32 documents)."""


def best_partners(
    pairs: np.ndarray, score: np.ndarray, keep: int, rank: np.ndarray | None = None
) -> np.ndarray:
    """Which of ``pairs`` stay: each document keeps its ``keep`` best partners (highest
    ``score``, then the partner first in ``rank``, one position a document, default the index),
    among all its pairs whichever side it is on; a pair stays if either document keeps it.

    >>> best_partners(np.array([[0, 1], [0, 2], [1, 2]]), np.array([5, 9, 1]), 1).tolist()
    [True, True, False]
    """
    chosen = np.zeros(len(pairs), dtype=bool)
    if not len(pairs):
        return chosen
    a, b = pairs[:, 0], pairs[:, 1]
    doc = np.concatenate([a, b])
    other = np.concatenate([b, a])
    row = np.tile(np.arange(len(pairs)), 2)
    tie = other if rank is None else np.asarray(rank)[other]
    order = np.lexsort((tie, -np.tile(score, 2), doc))
    first = np.r_[True, doc[order][1:] != doc[order][:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    chosen[row[order[np.arange(len(order)) - group_start < keep]]] = True
    return chosen


def anchor_candidates(
    words: list[np.ndarray],
    max_postings: int,
    min_shared: int,
    keep: int,
    rank: np.ndarray | None = None,
) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of documents sharing at least ``min_shared`` words that occur
    in 2 to ``max_postings`` documents; each document keeps its ``keep`` best partners (the
    rarest words shared: :func:`anchor_counts`, :func:`best_partners`).

    >>> w = [np.array([1, 2, 3]), np.array([1, 2, 3, 9]), np.array([7, 8])]
    >>> anchor_candidates(w, 64, 3, 5).tolist()
    [[0, 1]]
    """
    pairs, _, weight = anchor_counts(words, max_postings, min_shared)
    return pairs[best_partners(pairs, weight, keep, rank)]


def unread_anchor_candidates(
    words: list[np.ndarray],
    unread: np.ndarray,
    langs: list[str | None],
    max_postings: int,
    keep: int,
    rank: np.ndarray | None = None,
) -> np.ndarray:
    """:func:`anchor_candidates` with a lower bar (``MIN_ANCHORS_UNREAD``) for the pairs that
    could be a translation the lead vectors cannot find: a document in a language they cannot
    read (``unread``, one flag a document) and the other in another language or in none known
    (``langs``, language codes). Two documents of one language are rewrites or nothing: words
    find those, at the usual bar.

    >>> w = [np.arange(10), np.arange(10), np.arange(5), np.r_[0:5, 50:60]]
    >>> unread = np.array([False, False, True, False])
    >>> unread_anchor_candidates(w, unread, ["en", "en", "cs", "en"], 64, 20).tolist()
    [[0, 1], [0, 2], [1, 2], [2, 3]]
    >>> unread_anchor_candidates(w, unread, ["cs", "cs", "cs", "cs"], 64, 20).tolist()
    [[0, 1]]
    """
    pairs, shared, weight = anchor_counts(words, max_postings, MIN_ANCHORS_UNREAD)
    codes = np.array([x or "" for x in langs], dtype=object)
    a, b = pairs[:, 0], pairs[:, 1]
    across = (codes[a] != codes[b]) | (codes[a] == "")
    ok = (shared >= MIN_ANCHORS) | ((unread[a] | unread[b]) & across)
    pairs, weight = pairs[ok], weight[ok]
    return pairs[best_partners(pairs, weight, keep, rank)]


MIN_PASSAGE_WORDS = 40
"""A run of recurring passages this long (words) with the document's own text above and below
it is reused text, not furniture (the near level's ``min_passage``: 36 shingles, 40 words)."""


def recurring_passages(
    texts: list[str],
    min_df: int,
    df_ratio: float = 4.0,
    quantile: float = 0.1,
    min_words: int = MIN_PASSAGE_WORDS,
) -> list[frozenset[int]]:
    """For each of ``texts``, the keys of its passages that are page furniture (a navigation
    line, the teasers of the day), left out of its alignments. As the shingle boilerplate of the
    near level (``BoilerplateConfig``), furniture is *how often* and *where*:

    - found in at least ``min_df`` of ``texts`` and ``df_ratio`` times as many as the text's own
      typical passage (the ``quantile`` of its passages' frequencies, weighted by length). A
      reprinted text recurs about as often as it has copies, a site's template on every page:
      the paragraphs of a press release that fifteen outlets carry are the release's own text,
      whereas its stock lines ("For immediate release", the distributor's footer) recur on far
      more pages;
    - and not in a run of such passages of ``min_words`` or more with the text's own passages
      above and below it: a template sits at a page's top and bottom, a reprinted release framed
      by an outlet's own intro and outro sits between them. Limit: a block of 40 words or more
      that a site's template carries mid-page ("Most read" teasers above the page's own tags)
      passes as reused text; telling it apart by the pages it recurs on (those of the
      template) was tried and failed where an outlet prints the release's headline above its
      own intro (the headline, at the page's top, recurs on the same pages as the release).

    >>> story = ["Home | News\\nStory one."] * 4 + ["Home | News\\nTwo."]
    >>> [len(keys) for keys in recurring_passages(story, 5)]
    [0, 0, 0, 0, 1]
    """
    units: list[list[tuple[int, int, int]]] = []  # per text, in order: (key, length, words)
    df: dict[int, int] = {}  # the texts each passage is found in
    for text in texts:
        found = [
            (passage_key(text[s:e]), e - s, _words(text[s:e])) for s, e in passages(text)
        ]
        units.append(found)
        for key in {k for k, _, _ in found}:
            df[key] = df.get(key, 0) + 1
    out: list[frozenset[int]] = []
    for found in units:
        if not found:
            out.append(frozenset())
            continue
        freq = np.array([df[k] for k, _, _ in found], dtype=np.float64)
        weight = np.array([n for _, n, _ in found], dtype=np.float64)
        order = np.argsort(freq, kind="stable")
        cum = np.cumsum(weight[order])
        typical = freq[order][min(int(np.searchsorted(cum, quantile * cum[-1])), len(cum) - 1)]
        recurs = (freq >= max(min_df, df_ratio * typical)).tolist()
        own = [k for k, r in enumerate(recurs) if not r]
        first, last = (own[0], own[-1]) if own else (len(found), -1)
        template = {found[k][0] for k in range(len(found)) if recurs[k] and not first <= k <= last}
        kept: set[int] = set()  # keys of the inner runs long enough to be reused text
        k = first
        while k < last:
            if not recurs[k]:
                k += 1
                continue
            end = k
            while recurs[end]:
                end += 1  # stops at ``last`` at the latest: an own passage
            if sum(w for _, _, w in found[k:end]) >= min_words:
                kept.update(key for key, _, _ in found[k:end])
            k = end
        recurring = {key for (key, _, _), r in zip(found, recurs, strict=True) if r}
        out.append(frozenset((recurring - kept) | template))
    return out


_CJK = re.compile(f"[{_CJK_CLASS}]")


def _words(text: str) -> int:
    """Words of a passage; a Chinese, Japanese or Korean character counts as one (those scripts
    put no space between words)."""
    return len(_WORD.findall(text)) + len(_CJK.findall(text))


LEAD_PASSAGES = 6
"""Passages (headline, lead) whose mean embedding stands for a document in ``neighbours``."""
NEIGHBOURS = 10
"""Nearest documents each document is compared with (by embedding margin)."""
MIN_MARGIN = 1.05
"""A neighbour's cosine over the mean of the two documents' ``NEIGHBOURS`` best cosines."""
MIN_COSINE = 0.5
"""Document-vector cosine below which two documents are never neighbours."""
_FEATURES = "rewrite_features"
_LANGS = "rewrite_languages"
LANGUAGE_SAMPLE = 1000
"""Characters of a text (its start) whose language the candidate search detects: enough for
py3langid, and a quarter of the time of the whole text (0.3 ms a document against 1.2)."""


def lead_passages(text: str) -> list[str]:
    """The first passages of a text (headline, lead), or its start where it has none, as
    shown (markup blanked: the index's queries and the scan embed the same leads)."""
    text = unmarked(text)
    return [text[s:e] for s, e in passages(text)[:LEAD_PASSAGES]] or [text[:200]]


def _text_features(
    ws: Workspace, embedder: Embedder | None
) -> tuple[list[np.ndarray], list[list[str]], list[str | None]]:
    """Anchor words, with a lead embedder the lead passages, and where any pair is aligned on
    embeddings the language code of every representative, from one pass over the inputs shared
    by both candidate sources (kept in ``ws.artifacts`` between them). The languages detected
    are kept for the verifier (``_LANGS``)."""
    cached = ws.artifacts.get(_FEATURES)
    if cached is None:
        assert ws.texts is not None
        is_rep = np.zeros(len(ws.group), dtype=bool)
        is_rep[ws.representatives] = True
        words: dict[int, np.ndarray] = {}
        leads: dict[int, list[str]] = {}
        detected: dict[int, str | None] = {}
        given = ws.texts.given_lang
        read_langs = has_embedder(ws.config.verify.embedder)
        for i, written in ws.texts.stream():
            if is_rep[i]:
                text = unmarked(written)  # as shown, link targets and tags blanked
                words[i] = anchor_words(text)
                if embedder is not None:
                    leads[i] = lead_passages(text)
                if read_langs and not given.get(i):
                    detected[i] = detect(text[:LANGUAGE_SAMPLE])
        ws.artifacts[_LANGS] = detected
        reps = ws.representatives.tolist()
        cached = (
            [words.get(i, np.empty(0, dtype=np.int64)) for i in reps],
            [leads.get(i, [""]) for i in reps] if embedder is not None else [],
            [language_code(given.get(i) or detected.get(i)) for i in reps] if read_langs else [],
        )
        ws.artifacts[_FEATURES] = cached
    return cached


def unreadable_leads(embedder: Embedder | None, langs: list[str | None]) -> np.ndarray:
    """Which documents' lead vectors cannot find their translations: those in a language the
    embedder was not trained on (USE: :data:`USE_LANGUAGES`), or, for an embedder whose vectors
    carry their language (e5), in a language with too few documents to be centred
    (:func:`centred_by_language`), or every document of a known language where there are no
    lead vectors (``auto`` with e5 installed and USE not). Documents of no known language are
    read.

    >>> class Biased:
    ...     language_biased = True
    >>> unreadable_leads(Biased(), ["en"] * 10 + ["cs", None]).tolist()[-3:]
    [False, True, False]
    """
    if embedder is None:
        return np.array([c is not None for c in langs], dtype=bool)
    trained = trained_languages(embedder)
    if trained is not None:
        return np.array([c is not None and c not in trained for c in langs], dtype=bool)
    if getattr(embedder, "language_biased", False):
        centred = centred_languages(langs)
        return np.array([c is not None and c not in centred for c in langs], dtype=bool)
    return np.zeros(len(langs), dtype=bool)


def anchor_pairs(ws: Workspace) -> tuple[np.ndarray, Counters]:
    """Representatives sharing enough anchor words."""
    if ws.texts is None:
        return np.empty((0, 2), dtype=np.int64), {"anchors": 0}
    embedder = load_embedder(ws.config.verify.embedder)
    words, _, langs = _text_features(ws, embedder)
    if embedder is None:  # no neighbours source will read the features
        ws.artifacts.pop(_FEATURES, None)
    max_postings = ws.config.candidates.max_postings
    # ties go the same way whatever the input order: to the partner first in (date, id)
    rank = ws.rank[ws.representatives]
    # no languages read: no pair is aligned on embeddings, no translation can be found
    flags = unreadable_leads(embedder, langs) if langs else np.zeros(len(words), dtype=bool)
    if flags.any():
        local = unread_anchor_candidates(words, flags, langs, max_postings, MAX_CANDIDATES, rank)
    else:
        local = anchor_candidates(words, max_postings, MIN_ANCHORS, MAX_CANDIDATES, rank)
    found = ws.representatives[local] if len(local) else local
    return found, {"anchors": len(found), "unread_language_docs": int(flags.sum())}


def document_vectors(leads: list[list[str]], embedder: Embedder) -> np.ndarray:
    """One vector per document: the normalised mean of its lead passages' embeddings."""
    vectors = embedder.encode([p for lead in leads for p in lead])
    owner = np.repeat(np.arange(len(leads)), [len(lead) for lead in leads])
    sums = np.zeros((len(leads), vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, owner, vectors)
    return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)


CENTRE_MIN_DOCS = 10
"""Documents of one language from which their mean vector is taken out in
:func:`centred_by_language` (the mean of fewer is mostly the documents themselves)."""


def centred_languages(langs: list[str | None]) -> set[str]:
    """The languages with ``CENTRE_MIN_DOCS`` documents or more: those whose mean vector
    :func:`centred_by_language` takes out."""
    counts = Counter(code for code in langs if code is not None)
    return {code for code, n in counts.items() if n >= CENTRE_MIN_DOCS}


def centred_by_language(vectors: np.ndarray, langs: list[str | None]) -> np.ndarray:
    """Each language's mean vector taken out of its documents' vectors, renormalised.

    A multilingual encoder's vectors carry their language: with e5, a Russian report's nearest
    documents are other Russian reports, and its English translation is not among them. Taking
    out each language's mean keeps what the texts say and drops most of what language they say
    it in (Libovický et al. 2020, "On the language neutrality of pre-trained multilingual
    representations"). Languages with fewer than ``CENTRE_MIN_DOCS`` documents, and documents of
    no known language, keep their vectors.

    >>> angle = np.linspace(0, np.pi, 10)  # ten stories, each in Russian and in English
    >>> story = np.stack([np.cos(angle), np.sin(angle), np.zeros(10)], axis=1)
    >>> ru, en = story + [0, 0, 2], story - [0, 0, 2]  # the language dominates the vector
    >>> unit = lambda m: m / np.linalg.norm(m, axis=1, keepdims=True)
    >>> before = (unit(ru) * unit(en)).sum(axis=1)  # a story and its translation
    >>> out = centred_by_language(np.vstack([unit(ru), unit(en)]), ["ru"] * 10 + ["en"] * 10)
    >>> after = (out[:10] * out[10:]).sum(axis=1)
    >>> bool(before.max() < 0.0), bool(after.min() > 0.99)
    (True, True)
    """
    out = np.array(vectors, dtype=np.float64, copy=True)
    for code in sorted(centred_languages(langs)):
        rows = np.array([k for k, x in enumerate(langs) if x == code], dtype=np.int64)
        out[rows] -= out[rows].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.where(norms > 1e-9, out / np.maximum(norms, 1e-12), 0.0)


def margin_neighbours(
    vectors: np.ndarray,
    k: int,
    min_margin: float,
    min_cos: float,
    insert_order: np.ndarray | None = None,
    exact_up_to: int = EXACT_UP_TO,
    known_mean: np.ndarray | None = None,
) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, where ``j`` is among ``i``'s ``k`` nearest vectors (or the
    reverse) and their cosine stands out by the ratio margin (bitext mining): the scores are
    relative to each document's own neighbourhood, never one absolute cosine. The neighbours come
    from :func:`reprints.index.vectors.nearest`: exact search up to ``exact_up_to`` documents,
    an HNSW index past it (built in ``insert_order``). ``known_mean`` gives each document's mean
    cosine to its ``k`` nearest in a larger corpus (NaN where unknown): the vectors are then a
    neighbourhood of that corpus (a persistent index's query), whose own means would be
    computed among near neighbours only.

    >>> v = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0]])
    >>> margin_neighbours(v / np.linalg.norm(v, axis=1, keepdims=True), 1, 1.0, 0.5).tolist()
    [[0, 1]]
    """
    n = len(vectors)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    # searched in a fixed order of the documents (``insert_order``), so that ties among equal
    # vectors (documents with the same lead) go the same way whatever the input order
    order = np.arange(n) if insert_order is None else np.asarray(insert_order, dtype=np.int64)
    found_idx, best_cos = nearest(vectors[order], k, exact_up_to)
    best_idx = np.full(found_idx.shape, -1, dtype=np.int64)
    best_idx[order] = np.where(found_idx >= 0, order[np.maximum(found_idx, 0)], -1)
    best_cos = best_cos[np.argsort(order)]
    found = best_idx >= 0  # the approximate index may find fewer than k
    mean = np.where(found, best_cos, 0.0).sum(axis=1) / np.maximum(found.sum(axis=1), 1)
    if known_mean is not None:
        mean = np.where(np.isnan(known_mean), mean, known_mean)
    i = np.repeat(np.arange(n), best_idx.shape[1])
    j = best_idx.ravel()
    cos = best_cos.ravel()
    keep = j >= 0
    i, j, cos = i[keep], j[keep], cos[keep]
    margin = cos / np.maximum((mean[i] + mean[j]) / 2, 1e-12)
    keep = (cos >= min_cos) & (margin >= min_margin)
    pairs = np.sort(np.stack([i[keep], j[keep]], axis=1), axis=1)
    return np.unique(pairs, axis=0) if len(pairs) else pairs.reshape(-1, 2)


def neighbour_pairs(ws: Workspace) -> tuple[np.ndarray, Counters]:
    """Representatives whose lead embeddings are margin neighbours: rewrites and translations
    that share too few words to be found by anchors."""
    embedder = load_embedder(ws.config.verify.embedder)
    if ws.texts is None or embedder is None:
        return np.empty((0, 2), dtype=np.int64), {"neighbours": 0}
    _, leads, langs = _text_features(ws, embedder)
    ws.artifacts.pop(_FEATURES, None)  # the last source that reads them
    vectors = document_vectors(leads, embedder)
    if getattr(embedder, "language_biased", False):
        vectors = centred_by_language(vectors, langs)
    # the index is built in the canonical order (date, id): the same documents, the same
    # neighbours, whatever the input order
    order = np.argsort(ws.rank[ws.representatives], kind="stable")
    known = ws.artifacts.get("corpus_neighbour_mean")
    local = margin_neighbours(
        vectors,
        NEIGHBOURS,
        MIN_MARGIN,
        MIN_COSINE,
        order,
        EXACT_UP_TO,
        None if known is None else known[ws.representatives],
    )
    found = ws.representatives[local] if len(local) else local
    return found, {"neighbours": len(found)}


def verify_passages(ws: Workspace, candidates: np.ndarray) -> Verified:
    """Align the passages of every candidate pair; keep the rewrites and translations (a
    translation: two languages, passages aligned on embeddings)."""
    if ws.texts is None or not len(candidates):
        return Verified(PairTable.empty(), counters={"aligned_pairs": 0})
    name = ws.config.verify.embedder
    docs = np.unique(candidates.ravel())
    texts = dict(zip(docs.tolist(), map(unmarked, ws.texts.read(docs)), strict=True))
    bp = ws.config.boilerplate
    furniture = dict(
        zip(
            texts,
            recurring_passages(list(texts.values()), bp.min_df, bp.df_ratio, bp.quantile),
            strict=True,
        )
    )
    config = AlignConfig()
    rows: list[tuple[int, int]] = []
    cov_a: list[float] = []
    cov_b: list[float] = []
    fields: list[dict[str, object]] = []
    kinds: list[bool] = []
    langs: dict[int, str | None] = {}

    detected: dict[int, str | None] = ws.artifacts.get(_LANGS, {})

    def lang_of(doc: int) -> str | None:
        if doc not in langs:
            given = ws.texts.given_lang.get(doc) if ws.texts is not None else None
            if given:
                langs[doc] = given  # reported as the input gives it
            else:  # as the candidate search detected it, where it did
                langs[doc] = detected[doc] if doc in detected else detect(texts[doc])
        return langs[doc]

    # one cache per model (USE, e5): a document's passages are embedded once
    cached: dict[int, CachedEmbedder] = {}

    def embedder_for(i: int, j: int) -> CachedEmbedder | None:
        model = pair_embedder(name, (lang_of(i), lang_of(j)))
        if model is None:
            return None
        if id(model) not in cached:
            cached[id(model)] = CachedEmbedder(model)
        return cached[id(model)]

    for i, j in candidates.tolist():
        languages = (lang_of(i), lang_of(j))
        embedder = embedder_for(i, j)
        result = align_texts(
            texts[i], texts[j], config, (furniture[i], furniture[j]), embedder, languages
        )
        if not decide(result, config):
            continue
        ev = evidence(result)
        if i > j:  # the row as the table keeps it: the smaller index first
            i, j = j, i
            ev = swapped(ev)
            result = dataclasses.replace(
                result, coverage_a=result.coverage_b, coverage_b=result.coverage_a
            )
        lang_a, lang_b = lang_of(i), lang_of(j)
        ev["lang"] = {"a": lang_a, "b": lang_b}
        # two languages: the aligner found no shared words, or the texts tell them apart
        code_a, code_b = language_code(lang_a), language_code(lang_b)  # en-GB, eng: en
        kinds.append(result.translated or (code_a is not None and code_b not in (None, code_a)))
        rows.append((i, j))
        cov_a.append(result.coverage_a)
        cov_b.append(result.coverage_b)
        fields.append(ev)
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    code = np.where(kinds, Relation.TRANSLATION.code, Relation.REWRITE.code).astype(np.uint8)
    column = np.empty(len(fields), dtype=object)
    column[:] = fields
    table = PairTable.build(
        pairs,
        code,
        containment_a_in_b=np.array(cov_a),
        containment_b_in_a=np.array(cov_b),
        evidence=column,
    )
    counters = {
        "aligned_pairs": len(candidates),
        "rewrites": len(pairs) - int(sum(kinds)),
        "translations": int(sum(kinds)),
        "lexical_only": int(not has_embedder(name)),
    }
    return Verified(table, counters=counters)


register_source("anchors", anchor_pairs, frozenset({"texts"}))
register_source("neighbours", neighbour_pairs, frozenset({"texts"}))
register_verifier("passages", verify_passages)
