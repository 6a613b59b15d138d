"""The sketch table: every document's fingerprints in flat arrays (the layout later engines share).

Variable-length sets are CSR tables: ``values[offsets[i]:offsets[i+1]]`` belongs to document
``i``. Signatures are ``uint32`` row blocks, exact hashes a ``(n, 2)`` ``uint64`` matrix; full
shingle sets stay on disk in the spill files. Texts are never kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from reprints.index.store import BatchLocations, Locations, ShingleStore
from reprints.sketch.kernel import BatchSketch


def segment_sums(offsets: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per-document sums of a value array aligned with a CSR table (0 for an empty document).

    Works block by block, so no temporary grows with the whole table.

    >>> segment_sums(np.array([0, 2, 2, 5]), np.array([1, 1, 1, 1, 1])).tolist()
    [2, 0, 3]
    """
    n = len(offsets) - 1
    out = np.zeros(n, dtype=np.int64)
    sizes = np.diff(offsets)
    nonempty = np.flatnonzero(sizes > 0)
    step = 1 << 16
    for lo in range(0, len(nonempty), step):
        rows = nonempty[lo : lo + step]
        start, stop = int(offsets[rows[0]]), int(offsets[rows[-1] + 1])
        out[rows] = np.add.reduceat(values[start:stop], offsets[rows] - start, dtype=np.int64)
    return out


def concat_release(
    parts: list[np.ndarray], dtype: type | np.dtype, shape: tuple[int, ...] = ()
) -> np.ndarray:
    """``np.concatenate(parts)``, emptying ``parts`` as it copies: each part is freed once copied,
    so the peak is the result plus one part, not twice the data.

    >>> parts = [np.arange(3), np.arange(2)]
    >>> concat_release(parts, np.int64).tolist(), parts
    ([0, 1, 2, 0, 1], [])
    """
    total = sum(len(p) for p in parts)
    out = np.empty((total, *shape), dtype=dtype)
    at = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        out[at : at + len(part)] = part
        at += len(part)
        del part
    return out


