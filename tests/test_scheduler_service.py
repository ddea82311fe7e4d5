"""The running scheduler with real short intervals: hot reload, restart, coalesced wake-up, clean stop.

Jobs run through the ``runner`` seam (a function of the job name) so these tests
measure scheduling, not the pipeline; one test uses the default runner to show runs
land in job_runs through ``Syndicate.run_job``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.config import load
from syndicate.errors import ConfigError
from syndicate.scheduler import Scheduler
from syndicate.store import Store
from syndicate.store.jobs import JobRun
from tests.scheduler_helpers import wait_until, write_config


class Recorder:
    """A runner that remembers which job ran when (monotonic seconds)."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, float]] = []
        self.lock = threading.Lock()

    def __call__(self, name: str) -> None:
        with self.lock:
            self.runs.append((name, time.monotonic()))

    def names(self) -> list[str]:
        with self.lock:
            return [name for name, _ in self.runs]


WEEKLY = "  - name: weekly\n    run: feeds\n    cron: '0 8 * * fri'\n"


def test_valid_edit_is_reconciled_within_two_seconds(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        WEEKLY + "  - name: hourly\n    run: feeds\n    every: 1h\n"
        "  - name: gone\n    run: feeds\n    cron: '0 9 * * *'\n",
    )
    recorder = Recorder()
    with Scheduler(path, runner=recorder, poll_s=0.1) as scheduler:
        before = scheduler.next_runs()
        assert set(before) == {"weekly", "hourly", "gone"}
        path.write_text(
            path.read_text(encoding="utf-8").replace("every: 1h", "every: 2h").replace(
                "  - name: gone\n    run: feeds\n    cron: '0 9 * * *'\n",
                "  - name: fast\n    run: feeds\n    every: 1s\n",
            ),
            encoding="utf-8",
        )
        edited = time.monotonic()
        assert wait_until(lambda: bool(scheduler.state.reloads), timeout=2.0)
        reload = scheduler.state.reloads[-1]
        assert reload.accepted
        assert (reload.added, reload.changed, reload.removed) == (("fast",), ("hourly",), ("gone",))
        after = scheduler.next_runs()
        assert set(after) == {"weekly", "hourly", "fast"}
        assert after["weekly"] == before["weekly"]  # untouched job keeps its state
        # The added job really runs, on the new schedule.
        assert wait_until(lambda: "fast" in recorder.names(), timeout=3.0)
        assert recorder.runs[0][1] - edited < 3.0


