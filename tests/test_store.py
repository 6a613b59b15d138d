"""Every shingle store passes the same tests; the spill store also checks its header."""

from pathlib import Path

import numpy as np
import pytest

from reprints.index.spill import HEADER, SpillError, SpillStore
from reprints.index.store import Locations, MemoryStore


@pytest.fixture(params=["spill", "memory"])
def store(request, tmp_path):
    made = SpillStore.create(str(tmp_path)) if request.param == "spill" else MemoryStore()
    yield made
    made.remove()


def rows_of(offsets, values):
    return [values[offsets[i] : offsets[i + 1]].tolist() for i in range(len(offsets) - 1)]


def test_store_round_trip_in_any_order(store):
    rng = np.random.default_rng(3)
    expected = []
    where = []
    for name in ("w1", "w2"):
        writer = store.writer(name)
        for _ in range(3):
            sizes = rng.integers(0, 50, size=7)
            offsets = np.concatenate([[0], np.cumsum(sizes)])
            values = rng.integers(0, 2**63, size=int(offsets[-1]), dtype=np.uint64)
            batch = writer.write(offsets, values)
            keep = np.flatnonzero(sizes != 3)  # some rows are not kept, as with bad records
            where.append(store.locate(batch, keep))
            expected.extend(rows_of(offsets, values)[k] for k in keep.tolist())
        writer.close()
    locations = Locations.concat(where)
    order = rng.permutation(len(locations))
    offsets, values = store.read(locations.take(order))
    assert values.dtype == np.uint64
    assert rows_of(offsets, values) == [expected[k] for k in order.tolist()]
    empty_offsets, empty_values = store.read(locations.take(np.empty(0, dtype=np.int64)))
    assert empty_offsets.tolist() == [0] and len(empty_values) == 0


def test_writer_copies_what_it_is_given(store):
    writer = store.writer("w")
    values = np.arange(4, dtype=np.uint64)
    batch = writer.write(np.array([0, 4]), values)
    values[:] = 99
    writer.close()
    _, got = store.read(store.locate(batch, np.array([0])))
    assert got.tolist() == [0, 1, 2, 3]


def test_spill_file_has_a_header_and_damage_is_named(tmp_path):
    store = SpillStore.create(str(tmp_path))
    writer = store.writer("x")
    batch = writer.write(np.array([0, 2]), np.array([5, 6], dtype=np.uint64))
    writer.close()
    data = Path(writer.path).read_bytes()
    assert data.startswith(HEADER) and len(data) == len(HEADER) + 16
    where = store.locate(batch, np.array([0]))
    assert store.read(where)[1].tolist() == [5, 6]
    store.close()
    with open(writer.path, "r+b") as handle:
        handle.truncate(len(HEADER) + 8)
    with pytest.raises(SpillError, match="cut short"):
        store.read(where)
    store.close()
    with open(writer.path, "r+b") as handle:
        handle.write(b"NOTSPILL")
    with pytest.raises(SpillError, match="not a reprints spill file"):
        store.read(where)
    store.remove()


def test_a_scan_gives_the_same_result_on_either_store(seeds):
    from reprints.config import ScanConfig
    from reprints.engine.local import LocalEngine

    config = ScanConfig()
    spill = LocalEngine(config).run([str(seeds)])
    memory = LocalEngine(config, store=MemoryStore()).run([str(seeds)])
    assert [p.to_dict() for p in memory.pairs] == [p.to_dict() for p in spill.pairs]
    assert memory.clusters == spill.clusters
    assert memory.table is not None and len(memory.table) == len(memory.pairs)
