"""Typed configuration: the relations between documents, the levels that join clusters, settings."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from reprints.errors import ConfigError


class Relation(enum.StrEnum):
    """How two documents are related, from the strictest to the loosest."""

    EXACT = "exact"
    NEAR_DUPLICATE = "near_duplicate"
    CONTAINMENT = "containment"
    PARTIAL = "partial"


class Level(enum.Enum):
    """Which relations join clusters: an ordered set, each level a superset of the one before.

    Later levels (``rewrite``, ``event``) extend the chain with looser relations.

    >>> Level.parse("near").joins(Relation.CONTAINMENT)
    True
    >>> Level.parse("exact").joins(Relation.NEAR_DUPLICATE)
    False
    """

    EXACT = ("exact", frozenset({Relation.EXACT}))
    NEAR = ("near", frozenset({Relation.EXACT, Relation.NEAR_DUPLICATE, Relation.CONTAINMENT}))

    @property
    def label(self) -> str:
        return self.value[0]

    @property
    def relations(self) -> frozenset[Relation]:
        return self.value[1]

    def joins(self, relation: Relation) -> bool:
        """True when ``relation`` puts two documents in one cluster at this level."""
        return relation in self.relations

    @classmethod
    def parse(cls, name: str | Level) -> Level:
        if isinstance(name, Level):
            return name
        for level in cls:
            if level.label == name:
                return level
        known = ", ".join(level.label for level in cls)
        raise ConfigError(f"unknown level {name!r}; known levels: {known}")


class OnError(enum.StrEnum):
    """What to do with a bad input record: stop with an error, or skip it and count it."""

    RAISE = "raise"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class ReadConfig:
    """How inputs are read."""

    id_field: str = "id"
    text_field: str = "text"
    on_error: OnError = OnError.RAISE
    max_chars: int = 2_000_000

    def __post_init__(self) -> None:
        if self.max_chars < 1:
            raise ConfigError("max_chars must be at least 1")
        object.__setattr__(self, "on_error", OnError(self.on_error))


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """Every setting of a scan, validated once. Defaults were tuned on the dev splits only.

    >>> ScanConfig(level="near").level is Level.NEAR
    True
    """

    level: Level = Level.NEAR
    read: ReadConfig = field(default_factory=ReadConfig)
    shingle_size: int = 5
    num_perm: int = 128
    seed: int = 1
    lsh_threshold: float = 0.5
    max_bucket: int = 64
    sample_rate: int = 4
    max_postings: int = 64
    jaccard_threshold: float = 0.6
    containment_threshold: float = 0.7
    partial_min_shingles: int = 15
    boilerplate_min_df: int = 5
    boilerplate_ratio: float = 4.0
    boilerplate_quantile: float = 0.1
    anchor_containment: float = 0.5
    workers: int = 1
    progress: bool = False
    spill_dir: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", Level.parse(self.level))
        if self.shingle_size < 1:
            raise ConfigError("shingle_size must be at least 1")
        if self.num_perm < 8 or self.num_perm % 2:
            raise ConfigError("num_perm must be an even number of at least 8")
        for name in (
            "lsh_threshold",
            "jaccard_threshold",
            "containment_threshold",
            "boilerplate_quantile",
            "anchor_containment",
        ):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ConfigError(f"{name} must be in (0, 1], got {value}")
        if self.sample_rate < 1 or self.sample_rate & (self.sample_rate - 1):
            raise ConfigError("sample_rate must be a power of two")
        if self.max_bucket < 2 or self.max_postings < 2:
            raise ConfigError("max_bucket and max_postings must be at least 2")
        if self.workers < 1:
            raise ConfigError("workers must be at least 1")
