"""Normalise text so that what copying changes does not matter.

Tokens are found in the *original* text and keep their character offsets into it, so every later
stage (alignment, the report) can point at the original. Each token's form is normalised: Unicode
NFKC, case-folded, apostrophes removed. Punctuation, quotes, dashes and whitespace separate tokens
and are otherwise ignored, so curly vs straight quotes, dash styles, spacing and line breaks never
matter. A word split by a hyphen at a line end (``reduc-\\ntion``) is joined back. Scripts written
without spaces (Chinese, Japanese, Thai) give one token per character, so shingles over them are
character n-grams.

Fingerprinting does not call this module: the compiled kernel (:mod:`reprints.sketch.kernel`)
applies the same rules to the UTF-8 bytes of whole batches. This tokenizer keeps offsets into the
original text, for the stages that must point at it (alignment, reports); on ordinary text both
give the same tokens (tested).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Scripts written without spaces between words: one token per character.
_NOSPACE = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3100-\u312f"  # Bopomofo
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f"  # half-width Katakana
)
_APOSTROPHES = "'\u2019\u02bc\uff07"
_WORD_CHAR = rf"(?:(?![{_NOSPACE}])[^\W_])"
TOKEN_RE = re.compile(rf"[{_NOSPACE}]|{_WORD_CHAR}+(?:[{_APOSTROPHES}]{_WORD_CHAR}+)*", re.UNICODE)
_NOSPACE_RE = re.compile(f"[{_NOSPACE}]")
_LINE_END_HYPHEN = re.compile(r"[-\u00ad\u2010\u2011][ \t]*\r?\n[ \t]*\Z")
_APOSTROPHE_TABLE = str.maketrans("", "", _APOSTROPHES)


@dataclass(frozen=True, slots=True)
class Tokens:
    """Normalised tokens of one text with ``[start, end)`` offsets into the original text."""

    forms: list[str]
    starts: list[int]
    ends: list[int]

    def __len__(self) -> int:
        return len(self.forms)


def normalise_form(token: str) -> str:
    """The normalised form of one token.

    >>> normalise_form("Driver\u2019s"), normalise_form("ＡＢＣ"), normalise_form("Straße")
    ('drivers', 'abc', 'strasse')
    """
    return unicodedata.normalize("NFKC", token).casefold().translate(_APOSTROPHE_TABLE)


def tokenize(text: str) -> Tokens:
    """Split ``text`` into normalised tokens, keeping offsets into ``text``.

    >>> t = tokenize("The \u201cquick\u201d reduc-\\ntion, 東京")
    >>> t.forms
    ['the', 'quick', 'reduction', '東', '京']
    >>> t.starts[2], t.ends[2]
    (12, 23)
    """
    forms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in TOKEN_RE.finditer(text):
        start, end = match.span()
        form = normalise_form(match.group())
        if (
            forms
            and start - ends[-1] <= 8
            and _LINE_END_HYPHEN.match(text, ends[-1], start)
            and not _NOSPACE_RE.match(text, start)
            and not _NOSPACE_RE.match(text, ends[-1] - 1)
        ):
            forms[-1] += form
            ends[-1] = end
            continue
        forms.append(form)
        starts.append(start)
        ends.append(end)
    return Tokens(forms, starts, ends)


def normalised_text(tokens: Tokens) -> str:
    """The canonical normalised text: tokens joined by single spaces (used for exact hashing).

    >>> normalised_text(tokenize("A  \u2018b\u2019\\n\\nC"))
    'a b c'
    """
    return " ".join(tokens.forms)
