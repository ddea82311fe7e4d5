"""What the operator's terminal shows: positions and messages printed verbatim by the real entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_line_100_is_printed_as_a_number_not_an_emoji(tmp_path: Path) -> None:
    # rich replaces ":100:" by an emoji unless told not to; line 100 is a real place for a typo.
    padding = "".join(f"# comment {n}\n" for n in range(1, 97))
    path = tmp_path / "schedules.yaml"
    path.write_text(padding + "jobs:\n  - name: feeds\n    run: feeds\n    cron: '0 7 * * sun-thr'\n",
                    encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "syndicate.cli.main", "schedules", "check", str(path)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        f"{path}:100:20: jobs[0].cron: cron day of week: 'thr' is not a number nor a name"
        " (sun, mon, tue, wed, thu, fri, sat)"
    )


def test_an_error_is_one_line_even_when_long(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text("jobs:\n" + "".join(
        f"  - name: collect-from-a-long-source-name-{n}\n    run: collect\n    every: 30m\n"
        for n in range(4)), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "syndicate.cli.main", "run-job", "nosuch", "--config", str(path)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "error: no job named 'nosuch' in schedules.yaml (known: "
        + ", ".join(f"collect-from-a-long-source-name-{n}" for n in range(4)) + ")"
    ]
