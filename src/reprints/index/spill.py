"""Shingle spill files: every document's shingle hashes, on disk, read back only for candidates.

Fingerprinting writes each document's shingle hashes (``uint64``, in document order) to the spill
file of the process that computed them and keeps only where they are. A spill file starts with a
16-byte header (magic ``RPSPILL\\0``, format version, dtype code, all little-endian), then the
hashes back to back. Verification reads back the
documents that are candidates of another one, so memory grows with the signatures and the
candidates, never with the text. Spill files live in a private temporary folder that the scan
removes when it ends.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from reprints.errors import ReprintsError
from reprints.index.store import BatchLocations, Locations, PartRegistry, gather

PREFIX = "reprints-spill-"


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (owners of spill, staging and temporary files)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale(parent: str) -> list[str]:
    """Remove spill folders whose owning process is gone (a scan killed halfway); returns them."""
    removed = []
    for folder in Path(parent).glob(PREFIX + "*"):
        try:
            pid = int((folder / "owner").read_text())
        except (OSError, ValueError):
            continue  # not ours to judge
        if not process_alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
    return removed


MAGIC = b"RPSPILL\0"
VERSION = 1
DTYPE_UINT64 = 1
HEADER = MAGIC + VERSION.to_bytes(4, "little") + DTYPE_UINT64.to_bytes(4, "little")
HEADER_ITEMS = len(HEADER) // 8  # the header's length in uint64 elements


class SpillError(ReprintsError):
    """A spill file that is not one, of another version, or cut short."""


def check_header(path: str, head: bytes) -> None:
    """Raise :class:`SpillError` unless ``head`` is a spill header this version reads."""
    if len(head) < len(HEADER) or head[:8] != MAGIC:
        raise SpillError(f"{path}: not a reprints spill file")
    version = int.from_bytes(head[8:12], "little")
    dtype = int.from_bytes(head[12:16], "little")
    if version != VERSION or dtype != DTYPE_UINT64:
        raise SpillError(f"{path}: spill format version {version} dtype {dtype} not supported")


class SpillWriter:
    """Appends batches of shingle rows to one spill file (a part of the store)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._handle = open(self.path, "ab")  # noqa: SIM115 - closed by close()
        if self._handle.tell() == 0:
            self._handle.write(HEADER)
        self._at = self._handle.tell() // 8 - HEADER_ITEMS

    def write(self, offsets: np.ndarray, values: np.ndarray) -> BatchLocations:
        data = np.ascontiguousarray(values, dtype=np.uint64)
        starts = self._at + np.asarray(offsets[:-1], dtype=np.int64)
        self._handle.write(data.tobytes())
        self._handle.flush()
        self._at += len(data)
        return BatchLocations(self.path, starts, np.diff(offsets).astype(np.int64))

    def close(self) -> None:
        self._handle.close()


@dataclass
class SpillStore:
    """The spill files of one scan, in a private temporary folder (see the module docstring)."""

    folder: str
    _registry: PartRegistry = field(default_factory=PartRegistry)
    _fds: dict[int, int] = field(default_factory=dict)

    @classmethod
    def create(cls, parent: str | None = None) -> SpillStore:
        """A new private spill folder; folders left by killed scans are removed first."""
        remove_stale(parent or tempfile.gettempdir())
        folder = tempfile.mkdtemp(prefix=PREFIX, dir=parent)
        Path(folder, "owner").write_text(str(os.getpid()))
        return cls(folder)

    def writer(self, name: str) -> SpillWriter:
        return SpillWriter(os.path.join(self.folder, f"part-{name}.u64"))

    def locate(self, batch: BatchLocations, rows: np.ndarray) -> Locations:
        return self._registry.locate(batch, rows)

    def _fd(self, part: int) -> int:
        fd = self._fds.get(part)
        if fd is None:
            path = self._registry.names[part]
            fd = os.open(path, os.O_RDONLY)
            check_header(path, os.pread(fd, len(HEADER), 0))
            self._fds[part] = fd
        return fd

    def read(self, where: Locations) -> tuple[np.ndarray, np.ndarray]:
        return gather(where, self._fetch)

    def _fetch(self, part: int, start: int, count: int) -> np.ndarray:
        if count == 0:
            return np.empty(0, dtype=np.uint64)
        data = os.pread(self._fd(part), count * 8, (start + HEADER_ITEMS) * 8)
        if len(data) != count * 8:
            raise SpillError(f"{self._registry.names[part]}: spill file is cut short")
        return np.frombuffer(data, dtype=np.uint64)

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)
