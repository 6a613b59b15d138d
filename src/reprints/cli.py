"""The ``reprints`` command line: scan, dedup, eval and compare (the scan options are declared
once)."""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from reprints.api import scan as run_scan
from reprints.config import Level, OnError, ScanConfig, VerifyConfig
from reprints.errors import ReprintsError
from reprints.evaluate import load_gold, score
from reprints.index.sources import reads_texts
from reprints.io.reader import ReadStats, read_documents
from reprints.output.publish import atomic_file, prepare_output
from reprints.output.report import (
    MAX_TEXT_CHARS,
    build_report,
    check_inputs,
    inputs_of,
    load_results,
    read_config_of,
)
from reprints.output.summary import render_summary
from reprints.output.write import check_dedup_target, write_dedup, write_results
from reprints.result import ScanResult
from reprints.service import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DOCUMENTS

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
# an error is one line, however long its path: scripts and logs grep for it
err = Console(stderr=True, soft_wrap=True)


@dataclass(frozen=True)
class ScanOptions:
    """The options every command that scans shares (declared once, below)."""

    level: str
    id_field: str
    text_field: str
    on_error: OnError
    max_chars: int
    workers: int
    embedder: str
    evidence: bool

    def config(self, default_workers: int | None = None) -> ScanConfig:
        workers = self.workers or default_workers or os.cpu_count() or 1
        with _errors():  # a bad setting is "error: ...", exit 2, not a traceback
            return ScanConfig.from_settings(
                level=self.level,
                id_field=self.id_field,
                text_field=self.text_field,
                on_error=self.on_error,
                max_chars=self.max_chars,
                workers=workers,
                embedder=self.embedder,
                evidence=self.evidence,
                progress=True,
            )


_SCAN_OPTIONS = [
    ("level", str, "near", "--level", f"Relations that join clusters: {'|'.join(Level.names())}."),
    ("id_field", str, "id", "--id-field", "Field holding the document id."),
    ("text_field", str, "text", "--text-field", "Field holding the text."),
    (
        "on_error",
        OnError,
        OnError.RAISE,
        "--on-error",
        "raise: stop at a bad record; skip: count it, go on.",
    ),
    ("max_chars", int, 2_000_000, "--max-chars", "Use at most this many characters of a document."),
    ("workers", int, 0, "--workers", "Processes for fingerprinting (default: all cores)."),
    (
        "embedder",
        str,
        VerifyConfig().embedder,
        "--embedder",
        "Sentence embedder of the rewrite level: auto|use|e5|none|st:PATH (auto: USE, and e5 "
        "for languages USE lacks; none: words only; st:PATH a local sentence-transformers "
        "model folder).",
    ),
    (
        "evidence",
        bool,
        True,
        "--evidence/--no-evidence",
        "Give every pair its copied, added and boilerplate passages (reads the documents in a "
        "pair again: where they lie in plain JSONL and text files, else the inputs through).",
    ),
]


def scan_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the shared scan options; it receives them as ``options: ScanOptions``."""
    signature = inspect.signature(command)
    hints = typing.get_type_hints(command, include_extras=True)
    own = [
        p.replace(annotation=hints.get(name, p.annotation))
        for name, p in signature.parameters.items()
        if name != "options"
    ]
    shared = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=default,
            annotation=Annotated[kind, typer.Option(flag, help=text)],
        )
        for name, kind, default, flag, text in _SCAN_OPTIONS
    ]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> None:
        values = {name: kwargs.pop(name) for name, *_ in _SCAN_OPTIONS}
        command(**kwargs, options=ScanOptions(**values))

    wrapper.__signature__ = signature.replace(parameters=own + shared)  # type: ignore[attr-defined]
    return wrapper


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Every error reprints raises on purpose, and every I/O error, as ``error: ...`` (exit 2)."""
    try:
        yield
    except ReprintsError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"[red]error:[/red] {where}{exc.strerror or exc}", highlight=False)
        raise typer.Exit(2) from exc


def _run(inputs: list[str], config: ScanConfig) -> ScanResult:
    with _errors():
        return run_scan(inputs, config=config, read_stats=ReadStats())


@contextlib.contextmanager
def _stdin_saved(inputs: list[str], needed: bool) -> Iterator[list[str]]:
    """The inputs with ``-`` (standard input) saved to a temporary JSONL file where it must be
    read more than once; the file is removed afterwards."""
    if not needed or "-" not in inputs:
        yield inputs
        return
    fd, spool = tempfile.mkstemp(suffix=".jsonl")
    try:
        with os.fdopen(fd, "wb") as handle:
            shutil.copyfileobj(sys.stdin.buffer, handle)
        yield [spool if name == "-" else name for name in inputs]
    finally:
        os.unlink(spool)


