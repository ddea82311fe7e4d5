"""Who runs the scheduled jobs and how one runs, without APScheduler.

- One scheduler leads a store: on PostgreSQL an advisory lock shared by hosts (a
  standby waits until it is free), on SQLite the flock beside the database file.
- Each fire time of a job is taken once in the ``job_fires`` ledger, so two schedulers
  that both believe they lead never run the same slot twice.
- :class:`JobRuns` is the scheduler service's job-running side: run one job now (through
  ``Syndicate.run_job`` or a test's runner), log it and tell the listeners.
  ``scheduler.Scheduler`` (the only APScheduler import) adds the clock to it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .config import Config
from .config.load import load
from .core import Store, Syndicate
from .errors import ConfigError
from .progress import Progress
from .runlock import Leadership, RunLock, lock_path, owner_name
from .scheduler_reload import Reload

log = logging.getLogger("syndicate.scheduler")

Runner = Callable[[str], None]  # run the named job now; raise on failure


def leadership_for(store: Store, config: Config) -> Leadership:
    """PostgreSQL: an advisory lock shared by hosts; SQLite: the flock beside the file."""
    shared = store.leader_lock(owner_name())
    return shared if shared is not None else RunLock(lock_path(config))


def claim_fire(store: Store, name: str, fire_time: datetime) -> bool:
    """Take this fire time in the job_fires ledger; False when it was already run."""
    try:
        taken = store.jobs.claim_fire(name, fire_time, owner=owner_name(), now=datetime.now(UTC))
    except Exception as exc:  # noqa: BLE001 (the store is down: do not run blind)
        log.error("job %s not started: cannot record its fire time: %s", name, exc,
                  extra={"job": name, "event": "job_failed"})
        return False
    if not taken:
        log.warning("job %s: its run for %s was already taken by another scheduler",
                    name, fire_time.isoformat(), extra={"job": name, "event": "skipped"})
    return taken


def run_job_by_name(config_path: str, job_name: str) -> None:
    config = load(config_path)
    with Syndicate(config) as syndicate:
        syndicate.run_job(config.job(job_name))


@dataclass
class RunState:
    running: str | None = None
    reloads: list[Reload] = field(default_factory=list)


class JobRuns:
    """Runs one job at a time for the scheduler, and tells its listeners.

    ``runner`` is the seam: by default a job runs through ``Syndicate.run_job`` (which
    records it in job_runs); tests pass a function of the job name.
    """

    config: Config  # the last valid schedule, set by the scheduler
    store: Store

    def __init__(self, runner: Runner | None, progress: Progress) -> None:
        self._runner = runner if runner is not None else self._run_with_syndicate
        self._progress = progress  # what the running job's steps report to (bars on a terminal)
        self._stopping = threading.Event()
        self.state = RunState()
        self.listeners: list[Callable[[str, dict[str, Any]], None]] = []

    def execute(self, name: str, fire_time: datetime | None = None) -> None:
        """Run one job now (called from the worker thread); never raises."""
        if self._stopping.is_set():
            log.info("job %s not started: shutting down", name, extra={"job": name, "event": "skipped"})
            return
        if fire_time is not None and not claim_fire(self.store, name, fire_time):
            return
        self.state.running = name
        self._emit("job_started", job=name)
        log.info("job %s started", name, extra={"job": name, "event": "job_started"})
        try:
            self._runner(name)
        except Exception as exc:  # the scheduler logs failures and keeps running
            log.error("job %s failed: %s", name, exc, extra={"job": name, "event": "job_failed"},
                      exc_info=not isinstance(exc, ConfigError))
            self._emit("job_failed", job=name, error=str(exc))
        else:
            log.info("job %s finished", name, extra={"job": name, "event": "job_finished"})
            self._emit("job_finished", job=name)
        finally:
            self.state.running = None

    def _run_with_syndicate(self, name: str) -> None:
        config = self.config  # the last valid one, even while the file is being edited
        if name not in {job.name for job in config.jobs}:
            return  # removed by a reload after it was queued
        Syndicate(config, store=self.store, progress=self._progress).run_job(config.job(name))


    def _emit(self, event: str, **details: Any) -> None:
        for listener in list(self.listeners):
            listener(event, details)
