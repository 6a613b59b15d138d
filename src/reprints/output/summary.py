"""The terminal summary at the end of a scan."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from reprints.relations import Relation
from reprints.result import ScanResult


def render_summary(result: ScanResult, console: Console, max_warnings: int = 10) -> None:
    """Print documents read and skipped (and why), clusters, pairs by relation and time."""
    s = result.stats
    table = Table(title=f"reprints scan (level {result.level})", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("count", justify="right")
    table.add_row("documents read", f"{s.documents:,}")
    for reason, count in sorted(s.skipped.items()):
        table.add_row(f"skipped: {reason.replace('_', ' ')}", f"{count:,}")
    for reason, count in sorted(s.changed.items()):
        table.add_row(f"kept, {reason.replace('_', ' ')}", f"{count:,}")
    table.add_row("clusters", f"{s.clusters:,}")
    table.add_row("documents in clusters", f"{s.clustered_documents:,}")
    for relation in Relation.registered():
        if relation in s.pairs or relation.always:
            table.add_row(f"pairs: {relation}", f"{s.pairs.get(relation, 0):,}")
    table.add_row("candidate pairs checked", f"{s.candidates.get('total', 0):,}")
    table.add_row("time", f"{s.total_seconds:.2f} s")
    console.print(table)
    for message in s.warnings[:max_warnings]:
        console.print(f"[yellow]warning:[/yellow] {message}", highlight=False)
    if len(s.warnings) > max_warnings:
        console.print(f"[yellow]... and {len(s.warnings) - max_warnings} more warnings[/yellow]")
