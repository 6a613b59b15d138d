"""The Python API: :func:`scan` wires the configuration to the local engine."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reprints.config import Level, ScanConfig
from reprints.engine.local import LocalEngine
from reprints.io.reader import ReadStats
from reprints.result import ScanResult


def scan(
    inputs: Iterable[str | Path] | str | Path,
    level: str | Level | None = None,
    config: ScanConfig | None = None,
    read_stats: ReadStats | None = None,
    **settings: Any,
) -> ScanResult:
    """Find every reprint among the documents of ``inputs`` and cluster them.

    ``inputs``: folders, ``.jsonl[.gz|.zst]``, ``.parquet``, ``.csv`` files or ``-`` (stdin).
    ``level`` (default ``near``) and flat ``settings`` (``workers=2``, ``on_error="skip"``,
    ``jaccard_threshold=0.7``, ...) apply over ``config``; an unknown setting, or a ``level``
    that contradicts ``config.level``, raises :class:`~reprints.errors.ConfigError`.

    >>> import reprints, pathlib
    >>> seeds = pathlib.Path(reprints.__file__).parents[2] / "examples" / "seeds"
    >>> result = reprints.scan([seeds], level="near")  # doctest: +SKIP
    >>> result.clusters[0].canonical  # doctest: +SKIP
    '000_ee3534933aebc203.txt'
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    config = ScanConfig.from_settings(level=level, config=config, **settings)
    return LocalEngine(config).run([str(i) for i in inputs], read_stats)
