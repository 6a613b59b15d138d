"""Fingerprint a batch of texts in one pass over their UTF-8 bytes: the hot loop of reprints.

For each text: tokens and their hashes (:mod:`reprints.sketch.tokens` defines them),
``k``-shingle hashes in document order, the MinHash signature, the 128-bit exact hash, a
consistent sample of shingle keys for the containment index, and the counts behind
:func:`cleanliness`. Two backends compute exactly the same numbers:

- ``numba``: one compiled loop per batch (tens of thousands of documents per CPU-second);
- ``numpy``: the same definitions vectorised over the whole batch, used where numba is missing
  (or with ``REPRINTS_BACKEND=numpy``). Tests check that both agree bit for bit.

Texts are prepared in Python first: an ASCII text is used as is (the kernel lower-cases ASCII
letters); any other text is NFKC-normalised, its look-alike letters, diacritics and zero-width
characters read as what they show (:func:`fold`) and case-folded, so full-width letters,
ligatures, compatibility forms, homoglyphs, stripped accents, invisible watermarks and case never
matter.
"""

from __future__ import annotations

import html
import html.entities
import importlib
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np

from reprints.sketch import charclass as cc
from reprints.sketch import shingles as sh
from reprints.sketch import tokens as tk
from reprints.sketch.markup import unmarked
from reprints.sketch.minhash import EMPTY_VALUE, Permutations

BACKENDS = ("numba", "numpy")
TOKENS_VERSION = 4
"""How text becomes tokens, for stored fingerprints (a persistent index records it): 4 reads
past the markup an extraction left (link targets, HTML tags: :mod:`reprints.sketch.markup`),
reads Arabic and Hebrew without their optional marks and letter forms, Hindi without nukta,
traditional Chinese as simplified, and every script's digits as ASCII ones; 3
reads mojibake as the characters it mangles; 2 reads look-alike letters, diacritics, zero-width
characters and soft hyphens inside words as what they show; 1 read them as written."""


