"""MinHash signatures over 64-bit shingle hashes.

Permutation ``i`` maps a shingle hash ``x`` to ``(a_i * x + b_i) mod 2**64 >> 32`` (multiply-shift
hashing, ``a_i`` odd); the signature keeps the minimum over the document's shingles for each of
``num_perm`` permutations. For two sets with Jaccard similarity ``J``, each signature position
agrees with probability ``J`` (up to the 2**-32 resolution), so the share of agreeing positions
estimates ``J`` with standard error ``sqrt(J(1-J)/num_perm)``, as in datasketch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EMPTY_VALUE = np.uint32(0xFFFFFFFF)


@dataclass(frozen=True, slots=True)
class Permutations:
    """The ``a`` and ``b`` parameters of ``num_perm`` hash permutations, from a seed."""

    a: np.ndarray
    b: np.ndarray

    @classmethod
    def create(cls, num_perm: int, seed: int = 1) -> Permutations:
        rng = np.random.default_rng(seed)
        a = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        return cls(a, b)

    @property
    def num_perm(self) -> int:
        return len(self.a)


def signature(shingles: np.ndarray, perms: Permutations, chunk: int = 2048) -> np.ndarray:
    """The MinHash signature (``uint32[num_perm]``) of a set of shingle hashes.

    >>> p = Permutations.create(64)
    >>> x = np.arange(1, 1000, dtype=np.uint64)
    >>> (signature(x, p) == signature(x[::-1], p)).all()
    np.True_
    """
    out = np.full(perms.num_perm, EMPTY_VALUE, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for start in range(0, len(shingles), chunk):
            block = shingles[start : start + chunk, None]
            values = ((block * perms.a + perms.b) >> np.uint64(32)).astype(np.uint32)
            np.minimum(out, values.min(axis=0), out=out)
    return out


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Share of equal positions of two signatures: an estimate of the Jaccard similarity.

    >>> p = Permutations.create(128)
    >>> a = np.arange(0, 1000, dtype=np.uint64); b = np.arange(500, 1500, dtype=np.uint64)
    >>> abs(estimate_jaccard(signature(a, p), signature(b, p)) - 1/3) < 0.15
    True
    """
    return float(np.mean(sig_a == sig_b))
