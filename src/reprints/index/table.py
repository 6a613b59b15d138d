"""The sketch table: every document's fingerprints in flat arrays (the layout later engines share).

Shingle sets are stored CSR-style: ``shingles[offsets[i]:offsets[i+1]]`` holds document ``i``'s
sorted unique shingle hashes. Signatures are one ``uint32`` matrix, exact hashes one byte matrix.
Memory grows with the shingles and signatures, never with the texts, which are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def segment_sums(offsets: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per-document sums of a value array aligned with a CSR table (0 for an empty document).

    >>> segment_sums(np.array([0, 2, 2, 5]), np.array([1, 1, 1, 1, 1])).tolist()
    [2, 0, 3]
    """
    totals = np.zeros(len(values) + 1, dtype=np.result_type(values.dtype, np.int64))
    np.cumsum(values, out=totals[1:])
    return totals[offsets[1:]] - totals[offsets[:-1]]


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


@dataclass(frozen=True, slots=True)
class DocSketch:
    """The fingerprints of one document, computed from its text alone (a pure, parallel step)."""

    exact: bytes
    shingles: np.ndarray  # sorted unique uint64
    signature: np.ndarray  # uint32[num_perm]
    cleanliness: float
    n_tokens: int


@dataclass(slots=True)
class SketchTable:
    """Fingerprints of ``n`` documents, indexed ``0..n-1`` in input order."""

    ids: list[str]
    dates: list[str | None]
    exact: np.ndarray  # (n, 16) uint8
    offsets: np.ndarray  # (n + 1,) int64
    shingles: np.ndarray  # (offsets[-1],) uint64
    signatures: np.ndarray  # (n, num_perm) uint32
    cleanliness: np.ndarray  # (n,) float64
    n_tokens: np.ndarray  # (n,) int64

    def __len__(self) -> int:
        return len(self.ids)

    def shingles_of(self, i: int) -> np.ndarray:
        return self.shingles[self.offsets[i] : self.offsets[i + 1]]

    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)


@dataclass
class SketchTableBuilder:
    """Collects document sketches one at a time, then packs them into a :class:`SketchTable`."""

    num_perm: int
    ids: list[str] = field(default_factory=list)
    dates: list[str | None] = field(default_factory=list)
    _exact: list[bytes] = field(default_factory=list)
    _shingles: list[np.ndarray] = field(default_factory=list)
    _signatures: list[np.ndarray] = field(default_factory=list)
    _clean: list[float] = field(default_factory=list)
    _tokens: list[int] = field(default_factory=list)

    def add(self, doc_id: str, date: str | None, sketch: DocSketch) -> None:
        self.ids.append(doc_id)
        self.dates.append(date)
        self._exact.append(sketch.exact)
        self._shingles.append(sketch.shingles)
        self._signatures.append(sketch.signature)
        self._clean.append(sketch.cleanliness)
        self._tokens.append(sketch.n_tokens)

    def build(self) -> SketchTable:
        n = len(self.ids)
        sizes = np.fromiter((len(s) for s in self._shingles), dtype=np.int64, count=n)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        shingles = (np.concatenate(self._shingles) if n else np.empty(0, dtype=np.uint64)).astype(
            np.uint64, copy=False
        )
        exact = np.frombuffer(b"".join(self._exact), dtype=np.uint8).reshape(n, 16)
        signatures = (
            np.vstack(self._signatures) if n else np.empty((0, self.num_perm), dtype=np.uint32)
        )
        return SketchTable(
            ids=self.ids,
            dates=self.dates,
            exact=exact,
            offsets=offsets,
            shingles=shingles,
            signatures=signatures,
            cleanliness=np.asarray(self._clean, dtype=np.float64),
            n_tokens=np.asarray(self._tokens, dtype=np.int64),
        )