# Characters that change a copy's bytes but not the words a reader reads, each read as what it
# shows (:func:`fold`), one character at a time after case folding, so that a text is read the
# same way on both sides of a pair, in any case, and still matches its own copies:
# - zero-width spaces, word joiners and byte order marks, which sites insert inside words to
#   watermark or to defeat copy detection: dropped. (Zero-width joiners and non-joiners stay
#   separators: Persian and the Indic scripts write them inside words, where they change how the
#   letters join, and the same words are also written with a space.)
# - letters of the Cyrillic and Greek alphabets that look like Latin ones (Unicode TS #39
#   confusables), which content farms swap into a copied text so that no word matches: read as
#   the Latin letter, one per case pair (a capital eta looks like H: eta reads as h);
# - diacritics on Latin and Greek letters (and the Russian yo), which scrapers, feeds and
#   legacy systems strip ("Societe Generale" for "Société Générale", Greek capitals without
#   tonos, "е" for "ё"): read as the base letter, and stray combining marks of those alphabets
#   dropped. The marks of other scripts (Devanagari, Thai vowel signs) are letters there and
#   stay, but for Arabic and Hebrew:
# - the Arabic tatweel (a stroke that stretches a word to justify a line), Arabic vowel marks
#   (harakat) and Quranic annotation, and Hebrew points (niqqud) and cantillation: dropped, as
#   copies add or leave them out; alef with a hamza seat or madda read as alef, alef maqsura
#   and the Farsi yeh as yeh, teh marbuta and heh forms as heh, keheh as kaf (a
#   Persian text typed on an Arabic keyboard, or a copy that writes hamza loosely);
# - the digits of every script (Arabic-Indic, Persian, Devanagari, Thai, ...): the ASCII digit;
# - traditional Chinese characters (Taiwan's and Hong Kong's forms too): the simplified ones, as
#   OpenCC converts them character by character (a story republished in the other script);
# - the Devanagari nukta dropped and chandrabindu read as anusvara (Hindi copies write them or
#   not, as Lucene's Hindi normaliser reads them);
# - mojibake: UTF-8 text decoded as Windows-1252 or Latin-1 on the way to the page or the crawl
#   ("donâ€™t", "SociÃ©tÃ©" for "don’t", "Société"), common in scraped copies: each run of
#   characters whose bytes in those encodings form one UTF-8 character is read as that character
#   (:func:`unmangle`), before the rest; so are HTML character references left in scraped text
#   ("don&#8217;t", "AT&amp;T", "&nbsp;"), escaped once or twice.
INVISIBLE = "\u200b\u2060\ufeff"
LOOKALIKE_FROM = "авеѕіјкмнорстхуһԁԛԝӏ" "αβεζηικμνορτυχ"  # case-folded Cyrillic, Greek
_LOOKALIKE_TO = "abesijkmhopctxyhdqwl" "abezhikmnoptyx"
_STROKED_FROM, _STROKED_TO = "øđłħё", "odlhе"  # no decomposition, read as the base letter
_MARKS = range(0x300, 0x370)  # combining diacritical marks (Latin, Greek, Cyrillic)
_ACCENTED = [  # Latin-1, Latin extended A-B and additional; Greek and Greek extended
    *range(0xC0, 0x250),
    *range(0x1E00, 0x1F00),
    *range(0x370, 0x400),
    *range(0x1F00, 0x2000),
]
# Arabic and Hebrew script: marks a writer adds or leaves out, and letters typed in one form or
# another (Lucene's Arabic and Persian normalisers read them the same way)
_ARABIC_SEATS = "آأإٱ"  # alef with madda, hamza above or below, wasla: alef
_ARABIC_FROM = "ىیةۀہۂک"
_ARABIC_TO = "ييههههك"  # alef maqsura, Farsi yeh; teh marbuta, heh forms; keheh
_TATWEEL = "\u0640"  # the stretching stroke that justifies a line
_SCRIPT_MARKS = [  # harakat, Quranic annotation and Hebrew points and cantillation
    code
    for first, last in ((0x591, 0x5C7), (0x610, 0x61A), (0x64B, 0x670), (0x6D6, 0x6ED))
    for code in range(first, last + 1)
    if unicodedata.category(chr(code)) == "Mn"
]
_NUKTA, _CHANDRABINDU, _ANUSVARA = "\u093c", "\u0901", "\u0902"  # Devanagari
_HAN = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]  # CJK ideographs, compatibility
_DROP = np.uint32(0xFFFFFFFF)


def _simplified() -> list[tuple[str, str]]:
    """Traditional Chinese characters -> the simplified character each is written as (OpenCC's
    dictionaries, character by character: Taiwan's and Hong Kong's forms too); only targets
    that are simplified already, so the table's chains end."""
    import opencc

    chars = "\n".join(chr(c) for first, last in _HAN for c in range(first, last + 1)).split("\n")
    read = {
        name: opencc.OpenCC(name).convert("\n".join(chars)).split("\n")
        for name in ("t2s", "tw2s", "hk2s")
    }
    simple, han = set(read["t2s"]), set(chars)
    pairs: list[tuple[str, str]] = []
    for k, char in enumerate(chars):
        target = next(
            (
                r[k]
                for r in (read["t2s"], read["tw2s"], read["hk2s"])
                if r[k] != char and len(r[k]) == 1
            ),
            char,
        )
        if target != char and (target in simple or target not in han):
            pairs.append((char, target))
    return pairs


