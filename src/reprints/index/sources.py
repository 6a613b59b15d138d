"""Candidate sources: the registry of functions that propose pairs of documents to verify.

Each source takes the :class:`Workspace` (the sketch table, the configuration, the exact-copy
groups) and returns candidate pairs ``(i, j)``, ``i < j``, of representatives (exact copies are
collapsed first), plus its own counters. A relation names the sources that feed its verifier
(:mod:`reprints.relations`); the engine runs each source the level needs once. A new source is
one function and one :func:`register_source` line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from reprints.config import ScanConfig
from reprints.errors import ConfigError
from reprints.index.lsh import lsh_candidates, optimal_bands
from reprints.index.postings import containment_candidates
from reprints.index.table import SketchTable
from reprints.relations import Relation


class TextSource(Protocol):
    """Documents' texts by scan index (see :class:`reprints.io.reader.InputTexts`)."""

    def read(self, wanted: Iterable[int]) -> list[str]: ...

    def stream(self) -> Iterator[tuple[int, str]]: ...

    def rereadable(self) -> bool: ...

    @property
    def given_lang(self) -> dict[int, str]: ...


@dataclass
class Workspace:
    """What the stages after fingerprinting share: the sketch table, the configuration, each
    document's exact-copy representative, and what one stage leaves for a later one
    (``artifacts``: for example the sampled keys' document frequencies)."""

    table: SketchTable
    config: ScanConfig
    group: np.ndarray  # (n,) int64: each document's representative among its exact copies
    rank: np.ndarray  # (n,) int64: position in the canonical order (date, id): breaks ties
    release: bool = False  # free table parts as soon as no later stage needs them
    # what one stage leaves for a later one; given from outside: ``corpus_df`` (the sampled keys'
    # document frequencies over a larger corpus than the table, from a persistent index)
    artifacts: dict[str, Any] = field(default_factory=dict)
    # the texts of the documents, read again from the inputs (``read(indices)``, ``stream()``)
    # for sources and verifiers that need words, not fingerprints (the rewrite level); None
    # where there are no inputs to read
    texts: TextSource | None = None

    @property
    def representatives(self) -> np.ndarray:
        """Sorted indices of the documents that stand for their exact copies."""
        return np.flatnonzero(self.group == np.arange(len(self.group)))


Counters = dict[str, int]
SourceFn = Callable[[Workspace], tuple[np.ndarray, Counters]]


@dataclass(frozen=True, slots=True)
class CandidateSource:
    """A named candidate source and the parts of the sketch table it reads."""

    name: str
    find: SourceFn
    needs: frozenset[str] = frozenset()  # "signatures", "samples", "texts"


SOURCES: dict[str, CandidateSource] = {}


def register_source(name: str, find: SourceFn, needs: frozenset[str] = frozenset()) -> None:
    """Register a candidate source under ``name`` (replacing none)."""
    if name in SOURCES:
        raise ConfigError(f"candidate source {name!r} is already registered")
    SOURCES[name] = CandidateSource(name, find, needs)


def reads_texts(relations: Iterable[Relation]) -> bool:
    """Whether verifying these relations reads documents' texts again from the inputs (a
    source that needs ``texts``): an input that cannot be read twice (stdin) must be saved."""
    return any("texts" in source(name).needs for r in relations for name in r.sources)


def source(name: str) -> CandidateSource:
    try:
        return SOURCES[name]
    except KeyError:
        raise ConfigError(f"no candidate source {name!r} is registered") from None


def exact_pairs(ws: Workspace) -> tuple[np.ndarray, Counters]:
    """Each exact copy paired with its representative: ``(representative, copy)``."""
    copies = np.flatnonzero(ws.group != np.arange(len(ws.group)))
    pairs = np.stack([ws.group[copies], copies], axis=1).astype(np.int64).reshape(-1, 2)
    return pairs, {"exact_copies": len(copies)}


def lsh_pairs(ws: Workspace) -> tuple[np.ndarray, Counters]:
    """Representatives sharing an LSH band of their MinHash signatures."""
    reps = ws.representatives
    c = ws.config.candidates
    bands, rows = optimal_bands(c.lsh_threshold, ws.config.sketch.num_perm)
    with_words = reps[ws.table.n_tokens[reps] > 0]  # wordless texts have no signature
    found = with_words[
        lsh_candidates(
            ws.table.signature_chunks, bands, rows, c.max_bucket, with_words, ws.rank[with_words]
        )
    ]
    return found, {"lsh": len(found)}


def containment_pairs(ws: Workspace) -> tuple[np.ndarray, Counters]:
    """Representatives sharing enough sampled shingle keys (one may hold the other); leaves
    every sample's document frequency for the boilerplate model (``artifacts["sample_df"]``)."""
    is_rep = np.zeros(len(ws.table), dtype=bool)
    is_rep[ws.representatives] = True
    c = ws.config.candidates
    found, sample_df = containment_candidates(
        ws.table.sample_offsets,
        ws.table.samples,
        c.max_postings,
        min_shared=c.min_shared,
        min_share=c.min_share,
        star_share=c.star_share,
        include=is_rep,
    )
    # a persistent index gives the frequencies over everything it holds, which the documents
    # of this workspace (a query and its neighbours) are only a part of
    known = ws.artifacts.pop("corpus_df", None)
    ws.artifacts["sample_df"] = sample_df if known is None else np.maximum(sample_df, known)
    return found, {"containment_index": len(found)}


register_source("exact_hash", exact_pairs)
register_source("lsh", lsh_pairs, frozenset({"signatures"}))
register_source("containment_index", containment_pairs, frozenset({"samples"}))
