"""What the evidence fields cost: the same scan with and without them, alternately.

    python benchmarks/evidence_cost.py CORPUS.jsonl --runs 2 [--level near] [--workers 2]

Each run is a fresh process (peak memory is per process): ``reprints.scan`` with
``evidence=False``, then with ``evidence=True``, ``--runs`` times. Prints one JSON line per run
(wall seconds, the evidence stage's seconds, peak RSS of the main process, pairs) and, at the
end, the evidence stage as a share of the median scan without it, and the median wall times.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

_ONE = """
import json, resource, sys, time
import reprints
path, level, workers, evidence = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "on"
clock = time.perf_counter()
result = reprints.scan([path], level=level, workers=workers, evidence=evidence)
print(json.dumps({
    "evidence": evidence,
    "wall_s": round(time.perf_counter() - clock, 2),
    "evidence_stage_s": round(result.stats.stages["evidence"].seconds, 2)
    if "evidence" in result.stats.stages else None,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    "pairs": len(result.pairs),
}))
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--level", default="near")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    rows: list[dict[str, object]] = []
    for _ in range(args.runs):
        for evidence in ("off", "on"):
            done = subprocess.run(
                [sys.executable, "-c", _ONE, args.corpus, args.level, str(args.workers), evidence],
                capture_output=True,
                text=True,
                check=True,
            )
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row), flush=True)
    off = statistics.median(float(r["wall_s"]) for r in rows if not r["evidence"])  # type: ignore[arg-type]
    on = statistics.median(float(r["wall_s"]) for r in rows if r["evidence"])  # type: ignore[arg-type]
    stage = statistics.median(float(r["evidence_stage_s"]) for r in rows if r["evidence"])  # type: ignore[arg-type]
    print(
        json.dumps(
            {
                "median_wall_off_s": off,
                "median_wall_on_s": on,
                "wall_increase": round(on / off - 1, 4),
                "median_evidence_stage_s": stage,
                "stage_share_of_off": round(stage / off, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