@cache
def _fold_table() -> np.ndarray:
    """Code point -> the code point it reads as (``_DROP``: dropped), for every code point;
    every target reads as itself (a letter is read through once, whatever the order of the
    rules: ``ǿ`` -> ``ø`` -> ``o``)."""
    table = np.arange(0x110000, dtype=np.uint32)
    pairs = [*zip(_STROKED_FROM, _STROKED_TO, strict=True)]
    pairs += [*zip(LOOKALIKE_FROM, _LOOKALIKE_TO, strict=True)]
    pairs += [*zip(_ARABIC_FROM, _ARABIC_TO, strict=True)] + [(c, "ا") for c in _ARABIC_SEATS]
    pairs += [(_CHANDRABINDU, _ANUSVARA), *_simplified()]
    for code in range(0x900, 0x980):  # a Devanagari letter with a nukta NFKC keeps (ऩ): its base
        parts = unicodedata.normalize("NFD", chr(code))
        if len(parts) == 2 and parts[1] == _NUKTA:
            pairs.append((chr(code), parts[0]))
    for a, b in pairs:
        table[ord(a)] = ord(b)
    for code in _ACCENTED:  # a letter with diacritics: its base letter
        base = unicodedata.normalize("NFD", chr(code))
        if len(base) > 1 and all(ord(m) in _MARKS for m in base[1:]):
            table[code] = ord(base[0])
    for code in range(0x80, 0x110000):  # a digit of any script: the ASCII digit
        char = chr(code)
        if char.isdecimal() and unicodedata.category(char) == "Nd":
            table[code] = ord("0") + unicodedata.decimal(char)
    for code in [*map(ord, INVISIBLE + _TATWEEL + _NUKTA), *_MARKS, *_SCRIPT_MARKS]:
        table[code] = _DROP
    while True:  # follow the chains to their ends
        kept = table != _DROP
        after = table.copy()
        after[kept] = table[table[kept]]
        if np.array_equal(after, table):
            return table
        table = after


def _read_through(text: str) -> str:
    """``text`` read through :func:`_fold_table`, one character at a time (vectorised)."""
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    out = _fold_table()[cps]
    if np.array_equal(out, cps):
        return text
    return out[out != _DROP].tobytes().decode("utf-32-le", "surrogatepass")


def fold(text: str) -> str:
    """A non-ASCII text as the kernel reads it: mojibake read as the characters it mangles,
    NFKC, case folded, letters read as what they show (see above).

    >>> fold("Ｒeprint"), fold("wаtеr\u200bmark"), fold("ΗΟΤΕL"), fold("Société Générale")
    ('reprint', 'watermark', 'hotel', 'societe generale')
    >>> fold("МОСКВА") == fold("москва"), fold("ΝΕΑ") == fold("νέα")
    (True, True)
    >>> fold("It donâ€™t matter, SociÃ©tÃ©") == fold("It don’t matter, Société")
    True
    """
    return _read_through(unicodedata.normalize("NFKC", unmangle(text)).casefold())


def _mangled_bytes() -> dict[str, int]:
    """Character -> the byte it stands for where UTF-8 was decoded as Windows-1252 (its
    characters for 0x80-0x9F) or Latin-1 (every byte its own code point)."""
    table = {chr(b): b for b in range(0x80, 0x100)}
    for b in range(0x80, 0xA0):
        try:
            table[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: none in Windows-1252
            continue
    return table


_MANGLED = _mangled_bytes()
_CONT = "".join(re.escape(c) for c, b in _MANGLED.items() if 0x80 <= b < 0xC0)
MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}"
)
"""A run of characters that may be one UTF-8 character's bytes read as Windows-1252 or Latin-1."""
_BYTE_CHARS = "[" + "".join(map(re.escape, _MANGLED)) + "]"  # a character standing for a byte
_RUN = re.compile(_BYTE_CHARS + "{2,}")
_LEADS = tuple(map(chr, range(0xC2, 0xF5)))  # what a run starts with: a UTF-8 lead byte
_LEAD_PAIR = re.compile(f"[\u00c2-\u00f4][{_CONT}]")


def may_hold_mojibake(text: str) -> bool:
    """Whether ``text`` may hold mojibake: most texts hold no lead character, or none before a
    continuation, which a few microseconds tell (reading the runs takes ten times longer).

    >>> may_hold_mojibake("café"), may_hold_mojibake("donâ€™t")
    (False, True)
    """
    return (
        not text.isascii()
        and any(lead in text for lead in _LEADS)
        and _LEAD_PAIR.search(text) is not None
    )


def mangled_runs(text: str) -> Iterator[re.Match[str]]:
    """The runs of ``text`` that :func:`unmangle` reads: maximal runs of characters that stand
    for bytes in Windows-1252 or Latin-1, two or more, holding a UTF-8 lead byte's character
    before a continuation's. All non-ASCII: the ASCII characters of a text bound them."""
    if may_hold_mojibake(text):
        yield from _runs(text)


