"""Compile every numba kernel a scan uses and write it to the cache, ahead of the first scan.

    python -m reprints.precompile          # `make demo` and `make test` run it when installing
    python -m reprints.precompile --json   # which kernels were compiled, which loaded from cache

Without it, the first scan after installing (or after the kernels' source changed) compiles them
itself, about 8 s once; every later process loads them from the cache in well under a second
(see :mod:`reprints._numba_cache` for where the cache is). It scans a small generated corpus
(an article, a page holding it plus unrelated teasers, an unrelated text) through the public API,
so exactly the kernels and argument types of a real scan are compiled, by the same code paths.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

COMPILED_MODULES = ("sketch._compiled", "index._compiled", "evidence._compiled")


def _corpus(folder: Path) -> None:
    rng = random.Random(8)
    words = [a + b for a in ("ka", "lo", "mi", "ne", "ra", "to", "su") for b in ("n", "t", "s")]

    def text(sentences: int) -> str:
        return "\n".join(
            " ".join(rng.choice(words) for _ in range(rng.randint(8, 16))).capitalize() + "."
            for _ in range(sentences)
        )

    article = text(40)
    (folder / "article.txt").write_text(article, encoding="utf-8")
    (folder / "page.txt").write_text(article + "\n" + text(15), encoding="utf-8")
    (folder / "other.txt").write_text(text(30), encoding="utf-8")


def dispatchers() -> dict[str, Any]:
    """Every numba function of the compiled modules imported so far, by qualified name."""
    from numba.core.dispatcher import Dispatcher

    found: dict[str, Any] = {}
    for short in COMPILED_MODULES:
        module = sys.modules.get(f"reprints.{short}")
        for name, obj in vars(module).items() if module else ():
            if isinstance(obj, Dispatcher):
                found[f"reprints.{short}.{name}"] = obj
    return found


def precompile() -> dict[str, Any]:
    """Scan the generated corpus; report each kernel as ``compiled`` or ``cached`` (loaded)."""
    import reprints
    from reprints.sketch.kernel import default_backend

    clock = time.perf_counter()
    backend = default_backend()
    kernels: dict[str, str] = {}
    caches: set[str] = set()
    if backend != "numba":
        return {"backend": backend, "seconds": 0.0, "kernels": kernels, "cache": []}
    with tempfile.TemporaryDirectory(prefix="reprints-precompile-") as folder:
        _corpus(Path(folder))
        reprints.scan([folder], level="near", workers=1)
    for name, d in dispatchers().items():
        stats = d.stats
        if stats.cache_misses:
            kernels[name] = "compiled"
        elif stats.cache_hits:
            kernels[name] = "cached"
        else:
            continue  # inlined into a kernel, or loaded as part of one
        if stats.cache_path:
            caches.add(stats.cache_path)
    return {
        "backend": backend,
        "seconds": round(time.perf_counter() - clock, 2),
        "kernels": kernels,
        "cache": sorted(caches),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reprints.precompile",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = precompile()
    if args.json:
        print(json.dumps(report, indent=2))
    elif report["backend"] != "numba":
        print("reprints: numpy backend (numba not in use): nothing to compile")
    else:
        states = list(report["kernels"].values())
        print(
            f"reprints: {len(states)} compiled kernels ready in {report['seconds']:.1f} s "
            f"({states.count('compiled')} compiled now, {states.count('cached')} loaded from "
            f"the cache); cache: {', '.join(report['cache']) or 'none (not writable)'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
