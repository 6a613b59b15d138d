"""Plot wall time and peak memory against corpus size from ``benchmarks/results/*.json``.

python benchmarks/plot.py   # writes benchmarks/scaling.png
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

HERE = Path(__file__).resolve().parent


def main() -> None:
    series: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
    for path in sorted((HERE / "results").glob("*.json")):
        for row in json.loads(path.read_text())["rows"]:
            tool = row["tool"].split(" (")[0]
            series[tool].append((row["docs"], row["pipeline_wall_s"], row["peak_rss_mb"]))
    fig, (ax_time, ax_mem) = plt.subplots(1, 2, figsize=(11, 4.2))
    for tool, points in sorted(series.items()):
        points.sort()
        docs = [p[0] for p in points]
        ax_time.plot(docs, [p[1] for p in points], marker="o", label=tool)
        ax_mem.plot(docs, [p[2] for p in points], marker="o", label=tool)
    for ax, title, unit in (
        (ax_time, "whole pipeline, wall time (2 cores)", "seconds"),
        (ax_mem, "peak resident memory", "MiB"),
    ):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("documents (500 words each)")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    out = HERE / "scaling.png"
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
