"""The YAML alias bomb of issue 16 against `schedules check`'s loader.

The 342-byte file (nine levels of ``&x [*w, *w, …]``) expands to about 430 million
values. Each run loads it in a fresh child process (so imports are not counted twice
and the memory figure is the child's own) under a 2 GB address-space cap, and
reports the wall time of ``load()`` alone, the peak of Python allocations during it
(tracemalloc), and the growth of the child's peak resident set across the load
(``ru_maxrss``). Also, for scale, the same figures for the shipped schedules.yaml.

    python bench/config_bomb.py [--runs 5]

The last line is one JSON object: bomb_load_s, bomb_peak_alloc_mb, bomb_rss_growth_mb
(medians), sample_load_s, and the message the bomb gets.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scheduler_helpers import alias_bomb

_CHILD = r"""
import json, resource, sys, time, tracemalloc
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from syndicate.config import load
from syndicate.errors import ConfigError
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
start = time.perf_counter()
try:
    load(sys.argv[1])
    outcome = "accepted"
except ConfigError as exc:
    outcome = str(exc)
elapsed = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1]
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"s": elapsed, "peak": peak, "rss_growth_kb": after - before,
                  "outcome": outcome}))
"""


def measure(path: Path, runs: int) -> list[dict[str, object]]:
    results = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True,
                              text=True, timeout=300, cwd=ROOT, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schedules.yaml"
        path.write_text(alias_bomb())
        size = path.stat().st_size
        bombs = measure(path, args.runs)
    samples = measure(ROOT / "schedules.yaml", args.runs)

    def median(rows: list[dict[str, object]], key: str) -> float:
        return statistics.median(float(row[key]) for row in rows)  # type: ignore[arg-type]

    summary = {
        "bomb_bytes": size,
        "bomb_load_s": round(median(bombs, "s"), 4),
        "bomb_peak_alloc_mb": round(median(bombs, "peak") / 2**20, 2),
        "bomb_rss_growth_mb": round(median(bombs, "rss_growth_kb") / 1024, 2),
        "sample_load_s": round(median(samples, "s"), 4),
        "sample_peak_alloc_mb": round(median(samples, "peak") / 2**20, 2),
        "bomb_message": str(bombs[0]["outcome"]).split(": ", 1)[-1],
        "runs": args.runs,
    }
    print(f"alias bomb ({size} bytes): load {summary['bomb_load_s']} s, peak allocations "
          f"{summary['bomb_peak_alloc_mb']} MB, RSS growth {summary['bomb_rss_growth_mb']} MB "
          f"(median of {args.runs}); shipped schedules.yaml: {summary['sample_load_s']} s")
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
