"""Word (or character) k-shingles as 64-bit hashes, and the 128-bit exact hash of a text.

A shingle is ``k`` consecutive normalised tokens. Its hash combines the 64-bit xxh3 hashes of its
tokens with a distinct odd multiplier per position and a final 64-bit mixer, all in vectorised
numpy arithmetic modulo 2**64, so a document's shingles cost one pass over its token hashes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xxhash

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _position_multipliers(k: int) -> np.ndarray:
    rng = np.random.default_rng(0x5EED + k)
    return rng.integers(1, 2**63, size=k, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


def mix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, applied element-wise (a bijection on uint64).

    >>> int(mix64(np.array([1], dtype=np.uint64))[0]) != 1
    True
    """
    x = x.astype(np.uint64, copy=True)
    with np.errstate(over="ignore"):
        x ^= x >> np.uint64(30)
        x *= _M1
        x ^= x >> np.uint64(27)
        x *= _M2
        x ^= x >> np.uint64(31)
    return x


def token_hashes(forms: Sequence[str]) -> np.ndarray:
    """64-bit xxh3 hash of each normalised token.

    >>> token_hashes(["a", "b"]).dtype
    dtype('uint64')
    """
    h = xxhash.xxh3_64_intdigest
    return np.fromiter((h(f.encode("utf-8")) for f in forms), dtype=np.uint64, count=len(forms))


def shingle_hashes(tokens: np.ndarray, k: int) -> np.ndarray:
    """Hashes of all ``k``-shingles of a token-hash array, in document order.

    Position ``i`` of the result is the shingle starting at token ``i``. A text shorter than ``k``
    tokens gives one shingle of all its tokens; an empty text gives none.

    >>> t = token_hashes("a rose is a rose is a rose".split())
    >>> s = shingle_hashes(t, 3)
    >>> len(s), len(set(s.tolist()))
    (6, 3)
    """
    n = len(tokens)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    width = min(k, n)
    mult = _position_multipliers(k)
    count = n - width + 1
    acc = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(width):
            acc += tokens[j : j + count] * mult[j]
    return mix64(acc)


def exact_hash(normalised: str) -> bytes:
    """128-bit xxh3 digest of a normalised text: equal for texts equal after normalisation.

    >>> len(exact_hash("a b c"))
    16
    """
    return xxhash.xxh3_128_digest(normalised.encode("utf-8"))


def sample_mask(shingles: np.ndarray, rate: int) -> np.ndarray:
    """Consistent 1-in-``rate`` sample of shingles, chosen by hash value: two documents sample the
    same shingles wherever they share them, so shared samples estimate shared shingles.

    >>> s = np.arange(16, dtype=np.uint64)
    >>> int(sample_mask(s, 4).sum())
    4
    """
    if rate == 1:
        return np.ones(len(shingles), dtype=bool)
    return (shingles & np.uint64(rate - 1)) == np.uint64(0)
