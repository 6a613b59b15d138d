"""Publish a set of result files in one step: a reader sees the old set or the new one, never a mix.

The output location is checked before the scan starts (:func:`prepare_output`): an ``--out`` that
is a file, a folder holding files that are not reprints results, or a folder that cannot be
written is an :class:`~reprints.errors.OutputError` at once, not after the scan. The files are
written into a staging folder beside the output folder, which then takes the output folder's
place in one ``renameat2(RENAME_EXCHANGE)`` (Linux); elsewhere two renames, and a scan killed
between them leaves the old set beside, which the next run puts back. Staging folders and
temporary files of killed runs (their names carry the process id) are removed by the next run.
Files get the mode the umask gives (or that of the file they replace), not ``0600``.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reprints.errors import OutputError
from reprints.index.spill import process_alive

#: Files a scan writes into its output folder (and may replace there).
RESULT_FILES = ("pairs.jsonl", "clusters.jsonl", "summary.json", "report.html")
_TAG = ".reprints-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def default_mode(executable: bool = False) -> int:
    """The mode a new file (or folder) gets under this process's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if executable else 0o666) & ~mask


def _owner(name: str, stem: str) -> tuple[str, int] | None:
    """``(kind, pid)`` of a staging/old/temporary entry named after ``stem``, else None."""
    match = re.fullmatch(rf"\.{re.escape(stem)}\.reprints-(staging|old|tmp)-(\d+)-.*", name)
    return (match.group(1), int(match.group(2))) if match else None


def remove_stale(path: Path) -> None:
    """Clean what killed runs left beside ``path``: put back an old result set that a kill
    between two renames left aside, remove staging folders and temporary files."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        return
    for entry in sorted(parent.iterdir()):
        owner = _owner(entry.name, path.name)
        if owner is None or process_alive(owner[1]):
            continue
        kind = owner[0]
        with contextlib.suppress(OSError):
            if kind == "old" and not path.exists():
                os.rename(entry, path)
            elif entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def _temp_name(path: Path, kind: str) -> Path:
    return path.parent / f".{path.name}{_TAG}{kind}-{os.getpid()}-{os.urandom(4).hex()}"


@dataclass
class OutputFolder:
    """A checked output folder and the staging folder its next result set is written into."""

    path: Path
    staging: Path

    def file(self, name: str) -> Path:
        """Where to write result file ``name`` (in the staging folder)."""
        return self.staging / name

    def publish(self) -> None:
        """Put the staged set in the output folder's place, in one step where the system can."""
        path, staging = self.path, self.staging
        mode = path.stat().st_mode & 0o7777 if path.is_dir() else default_mode(True)
        os.chmod(staging, mode)
        if not path.exists():
            os.rename(staging, path)
            return
        if _exchange(staging, path):
            shutil.rmtree(staging, ignore_errors=True)  # the old set now lies here
            return
        old = _temp_name(path, "old")
        os.rename(path, old)
        os.rename(staging, path)  # a kill before this line: the next run puts ``old`` back
        shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def prepare_output(out: str | Path) -> OutputFolder:
    """Check an output folder before a scan and make its staging folder (proving that it can be
    written); an :class:`OutputError` names the problem."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise OutputError(str(path), "--out must be a folder, and this is a file")
    if path.is_dir():
        foreign = sorted(
            e.name
            for e in path.iterdir()
            if e.name not in RESULT_FILES and not _is_old_temp(e.name)
        )
        if foreign:
            shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
            raise OutputError(
                str(path),
                f"the output folder holds files that are not reprints results ({shown}); "
                "give an empty folder or one holding a previous result",
            )
    check_writable(path)
    staging = _temp_name(path, "staging")
    try:
        staging.mkdir()
    except OSError as exc:
        raise OutputError(str(path), f"cannot write here: {exc.strerror or exc}") from exc
    return OutputFolder(path, staging)


def _temp_beside(path: Path) -> Path:
    """A new empty temporary file beside ``path`` (its folder made, what killed runs left beside
    ``path`` cleaned first); an :class:`OutputError` where none can be created."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(path)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}{_TAG}tmp-{os.getpid()}-", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(str(path), f"cannot write here: {exc.strerror or exc}") from exc
    return Path(name)


def check_writable(path: Path) -> None:
    """Fail with an :class:`OutputError` unless a file can be created beside ``path``."""
    _temp_beside(path).unlink()


def _is_old_temp(name: str) -> bool:
    """Temporary files that earlier versions left inside the folder (``.pairs.jsonl.x1y2``)."""
    return any(name.startswith(f".{f}.") for f in RESULT_FILES)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only when the block succeeds; the new
    file keeps the mode of the file it replaces (or the umask's). Temporaries of killed runs are
    removed first."""
    tmp = _temp_beside(path)
    try:
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.is_file() else default_mode())
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(str(path), f"could not be written: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
