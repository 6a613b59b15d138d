"""The results of a scan as plain data: pairs, clusters and counters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reprints.config import ReadConfig
from reprints.evidence.pairs import PairTable
from reprints.io.reader import ReadStats
from reprints.relations import Relation


@dataclass(frozen=True, slots=True)
class Pair:
    """One verified pair of documents and why they are related."""

    a: str
    b: str
    relation: Relation
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float
    raw_jaccard: float
    shared_shingles: int
    boilerplate_discounted: int
    why: str
    container: str | None = None
    contained: str | None = None
    # passage evidence where a verifier aligned passages (rewrite): aligned, added_in_a,
    # added_in_b, boilerplate, in character offsets of the original texts
    # (a Mapping: the shingle relations' evidence is held compactly; dict(pair.evidence) or
    # to_dict() gives plain lists)
    evidence: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "a": self.a,
            "b": self.b,
            "relation": str(self.relation),
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
        if self.evidence is not None:
            out.update(self.evidence)
        out["why"] = self.why
        return out


@dataclass(frozen=True, slots=True)
class Cluster:
    """A group of two or more copies of one text, with its canonical member."""

    cluster: str
    canonical: str
    members: list[str]
    why: str
    # each member's language where it is known (given by the input, or detected for the
    # documents of rewrite and translation pairs)
    langs: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "cluster": self.cluster,
            "canonical": self.canonical,
            "members": self.members,
            "why": self.why,
        }
        if self.langs:
            out["langs"] = self.langs
        return out


@dataclass
class StageStats:
    """One stage's time and its own counters (they end up in ``summary.json``)."""

    seconds: float = 0.0
    counters: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {"seconds": round(self.seconds, 3), **dict(sorted(self.counters.items()))}


@dataclass
class ScanStats:
    """Counters and timings of one scan, for the summary: what reading saw, then each stage."""

    read: ReadStats = field(default_factory=ReadStats)
    notes: list[str] = field(default_factory=list)  # warnings of the stages after reading
    stages: dict[str, StageStats] = field(default_factory=dict)
    pairs: Counter[str] = field(default_factory=Counter)
    clusters: int = 0
    clustered_documents: int = 0
    total_seconds: float = 0.0

    @property
    def warnings(self) -> list[str]:
        """Every warning: reading's, then the later stages' (dates that are not ISO dates)."""
        return self.read.messages + self.notes

    @property
    def documents(self) -> int:
        return self.read.read

    @property
    def skipped(self) -> Counter[str]:
        return self.read.skipped

    @property
    def changed(self) -> Counter[str]:
        return self.read.changed

    @property
    def candidates(self) -> Counter[str]:
        stage = self.stages.get("candidates")
        return stage.counters if stage else Counter()

    @property
    def seconds(self) -> dict[str, float]:
        return {name: stage.seconds for name, stage in self.stages.items()}

    def stage(self, name: str) -> StageStats:
        """The stats of stage ``name`` (created on first use)."""
        return self.stages.setdefault(name, StageStats())


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
    table: PairTable | None = None  # the flat pair table, indices into ``ids``
    ids: list[str] = field(default_factory=list)
    # the inputs as read (absolute paths; "-" for standard input) and how they were read: the
    # report reads the texts again from them
    inputs: list[str] = field(default_factory=list)
    read: ReadConfig | None = None

    @property
    def cluster_of(self) -> dict[str, str]:
        return {m: c.cluster for c in self.clusters for m in c.members}

    @property
    def dropped(self) -> dict[str, str]:
        """Ids a dedup drops, each mapped to the canonical member it copies."""
        return {m: c.canonical for c in self.clusters for m in c.members if m != c.canonical}
