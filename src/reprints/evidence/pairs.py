"""The flat pair table: every verified pair as columns of arrays, from verification to output.

One row a pair of documents ``a < b`` (indices into the scan's document table), its relation code
(see :mod:`reprints.relations`) and its measures. Verifiers return one, clustering reads it, the
output renders it (``why`` texts are built there). ``extra`` holds further per-pair columns that
later relations add (aligned spans, similarity scores), aligned with the rows.

>>> t = PairTable.build(np.array([[3, 1]]), np.array([0], dtype=np.uint8))
>>> t.a.tolist(), t.b.tolist(), len(t)
([1], [3], 1)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields

import numpy as np

_FLOATS = ("jaccard", "containment_a_in_b", "containment_b_in_a", "raw_jaccard")
_INTS = ("shared", "shared_content")


@dataclass(slots=True)
class PairTable:
    """Verified pairs as columns; ``a[i] < b[i]`` and ``containment_a_in_b`` is the share of
    ``a``'s content found in ``b``."""

    a: np.ndarray  # int64
    b: np.ndarray  # int64
    relation: np.ndarray  # uint8 relation codes
    jaccard: np.ndarray  # float64, of the boilerplate-discounted content shingles
    containment_a_in_b: np.ndarray  # float64
    containment_b_in_a: np.ndarray  # float64
    raw_jaccard: np.ndarray  # float64, of all shingles
    shared: np.ndarray  # int64, shingles shared
    shared_content: np.ndarray  # int64, content shingles shared
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.a)

    @classmethod
    def build(cls, pairs: np.ndarray, relation: np.ndarray, **columns: np.ndarray) -> PairTable:
        """A table from ``(m, 2)`` pairs (put in ``a < b`` order, swapping the directed
        containments with them) and columns; missing measure columns are zero."""
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        m = len(pairs)
        swap = pairs[:, 0] > pairs[:, 1]
        cols: dict[str, np.ndarray] = {}
        for name in _FLOATS:
            cols[name] = np.asarray(columns.pop(name, np.zeros(m)), dtype=np.float64)
        for name in _INTS:
            cols[name] = np.asarray(columns.pop(name, np.zeros(m)), dtype=np.int64)
        c_ab = np.where(swap, cols["containment_b_in_a"], cols["containment_a_in_b"])
        c_ba = np.where(swap, cols["containment_a_in_b"], cols["containment_b_in_a"])
        cols["containment_a_in_b"], cols["containment_b_in_a"] = c_ab, c_ba
        return cls(
            a=np.where(swap, pairs[:, 1], pairs[:, 0]),
            b=np.where(swap, pairs[:, 0], pairs[:, 1]),
            relation=np.asarray(relation, dtype=np.uint8).reshape(m),
            extra=dict(columns),
            **cols,
        )

    @classmethod
    def empty(cls) -> PairTable:
        return cls.build(np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.uint8))

    def _columns(self) -> list[str]:
        return [f.name for f in fields(self) if f.name != "extra"]

    def take(self, rows: np.ndarray) -> PairTable:
        """The rows selected by an index or boolean array."""
        out = {name: getattr(self, name)[rows] for name in self._columns()}
        return PairTable(**out, extra={k: v[rows] for k, v in self.extra.items()})

    def renumber(self, mapping: np.ndarray) -> PairTable:
        """The same pairs with document ``i`` renamed ``mapping[i]`` (order ``a < b`` kept
        when ``mapping`` is increasing, as from candidate rows to scan rows)."""
        return dataclasses.replace(self, a=mapping[self.a], b=mapping[self.b])

    @classmethod
    def concat(cls, tables: list[PairTable]) -> PairTable:
        """One table of the rows of all ``tables``; an extra column some lack is None there."""
        if not tables:
            return cls.empty()
        names = tables[0]._columns()
        out = {name: np.concatenate([getattr(t, name) for t in tables]) for name in names}
        keys = set().union(*(t.extra for t in tables))
        extra = {}
        for key in sorted(keys):
            # a verifier that has no such column (evidence spans) contributes None rows
            extra[key] = np.concatenate(
                [t.extra.get(key, np.full(len(t), None, dtype=object)) for t in tables]
            )
        return cls(**out, extra=extra)

    @property
    def boilerplate_discounted(self) -> np.ndarray:
        """Shared shingles left out as boilerplate."""
        return self.shared - self.shared_content

    def related_share(self) -> np.ndarray:
        """The share of the smaller document the other holds (the larger containment)."""
        return np.maximum(self.containment_a_in_b, self.containment_b_in_a)