def test_invalid_edit_is_rejected_logged_and_the_old_schedule_keeps_running(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_config(tmp_path, "  - name: tick\n    run: feeds\n    every: 1s\n" + WEEKLY)
    recorder = Recorder()
    caplog.set_level(logging.INFO, logger="syndicate")
    with Scheduler(path, runner=recorder, poll_s=0.1) as scheduler:
        before = scheduler.next_runs()["weekly"]
        broken = path.read_text(encoding="utf-8").replace("every: 1s", "every: 1s\n    cronn: x")
        broken = broken.replace("'0 8 * * fri'", "'0 8 * * fir'")
        path.write_text(broken, encoding="utf-8")
        assert wait_until(lambda: bool(scheduler.state.reloads), timeout=2.0)
        reload = scheduler.state.reloads[-1]
        assert not reload.accepted
        # Exactly what `syndicate schedules check` prints for the same file.
        with pytest.raises(ConfigError) as caught:
            load(path, for_running=True)
        assert list(reload.problems) == [str(p) for p in caught.value.problems]
        assert len(reload.problems) == 2
        logged = [r.getMessage() for r in caplog.records if getattr(r, "event", "") == "reload_rejected"]
        for problem in reload.problems:
            assert problem in logged
        # The previous schedule is still in force and still running.
        assert scheduler.next_runs()["weekly"] == before
        count = len(recorder.names())
        assert wait_until(lambda: len(recorder.names()) >= count + 2, timeout=4.0)
        # Fixing the file is picked up again.
        path.write_text(broken.replace("\n    cronn: x", "").replace("fir'", "sat'"), encoding="utf-8")
        assert wait_until(lambda: len(scheduler.state.reloads) == 2, timeout=2.0)
        assert scheduler.state.reloads[-1].accepted
        assert scheduler.state.reloads[-1].changed == ("weekly",)
        assert scheduler.next_runs()["weekly"].weekday() == 5  # Saturday


def test_restart_keeps_job_state_in_the_same_database(tmp_path: Path) -> None:
    path = write_config(
        tmp_path, WEEKLY + "  - name: paused\n    run: feeds\n    every: 1h\n    paused: true\n"
    )
    with Scheduler(path, runner=Recorder(), poll_s=0.1) as first:
        state = first.next_runs()
    assert state["paused"] is None and state["weekly"] is not None
    database = tmp_path / "var" / "syndicate.db"
    with sqlite3.connect(database) as conn:
        stored = {row[0] for row in conn.execute("SELECT id FROM apscheduler_jobs")}
        assert "job_runs" in {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert stored == {"weekly", "paused"}
    second = Scheduler(path, runner=Recorder(), poll_s=0.1)
    second.start()
    try:
        assert second.next_runs() == state
        # Nothing was re-added: both jobs were found, unchanged, in the job store.
        assert second.reconcile(second.config).added == ()
    finally:
        second.stop()
    # An edit made while stopped is reconciled at the next start.
    path.write_text(path.read_text(encoding="utf-8").replace("    paused: true\n", ""), encoding="utf-8")
    third = Scheduler(path, runner=Recorder(), poll_s=0.1)
    third.start()
    try:
        assert third.next_runs()["paused"] is not None
        assert third.next_runs()["weekly"] == state["weekly"]
    finally:
        third.stop()


def test_missed_runs_after_wake_up_run_once(tmp_path: Path) -> None:
    path = write_config(tmp_path, "  - name: digest\n    run: feeds\n    every: 2s\n")
    asleep = Recorder()
    first = Scheduler(path, runner=asleep, poll_s=0.1)
    first.start()
    due = first.next_runs()["digest"]
    first.stop()  # the machine goes to sleep before the run is due
    assert due is not None and asleep.names() == []
    # Sleep through three due times (due, due+2s, due+4s), then wake up.
    wake = due.timestamp() + 4.4
    time.sleep(max(0.0, wake - time.time()))
    awake = Recorder()
    second = Scheduler(path, runner=awake, poll_s=0.1)
    second.start()
    try:
        # Until the next regular slot (due + 6 s) there must be exactly one catch-up
        # run for the three missed slots: coalesced, not replayed three times.
        before_next_slot = due.timestamp() + 5.7 - time.time()
        assert wait_until(lambda: awake.names() != [], timeout=before_next_slot)
        time.sleep(max(0.0, due.timestamp() + 5.7 - time.time()))
        assert awake.names() == ["digest"]
    finally:
        second.stop()


def test_stop_lets_the_running_step_finish_and_starts_nothing_new(tmp_path: Path) -> None:
    path = write_config(tmp_path, "  - name: slow\n    run: feeds\n    every: 1s\n")
    entered, release = threading.Event(), threading.Event()
    finished: list[str] = []

    def slow(name: str) -> None:
        entered.set()
        release.wait(5)
        finished.append(name)

    scheduler = Scheduler(path, runner=slow, poll_s=0.1)
    scheduler.start()
    assert entered.wait(3)
    stopper = threading.Thread(target=scheduler.stop)
    stopper.start()
    time.sleep(0.3)
    assert stopper.is_alive(), "stop() must wait for the running step"
    release.set()
    stopper.join(5)
    assert not stopper.is_alive()
    assert finished == ["slow"]
    time.sleep(1.2)
    assert finished == ["slow"]  # nothing ran after the stop


def test_default_runner_records_every_run_in_job_runs(tmp_path: Path) -> None:
    path = write_config(tmp_path, "  - name: feeds\n    run: feeds\n    every: 1s\n")
    with Scheduler(path, poll_s=0.1) as scheduler:
        def finished() -> list[JobRun]:
            return [r for r in scheduler.store.jobs.recent(10) if r.finished_at]

        assert wait_until(lambda: len(finished()) >= 2, timeout=6.0), scheduler.store.jobs.recent(10)
    store = Store.open(load(path).store_url)
    try:
        runs = store.jobs.recent(10)
    finally:
        store.close()
    assert {run.job for run in runs} == {"feeds"}
    assert all(run.outcome in ("ok", "partial") for run in runs if run.finished_at), runs
    assert all(run.started_at <= datetime.now(UTC) for run in runs)


def test_one_scheduler_per_store_and_status_knows_it(tmp_path: Path) -> None:
    from syndicate.health import gather
    from syndicate.scheduler import AlreadyRunningError

    path = write_config(tmp_path, WEEKLY)
    config = load(path)
    store = Store.open(config.store_url)
    try:
        assert gather(config, store, datetime.now(UTC)).scheduler_pid is None
        with Scheduler(path, runner=Recorder(), poll_s=0.1):
            with pytest.raises(AlreadyRunningError, match=r"pid \d+"):
                Scheduler(path, runner=Recorder(), poll_s=0.1).start()
            assert gather(config, store, datetime.now(UTC)).scheduler_pid == os.getpid()
        assert gather(config, store, datetime.now(UTC)).scheduler_pid is None
        # Released on stop: a new scheduler may start.
        with Scheduler(path, runner=Recorder(), poll_s=0.1) as again:
            assert set(again.next_runs()) == {"weekly"}
    finally:
        store.close()


def test_a_vanished_file_is_reported_and_the_schedule_keeps_running(tmp_path: Path) -> None:
    path = write_config(tmp_path, "  - name: tick\n    run: feeds\n    every: 1s\n")
    text = path.read_text(encoding="utf-8")
    recorder = Recorder()
    with Scheduler(path, runner=recorder, poll_s=0.1) as scheduler:
        path.unlink()
        assert wait_until(lambda: bool(scheduler.state.reloads), timeout=2.0)
        assert scheduler.state.reloads[-1].problems == (
            f"{path}:1:1: cannot read the file: No such file or directory",
        )
        count = len(recorder.names())
        assert wait_until(lambda: len(recorder.names()) > count, timeout=3.0)
        assert len(scheduler.state.reloads) == 1  # said once, not every poll
        path.write_text(text, encoding="utf-8")
        assert wait_until(lambda: len(scheduler.state.reloads) == 2, timeout=2.0)
        assert scheduler.state.reloads[-1].accepted


def test_a_truncated_file_is_rejected_not_obeyed_as_an_empty_schedule(tmp_path: Path) -> None:
    # An editor crash or a bad copy leaves an empty (valid YAML) file: the jobs stay.
    path = write_config(tmp_path, "  - name: tick\n    run: feeds\n    every: 1s\n")
    recorder = Recorder()
    with Scheduler(path, runner=recorder, poll_s=0.1) as scheduler:
        path.write_text("", encoding="utf-8")
        assert wait_until(lambda: bool(scheduler.state.reloads), timeout=2.0)
        reload = scheduler.state.reloads[-1]
        assert not reload.accepted
        assert reload.problems == ((f"{path}:1:1: no jobs: the schedule would run nothing (add "
                                    "jobs under `jobs:`; to stop them for a while, set "
                                    "`paused: true` on each)"),)
        count = len(recorder.names())
        assert wait_until(lambda: len(recorder.names()) > count, timeout=3.0)
        assert "tick" in scheduler.next_runs()


def test_an_edit_saved_in_another_encoding_is_rejected_with_its_position(tmp_path: Path) -> None:
    path = write_config(tmp_path, "  - name: tick\n    run: feeds\n    every: 1s\n")
    with Scheduler(path, runner=Recorder(), poll_s=0.1) as scheduler:
        text = path.read_text(encoding="utf-8")
        path.write_bytes(text.encode("utf-8") + "# ملاحظة\n".encode("cp1256"))
        assert wait_until(lambda: bool(scheduler.state.reloads), timeout=2.0)
        line = text.count("\n") + 1
        assert scheduler.state.reloads[-1].problems == (
            f"{path}:{line}:3: not UTF-8 text: byte 0xe3 cannot be read (save the file as UTF-8)",)
