"""Shingle spill files: every document's shingle hashes, on disk, read back only for candidates.

Fingerprinting writes each document's shingle hashes (``uint64``, in document order) to the spill
file of the process that computed them and keeps only where they are. Verification reads back the
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

PREFIX = "reprints-spill-"


def _alive(pid: int) -> bool:
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
        if not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
    return removed


class SpillWriter:
    """Appends arrays to one spill file; returns where each went (in ``uint64`` elements)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._handle = open(self.path, "ab")  # noqa: SIM115 - closed by close()
        self._at = self._handle.tell() // 8

    def write(self, values: np.ndarray) -> int:
        start = self._at
        data = np.ascontiguousarray(values, dtype=np.uint64)
        self._handle.write(data.tobytes())
        self._at += len(data)
        return start

    def flush(self) -> None:
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


@dataclass
class Spill:
    """The spill files of one scan, and where each document's shingles lie in them."""

    folder: str
    paths: list[str] = field(default_factory=list)
    _fds: dict[int, int] = field(default_factory=dict)

    @classmethod
    def create(cls, parent: str | None = None) -> Spill:
        """A new private spill folder; folders left by killed scans are removed first."""
        remove_stale(parent or tempfile.gettempdir())
        folder = tempfile.mkdtemp(prefix=PREFIX, dir=parent)
        Path(folder, "owner").write_text(str(os.getpid()))
        return cls(folder)

    def file_index(self, path: str) -> int:
        try:
            return self.paths.index(path)
        except ValueError:
            self.paths.append(path)
            return len(self.paths) - 1

    def read(self, file: int, offset: int, count: int) -> np.ndarray:
        """``count`` shingle hashes from element ``offset`` of spill file ``file``."""
        if count == 0:
            return np.empty(0, dtype=np.uint64)
        fd = self._fds.get(file)
        if fd is None:
            fd = os.open(self.paths[file], os.O_RDONLY)
            self._fds[file] = fd
        data = os.pread(fd, count * 8, offset * 8)
        if len(data) != count * 8:
            raise OSError(f"spill file {self.paths[file]} is truncated")
        return np.frombuffer(data, dtype=np.uint64)

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)
