"""The ``reprints`` command line: scan, dedup and eval."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from reprints.config import Level, OnError, ReadConfig, ScanConfig
from reprints.errors import ReprintsError
from reprints.evaluate import load_gold, score
from reprints.io.reader import ReadStats, read_documents
from reprints.output.summary import render_summary
from reprints.output.write import write_dedup, write_results
from reprints.pipeline import scan as run_scan
from reprints.result import ScanResult

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
err = Console(stderr=True)

LevelOpt = Annotated[str, typer.Option("--level", help="Relations that join clusters: exact|near.")]
IdField = Annotated[str, typer.Option("--id-field", help="Field holding the document id.")]
TextField = Annotated[str, typer.Option("--text-field", help="Field holding the text.")]
OnErrorOpt = Annotated[
    OnError, typer.Option("--on-error", help="raise: stop at a bad record; skip: count it, go on.")
]
MaxChars = Annotated[
    int, typer.Option("--max-chars", help="Use at most this many characters of a document.")
]
Workers = Annotated[
    int, typer.Option("--workers", help="Processes for fingerprinting (default: all cores).")
]


def _config(
    level: str, id_field: str, text_field: str, on_error: OnError, max_chars: int, workers: int
) -> ScanConfig:
    read = ReadConfig(
        id_field=id_field, text_field=text_field, on_error=on_error, max_chars=max_chars
    )
    return ScanConfig(
        level=Level.parse(level),
        read=read,
        workers=workers if workers > 0 else (os.cpu_count() or 1),
        progress=True,
    )


def _run(inputs: list[str], config: ScanConfig) -> ScanResult:
    try:
        return run_scan(inputs, config=config, read_stats=ReadStats())
    except ReprintsError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc


@app.command()
def scan(
    inputs: Annotated[
        list[str], typer.Argument(help="Folders, .jsonl[.gz|.zst], .parquet, .csv, -")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for pairs.jsonl and clusters.jsonl.")],
    level: LevelOpt = "near",
    id_field: IdField = "id",
    text_field: TextField = "text",
    on_error: OnErrorOpt = OnError.RAISE,
    max_chars: MaxChars = 2_000_000,
    workers: Workers = 0,
) -> None:
    """Find exact copies, near-copies and contained copies; cluster them; name the original."""
    config = _config(level, id_field, text_field, on_error, max_chars, workers)
    result = _run(inputs, config)
    paths = write_results(result, out)
    render_summary(result, err)
    err.print(f"wrote {paths['clusters']} and {paths['pairs']}", highlight=False)


@app.command()
def dedup(
    source: Annotated[
        str, typer.Argument(help="One input: folder, .jsonl[.gz|.zst], .parquet, .csv or -")
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write the deduplicated corpus.")],
    level: LevelOpt = "near",
    id_field: IdField = "id",
    text_field: TextField = "text",
    on_error: OnErrorOpt = OnError.RAISE,
    max_chars: MaxChars = 2_000_000,
    workers: Workers = 0,
) -> None:
    """Write the corpus keeping only the canonical member of each cluster, in the input's format."""
    config = _config(level, id_field, text_field, on_error, max_chars, workers)
    spool = None
    if source == "-":
        fd, spool = tempfile.mkstemp(suffix=".jsonl")
        with os.fdopen(fd, "wb") as handle:
            shutil.copyfileobj(sys.stdin.buffer, handle)
        source = spool
    try:
        result = _run([source], config)
        dropped = result.dropped
        try:
            kept, removed = write_dedup(source, set(dropped), out, config.read)
        except ReprintsError as exc:
            err.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(2) from exc
    finally:
        if spool:
            os.unlink(spool)
    render_summary(result, err)
    reasons: dict[str, int] = {}
    pair_relation = {}
    for p in result.pairs:
        pair_relation[(p.a, p.b)] = p.relation
    for member, canonical in dropped.items():
        relation = pair_relation.get(tuple(sorted((member, canonical))), "copy")  # type: ignore[arg-type]
        reasons[relation] = reasons.get(relation, 0) + 1
    detail = ", ".join(f"{n} {r}" for r, n in sorted(reasons.items())) or "none"
    err.print(f"kept {kept:,}, dropped {removed:,} ({detail}); wrote {out}", highlight=False)


@app.command(name="eval")
def evaluate(
    set_dir: Annotated[Path, typer.Argument(help="Folder with docs.jsonl and gold.jsonl.")],
    level: LevelOpt = "near",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON line.")] = False,
    workers: Workers = 1,
) -> None:
    """Scan SET_DIR/docs.jsonl and score it against SET_DIR/gold.jsonl (ARI, pairwise P/R/F1)."""
    docs_path = set_dir / "docs.jsonl"
    gold_path = set_dir / "gold.jsonl"
    for path in (docs_path, gold_path):
        if not path.is_file():
            err.print(f"[red]error:[/red] {path}: no such file", highlight=False)
            raise typer.Exit(2)
    config = _config(level, "id", "text", OnError.RAISE, 2_000_000, workers)
    result = _run([str(docs_path)], config)
    ids = [d.id for d in read_documents([str(docs_path)], config.read)]
    scores = score(ids, load_gold(gold_path), result.cluster_of)
    row = {"set": set_dir.name, "level": level, **scores.to_dict()}
    if as_json:
        typer.echo(json.dumps(row))
        return
    from rich.table import Table

    table = Table(title=f"reprints eval {set_dir.name} (level {level})")
    for key in ("documents", "precision", "recall", "f1", "ari"):
        table.add_column(key, justify="right")
    table.add_row(
        str(scores.documents),
        f"{scores.precision:.3f}",
        f"{scores.recall:.3f}",
        f"{scores.f1:.3f}",
        f"{scores.ari:.3f}",
    )
    Console().print(table)


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    app()


if __name__ == "__main__":
    main()