def _runs(text: str) -> Iterator[re.Match[str]]:
    """:func:`mangled_runs` where :func:`may_hold_mojibake` said so already."""
    return (m for m in _RUN.finditer(text) if _LEAD_PAIR.search(m.group()))


@lru_cache(maxsize=1 << 14)
def read_run(run: str) -> str:
    """A run read back (runs repeat: ``é\xa0»`` in every French quote, so the decision is
    cached): as ftfy's heuristics read it (they tell ``é\xa0»``, French typography,
    from ``Ã©``); else, where the whole run is the UTF-8 bytes of two or more characters (no
    accident of typography, but ftfy leaves some Chinese alone: ``ç¿’è¿‘å¹³``), as those;
    else each character's bytes in it alone, as ftfy reads them."""
    if not MOJIBAKE.search(run):  # no character's bytes in it (``é\xa0`` before a colon)
        return run
    import ftfy  # only texts holding a candidate run pay for its import (60 ms)

    fixed = ftfy.fix_encoding(run)
    if fixed != run:
        return fixed
    try:
        decoded = bytes(_MANGLED[c] for c in run).decode("utf-8")
    except UnicodeDecodeError:
        decoded = ""
    if len(decoded) >= 2:
        return decoded
    return MOJIBAKE.sub(lambda m: ftfy.fix_encoding(m.group()), run)


