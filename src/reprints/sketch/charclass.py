"""The character classes that fingerprint tokenisation runs on, one byte per Unicode code point.

Bits 0-2 hold the token class:

- ``WORD``: letters, digits and combining marks (``str.isalnum`` or category ``M*``): runs of them
  are tokens;
- ``NOSPACE``: characters of scripts written without spaces (Chinese, Japanese, Thai, Lao,
  Myanmar, Khmer): one token each, so shingles over them are character n-grams;
- ``APOSTROPHE``: dropped inside a word (``don't`` -> ``dont``), a separator elsewhere;
- ``HYPHEN``: joins a word broken at a line end (``reduc-\\ntion``), a separator elsewhere (a soft
  hyphen, U+00AD, is also dropped between two word characters: :mod:`reprints.sketch.tokens`);
- ``SEPARATOR``: everything else (punctuation, symbols, spaces).

Bit 3 marks whitespace (``str.isspace``), bit 4 the punctuation that ends a finished line
(cleanliness). The table is shipped with the package (``charclass.npz``, built by ``python -m
reprints.sketch.charclass``) so that every machine, whatever its Python's Unicode version,
tokenises alike: a Spark executor and a laptop give the same fingerprints.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import numpy as np

SEPARATOR, WORD, NOSPACE, APOSTROPHE, HYPHEN = 0, 1, 2, 3, 4
CLASS_MASK = 7
WHITESPACE = 8
TERMINAL = 16
_FLAGS = np.uint8(0xFF ^ CLASS_MASK)

NOSPACE_RANGES = (
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width Katakana
    (0x20000, 0x3134F),  # CJK extensions B-G
)
APOSTROPHES = "'\u2019\u02bc\uff07"
HYPHENS = "-\u00ad\u2010\u2011"
TERMINALS = ".!?\u3002\uff01\uff1f\"'\u201d\u2019)]\u00bb:;\u2026"

_PATH = Path(__file__).with_name("charclass.npz")


def build_table() -> np.ndarray:
    """Compute the table from this Python's Unicode database (about a second)."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for code in range(0x110000):
        char = chr(code)
        if char.isalnum() or unicodedata.category(char).startswith("M"):
            table[code] = WORD
        if char.isspace():
            table[code] |= WHITESPACE
    for lo, hi in NOSPACE_RANGES:
        segment = table[lo : hi + 1]
        word = (segment & CLASS_MASK) == WORD
        segment[word] = (segment[word] & _FLAGS) | NOSPACE
    for chars, cls in ((APOSTROPHES, APOSTROPHE), (HYPHENS, HYPHEN)):
        for char in chars:
            table[ord(char)] = (table[ord(char)] & _FLAGS) | cls
    for char in TERMINALS:
        table[ord(char)] |= TERMINAL
    return table


@cache
def char_table() -> np.ndarray:
    """The shipped table (read once per process)."""
    with np.load(_PATH) as data:
        table = data["table"]
    assert table.shape == (0x110000,) and table.dtype == np.uint8
    return table


def shipped_unicode_version() -> str:
    with np.load(_PATH) as data:
        return str(data["unicode_version"])


def main() -> None:  # pragma: no cover - run by hand when the Unicode rules change
    np.savez_compressed(
        _PATH, table=build_table(), unicode_version=np.array(unicodedata.unidata_version)
    )
    print(f"wrote {_PATH} (Unicode {unicodedata.unidata_version})")


if __name__ == "__main__":  # pragma: no cover
    main()