def subset_rows(
    offsets: np.ndarray, values: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The CSR table of the given rows (sorted ascending), as ``(offsets, values)``.

    >>> o, v = subset_rows(np.array([0, 2, 3, 5]), np.arange(5), np.array([0, 2]))
    >>> o.tolist(), v.tolist()
    ([0, 2, 4], [0, 1, 3, 4])
    """
    sizes = np.diff(offsets)
    keep = np.zeros(len(sizes), dtype=bool)
    keep[rows] = True
    new_offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(sizes[rows], out=new_offsets[1:])
    return new_offsets, values[np.repeat(keep, sizes)]


@dataclass(slots=True)
class SketchTable:
    """Fingerprints of ``n`` documents, indexed ``0..n-1`` in input order.

    Per document: ~512 B of signature (128 permutations), ~4 B per sampled shingle (1 in
    ``sample_rate``), 16 B exact hash and a few counters in memory; its full shingle set stays in
    the spill files (8 B per shingle, on disk) until verification needs it.
    """

    ids: list[str]
    dates: list[str | None]
    exact: np.ndarray  # (n, 2) uint64
    n_tokens: np.ndarray  # (n,) int64
    cleanliness: np.ndarray  # (n,) float64
    signature_chunks: list[np.ndarray]  # row blocks of the (n, num_perm) uint32 signatures
    sample_offsets: np.ndarray  # (n + 1,) int64
    samples: np.ndarray  # uint32 keys of sampled shingles, sorted unique per document
    store: ShingleStore
    locations: Locations  # where each document's shingles are in the store
    # (n,) bool: the document's url addresses a print or AMP view of a page (text/urls.py)
    views: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # (n,) int64: the site of each document's url (text/urls.py site_hash; 0: no url)
    sites: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # the date line each document's text shows near its top (text/dates.py), apart from ``dates``
    shown: list[str | None] = field(default_factory=list)
    # (n,) bool: its text credits another source for it (text/credits.py)
    credited: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def n_shingles(self) -> np.ndarray:
        """Shingles per document, ``(n,) int64``."""
        return self.locations.count

    def __len__(self) -> int:
        return len(self.ids)

    def signatures(self) -> np.ndarray:
        """The whole ``(n, num_perm)`` signature matrix (a copy: for small tables and tests)."""
        return np.concatenate(self.signature_chunks)

    def read_shingles(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The given documents' shingle hashes in document order, as a CSR table (read back
        from the store)."""
        return self.store.read(self.locations.take(docs))

    def release_signatures(self) -> None:
        """Free the signatures once candidates are found (they are the largest part)."""
        self.signature_chunks = []

    def release_samples(self) -> None:
        """Free the sampled keys once the containment index holds its own copy."""
        self.samples = np.empty(0, dtype=np.uint32)
        self.sample_offsets = np.zeros(1, dtype=np.int64)


@dataclass
class SketchTableBuilder:
    """Collects fingerprinted batches, then packs them into a :class:`SketchTable`."""

    num_perm: int
    store: ShingleStore
    ids: list[str] = field(default_factory=list)
    dates: list[str | None] = field(default_factory=list)
    views: list[bool] = field(default_factory=list)
    sites: list[int] = field(default_factory=list)
    shown: list[str | None] = field(default_factory=list)
    credited: list[bool] = field(default_factory=list)
    _exact: list[np.ndarray] = field(default_factory=list)
    _tokens: list[np.ndarray] = field(default_factory=list)
    _clean: list[np.ndarray] = field(default_factory=list)
    _signatures: list[np.ndarray] = field(default_factory=list)
    _sample_counts: list[np.ndarray] = field(default_factory=list)
    _samples: list[np.ndarray] = field(default_factory=list)
    _locations: list[Locations] = field(default_factory=list)

    def add(
        self,
        ids: list[str],
        dates: list[str | None],
        batch: BatchSketch,
        rows: np.ndarray,
        where: BatchLocations,
        views: list[bool] | None = None,
        sites: list[int] | None = None,
        shown: list[str | None] | None = None,
        credited: list[bool] | None = None,
    ) -> None:
        """Add the given ``rows`` of a fingerprinted batch (whose shingles the store holds
        at ``where``); ``views`` flags print and AMP views and ``sites`` names the site of
        each url, one per id."""
        if len(rows) == 0:
            return
        self.ids.extend(ids)
        self.dates.extend(dates)
        self.views.extend(views if views is not None else [False] * len(ids))
        self.sites.extend(sites if sites is not None else [0] * len(ids))
        self.shown.extend(shown if shown is not None else [None] * len(ids))
        self.credited.extend(credited if credited is not None else [False] * len(ids))
        self._exact.append(batch.exact[rows])
        self._tokens.append(batch.n_tokens[rows])
        self._clean.append(batch.cleanliness[rows])
        self._signatures.append(batch.signatures[rows])
        _, samples = subset_rows(batch.sample_offsets, batch.samples, rows)
        self._sample_counts.append(np.diff(batch.sample_offsets)[rows])
        self._samples.append(samples)
        self._locations.append(self.store.locate(where, rows))

    def build(self) -> SketchTable:
        def cat(parts: list[np.ndarray], dtype: type, shape: tuple[int, ...] = ()) -> np.ndarray:
            return concat_release(parts, dtype, shape)

        counts = cat(self._sample_counts, np.int64)
        sample_offsets = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=sample_offsets[1:])
        signatures = self._signatures
        if not signatures:
            signatures = [np.empty((0, self.num_perm), dtype=np.uint32)]
        return SketchTable(
            ids=self.ids,
            dates=self.dates,
            exact=cat(self._exact, np.uint64, (2,)),
            n_tokens=cat(self._tokens, np.int64),
            cleanliness=cat(self._clean, np.float64),
            signature_chunks=signatures,
            sample_offsets=sample_offsets,
            samples=cat(self._samples, np.uint32),
            store=self.store,
            locations=Locations.concat(self._locations),
            views=np.asarray(self.views, dtype=bool),
            sites=np.asarray(self.sites, dtype=np.int64),
            shown=self.shown,
            credited=np.asarray(self.credited, dtype=bool),
        )
