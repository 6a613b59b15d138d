"""Write scan results and deduplicated corpora atomically (a killed process leaves no half file)."""

from __future__ import annotations

import csv
import gzip
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from reprints.config import ReadConfig
from reprints.errors import InputError, OutputError
from reprints.io.reader import ReadStats, input_format, read_documents
from reprints.output.publish import (
    OutputFolder,
    atomic_file,
    check_writable,
    default_mode,
    prepare_output,
)
from reprints.output.report import MAX_TEXT_CHARS, Results, build_report
from reprints.result import ScanResult

#: Version of the output files' schema (docs/schema.md); raised when a field changes meaning or
#: goes away, not when one is added.
SCHEMA_VERSION = 1


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows as JSON lines (UTF-8); returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
            count += 1
    return count


def summary_of(result: ScanResult) -> dict[str, Any]:
    """The contents of ``summary.json`` (docs/schema.md)."""
    s = result.stats
    read = result.read or ReadConfig()
    fingerprint = s.stages.get("read_and_fingerprint")
    wordless = fingerprint.counters.get("no_word_tokens", 0) if fingerprint else 0
    return {
        "schema_version": SCHEMA_VERSION,
        "level": result.level,
        "documents": s.documents,
        "skipped": dict(sorted(s.skipped.items())),
        "changed": dict(sorted(s.changed.items())),
        "exact_only": {"no_word_tokens": wordless},
        "clusters": s.clusters,
        "clustered_documents": s.clustered_documents,
        "pairs": dict(sorted(s.pairs.items())),
        "candidates": dict(sorted(s.candidates.items())),
        "warnings": len(s.warnings),
        "seconds": round(s.total_seconds, 3),
        "stages": {name: stage.to_dict() for name, stage in s.stages.items()},
        "inputs": list(result.inputs),
        "read": {
            "id_field": read.id_field,
            "text_field": read.text_field,
            "max_chars": read.max_chars,
            "on_error": str(read.on_error),
        },
    }


def write_results(
    result: ScanResult,
    out: str | Path | OutputFolder,
    report: bool = False,
    report_inputs: list[str] | None = None,
    max_text_chars: int = MAX_TEXT_CHARS,
) -> dict[str, Path]:
    """Write ``pairs.jsonl``, ``clusters.jsonl`` and ``summary.json`` into the output folder,
    and with ``report`` ``report.html`` (texts read again from ``report_inputs``, by default the
    scan's inputs), published as one set (see :mod:`reprints.output.publish`); returns their
    final paths."""
    folder = out if isinstance(out, OutputFolder) else prepare_output(out)
    try:
        summary = summary_of(result)
        # the report reads the records again: held then, else streamed out
        held = (
            Results(
                summary,
                [c.to_dict() for c in result.clusters],
                [p.to_dict() for p in result.pairs],
            )
            if report
            else None
        )
        write_jsonl(
            folder.file("pairs.jsonl"),
            held.pairs if held else (p.to_dict() for p in result.pairs),
        )
        write_jsonl(
            folder.file("clusters.jsonl"),
            held.clusters if held else (c.to_dict() for c in result.clusters),
        )
        folder.file("summary.json").write_text(
            json.dumps(summary, indent=2) + "\n", encoding="utf-8"
        )
        if held is not None:
            page = build_report(
                held,
                report_inputs or result.inputs,
                result.read or ReadConfig(),
                max_text_chars,
                source=", ".join(Path(i).name for i in result.inputs),
            )
            folder.file("report.html").write_text(page, encoding="utf-8")
        folder.publish()
    except OSError as exc:
        raise OutputError(
            str(folder.path), f"could not write the results: {exc.strerror or exc}"
        ) from exc
    finally:
        folder.discard()
    paths = {
        "pairs": folder.path / "pairs.jsonl",
        "clusters": folder.path / "clusters.jsonl",
        "summary": folder.path / "summary.json",
    }
    if report:
        paths["report"] = folder.path / "report.html"
    return paths


def check_dedup_target(out: str | Path, source: str) -> None:
    """Fail before the scan when the dedup output cannot be written where it is asked."""
    path = Path(out)
    if input_format(source) == "folder":
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise OutputError(str(path), "output folder exists and is not empty")
    elif path.is_dir():
        raise OutputError(str(path), "is a folder; give a file name for the deduplicated corpus")
    check_writable(path)


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
        staging = Path(
            tempfile.mkdtemp(
                prefix=f".{out_path.name}.reprints-staging-{os.getpid()}-",
                dir=out_path.parent or ".",
            )
        )
        os.chmod(staging, default_mode(executable=True))
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
    with atomic_file(out_path) as tmp:
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