@app.command()
@scan_options
def scan(
    inputs: Annotated[
        list[str], typer.Argument(help="Folders, .jsonl[.gz|.zst], .parquet, .csv, -")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for pairs.jsonl, clusters.jsonl, report.html.")
    ],
    options: ScanOptions,
    report: Annotated[
        bool,
        typer.Option("--report/--no-report", help="Write report.html (reads the inputs again)."),
    ] = True,
) -> None:
    """Find exact copies, near-copies and contained copies; cluster them; name the original."""
    config = options.config()
    with _errors():
        folder = prepare_output(out)  # before reading: a bad --out fails at once
    try:
        # the evidence, the report and a level that reads texts again (rewrite) read stdin
        # more than once: save it
        needed = config.evidence or report or reads_texts(config.level.verified())
        with _stdin_saved(inputs, needed) as readable:
            result = _run(readable, config)
            _stop_if_interrupted()
            # summary.json names what the user gave ("-" for standard input)
            result.inputs = [
                given if given == "-" else read
                for given, read in zip(inputs, result.inputs, strict=True)
            ]
            with _errors():
                paths = write_results(result, folder, report=report, report_inputs=readable)
    finally:
        folder.discard()
    render_summary(result, err)
    wrote = [paths["clusters"], paths["pairs"], *([paths["report"]] if report else [])]
    err.print(f"wrote {', '.join(map(str, wrote))}", highlight=False)


@app.command("report")
def report_command(
    folder: Annotated[Path, typer.Argument(help="The --out folder of a finished scan.")],
    inputs: Annotated[
        list[str] | None,
        typer.Option("--input", help="The scan's inputs, where they moved (repeat for several)."),
    ] = None,
    max_text_chars: Annotated[
        int,
        typer.Option(
            "--max-text-chars", min=0, help="Characters of document text the report holds."
        ),
    ] = MAX_TEXT_CHARS,
) -> None:
    """Rebuild FOLDER/report.html from the files of a finished scan, without scanning again."""
    with _errors():
        results = load_results(folder)
        given = list(inputs) if inputs else inputs_of(results.summary, folder)
        check_inputs(given, str(folder / "summary.json"))
        page = build_report(results, given, read_config_of(results.summary), max_text_chars)
        target = folder / "report.html"
        with atomic_file(target) as tmp:
            tmp.write_text(page, encoding="utf-8")
    err.print(f"wrote {target}", highlight=False)


