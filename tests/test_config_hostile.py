"""A hostile or unlucky schedules.yaml gets one clear FILE:LINE:COL line, never a traceback.

Issue 16 item 5-6: an alias bomb, values out of any range, lists nested a thousand deep,
control characters, and schedules that never fire.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from syndicate.config import load
from syndicate.config.guard import MAX_FILE_BYTES
from syndicate.errors import ConfigError
from tests.scheduler_helpers import alias_bomb, run_cli

JOB = "jobs:\n  - name: collect\n    run: collect\n"


def problems_of(tmp_path: Path, text: str | bytes) -> list[str]:
    path = tmp_path / "schedules.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    with pytest.raises(ConfigError) as caught:
        load(path, for_running=True)
    prefix = f"{path}:"
    assert all(str(p).startswith(prefix) for p in caught.value.problems)
    return [str(p).removeprefix(prefix) for p in caught.value.problems]


def test_the_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    """Measured in a child process under a 2 GB address-space cap (the unguarded loader
    took 4.2 GB): the peak of Python allocations while loading stays under 100 MB."""
    bomb = tmp_path / "schedules.yaml"
    bomb.write_text(alias_bomb())
    assert len(bomb.read_bytes()) == 342
    child = textwrap.dedent(f"""
        import json, resource, tracemalloc
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        from syndicate.config import load
        from syndicate.errors import ConfigError
        tracemalloc.start()
        try:
            load({str(bomb)!r})
            outcome = "accepted"
        except ConfigError as exc:
            outcome = str(exc)
        print(json.dumps({{"outcome": outcome, "peak": tracemalloc.get_traced_memory()[1]}}))
    """)
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["outcome"].startswith(f"{bomb}:5:"), result
    assert "alias" in result["outcome"]
    assert result["peak"] < 100 * 2**20, result


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (JOB + "    every: '99999999999d'\n", "4:12",
         "jobs[0].every: duration '99999999999d' is out of range: at most 366 days"),
        ("timezone: " + "A" * 5000 + "\n" + JOB + "    every: 15m\n", "1:11",
         "timezone: unknown timezone 'AAAA"),
        ("http:\n  retries: " + "9" * 4301 + "\n" + JOB + "    every: 15m\n", "2:12",
         "a number of 4,301 digits is out of range for any setting"),
        ("x: " + "[" * 1000 + "]" * 1000 + "\n" + JOB + "    every: 15m\n", "1:35",
         "nested more than 32 levels deep"),
        (JOB + "    every: 15m\n    jitter: \"a\x00b\"\n", "5:15",
         "control character U+0000 (NUL) is not allowed in YAML"),
        (JOB.replace("run: collect", "run: coll\x1bect") + "    every: 15m\n", "3:14",
         "control character U+001B (ESC) is not allowed in YAML"),
        (JOB + "    cron: '0 7 31 2 *'\n", "4:16",
         "jobs[0].cron: cron '0 7 31 2 *' never fires: there is no day 31 in February"),
        (JOB + "    cron: '0 7 31 2,4,6 *'\n", "4:16",
         ("jobs[0].cron: cron '0 7 31 2,4,6 *' never fires: there is no day 31 in February, "
          "April and June")),
        (JOB + "    cron: '0 7 * * " + "1" * 5000 + "'\n", "4:20",
         "jobs[0].cron: cron day of week: '11111111"),
        (JOB + "    cron: '\u00b2 7 * * *'\n", "4:12",
         "jobs[0].cron: cron minute: '\u00b2' is not a number"),
        (JOB + "    every: 15m\n    timezone: \"Asia/Qa\\0tar\"\n", "5:15",
         "jobs[0].timezone: unknown timezone"),
        ("http:\n  max_page_bytes: 1e999\n" + JOB + "    every: 15m\n", "2:19",
         "http.max_page_bytes:"),
    ],
    ids=["huge-every", "long-timezone", "4301-digits", "nested-1000", "nul", "esc", "feb-31",
         "never-in-months", "long-cron-field", "superscript-digit", "nul-in-timezone",
         "infinite-bytes"],
)
def test_hostile_values_get_one_line_at_their_place(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    problems = problems_of(tmp_path, text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{where}: {message}"), problems
    assert len(problems[0]) < 300  # a 5,000-character value is shown cut


def test_a_file_over_the_size_limit_is_not_read_whole(tmp_path: Path) -> None:
    padding = "# " + "x" * 78 + "\n"
    text = JOB + "    every: 15m\n" + padding * (MAX_FILE_BYTES // len(padding) + 1)
    assert problems_of(tmp_path, text) == [
        f"1:1: the file is over the {MAX_FILE_BYTES:,}-byte limit for schedules.yaml"]


def test_aliases_of_ordinary_size_still_work(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text(JOB + "    every: &often 15m\n  - name: feeds\n    run: feeds\n"
                    "    every: *often\n")
    assert [job.every for job in load(path).jobs] == ["15m", "15m"]


def test_check_warns_about_a_window_already_over(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text(JOB + "    cron: '0 7 * * *'\n    until: 2020-01-31\n")
    code, out, err = run_cli(["schedules", "check", str(path)])
    assert code == 0, err
    assert "OK" in out
    assert (f"{path}:5:12: warning: job 'collect' never runs again: until 2020-01-31 is past"
            in err)


def test_check_is_quiet_about_jobs_that_run(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text(JOB + "    cron: '0 7 29 2 *'\n  - name: old\n    run: feeds\n"
                    "    every: 1h\n    until: 2020-01-31\n    paused: true\n")
    code, _out, err = run_cli(["schedules", "check", str(path)])
    assert (code, err) == (0, "")
