"""Write scan results and deduplicated corpora atomically (a killed process leaves no half file)."""

from __future__ import annotations

import csv
import gzip
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from reprints.config import ReadConfig
from reprints.errors import InputError
from reprints.io.reader import ReadStats, input_format, read_documents
from reprints.result import ScanResult

#: Version of the output files' schema (docs/schema.md); raised when a field changes meaning or
#: goes away, not when one is added.
SCHEMA_VERSION = 1


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
            count += 1
    return count


def write_results(result: ScanResult, out_dir: str | Path) -> dict[str, Path]:
    """Write ``pairs.jsonl`` and ``clusters.jsonl`` (and ``summary.json``) into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "pairs": out / "pairs.jsonl",
        "clusters": out / "clusters.jsonl",
        "summary": out / "summary.json",
    }
    write_jsonl(paths["pairs"], (p.to_dict() for p in result.pairs))
    write_jsonl(paths["clusters"], (c.to_dict() for c in result.clusters))
    s = result.stats
    summary = {
        "schema_version": SCHEMA_VERSION,
        "level": result.level,
        "documents": s.documents,
        "skipped": dict(sorted(s.skipped.items())),
        "changed": dict(sorted(s.changed.items())),
        "clusters": s.clusters,
        "clustered_documents": s.clustered_documents,
        "pairs": dict(sorted(s.pairs.items())),
        "candidates": dict(sorted(s.candidates.items())),
        "warnings": len(s.warnings),
        "seconds": round(s.total_seconds, 3),
        "stages": {name: stage.to_dict() for name, stage in s.stages.items()},
    }
    with atomic_path(paths["summary"]) as tmp:
        tmp.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return paths


def write_dedup(
    source: str, dropped: set[str], out: str | Path, config: ReadConfig
) -> tuple[int, int]:
    """Copy ``source`` to ``out`` in the same format, leaving out the ``dropped`` ids.

    Returns ``(kept, dropped)`` counts. Records are written as read (JSONL lines byte for byte).
    """
    fmt = input_format(source)
    out_path = Path(out)
    stats = ReadStats()
    docs = read_documents([source], config, stats, keep_raw=True)
    kept = removed = 0
    if fmt == "folder":
        if out_path.exists() and any(out_path.iterdir()):
            raise InputError(str(out_path), "output folder exists and is not empty")
        staging = Path(tempfile.mkdtemp(prefix=f".{out_path.name}.", dir=out_path.parent or "."))
        try:
            for doc in docs:
                if doc.id in dropped:
                    removed += 1
                    continue
                target = staging / doc.id
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(doc.raw, target)
                kept += 1
            if out_path.exists():
                out_path.rmdir()
            os.replace(staging, out_path)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
        return kept, removed
    with atomic_path(out_path) as tmp:
        if fmt == "jsonl":
            with _open_bytes_out(tmp, out_path.name) as handle:
                for doc in docs:
                    if doc.id in dropped:
                        removed += 1
                        continue
                    line = doc.raw if doc.raw.endswith(b"\n") else doc.raw + b"\n"
                    handle.write(line)
                    kept += 1
        elif fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = pq.ParquetFile(source).schema_arrow
            writer = pq.ParquetWriter(tmp, schema)
            try:
                batch: list[dict[str, Any]] = []
                for doc in docs:
                    if doc.id in dropped:
                        removed += 1
                        continue
                    batch.append(doc.raw)
                    kept += 1
                    if len(batch) >= 2048:
                        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                        batch = []
                if batch:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            finally:
                writer.close()
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                writer_csv: csv.DictWriter[str] | None = None
                for doc in docs:
                    if doc.id in dropped:
                        removed += 1
                        continue
                    if writer_csv is None:
                        writer_csv = csv.DictWriter(handle, fieldnames=list(doc.raw.keys()))
                        writer_csv.writeheader()
                    writer_csv.writerow(doc.raw)
                    kept += 1
    return kept, removed


def _open_bytes_out(path: Path, name: str) -> IO[bytes]:
    lower = name.lower()
    if lower.endswith(".gz"):
        return gzip.open(path, "wb")  # type: ignore[return-value]
    if lower.endswith((".zst", ".zstd")):
        import zstandard

        return zstandard.ZstdCompressor().stream_writer(open(path, "wb"), closefd=True)  # type: ignore[return-value]
    return open(path, "wb")
