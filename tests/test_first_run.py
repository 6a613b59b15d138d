"""The compiled kernels are compiled once per installation, not once per process.

A first process with an empty ``NUMBA_CACHE_DIR`` (what ``make demo`` runs when installing:
``python -m reprints.precompile``) compiles every kernel of a scan and writes it to the cache; a
second process, a real scan of the example, loads them all and compiles nothing. Times are left
to the benchmarks: these tests check the cache itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from reprints.sketch import kernel
from tests.conftest import SEEDS

HAVE_NUMBA = kernel._numba_kernel() is not None
KERNELS = {
    "reprints.sketch._compiled.sketch_kernel",
    "reprints.sketch._compiled.token_kernel",
    "reprints.sketch._compiled.passage_kernel",
    "reprints.index._compiled.index_partition",
    "reprints.evidence._compiled.block_content",
    "reprints.evidence._compiled.merge_pairs",
    "reprints.evidence._compiled.pair_evidence",
    "reprints.evidence._compiled.components",
}
# the name each is cached under: its function's own (pair_evidence compiles a loop of .runs)
CACHED_AS = {"pair_evidence": "evidence_loop", "components": "components_loop"}


def _run(args: list[str], cache: Path, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "REPRINTS_"))}
    environ.update(NUMBA_CACHE_DIR=str(cache), **env)
    done = subprocess.run(
        [sys.executable, *args], env=environ, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
def test_precompiled_kernels_load_from_cache_in_the_next_process(tmp_path: Path) -> None:
    cache = tmp_path / "numba"
    report = json.loads(_run(["-m", "reprints.precompile", "--json"], cache))
    assert report["backend"] == "numba"
    # every kernel of a scan was compiled (nothing was cached yet) and written to the cache
    assert set(report["kernels"]) >= KERNELS
    assert set(report["kernels"].values()) == {"compiled"}
    assert report["cache"] and all(Path(p).parent == cache for p in report["cache"])
    for stage in ("sketch", "index", "evidence"):
        assert list(cache.glob(f"{stage}_*/_compiled.*.nbi")), stage

    # the first real scan: every kernel loaded from that cache, none compiled or saved
    cli = "import sys; from reprints.cli import main; sys.argv[0] = 'reprints'; main()"
    out = tmp_path / "out"
    log = _run(
        ["-c", cli, "scan", str(SEEDS), "--out", str(out), "--workers", "2"],
        cache,
        NUMBA_DEBUG_CACHE="1",
    )
    loaded = [line for line in log.splitlines() if line.startswith("[cache] data loaded")]
    assert "saved to" not in log
    names = {line.rsplit("/", 1)[1].split("-")[0].split(".")[-1] for line in loaded}
    expected = {CACHED_AS.get(k, k) for k in (k.rsplit(".", 1)[1] for k in KERNELS)}
    # (the seeds are not plain ASCII, but the evidence pass loads its ASCII kernels before its
    # workers fork, so that they need not load them one by one)
    assert names == expected
    assert all(str(cache) in line for line in loaded)
    assert (out / "pairs.jsonl").stat().st_size > 0


@pytest.fixture
def fresh_locations(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[ModuleType]:
    """The cache location chosen again, with no NUMBA_CACHE_DIR and a read-only package."""
    from numba.core import config

    from reprints import _numba_cache

    monkeypatch.setattr(config, "CACHE_DIR", "")
    monkeypatch.setattr(_numba_cache.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    writable = _numba_cache._writable
    monkeypatch.setattr(
        _numba_cache, "_writable", lambda f: not f.endswith("__pycache__") and writable(f)
    )
    _numba_cache.cache_folder.cache_clear()
    yield _numba_cache
    _numba_cache.cache_folder.cache_clear()


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
def test_read_only_package_caches_per_user(
    fresh_locations: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from numba.core import config

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    folder = tmp_path / "user" / "reprints" / "numba"
    assert fresh_locations.cache_folder(str(tmp_path)) == str(folder)

    def twice(x: int) -> int:
        return 2 * x

    compiled = fresh_locations.njit()(twice)  # decorated only: nothing compiles here
    assert Path(compiled.stats.cache_path).parent == folder
    assert config.CACHE_DIR == ""  # set for our kernels only, not for the rest of the process


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_no_writable_home_caches_in_a_private_temp_folder(
    fresh_locations: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "missing" / "file"))
    (tmp_path / "missing").write_text("a file, not a folder")
    private = tmp_path / "tmp" / f"reprints-numba-{os.getuid()}"
    assert fresh_locations.cache_folder(str(tmp_path)) == str(private)
    assert private.stat().st_mode & 0o077 == 0
    # a folder other users can write is never used (numba unpickles what it finds there)
    private.chmod(0o777)
    fresh_locations.cache_folder.cache_clear()
    assert fresh_locations.cache_folder(str(tmp_path)) is None
    compiled = fresh_locations.njit()(lambda x: x + 1)  # no cache at all: still a kernel
    assert compiled(1) == 2
