"""Where the compiled kernels are cached, so that only the first run of an installation compiles.

numba compiles a kernel on its first call (seconds: about 8 s for all of a scan's kernels) and,
with ``cache=True``, writes the machine code to disk keyed by the source's hash, the argument
types, the CPU and the numba version; later processes (and spawned workers) load it in
milliseconds. :func:`njit` is ``numba.njit(cache=True)`` with a cache folder that can be written:

1. ``NUMBA_CACHE_DIR`` when set (numba's own rule);
2. otherwise the package's ``__pycache__`` when it is writable (a virtual environment, an
   editable install);
3. otherwise (a read-only system or container install) a per-user folder,
   ``$XDG_CACHE_HOME/reprints/numba`` (``~/.cache/reprints/numba``), then a private folder in the
   temporary directory;
4. nowhere writable: no cache, every process compiles (the same numbers, only slower).

``python -m reprints.precompile`` fills the cache ahead of the first scan.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from typing import Any

import numba
from numba.core import config

NUMBA_DEFAULT = ""  # cache where numba puts it by itself (NUMBA_CACHE_DIR or __pycache__)


def njit(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """``numba.njit(cache=True, **options)``, cached to :func:`cache_folder`."""

    def decorate(fn: Callable[..., Any]) -> Any:
        folder = cache_folder(os.path.dirname(os.path.abspath(fn.__code__.co_filename)))
        if folder is None:
            return numba.njit(**options)(fn)
        saved = config.CACHE_DIR
        if folder != NUMBA_DEFAULT:
            # numba reads the folder once, when the function is decorated: set it for our
            # kernels only and leave every other numba function of the process as it was
            config.CACHE_DIR = folder
        try:
            return numba.njit(cache=True, **options)(fn)
        except RuntimeError:  # numba found no writable cache folder after all
            return numba.njit(**options)(fn)
        finally:
            config.CACHE_DIR = saved

    return decorate


@cache
def cache_folder(source_dir: str) -> str | None:
    """The folder for the cache of kernels defined in ``source_dir``: :data:`NUMBA_DEFAULT`,
    a folder of our own, or None (nowhere writable)."""
    if config.CACHE_DIR or _writable(os.path.join(source_dir, "__pycache__")):
        return NUMBA_DEFAULT
    for where in (_user_folder, _temp_folder):
        folder = where()
        if folder and _writable(folder):
            return folder
    return None


def _user_folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not base and sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "")
    if not base:
        home = os.path.expanduser("~")
        if home == "~":
            return ""
        base = os.path.join(home, ".cache")
    return os.path.join(base, "reprints", "numba")


def _temp_folder() -> str:
    """A folder in the temporary directory that only this user can write (numba unpickles its
    cache index: a folder another user could write must not be used)."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    folder = os.path.join(tempfile.gettempdir(), f"reprints-numba-{'user' if uid is None else uid}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return ""
    if uid is not None and (not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or st.st_mode & 0o022):
        return ""
    return folder


def _writable(folder: str) -> bool:
    """numba's own test: the folder exists (or can be made) and a file can be created in it."""
    try:
        os.makedirs(folder, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True
