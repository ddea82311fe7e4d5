"""A table of broken schedules.yaml files, each with the exact FILE:LINE:COL messages an operator sees.

The files live in tests/data/bad_configs/ (one mistake each, or several at once in
many-problems-at-once.yaml); the expectations below were read and checked by hand:
line and column point at the offending key or value (1-based), and inside a cron
expression at the faulty field.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.config import load
from syndicate.errors import ConfigError
from tests.scheduler_helpers import run_cli

DATA = Path(__file__).parent / "data" / "bad_configs"

EXPECTED: dict[str, list[str]] = {
    'base-url-without-scheme': [
        "2:13: site.base_url: 'news.alsharq.example' is not a web address: write e.g. https://news.example.org",
    ],
    'bad-days': [
        "5:11: jobs[0].days: unknown day 'thr': use sun, mon, tue, wed, thu, fri, sat",
    ],
    'bad-job-name': [
        "2:11: jobs[0].name: 'Morning Digest' must be lower-case letters, digits, '-' or '_' (e.g. 'morning-digest')",
    ],
    'cron-and-every': [
        "5:12: job 'collect' has both cron and every: pick one",
    ],
    'cron-bad-weekday': [
        "4:20: jobs[0].cron: cron day of week: 'fir' is not a number nor a name (sun, mon, tue, wed, thu, fri, sat)",
    ],
    'cron-day-and-weekday': [
        "4:11: jobs[0].cron: cron '0 8 1 * fri' restricts both the day of month and the day of week; restrict one of them (or use `days:`)",
    ],
    'cron-four-fields': [
        "4:11: jobs[0].cron: cron '0 7 * *' has 4 fields; expected 5: minute hour day month weekday (e.g. '0 7 * * sun-thu')",
    ],
    'cron-minute-out-of-range': [
        '4:12: jobs[0].cron: cron minute: 61 is out of range 0-59',
    ],
    'days-never-meet-cron': [
        "5:11: job 'feeds': days 'sun-thu' and the cron's day of week never meet: the job would never run",
    ],
    'digest-without-newsletter': [
        "7:10: digest job 'weekly' needs a newsletter",
    ],
    'duplicate-job-name': [
        "5:11: job name 'feeds' is used twice",
    ],
    'every-in-words': [
        "4:12: jobs[0].every: duration '15 minutes' is not a duration: write e.g. '30s', '15m', '2h', '1d' or '1h30m'",
    ],
    'every-without-unit': [
        "4:12: jobs[0].every: 15 has no unit: write e.g. '15m', '2h' or '30s'",
    ],
    'jitter-longer-than-every': [
        "5:13: job 'collect': jitter '20m' must be shorter than every '15m'",
    ],
    'job-timezone-typo': [
        "5:15: jobs[0].timezone: unknown timezone 'Asia/Riyad' (did you mean 'Asia/Riyadh'?)",
    ],
    'locale-typo': [
        "5:13: newsletters[0].locale: 'ar-QAT': unknown or non-Arabic locale; use e.g. ar-QA, ar-SA, ar-EG",
    ],
    'many-problems-at-once': [
        "9:5: unknown key 'jobs[0].pasued' (did you mean 'paused'?)",
        "12:17: unknown newsletter 'weekli' (known: daily)",
        '13:14: jobs[1].cron: cron hour: 25 is out of range 0-23',
        "16:15: jobs[2].timezone: unknown timezone 'Asia/Qatr' (did you mean 'Asia/Qatar'?)",
    ],
    'no-schedule': [
        "2:5: job 'collect' needs a schedule: cron (e.g. '0 7 * * sun-thu') or every (e.g. '30m')",
    ],
    'not-a-mapping': [
        '1:1: the file must be a mapping of settings',
    ],
    'saved-as-windows-1256': [
        '4:10: not UTF-8 text: byte 0xc7 cannot be read (save the file as UTF-8)',
    ],
    'seasonal-job-typos': [
        "7:12: jobs[0].until: '2027/03/09' is not a valid date: write YYYY-MM-DD, e.g. 2027-02-08",
        "8:13: jobs[0].paused: 'yes please' is not true or false",
    ],
    'secret-written-in-yaml': [
        '5:15: delivery.smtp.password: secrets are not written in schedules.yaml: use {env: VARIABLE_NAME}',
    ],
    'sender-not-an-address': [
        "4:13: newsletters[0].sender: 'digest-at-alsharq.example' is not an e-mail address: write e.g. \"الواحة <digest@example.org>\"",
        "5:15: newsletters[0].reply_to: 'الشرق' is not an e-mail address: write e.g. \"الواحة <digest@example.org>\"",
    ],
    'shared-store-without-secret': [
        "3:17: secret SYNDICATE_TEST_MISSING_SITE_SECRET is not set in the environment (needed: a shared server store means every host must sign subscribe/unsubscribe links with one key)",
    ],
    'no-jobs': [
        '3:1: no jobs: the schedule would run nothing (add jobs under `jobs:`; to stop them for a while, set `paused: true` on each)',
    ],
    'smtp-secret-missing': [
        '6:21: secret SYNDICATE_TEST_MISSING_SMTP_PASSWORD is not set in the environment (needed: delivery.transport is smtp)',
    ],
    'smtp-without-section': [
        '2:14: transport is smtp but there is no delivery.smtp section',
    ],
    'source-kind-missing': [
        "2:5: 'sources[0].kind' is required: one of html, feed, sitemap, wordpress",
    ],
    'source-kind-typo': [
        "3:11: sources[0].kind: unknown source kind 'htlm' (did you mean 'html'?)",
    ],
    'string-for-list': [
        "5:15: newsletters[0].sections: expected a list, e.g. [new]",
    ],
    'source-url-scheme-typo': [
        "7:9: sources[0].start_urls[1]: 'htps://al-sharq.com/opinion/2': the scheme must be https, http or file, not 'htps'",
    ],
    'source-url-without-scheme': [
        "5:10: sources[0].url: no file 'al-sharq.com/rss' beside this file; a web address needs its scheme: https://al-sharq.com/rss",
    ],
    'source-missing-required': [
        "2:5: 'sources[0].links' is required",
    ],
    'template-typo': [
        "5:15: newsletters[0].template: no template 'digets.mjml.j2' (did you mean 'digest.mjml.j2'?)",
    ],
    'templates-dir-missing': [
        "1:16: templates_dir: no folder 'my-templates' beside this file",
    ],
    'unknown-job-key': [
        "2:5: job 'feeds' needs a schedule: cron (e.g. '0 7 * * sun-thu') or every (e.g. '30m')",
        "4:5: unknown key 'jobs[0].cronn' (did you mean 'cron'?)",
    ],
    'unknown-job-kind': [
        "3:10: jobs[0].run: Input should be 'collect', 'feeds', 'digest' or 'unsubscribes'",
    ],
    'unknown-newsletter': [
        "8:17: unknown newsletter 'dialy' (did you mean 'daily'?)",
    ],
    'unknown-source-in-job': [
        "10:15: unknown source 'alsharg' (did you mean 'alsharq'?)",
    ],
    'unknown-source-in-newsletter': [
        "10:15: unknown source 'al-sharq' (did you mean 'alsharq'?)",
    ],
    'unknown-timezone-city': [
        "1:11: timezone: unknown timezone 'Asia/Doha' (did you mean 'Asia/Qatar'?)",
    ],
    'unknown-top-level-key': [
        "1:1: unknown key 'timezon' (did you mean 'timezone'?)",
    ],
    'window-backwards': [
        "6:12: job 'ramadan': until 2026-02-18 is before from 2026-03-19",
    ],
    'window-impossible-date': [
        "5:11: jobs[0].from: '2026-02-30' is not a valid date: write YYYY-MM-DD, e.g. 2027-02-08",
    ],
    'yaml-syntax-bad-indent': [
        "4:4: YAML syntax: expected <block end>, but found '<block mapping start>' (while parsing a block collection that starts at line 2, column 3) — check the indentation of this line and the one above",
    ],
    'yaml-syntax-tab': [
        "3:1: YAML syntax: found character '\\t' that cannot start any token — indent with spaces, not tabs",
    ],
    'yaml-syntax-unclosed-quote': [
        '6:1: YAML syntax: found unexpected end of stream (while scanning a quoted scalar that starts at line 5, column 11)',
    ],
}


def test_the_table_is_complete() -> None:
    on_disk = {path.stem for path in DATA.glob("*.yaml")}
    assert on_disk == set(EXPECTED)
    assert len(EXPECTED) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_reports_every_problem_at_its_line(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SYNDICATE_TEST_MISSING_SMTP_PASSWORD", raising=False)
    monkeypatch.delenv("SYNDICATE_TEST_MISSING_SITE_SECRET", raising=False)
    path = DATA / f"{name}.yaml"
    with pytest.raises(ConfigError) as caught:
        load(path, for_running=True)
    assert [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems] == EXPECTED[name]
    assert all(p.path == str(path) for p in caught.value.problems)


def test_missing_secret_is_fine_once_the_environment_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDICATE_TEST_MISSING_SMTP_PASSWORD", "s3cret")
    config = load(DATA / "smtp-secret-missing.yaml", for_running=True)
    assert config.delivery.smtp is not None and config.delivery.smtp.password is not None
    # Commands that send nothing do not demand secrets.
    monkeypatch.delenv("SYNDICATE_TEST_MISSING_SMTP_PASSWORD")
    assert load(DATA / "smtp-secret-missing.yaml").delivery.transport == "smtp"


def test_schedules_check_prints_all_problems_and_exits_non_zero() -> None:
    path = DATA / "many-problems-at-once.yaml"
    code, _out, err = run_cli(["schedules", "check", str(path)])
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith(str(path))]
    assert [line.removeprefix(f"{path}:") for line in lines] == EXPECTED["many-problems-at-once"]
    assert "4 problem(s)" in err


def test_schedules_check_accepts_the_bundled_default() -> None:
    default = Path(__file__).parent.parent / "schedules.yaml"
    code, out, err = run_cli(["schedules", "check", str(default)])
    assert (code, err) == (0, "")
    assert "OK" in out and "4 job(s)" in out


def test_the_installed_command_line_reports_the_same() -> None:
    import subprocess
    import sys

    path = DATA / "many-problems-at-once.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "syndicate.cli.main", "schedules", "check", str(path)],
        capture_output=True, text=True, check=False, cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 2
    expected = [f"{path}:{line}" for line in EXPECTED["many-problems-at-once"]]
    assert done.stderr.splitlines()[: len(expected)] == expected