@app.command()
@scan_options
def dedup(
    source: Annotated[
        str, typer.Argument(help="One input: folder, .jsonl[.gz|.zst], .parquet, .csv or -")
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write the deduplicated corpus.")],
    options: ScanOptions,
) -> None:
    """Write the corpus keeping only the canonical member of each cluster, in the input's format."""
    config = options.config()
    with _errors():
        check_dedup_target(out, source if source != "-" else "stdin.jsonl")
    with _stdin_saved([source], needed=True) as (readable,):  # read twice: scan, then dedup
        result = _run([readable], config)
        dropped = result.dropped
        with _errors():
            kept, removed = write_dedup(readable, set(dropped), out, config.read)
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
@scan_options
def evaluate(
    set_dir: Annotated[Path, typer.Argument(help="Folder with docs.jsonl and gold.jsonl.")],
    options: ScanOptions,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON line.")] = False,
) -> None:
    """Scan SET_DIR/docs.jsonl and score it against SET_DIR/gold.jsonl (ARI, pairwise P/R/F1)."""
    docs_path = set_dir / "docs.jsonl"
    gold_path = set_dir / "gold.jsonl"
    for path in (docs_path, gold_path):
        if not path.is_file():
            err.print(f"[red]error:[/red] {path}: no such file", highlight=False)
            raise typer.Exit(2)
    config = options.config(default_workers=1)
    level = config.level.label
    result = _run([str(docs_path)], config)
    scores = score(result.ids, load_gold(gold_path), result.cluster_of)
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


def _texts_to_compare(a: str, b: str, source: Path | None, config: ScanConfig) -> list[str]:
    if source is None:
        texts = []
        for name in (a, b):
            path = Path(name)
            if not path.is_file():
                raise ReprintsError(
                    f"{name}: no such file (give two text files, or two ids with --input FILE)"
                )
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        return texts
    found = {d.id: d.text for d in read_documents([str(source)], config.read) if d.id in (a, b)}
    missing = [x for x in (a, b) if x not in found]
    if missing:
        raise ReprintsError(f"{source}: no document with id {', '.join(map(repr, missing))}")
    return [found[a], found[b]]


@app.command()
def compare(
    a: Annotated[str, typer.Argument(help="a text file, or an id with --input")],
    b: Annotated[str, typer.Argument(help="a text file, or an id with --input")],
    source: Annotated[
        Path | None, typer.Option("--input", help="read A and B as ids of this input")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the comparison as JSON")] = False,
) -> None:
    """Compare two documents: the relation, its figures and the aligned passages side by side."""
    from reprints.compare import compare_texts

    config = ScanConfig()
    with _errors():
        text_a, text_b = _texts_to_compare(a, b, source, config)
    names = (Path(a).name if source is None else a, Path(b).name if source is None else b)
    result = compare_texts(
        text_a, text_b, config.verify, shingle_size=config.sketch.shingle_size, names=names
    )
    if as_json:
        typer.echo(json.dumps({"a": names[0], "b": names[1], **result.to_dict()}))
        return
    from reprints.output.compare_view import render

    render(result, text_a, text_b, names)


index_app = typer.Typer(
    no_args_is_help=True,
    help="A persistent index: add documents, ask whether new ones are reprints of anything in it.",
)
app.add_typer(index_app, name="index")

_DB = Annotated[Path, typer.Option("--db", help="The index file (SQLite; made on first use).")]
_INPUTS = Annotated[
    list[str], typer.Argument(help="Folders, .jsonl[.gz|.zst], .parquet, .csv, .txt, -")
]
_LEVEL = Annotated[
    str | None, typer.Option("--level", help=f"{'|'.join(Level.names())} (default near).")
]
_ID_FIELD = Annotated[str, typer.Option("--id-field", help="Field holding the document id.")]
_TEXT_FIELD = Annotated[str, typer.Option("--text-field", help="Field holding the text.")]


def _open_index(
    db: Path,
    id_field: str = "id",
    text_field: str = "text",
    on_error: OnError = OnError.RAISE,
    create: bool = False,
    workers: int = 1,
) -> Any:
    """The index at ``db``; only ``add`` makes a new one (elsewhere a mistyped path is an
    error, not an empty index)."""
    from reprints.engine.indexed import Index

    if not create and not db.exists():
        err.print(f"[red]error:[/red] {db}: no such index (reprints index add makes one)")
        raise typer.Exit(2)
    with _errors():
        return Index.open(
            db,
            id_field=id_field,
            text_field=text_field,
            on_error=on_error,
            workers=workers,
        )


@index_app.command("add")
def index_add(
    inputs: _INPUTS,
    db: _DB,
    upsert: Annotated[
        bool, typer.Option("--upsert", help="Replace a stored document with the same id.")
    ] = False,
    id_field: _ID_FIELD = "id",
    text_field: _TEXT_FIELD = "text",
    on_error: Annotated[
        OnError, typer.Option("--on-error", help="raise: stop at a bad record; skip: go on.")
    ] = OnError.RAISE,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Processes parsing and fingerprinting (0: all cores). On 2 cores one process "
            "is faster: the writing process is busy too.",
        ),
    ] = 1,
) -> None:
    """Add documents to the index, all in one transaction (a failure leaves it as it was)."""
    import time

    from reprints.engine.local import progress_counter

    cores = workers or os.cpu_count() or 1
    index = _open_index(db, id_field, text_field, on_error, create=True, workers=cores)
    clock = time.perf_counter()
    stats = ReadStats()
    with _errors(), progress_counter(True, "adding") as advance:
        done = index.add(inputs=inputs, upsert=upsert, stats=stats, progress=advance)
    _stop_if_interrupted()
    seconds = time.perf_counter() - clock
    for warning in stats.messages[:20]:
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    rate = (done.added + done.replaced) / seconds if seconds else 0.0
    err.print(
        f"added {done.added:,}, replaced {done.replaced:,}, skipped {done.skipped:,} "
        f"in {seconds:.1f} s ({rate:,.0f} documents/s); {db} holds {index.store.count():,}",
        highlight=False,
    )


@index_app.command("query")
def index_query(
    inputs: _INPUTS,
    db: _DB,
    level: _LEVEL = None,
    add: Annotated[bool, typer.Option("--add", help="Add the documents afterwards.")] = False,
    id_field: _ID_FIELD = "id",
    text_field: _TEXT_FIELD = "text",
) -> None:
    """For each document: its verified matches in the index (relation, figures, passages, why)
    and the cluster it joins, one JSON line per document on standard output."""
    index = _open_index(db, id_field, text_field)
    with _errors():
        answers = index.query(inputs=inputs, level=level, add=add)
    for answer in answers:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
    joined = sum(1 for a in answers if a.cluster is not None)
    err.print(
        f"{len(answers):,} queried: {joined:,} join a cluster, "
        f"{sum(1 for a in answers if a.matches):,} have matches"
        + (f"; added to {db}" if add else ""),
        highlight=False,
    )


