"""``reprints compare`` in the terminal: the relation, its figures, the two texts side by side."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reprints.compare import Comparison

_STYLE = {"copy": "green", "reworded": "yellow", "translated": "cyan", "added": "red"}


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def rows(c: Comparison, a: str, b: str) -> list[tuple[str, str, str, str]]:
    """``(kind, score, passage of a, passage of b)`` in reading order of ``a``; passages added in
    ``b`` come where they sit between the aligned ones."""
    al = c.alignment
    out: list[tuple[int, int, tuple[str, str, str, str]]] = []
    for x in al.aligned:
        out.append(
            (x.a[0], x.b[0], (x.kind, f"{x.score:.2f}", a[x.a[0] : x.a[1]], b[x.b[0] : x.b[1]]))
        )
    for s, e in al.added_in_a:
        out.append((s, -1, ("added", "", a[s:e], "")))
    # a passage added in b sorts after the aligned pair that precedes it in b
    anchors = sorted((x.b[0], x.a[0]) for x in al.aligned)
    for s, e in al.added_in_b:
        before = [pa for pb, pa in anchors if pb < s]
        at = before[-1] if before else -1
        out.append((at, s, ("added", "", "", b[s:e])))
    out.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in out]


def render(c: Comparison, a: str, b: str, names: tuple[str, str], width: int = 60) -> None:
    console = Console()
    console.print(f"[bold]{c.relation}[/bold]: {c.why}", highlight=False)
    al = c.alignment
    console.print(
        f"word 5-gram Jaccard {c.jaccard:.2f}, {names[0]} in {names[1]} "
        f"{c.containment_a_in_b:.0%}, {names[1]} in {names[0]} {c.containment_b_in_a:.0%}; "
        f"{len(al.aligned)} passages aligned, {len(al.added_in_a)} only in {names[0]}, "
        f"{len(al.added_in_b)} only in {names[1]}",
        highlight=False,
    )
    table = Table(show_lines=False, expand=False)
    table.add_column("kind")
    table.add_column("score", justify="right")
    table.add_column(names[0], max_width=width)
    table.add_column(names[1], max_width=width)
    for kind, score, pa, pb in rows(c, a, b):
        style = _STYLE[kind]
        table.add_row(
            Text(kind, style=style), score, Text(_clip(pa, width * 2)), Text(_clip(pb, width * 2))
        )
    console.print(table)