ENTITY = re.compile(
    r"&(?:amp;){0,2}(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
"""What may be an HTML character reference, escaped up to three times (``&amp;amp;#8217;``),
closed by ``;``; :func:`_unescaped` reads only the known ones."""


def _unescaped(match: re.Match[str]) -> str:
    """A reference read as its character: a name HTML5 knows (``html.unescape`` would also
    read ``&notit;`` as ``¬it;``, a legacy name and what follows), a number of a character that
    is no control (``&#1;`` would glue two words); anything else as written."""
    text = match.group()
    ref = text[1:]
    while ref.startswith("amp;") and len(ref) > 4:  # escaped again: the reference inside
        ref = ref[4:]
    if ref[0] == "#":
        char = html.unescape("&" + ref)
        return char if len(char) == 1 and (char.isprintable() or char.isspace()) else text
    return html.entities.html5.get(ref, text)


def unmangle(text: str) -> str:
    """``text`` with its HTML character references read (:data:`ENTITY`) and its mojibake read
    back: UTF-8 decoded as Windows-1252 or Latin-1, once or twice, where ftfy's heuristics say
    a run of such characters (:func:`mangled_runs`) is one. An unknown reference
    (``&nosuch;``) stays as written, and so does text that only looks like mojibake (French
    typography: an accented letter, a no-break space and a guillemet).

    >>> unmangle("donâ€™t, SociÃ©tÃ©, â€œquotedâ€\x9d, Ã¢â‚¬â„¢, Ð¼Ð¾Ñ\x81ÐºÐ²Ð°, ç¿’è¿‘å¹³")
    'don’t, Société, “quoted”, ’, москва, 習近平'
    >>> unmangle("préparé\xa0» et le SPÖ\xa0», «\xa0Ã©tÃ©\xa0»")
    'préparé\xa0» et le SPÖ\xa0», «\xa0été\xa0»'
    >>> unmangle("AT&amp;T&nbsp;won&#8217;t &amp;#x2019; &nosuch; &notit; &#1; R&D")
    'AT&T\xa0won’t ’ &nosuch; &notit; &#1; R&D'
    >>> unmangle("don&#226;&#8364;&#8482;t, caf&Atilde;&copy;")  # mojibake as references
    'don’t, café'
    """
    if "&" in text:
        text = ENTITY.sub(_unescaped, text)
    if not may_hold_mojibake(text):
        return text
    out, at = [], 0
    for m in _runs(text):
        out += [text[at : m.start()], read_run(m.group())]
        at = m.end()
    out.append(text[at:])
    return "".join(out)


def plain(text: str) -> bool:
    """Whether the kernel reads ``text`` as it is: ASCII with no HTML character reference it
    reads (a character of a plain text is one byte; any other text is read through
    :func:`fold`).

    >>> plain("Plain ASCII & more &amplifier;"), plain("don&#8217;t"), plain("café")
    (True, False, False)
    """
    if not text.isascii():
        return False
    return "&" not in text or all(_unescaped(m) == m.group() for m in ENTITY.finditer(text))


_UNIT = re.compile(f"(?:{ENTITY.pattern}|{_BYTE_CHARS})+")


def unmangled_units(text: str) -> Iterator[re.Match[str]]:
    """The stretches of ``text`` that :func:`unmangle` may read as other characters: maximal
    runs of HTML references and of characters standing for bytes (``don&#226;&#8364;&#8482;t``:
    references to mojibake), where one holds a reference or a run of mojibake. ASCII letters,
    digits, spaces and punctuation bound them, so each reads the same alone as in its text (the
    offset tokenizer never cuts inside one)."""
    if "&" not in text and not may_hold_mojibake(text):
        return
    for m in _UNIT.finditer(text):
        if unmangle(m.group()) != m.group():
            yield m


def prepare(text: str, *, shown: bool = False) -> bytes:
    """The UTF-8 bytes the kernel reads: the text with its markup blanked
    (:func:`reprints.sketch.markup.unmarked`; ``shown``: the caller blanked it), then
    :func:`fold` unless it is :func:`plain`.

    >>> prepare("Ｒeprint"), prepare("Plain ASCII"), prepare("don&#8217;t")
    (b'reprint', b'Plain ASCII', b'don\xe2\x80\x99t')
    >>> prepare("a [link](https://x.com)").split()
    [b'a', b'link']
    """
    if not shown:  # ``shown``: blanked already
        text = unmarked(text)
    if not plain(text):
        text = fold(text)
    return text.encode("utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class BatchSketch:
    """Fingerprints of ``n`` texts. ``shingles`` (doc order) and ``samples`` (sorted unique
    per text) are CSR tables over ``shingle_offsets`` and ``sample_offsets``."""

    signatures: np.ndarray  # (n, num_perm) uint32
    exact: np.ndarray  # (n, 2) uint64
    n_tokens: np.ndarray  # (n,) int64
    clean_chars: np.ndarray  # (n, 2) int64: characters in finished lines, in all lines
    shingle_offsets: np.ndarray  # (n + 1,) int64
    shingles: np.ndarray  # uint64, each text's shingle hashes in document order
    sample_offsets: np.ndarray  # (n + 1,) int64
    samples: np.ndarray  # uint32 keys of sampled shingles, sorted unique per text

    def __len__(self) -> int:
        return len(self.n_tokens)

    @property
    def cleanliness(self) -> np.ndarray:
        return cleanliness(self.clean_chars)


def cleanliness(clean_chars: np.ndarray) -> np.ndarray:
    """Share of a text's characters in lines that look finished: a short line (12 words or fewer:
    a title, a caption) or one ending in sentence punctuation. Scraped teasers cut mid-sentence
    and OCR lines broken mid-word lower it; a clean article scores close to 1.

    >>> cleanliness(np.array([[30, 40], [0, 0]])).tolist()
    [0.75, 0.0]
    """
    clean = clean_chars[:, 0].astype(np.float64)
    total = clean_chars[:, 1].astype(np.float64)
    return np.round(np.divide(clean, total, out=np.zeros_like(clean), where=total > 0), 6)


def default_backend() -> str:
    wanted = os.environ.get("REPRINTS_BACKEND", "").strip().lower()
    if wanted == "numpy":
        return "numpy"
    if _numba_kernel() is not None:
        return "numba"
    if wanted == "numba":
        raise RuntimeError("REPRINTS_BACKEND=numba but numba cannot be imported")
    return "numpy"


def sketch_texts(
    texts: Sequence[str],
    shingle_size: int,
    perms: Permutations,
    sample_rate: int,
    backend: str | None = None,
) -> BatchSketch:
    """Fingerprint a batch of texts (a pure function: safe in any worker, on any engine)."""
    data = [prepare(t) for t in texts]
    offsets = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    buf = np.frombuffer(b"".join(data), dtype=np.uint8)
    return sketch_bytes(buf, offsets, shingle_size, perms, sample_rate, backend)


def sketch_bytes(
    buf: np.ndarray,
    offsets: np.ndarray,
    shingle_size: int,
    perms: Permutations,
    sample_rate: int,
    backend: str | None = None,
) -> BatchSketch:
    """Fingerprint prepared texts laid end to end in ``buf`` (text ``i`` is
    ``buf[offsets[i]:offsets[i+1]]``)."""
    backend = backend or default_backend()
    if sample_rate < 1 or sample_rate & (sample_rate - 1):
        raise ValueError("sample_rate must be a power of two")
    args = (
        buf,
        offsets.astype(np.int64),
        cc.char_table(),
        sh.byte_table(),
        _multipliers(shingle_size),
        perms.a,
        perms.b,
        np.uint64(sample_rate - 1),
    )
    if backend == "numba":
        kernel = _numba_kernel()
        if kernel is None:
            raise RuntimeError("the numba backend is not available (is numba installed?)")
        out = kernel(*args)
    elif backend == "numpy":
        out = _numpy_kernel(*args)
    else:
        raise ValueError(f"unknown backend {backend!r} (expected one of {BACKENDS})")
    return BatchSketch(*out)


@cache
def _multipliers(shingle_size: int) -> np.ndarray:
    return sh.position_multipliers(shingle_size)


# --------------------------------------------------------------------------------------------
# numpy backend: the definitions, vectorised over the batch


def _segment_first(keys: np.ndarray) -> np.ndarray:
    """Start positions of runs of equal values in a sorted array."""
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys[:0]


def _numpy_kernel(
    buf: np.ndarray,
    offsets: np.ndarray,
    table: np.ndarray,
    tab: np.ndarray,
    mult: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    rate_mask: np.uint64,
) -> tuple[np.ndarray, ...]:
    n = len(offsets) - 1
    k = len(mult)
    cp, cstart, clen = tk.decode(buf)
    cdoc = np.searchsorted(offsets, cstart, side="right") - 1
    flags = table[cp]
    spans = tk.char_token_spans(cp, cstart, clen, cdoc, flags & cc.CLASS_MASK)
    tokens = tk.token_hashes(buf, spans, tab)
    tok_doc = spans.doc
    n_tok_total = len(tok_doc)
    n_tokens = np.bincount(tok_doc, minlength=n).astype(np.int64)
    tok_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(n_tokens, out=tok_offsets[1:])
    local = np.arange(n_tok_total) - tok_offsets[tok_doc] if n_tok_total else tok_doc

    # exact hashes: position-keyed sums
    exact = np.zeros((n, 2), dtype=np.uint64)
    with np.errstate(over="ignore"):
        i1 = (local + 1).astype(np.uint64)
        e1 = sh.mix64(tokens + i1 * sh.K_EXACT_1)
        e2 = sh.mix64(tokens ^ (i1 * sh.K_EXACT_2))
        has = n_tokens > 0
        if n_tok_total:
            exact[has, 0] = np.add.reduceat(e1, tok_offsets[:-1][has])
            exact[has, 1] = np.add.reduceat(e2, tok_offsets[:-1][has])
        counts = n_tokens.astype(np.uint64)
        exact[:, 0] = sh.mix64(exact[:, 0] ^ counts)
        exact[:, 1] = sh.mix64(exact[:, 1] + counts * sh.K_EXACT_3)

    # shingles in document order: k tokens from each start (all tokens of a shorter text)
    doc_len = n_tokens[tok_doc] if n_tok_total else tok_doc
    valid = local <= np.maximum(doc_len - k, 0)
    acc = np.zeros(n_tok_total, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            if j >= n_tok_total:
                break
            inside = local + j < doc_len
            shifted = np.zeros(n_tok_total, dtype=np.uint64)
            shifted[: n_tok_total - j] = tokens[j:]
            acc += np.where(inside, shifted * mult[j], np.uint64(0))
    shingles = sh.mix64(acc[valid])
    sh_doc = tok_doc[valid]
    sh_counts = np.bincount(sh_doc, minlength=n).astype(np.int64)
    sh_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(sh_counts, out=sh_offsets[1:])

    # signatures: minimum of every permutation over each text's shingles
    num_perm = len(a)
    signatures = np.full((n, num_perm), EMPTY_VALUE, dtype=np.uint32)
    docs_with = np.flatnonzero(sh_counts > 0)
    starts = sh_offsets[docs_with]
    d = 0
    with np.errstate(over="ignore"):
        while d < len(docs_with):  # whole texts, about 8192 shingles at a time
            e = max(d + 1, int(np.searchsorted(starts, starts[d] + 8192, side="left")))
            group = docs_with[d:e]
            lo, hi = sh_offsets[group[0]], sh_offsets[group[-1] + 1]
            block = ((shingles[lo:hi, None] * a + b) >> np.uint64(32)).astype(np.uint32)
            signatures[group] = np.minimum.reduceat(block, sh_offsets[group] - lo, axis=0)
            d = e

    # samples: sorted unique keys of the sampled shingles of each text
    sampled = (shingles & rate_mask) == 0
    code = (sh_doc[sampled].astype(np.uint64) << np.uint64(32)) | (
        shingles[sampled] >> np.uint64(32)
    )
    code = np.unique(code)
    samples = (code & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    sm_counts = np.bincount((code >> np.uint64(32)).astype(np.int64), minlength=n)
    sm_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(sm_counts, out=sm_offsets[1:])

    clean = _numpy_clean(cp, cdoc, flags, n)
    return signatures, exact, n_tokens, clean, sh_offsets, shingles, sm_offsets, samples


def _numpy_clean(cp: np.ndarray, cdoc: np.ndarray, flags: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n, 2), dtype=np.int64)
    nchar = len(cp)
    if nchar == 0:
        return out
    newline = cp == 10
    line_start = np.ones(nchar, dtype=bool)
    line_start[1:] = newline[:-1] | (cdoc[1:] != cdoc[:-1])
    line = np.cumsum(line_start) - 1
    space = (flags & cc.WHITESPACE) != 0
    prev_space = np.ones(nchar, dtype=bool)
    prev_space[1:] = space[:-1]
    prev_space |= line_start
    ink = ~space
    idx = np.flatnonzero(ink)
    if len(idx) == 0:
        return out
    ink_line = line[idx]
    first_pos = _segment_first(ink_line)
    last_pos = np.append(first_pos[1:], len(idx)) - 1
    lines = ink_line[first_pos]
    length = idx[last_pos] - idx[first_pos] + 1
    words = np.bincount(line[ink & prev_space], minlength=int(line[-1]) + 1)[lines]
    terminal = (flags[idx[last_pos]] & cc.TERMINAL) != 0
    finished = (words <= 12) | terminal
    doc = cdoc[idx[first_pos]]
    out[:, 1] = np.bincount(doc, weights=length, minlength=n).astype(np.int64)
    out[:, 0] = np.bincount(doc, weights=np.where(finished, length, 0), minlength=n).astype(
        np.int64
    )
    return out


# --------------------------------------------------------------------------------------------
# numba backend: the same definitions as one compiled loop


@cache
def _numba_kernel() -> Any:
    if os.environ.get("REPRINTS_BACKEND", "").strip().lower() == "numpy":
        return None
    try:
        from reprints.sketch import _compiled
    except ImportError:
        return None
    return _compiled.sketch_kernel


def compiled_module(name: str) -> Any:
    """The compiled (numba) companion module ``reprints.<name>`` of a stage, or None when the
    numpy backend is in use: every stage picks its backend the same way."""
    if default_backend() != "numba":
        return None
    return _import(name)


@cache
def _import(name: str) -> Any:
    return importlib.import_module(f"reprints.{name}")
