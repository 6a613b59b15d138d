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


@dataclass
class Verified:
    """What a verifier returns."""

    pairs: PairTable
    # how strongly each measured document looks like the original of what it shares
    evidence: TextEvidence | None = None
    counters: dict[str, int] = field(default_factory=dict)


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
