"""`syndicate run`, `run --once`, `run-job` and `schedules list`, end to end on a real SQLite file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from syndicate.config import load
from syndicate.store import Store
from tests.scheduler_helpers import run_cli, write_config

ROOT = Path(__file__).parent.parent
FEEDS_JOB = "  - name: feeds\n    run: feeds\n    every: 1s\n"


def _runs(path: Path) -> list[tuple[str, str]]:
    store = Store.open(load(path).store_url)
    try:
        return [(run.job, run.outcome) for run in store.jobs.recent(50)]
    finally:
        store.close()


def test_run_job_runs_one_job_now_and_records_it(tmp_path: Path) -> None:
    path = write_config(tmp_path, FEEDS_JOB)
    code, out, err = run_cli(["run-job", "feeds", "--config", str(path)])
    assert (code, err) == (0, "")
    assert f"feeds:  {tmp_path / 'feeds'}" in out
    assert _runs(path) == [("feeds", "ok")]


def test_run_job_with_an_unknown_name_suggests_the_right_one(tmp_path: Path) -> None:
    path = write_config(tmp_path, FEEDS_JOB)
    code, _out, err = run_cli(["run-job", "feds", "--config", str(path)])
    assert code == 1
    assert "no job named 'feds'" in err and "did you mean 'feeds'?" in err
    assert _runs(path) == []


def test_run_once_runs_every_job_in_pipeline_order_and_says_where_things_are(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        "  - name: z-feeds\n    run: feeds\n    cron: '0 8 * * *'\n"
        "  - name: a-paused\n    run: feeds\n    every: 1h\n    paused: true\n",
    )
    code, out, _err = run_cli(["run", "--once", "--config", str(path)])
    assert code == 0
    assert f"feeds:  {tmp_path / 'feeds'}" in out
    assert f"outbox: {tmp_path / 'outbox'} (Maildir)" in out
    assert _runs(path) == [("z-feeds", "ok")]  # the paused job is not run


def test_schedules_list_in_english_and_arabic(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        "  - name: weekly\n    run: feeds\n    cron: '0 8 * * fri'\n"
        "  - name: ramadan\n    run: feeds\n    every: 1h\n    paused: true\n",
    )
    code, out, _ = run_cli(["schedules", "list", "--config", str(path)])
    assert code == 0
    assert "at 08:00, on Friday (Asia/Qatar)" in out
    fridays = [line for line in out.splitlines() if "Fri " in line and "08:00 (UTC+03:00)" in line]
    assert len(fridays) == 3 and "paused" in out
    code, out, _ = run_cli(["schedules", "list", "--lang", "ar", "--config", str(path)])
    assert code == 0
    assert "الساعة ٠٨:٠٠، يوم الجمعة (بتوقيت Asia/Qatar)" in out
    assert out.count("الجمعة") >= 4 and "موقوفة مؤقتًا" in out


def test_sigterm_finishes_cleanly_with_json_logs(tmp_path: Path) -> None:
    path = write_config(tmp_path, FEEDS_JOB)
    process = subprocess.Popen(
        [sys.executable, "-m", "syndicate.cli.main", "run", "--config", str(path), "--poll", "0.2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stderr is not None
    events: list[dict[str, object]] = []
    deadline = time.monotonic() + 20
    try:
        for line in process.stderr:
            events.append(json.loads(line))  # not a terminal: every log line is JSON
            if events[-1].get("event") == "job_finished" or time.monotonic() > deadline:
                break
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    events += [json.loads(line) for line in (rest or "").splitlines()]
    assert process.returncode == 0
    kinds = [event.get("event") for event in events]
    assert "job_finished" in kinds and kinds[-1] == "stopped"
    assert kinds.index("stopping") < kinds.index("stopped")
    assert all(set(event) >= {"ts", "level", "logger", "msg"} for event in events)
    assert set(_runs(path)) == {("feeds", "ok")}


def test_a_second_run_on_the_same_store_refuses_to_start(tmp_path: Path) -> None:
    from syndicate.scheduler import Scheduler

    path = write_config(tmp_path, FEEDS_JOB)
    with Scheduler(path, runner=lambda name: None, poll_s=0.1):
        code, _out, err = run_cli(["run", "--config", str(path)])
    assert code == 1
    assert f"another `syndicate run` (pid {os.getpid()}) already runs the jobs of this store" in err
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # handlers restored


def test_apscheduler_warnings_come_out_as_json_lines_too() -> None:
    import io
    import logging

    from syndicate.logs import configure_logging

    saved = {
        name: (logger.handlers[:], logger.level, logger.propagate)
        for name in ("syndicate", "apscheduler")
        for logger in [logging.getLogger(name)]
    }
    stream = io.StringIO()
    try:
        configure_logging(stream=stream)
        logging.getLogger("apscheduler.scheduler").warning("Run time of job %s was missed", "digest")
        logging.getLogger("apscheduler.scheduler").info("Added job")  # below WARNING: quiet
        logging.getLogger("syndicate.scheduler").info("job %s started", "digest",
                                                       extra={"job": "digest", "event": "job_started"})
    finally:
        for name, (handlers, level, propagate) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:], logger.level, logger.propagate = handlers, level, propagate
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["logger"], line["level"], line["msg"]) for line in lines] == [
        ("apscheduler.scheduler", "warning", "Run time of job digest was missed"),
        ("syndicate.scheduler", "info", "job digest started"),
    ]
    assert lines[1]["event"] == "job_started" and lines[1]["job"] == "digest"


def test_run_once_goes_on_after_a_job_fails_and_exits_non_zero(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from syndicate.types import Author, Column

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "broken.mjml.j2").write_text("{% if %}", encoding="utf-8")
    (tmp_path / "subscribers.csv").write_text(
        "email,name,newsletter,cadence,authors\n"
        "a@example.org,عائشة,daily,daily,\nb@example.org,بدر,weekly,weekly,\n", encoding="utf-8")
    newsletters = "".join(
        f"  - id: {nid}\n    title: نشرة {nid}\n    sender: \"الشرق <digest@example.org>\"\n"
        f"    seed_subscribers: subscribers.csv\n{extra}"
        for nid, extra in (("daily", "    template: broken.mjml.j2\n"), ("weekly", ""))
    )
    path = write_config(
        tmp_path,
        "  - name: daily-digest\n    run: digest\n    newsletter: daily\n    cron: '0 7 * * *'\n"
        "  - name: weekly-digest\n    run: digest\n    newsletter: weekly\n    cron: '0 8 * * fri'\n",
        extra="templates_dir: templates\nnewsletters:\n" + newsletters,
    )
    store = Store.open(load(path).store_url)
    column = Column(url="https://al-sharq.example/opinion/1", source="alsharq", title="مقال",
                    author=Author(name="د. أحمد عبدالله", slug="ahmad-abdullah"),
                    published=datetime.now(UTC), body_html="<p>نص</p>", excerpt="نص", views=10)
    store.columns.upsert(column, dedupe_key="k1", seen_urls=(column.url,), now=datetime.now(UTC))
    store.close()
    code, out, _err = run_cli(["run", "--once", "--config", str(path)])
    assert code == 1
    assert "daily-digest: failed daily-digest: broken.mjml.j2" in out
    assert _runs(path) == [("weekly-digest", "ok"), ("daily-digest", "failed")]
    assert len(list((tmp_path / "outbox" / "new").iterdir())) == 1  # the weekly one went out
