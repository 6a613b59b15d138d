"""The hash functions of fingerprinting, as plain numpy over 64-bit integers.

- A token's hash is *tabulation hashing* of its UTF-8 bytes: the XOR of one random 64-bit table
  entry per (position, byte), rotated for positions past 64, then the splitmix64 finaliser of that
  XOR with the token length. Tabulation hashing is 3-independent and needs no sequential state, so
  the compiled kernel and the numpy fallback compute it identically.
- A shingle is ``k`` consecutive tokens: its hash combines the token hashes with a distinct odd
  multiplier per position, then the finaliser.
- The exact hash (128 bits) of a text is two position-keyed sums over its token hashes: equal
  for texts whose normalised token sequences are equal.
"""

from __future__ import annotations

import functools

import numpy as np

M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
K_EXACT_1 = np.uint64(0xD6E8FEB86659FD93)
K_EXACT_2 = np.uint64(0xA0761D6478BD642F)
K_EXACT_3 = np.uint64(0xE7037ED1A0B428DB)
TABLE_POSITIONS = 64


def position_multipliers(k: int) -> np.ndarray:
    """One odd 64-bit multiplier per token position of a ``k``-shingle."""
    rng = np.random.default_rng(0x5EED + k)
    return rng.integers(1, 2**63, size=k, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


@functools.cache
def byte_table() -> np.ndarray:
    """The tabulation-hashing table: ``(64 positions, 256 byte values)`` random uint64, built
    once and shared (never written to)."""
    rng = np.random.default_rng(0x7AB1E)
    return rng.integers(0, 2**64, size=(TABLE_POSITIONS, 256), dtype=np.uint64, endpoint=False)


def mix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, element-wise (a bijection on uint64).

    >>> int(mix64(np.array([1], dtype=np.uint64))[0]) != 1
    True
    """
    x = np.asarray(x, dtype=np.uint64).copy()
    with np.errstate(over="ignore"):
        x ^= x >> np.uint64(30)
        x *= M1
        x ^= x >> np.uint64(27)
        x *= M2
        x ^= x >> np.uint64(31)
    return x


def rotl(x: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Rotate 64-bit values left by ``r`` (0..63) bits, element-wise."""
    r = np.asarray(r, dtype=np.uint64)
    left = x << r
    right = np.where(r == 0, np.uint64(0), x >> ((np.uint64(64) - r) & np.uint64(63)))
    return left | right


def token_hash(token: bytes) -> int:
    """The hash of one token's (already normalised) UTF-8 bytes: the reference definition.

    >>> token_hash(b"rose") == token_hash(b"rose") != token_hash(b"rise")
    True
    """
    table = byte_table()
    data = np.frombuffer(token, dtype=np.uint8)
    pos = np.arange(len(data))
    parts = rotl(table[pos % TABLE_POSITIONS, data], (pos // TABLE_POSITIONS) % 64)
    h = np.bitwise_xor.reduce(parts) if len(parts) else np.uint64(0)
    with np.errstate(over="ignore"):
        return int(mix64(np.array([h ^ (np.uint64(len(data)) * GOLDEN)]))[0])


def shingle_hashes(tokens: np.ndarray, k: int) -> np.ndarray:
    """Hashes of all ``k``-shingles of a token-hash array, in document order.

    Position ``i`` of the result is the shingle starting at token ``i``. A text shorter than ``k``
    tokens gives one shingle of all its tokens; an empty text gives none.

    >>> t = np.array([token_hash(w.encode()) for w in "a rose is a rose is a rose".split()],
    ...              dtype=np.uint64)
    >>> s = shingle_hashes(t, 3)
    >>> len(s), len(set(s.tolist()))
    (6, 3)
    """
    n = len(tokens)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    width = min(k, n)
    mult = position_multipliers(k)
    count = n - width + 1
    acc = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(width):
            acc += tokens[j : j + count] * mult[j]
    return mix64(acc)


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


def sample_keys(shingles: np.ndarray) -> np.ndarray:
    """The 32-bit key a sampled shingle is indexed under (its high half; the low bits chose it)."""
    return (shingles >> np.uint64(32)).astype(np.uint32)
