"""How fast schedules.yaml is checked and how soon the scheduler picks up an edit.

Run: /tmp/venv/bin/python bench/schedules.py   (prints figures; last line is one JSON object)
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from syndicate.config import load
from syndicate.errors import ConfigError
from syndicate.scheduler import Scheduler
from syndicate.scheduler_triggers import next_run_times

ROOT = Path(__file__).resolve().parent.parent


def _median_ms(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    default = ROOT / "schedules.yaml"
    check_ms = _median_ms(lambda: load(default, check_env=True), 30)
    bad = sorted((ROOT / "tests" / "data" / "bad_configs").glob("*.yaml"))

    def check_all_bad() -> None:
        for path in bad:
            try:
                load(path, check_env=True)
            except ConfigError:
                pass

    bad_ms = _median_ms(check_all_bad, 5) / len(bad)
    config = load(default)
    now = datetime.now(UTC)
    list_ms = _median_ms(
        lambda: [next_run_times(job.spec(config.timezone), now, 3) for job in config.jobs], 30
    )
    print(f"schedules check, bundled schedules.yaml: {check_ms:.1f} ms (median of 30)")
    print(f"schedules check, broken file (table of {len(bad)}): {bad_ms:.1f} ms per file (median of 5)")
    print(f"next three runs of all {len(config.jobs)} jobs: {list_ms:.2f} ms (median of 30)")

    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / "schedules.yaml"
        path.write_text("store: var/bench.db\njobs:\n  - name: feeds\n    run: feeds\n    cron: '0 8 * * fri'\n",
                        encoding="utf-8")
        latencies = []
        with Scheduler(path, runner=lambda name: None) as scheduler:  # default poll: 1 s
            for hour, pause in enumerate((0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95), start=1):
                time.sleep(pause)  # land edits at every phase of the 1 s poll
                seen = len(scheduler.state.reloads)
                path.write_text(path.read_text(encoding="utf-8").replace(
                    f"'0 {7 + hour} ", f"'0 {8 + hour} "), encoding="utf-8")
                edited = time.perf_counter()
                while len(scheduler.state.reloads) == seen:
                    time.sleep(0.005)
                latencies.append(time.perf_counter() - edited)
                assert scheduler.state.reloads[-1].changed == ("feeds",)
    finally:
        shutil.rmtree(folder)
    reload_s = statistics.median(latencies)
    print(f"hot reload, edit → jobs reconciled (poll 1 s): median {reload_s:.2f} s, "
          f"max {max(latencies):.2f} s over {len(latencies)} edits (requirement: ≤ 2 s, "
          f"ratio {max(latencies) / 2:.2f} of the budget)")
    print(json.dumps({
        "check_default_ms": round(check_ms, 2),
        "check_broken_ms_per_file": round(bad_ms, 2),
        "next_runs_all_jobs_ms": round(list_ms, 3),
        "reload_median_s": round(reload_s, 3),
        "reload_max_s": round(max(latencies), 3),
        "reload_budget_ratio": round(max(latencies) / 2, 3),
    }))


if __name__ == "__main__":
    main()