@index_app.command("remove")
def index_remove(
    ids: Annotated[list[str], typer.Argument(help="Ids of the documents to remove.")],
    db: _DB,
    missing_ok: Annotated[
        bool, typer.Option("--missing-ok", help="Ids not in the index are not an error.")
    ] = False,
) -> None:
    """Remove documents by id, in one transaction."""
    index = _open_index(db)
    with _errors():
        removed = index.remove(ids, missing_ok=missing_ok)
    err.print(f"removed {removed:,}; {db} holds {index.store.count():,}", highlight=False)


@index_app.command("stats")
def index_stats(db: _DB) -> None:
    """Documents, posting segments, bytes on disk, as JSON."""
    typer.echo(json.dumps(_open_index(db).stats(), indent=2))


@index_app.command("export")
def index_export(
    db: _DB,
    out: Annotated[Path, typer.Option("--out", help="Folder for pairs.jsonl, clusters.jsonl.")],
    level: _LEVEL = None,
) -> None:
    """Write the pairs and clusters of every stored document, as a scan of them writes them."""
    index = _open_index(db)
    with _errors():
        folder = prepare_output(out)
        result = index.scan(level)
        _stop_if_interrupted()
        write_results(result, folder)
    render_summary(result, err)
    err.print(f"wrote {out}", highlight=False)


@app.command()
def serve(
    db: _DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    level: Annotated[
        str | None, typer.Option("--level", help="Default level of queries (near).")
    ] = None,
    token_file: Annotated[
        Path | None,
        typer.Option("--token-file", help="File holding the write token (else $REPRINTS_TOKEN)."),
    ] = None,
    protect_reads: Annotated[
        bool, typer.Option("--protect-reads", help="Queries and reads need the token too.")
    ] = False,
    max_body_bytes: Annotated[
        int, typer.Option("--max-body-bytes", help="Largest request body accepted.")
    ] = DEFAULT_MAX_BODY_BYTES,
    max_documents: Annotated[
        int, typer.Option("--max-documents", help="Most documents in one request.")
    ] = DEFAULT_MAX_DOCUMENTS,
) -> None:
    """Serve the index over HTTP (FastAPI; the API's page at /docs). Writes need the token in
    $REPRINTS_TOKEN or --token-file, sent as ``Authorization: Bearer TOKEN``."""
    try:
        from reprints.service.app import serve as run_service
    except ImportError as exc:
        err.print(
            f"[red]error:[/red] the service needs FastAPI and uvicorn: "
            f"pip install 'reprints[serve]' ({exc})",
            highlight=False,
        )
        raise typer.Exit(2) from exc
    try:
        with _errors():
            run_service(
                str(db),
                host=host,
                port=port,
                level=level,
                token_file=str(token_file) if token_file else None,
                protect_reads=protect_reads,
                max_body_bytes=max_body_bytes,
                max_documents=max_documents,
            )
    except Interrupted:  # uvicorn passes the stop on once it has shut down: a normal end
        _RECEIVED.clear()
        err.print("stopped", highlight=False)


class Interrupted(BaseException):
    """SIGINT or SIGTERM: unwinds the scan (its finally blocks remove the spill and staging
    folders and stop the workers), then the command exits quietly with 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.code = 128 + signum


_RECEIVED: list[int] = []


_MAIN_PID: list[int] = []


def _interrupt(signum: int, _frame: object) -> None:
    if _MAIN_PID and os.getpid() != _MAIN_PID[0]:
        os._exit(128 + signum)  # a worker forked before it set its own handlers: end quietly
    _RECEIVED.append(signum)
    raise Interrupted(signum)


def _stop_if_interrupted() -> None:
    """A signal whose exception was swallowed (it can land inside a fork handler) still stops
    the command before it writes anything."""
    if _RECEIVED:
        raise Interrupted(_RECEIVED[0])


def _unraisable(hook: Any) -> Any:
    """``sys.unraisablehook`` less the stops: a signal can land where its exception cannot
    propagate (a weakref or import-lock callback) and Python would print it as "Exception
    ignored" with a traceback; the stop is taken anyway (``_stop_if_interrupted``)."""

    def quiet(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, Interrupted):
            hook(unraisable)

    return quiet


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    _MAIN_PID.append(os.getpid())
    sys.unraisablehook = _unraisable(sys.unraisablehook)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    try:
        try:
            app()
        finally:
            _stop_if_interrupted()  # also when the command ended normally (SystemExit)
    except Interrupted as stop:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # one clean-up, not a second traceback
        err.print(f"interrupted ({signal.Signals(stop.code - 128).name}): nothing written")
        sys.exit(stop.code)


if __name__ == "__main__":
    main()
