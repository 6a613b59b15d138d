"""The shingle store: where every document's shingle hashes live between fingerprinting and
verification.

Fingerprinting writes a batch's shingles through a :class:`ShingleWriter` and keeps only their
:class:`Locations`; verification reads back the documents it needs as one CSR table. Two stores
implement it: :class:`reprints.index.spill.SpillStore` (temporary files, one per worker process,
removed when the scan ends) and :class:`MemoryStore` (in memory, one process: tests, small
corpora). The persistent index is a third. Every store passes the same tests
(``tests/test_store.py``).

>>> store = MemoryStore()
>>> loc = store.writer("w").write(np.array([0, 2, 3]), np.array([7, 8, 9], dtype=np.uint64))
>>> offsets, values = store.read(store.locate(loc, np.array([1, 0])))
>>> offsets.tolist(), values.tolist()
([0, 1, 3], [9, 7, 8])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from reprints.errors import ReprintsError


@dataclass(frozen=True, slots=True)
class BatchLocations:
    """Where a writer put a batch: its part (a writer's name) and each row's start and count."""

    part: str
    starts: np.ndarray  # int64
    counts: np.ndarray  # int64


@dataclass(frozen=True, slots=True)
class Locations:
    """Where some documents' shingles are: part index, start and count per document."""

    part: np.ndarray  # int32, index into the store's parts
    start: np.ndarray  # int64
    count: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.part)

    def take(self, rows: np.ndarray) -> Locations:
        return Locations(self.part[rows], self.start[rows], self.count[rows])

    @classmethod
    def concat(cls, parts: list[Locations]) -> Locations:
        if not parts:
            empty = np.empty(0, dtype=np.int64)
            return cls(np.empty(0, dtype=np.int32), empty, empty)
        return cls(
            np.concatenate([p.part for p in parts]),
            np.concatenate([p.start for p in parts]),
            np.concatenate([p.count for p in parts]),
        )


class ShingleWriter(Protocol):
    """Appends batches of shingle rows to one part of a store."""

    def write(self, offsets: np.ndarray, values: np.ndarray) -> BatchLocations:
        """Store the CSR rows ``values[offsets[i]:offsets[i+1]]``; return where they went."""
        ...

    def close(self) -> None: ...


class ShingleStore(Protocol):
    """Shingle hashes of every document, written in batches, read back by location."""

    def writer(self, name: str) -> ShingleWriter:
        """A writer of a new part (one per process that writes)."""
        ...

    def locate(self, batch: BatchLocations, rows: np.ndarray) -> Locations:
        """The locations of the given rows of a written batch (in this process)."""
        ...

    def read(self, where: Locations) -> tuple[np.ndarray, np.ndarray]:
        """The CSR table ``(offsets, values)`` of the documents at ``where``, in that order."""
        ...

    def remove(self) -> None:
        """Free everything the store holds."""
        ...


def csr_of(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The CSR table of a list of rows.

    >>> o, v = csr_of([np.array([1, 2], dtype=np.uint64), np.array([], dtype=np.uint64)])
    >>> o.tolist(), v.tolist()
    ([0, 2, 2], [1, 2])
    """
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in parts], out=offsets[1:])
    values = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
    return offsets, values.astype(np.uint64, copy=False)


def gather(
    where: Locations, fetch: Callable[[int, int, int], np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """The CSR table of the rows at ``where``, each read by ``fetch(part, start, count)``."""
    rows = [
        fetch(part, start, count)
        for part, start, count in zip(
            where.part.tolist(), where.start.tolist(), where.count.tolist(), strict=True
        )
    ]
    return csr_of(rows)


class PartRegistry:
    """Numbers parts by name, in the order they are first seen."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._index: dict[str, int] = {}

    def index(self, name: str) -> int:
        if name not in self._index:
            self._index[name] = len(self.names)
            self.names.append(name)
        return self._index[name]

    def locate(self, batch: BatchLocations, rows: np.ndarray) -> Locations:
        part = np.full(len(rows), self.index(batch.part), dtype=np.int32)
        return Locations(part, batch.starts[rows], batch.counts[rows])


@dataclass
class _MemoryWriter:
    name: str
    chunks: list[np.ndarray]
    size: int = 0

    def write(self, offsets: np.ndarray, values: np.ndarray) -> BatchLocations:
        data = np.array(values, dtype=np.uint64)  # a copy: the caller may reuse its buffer
        self.chunks.append(data)
        starts = self.size + np.asarray(offsets[:-1], dtype=np.int64)
        self.size += len(data)
        return BatchLocations(self.name, starts, np.diff(offsets).astype(np.int64))

    def close(self) -> None:
        pass


@dataclass
class MemoryStore:
    """A store in this process's memory (not shared with worker processes)."""

    _parts: dict[str, list[np.ndarray]] = field(default_factory=dict)
    _flat: dict[str, np.ndarray] = field(default_factory=dict)
    _registry: PartRegistry = field(default_factory=PartRegistry)

    def writer(self, name: str) -> _MemoryWriter:
        if name in self._parts:
            raise ReprintsError(f"shingle store part {name!r} exists already")
        self._parts[name] = []
        return _MemoryWriter(name, self._parts[name])

    def locate(self, batch: BatchLocations, rows: np.ndarray) -> Locations:
        return self._registry.locate(batch, rows)

    def read(self, where: Locations) -> tuple[np.ndarray, np.ndarray]:
        return gather(where, self._fetch)

    def _fetch(self, part: int, start: int, count: int) -> np.ndarray:
        name = self._registry.names[part]
        flat = self._flat.get(name)
        if flat is None or len(flat) < start + count:
            chunks = self._parts[name]
            flat = np.concatenate(chunks) if chunks else np.empty(0, dtype=np.uint64)
            self._flat[name] = flat
        return flat[start : start + count]

    def remove(self) -> None:
        self._parts.clear()
        self._flat.clear()
