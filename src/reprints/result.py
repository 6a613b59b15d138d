"""The results of a scan as plain data: pairs, clusters and counters."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Pair:
    """One verified pair of documents and why they are related."""

    a: str
    b: str
    relation: str
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float
    raw_jaccard: float
    shared_shingles: int
    boilerplate_discounted: int
    why: str
    container: str | None = None
    contained: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "a": self.a,
            "b": self.b,
            "relation": self.relation,
            "jaccard": round(self.jaccard, 4),
            "containment_a_in_b": round(self.containment_a_in_b, 4),
            "containment_b_in_a": round(self.containment_b_in_a, 4),
        }
        if self.container is not None:
            out["container"] = self.container
            out["contained"] = self.contained
        out["raw_jaccard"] = round(self.raw_jaccard, 4)
        out["shared_shingles"] = self.shared_shingles
        out["boilerplate_discounted"] = self.boilerplate_discounted
        out["why"] = self.why
        return out


@dataclass(frozen=True, slots=True)
class Cluster:
    """A group of two or more copies of one text, with its canonical member."""

    cluster: str
    canonical: str
    members: list[str]
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "cluster": self.cluster,
            "canonical": self.canonical,
            "members": self.members,
            "why": self.why,
        }


@dataclass
class ScanStats:
    """Counters and timings of one scan, for the summary."""

    documents: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    candidates: Counter[str] = field(default_factory=Counter)
    pairs: Counter[str] = field(default_factory=Counter)
    clusters: int = 0
    clustered_documents: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class ScanResult:
    """What :func:`reprints.scan` returns.

    ``pairs`` are every verified pair (all relations, joining or not); ``clusters`` only clusters of
    two or more documents; ``cluster_of`` maps every clustered document id to its cluster id.
    """

    pairs: list[Pair]
    clusters: list[Cluster]
    stats: ScanStats
    level: str

    @property
    def cluster_of(self) -> dict[str, str]:
        return {m: c.cluster for c in self.clusters for m in c.members}

    @property
    def dropped(self) -> dict[str, str]:
        """Ids a dedup drops, each mapped to the canonical member it copies."""
        return {m: c.canonical for c in self.clusters for m in c.members if m != c.canonical}
