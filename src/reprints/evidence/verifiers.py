"""Verifiers: the registry of functions that measure candidate pairs and name their relation.

A verifier takes the :class:`~reprints.index.sources.Workspace` and the candidate pairs of its
sources and returns a :class:`Verified`: the related pairs as a flat
:class:`~reprints.evidence.pairs.PairTable` (document indices of the scan, relation codes from
:mod:`reprints.relations`), optionally each document's text evidence for the canonical
choice, and its own counters. A new verifier is one function and one :func:`register_verifier`
line; the engine looks it up by the name its relations give. The built-in verifiers live in
:mod:`reprints.evidence.builtin`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from reprints.errors import ConfigError
from reprints.evidence.pairs import PairTable
from reprints.evidence.scores import TextEvidence
from reprints.index.sources import Workspace


@dataclass(frozen=True)
class DiscountedKeys:
    """The shingle keys each measured document had discounted as boilerplate: ``keys[
    offsets[n]:offsets[n+1]]`` (sorted) are those of document ``docs[n]`` (sorted indices)."""

    docs: np.ndarray
    offsets: np.ndarray
    keys: np.ndarray

    def of(self, doc: int) -> np.ndarray | None:
        """The sorted discounted keys of ``doc``, None when it was not measured.

        >>> d = DiscountedKeys(np.array([3, 7]), np.array([0, 1, 3]), np.array([5, 1, 2]))
        >>> d.of(7).tolist(), d.of(4)
        ([1, 2], None)
        """
        n = int(np.searchsorted(self.docs, doc))
        if n >= len(self.docs) or self.docs[n] != doc:
            return None
        return self.keys[self.offsets[n] : self.offsets[n + 1]]


def discounted_of(found: list[DiscountedKeys], doc: int) -> np.ndarray | None:
    """The keys the first verifier that measured ``doc`` discounted in it (None: none did)."""
    for keys in found:
        got = keys.of(doc)
        if got is not None:
            return got
    return None


@dataclass
class Verified:
    """What a verifier returns."""

    pairs: PairTable
    # how strongly each measured document looks like the original of what it shares
    evidence: TextEvidence | None = None
    counters: dict[str, int] = field(default_factory=dict)
    # what the verifier discounted as boilerplate in each document (for the pairs' evidence)
    discounted: DiscountedKeys | None = None


VerifyFn = Callable[[Workspace, np.ndarray], Verified]
VERIFIERS: dict[str, VerifyFn] = {}


def register_verifier(name: str, verify: VerifyFn) -> None:
    """Register a verifier under ``name``."""
    if name in VERIFIERS:
        raise ConfigError(f"verifier {name!r} is already registered")
    VERIFIERS[name] = verify


def verifier(name: str) -> VerifyFn:
    try:
        return VERIFIERS[name]
    except KeyError:
        raise ConfigError(f"no verifier {name!r} is registered") from None
