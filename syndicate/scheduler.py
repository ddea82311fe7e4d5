"""`syndicate run`: APScheduler 3.x driving the jobs of schedules.yaml (the only APScheduler import).

- Jobs live in a persistent SQLAlchemyJobStore on the store's own engine (same database,
  table ``apscheduler_jobs``), so a restart keeps each job's next run time.
- ``coalesce`` + ``misfire_grace_time``: a machine that slept through several runs of
  a digest runs it once on waking, not once per missed slot. ``max_instances=1`` and a
  single worker thread: jobs never overlap (SQLite, and collect before digest).
- The job store holds a reference to the module-level :func:`run_scheduled_job` with
  plain arguments (job name, config path, schedule fingerprint) — picklable, and
  independent of the process that scheduled it.
- Hot reload: a thread re-reads schedules.yaml every ``poll_s`` (content, not mtime); a valid
  edit reconciles jobs (added / changed / removed; unchanged ones keep their state),
  an invalid one is logged with the same messages as `schedules check` and the
  previous schedule keeps running. The file's side is ``scheduler_reload.py``; who
  leads and who runs a fire time and how one job runs is ``scheduler_runs.py`` (neither imports
  APScheduler); schedules.yaml's triggers as APScheduler triggers and their next run
  times are ``scheduler_triggers.py`` (APScheduler's other module).
"""

from __future__ import annotations

import copy
import logging
import threading
from datetime import datetime
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from .config import Config
from .config.load import load
from .core import Store
from .progress import NO_PROGRESS, Progress
from .runlock import AlreadyRunningError, Leadership, running_scheduler_pid
from .scheduler_reload import Reload, ScheduleFile, Unreadable
from .scheduler_runs import JobRuns, Runner, leadership_for, run_job_by_name
from .scheduler_triggers import WeekdayFilter, make_trigger, never_firing

__all__ = [
    "AlreadyRunningError",
    "Reload",
    "Scheduler",
    # Jobs stored by earlier versions name their trigger syndicate.scheduler.WeekdayFilter.
    "WeekdayFilter",
    "run_scheduled_job",
    "running_scheduler_pid",
]

log = logging.getLogger("syndicate.scheduler")

JOB_TABLE = "apscheduler_jobs"
WATCHER_JOIN_S = 5.0  # how long shutdown waits for a reload being read
def _fingerprint(config: Config, name: str) -> str:
    job = config.job(name)
    return f"{job.spec(config.timezone).fingerprint()}|paused={job.paused}|grace={job.misfire_grace}"


# -- what the job store calls --------------------------------------------------

_SERVICES: dict[str, Scheduler] = {}
_SERVICES_LOCK = threading.Lock()


def run_scheduled_job(job_name: str, config_path: str, fingerprint: str = "",
                      fire_time: datetime | None = None) -> None:
    """Entry point stored in the job store: run ``job_name`` of ``config_path``.

    In the scheduler's process the running :class:`Scheduler` handles it (current
    config, stop flag, the test seam); elsewhere the config is loaded afresh.
    ``fire_time`` is added by :class:`_FireTimeExecutor`, never stored.
    """
    with _SERVICES_LOCK:
        service = _SERVICES.get(config_path)
    if service is not None:
        service.execute(job_name, fire_time)
    else:
        run_job_by_name(config_path, job_name)


class _FireTimeExecutor(ThreadPoolExecutor):  # type: ignore[misc]  # untyped base
    """Tells the job which fire time it runs for: APScheduler 3 does not pass it, and
    the ``job_fires`` ledger keys on it. The job store's copy of the job is untouched."""

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        told = copy.copy(job)  # by its pickle state, which leaves out these two
        told._jobstore_alias, told._scheduler = job._jobstore_alias, job._scheduler
        told.kwargs = {**job.kwargs, "fire_time": run_times[-1]}  # coalesce: one run time
        super()._do_submit_job(told, run_times)


# -- the service --------------------------------------------------------------

class Scheduler(JobRuns):
    """schedules.yaml → APScheduler, with hot reload and clean stop (``runner``: see JobRuns)."""

    def __init__(self, config_path: str | Path, *, runner: Runner | None = None,
                 poll_s: float = 1.0, store: Store | None = None,
                 progress: Progress = NO_PROGRESS) -> None:
        self.path = Path(config_path).resolve()
        self.file = ScheduleFile(self.path)  # read before loading: the running schedule's text
        self.config = load(self.path, for_running=True)
        self._own_store = store is None
        self.store = store if store is not None else Store.open(self.config.store_url)
        super().__init__(runner, progress)
        self._poll_s = poll_s
        self._lock = threading.RLock()
        self._aps = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.store.engine, tablename=JOB_TABLE)},
            executors={"default": _FireTimeExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=ZoneInfo(self.config.timezone),
        )
        self._aps.add_listener(self._missed, EVENT_JOB_MISSED)
        self._watcher: threading.Thread | None = None
        self._leadership: Leadership = leadership_for(self.store, self.config)
        self.leading = False  # a standby (PostgreSQL) waits until the leader's lock is free

    # -- life cycle ------------------------------------------------------------

    def start(self) -> None:
        """Start scheduling; on failure (e.g. AlreadyRunningError) everything is closed again."""
        try:
            leading = self._leadership.try_acquire()  # SQLite: AlreadyRunningError if taken
            with _SERVICES_LOCK:
                _SERVICES[str(self.path)] = self
            if leading:
                self._lead()
            else:
                log.info("standby: another scheduler leads this store; taking over when it stops",
                         extra={"event": "standby"})
        except BaseException:
            if self._aps.running:
                self._aps.shutdown(wait=False)
            with _SERVICES_LOCK:
                if _SERVICES.get(str(self.path)) is self:
                    del _SERVICES[str(self.path)]
            self._leadership.release()
            if self._own_store:
                self.store.close()
            raise
        self._watcher = threading.Thread(target=self._watch, name="schedules-watch", daemon=True)
        self._watcher.start()
        self._emit("started", jobs=[j.name for j in self.config.jobs])

    def stop(self) -> None:
        """Let the running step finish, start nothing new, and close."""
        self._stopping.set()
        if self._watcher is not None:
            # A reload is bounded (config/guard.py), but shutdown must not depend on
            # it: the watcher is a daemon thread and is left behind after a while.
            self._watcher.join(timeout=WATCHER_JOIN_S)
            if self._watcher.is_alive():
                log.warning("schedules.yaml still being read after %ss; stopping without it",
                            WATCHER_JOIN_S, extra={"event": "reload_abandoned"})
        with self._lock:  # never in the middle of a reconcile
            if self._aps.running:
                self._aps.shutdown(wait=True)
        with _SERVICES_LOCK:
            if _SERVICES.get(str(self.path)) is self:
                del _SERVICES[str(self.path)]
        self._leadership.release()
        if self._own_store:
            self.store.close()
        self._emit("stopped")

    def _lead(self) -> None:
        """Start (or resume) scheduling: this process holds the leader's lock."""
        if self._aps.running:
            self._aps.resume()
        else:
            # Paused first: stale jobs from the store must not fire before reconciling.
            self._aps.start(paused=True)
            self.reconcile(self.config)
            self._aps.resume()
        self.leading = True
        log.info("leading: this scheduler runs the jobs", extra={"event": "leading"})
        self._emit("leading")

    def check_leadership(self) -> None:
        """A standby tries the lock; a leader that lost it (its session ended) pauses."""
        if self.leading and not self._leadership.held():
            self.leading = False
            self._aps.pause()
            log.error("lost the leader's lock: scheduling paused until it is taken again",
                      extra={"event": "leadership_lost"})
        elif not self.leading and not self._stopping.is_set() and self._leadership.try_acquire():
            self._lead()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- jobs ------------------------------------------------------------------

    def reconcile(self, config: Config) -> Reload:
        """Make the job store match ``config``; jobs whose schedule is unchanged keep their state."""
        with self._lock:
            existing = {job.id: job for job in self._aps.get_jobs()}
            added: list[str] = []
            changed: list[str] = []
            for job in config.jobs:
                fingerprint = _fingerprint(config, job.name)
                current = existing.get(job.name)
                if current is not None and current.kwargs.get("fingerprint") == fingerprint \
                        and current.kwargs.get("config_path") == str(self.path):
                    continue
                options: dict[str, Any] = {"next_run_time": None} if job.paused else {}
                self._aps.add_job(
                    f"{__name__}:run_scheduled_job",
                    make_trigger(job.spec(config.timezone)),
                    id=job.name,
                    name=job.name,
                    kwargs={"job_name": job.name, "config_path": str(self.path), "fingerprint": fingerprint},
                    replace_existing=True,
                    misfire_grace_time=job.misfire_grace_seconds(),
                    coalesce=True,
                    max_instances=1,
                    **options,
                )
                (changed if current is not None else added).append(job.name)
            wanted = {job.name for job in config.jobs}
            removed = sorted(set(existing) - wanted)
            for name in removed:
                self._aps.remove_job(name)
            self.config = config
            for _loc, warning in never_firing(config, datetime.now(ZoneInfo(config.timezone))):
                log.warning(warning, extra={"event": "job_never_fires"})
            return Reload(True, added=tuple(added), changed=tuple(changed), removed=tuple(removed))

    def next_runs(self) -> dict[str, datetime | None]:
        """Each job's next run as the job store has it (None: paused or finished)."""
        return {job.id: job.next_run_time for job in self._aps.get_jobs()}

    def _missed(self, event: JobEvent) -> None:
        log.warning("job %s missed its run (beyond misfire_grace)", event.job_id,
                    extra={"job": event.job_id, "event": "job_missed"})

    # -- hot reload ----------------------------------------------------------------

    def check_for_edit(self) -> Reload | None:
        """Look at the file once; reconcile or reject an edit. None when nothing new."""
        found = self.file.look()
        if found is None:
            return None
        if isinstance(found, Unreadable):
            self.state.reloads.append(found.outcome)
            return found.outcome
        if isinstance(found, Reload):
            outcome = found
        else:
            if self._stopping.is_set():
                return None  # shutting down: the job store may be closed already
            self.file.settle()
            if found.store_url != self.config.store_url:
                log.warning("store changed in schedules.yaml: restart `syndicate run` to use it",
                            extra={"event": "reload_store_ignored"})
            outcome = self.reconcile(found)
            log.info("schedules.yaml reloaded", extra={
                "event": "reloaded", "added": list(outcome.added),
                "changed": list(outcome.changed), "removed": list(outcome.removed)})
        self.state.reloads.append(outcome)
        self._emit("reloaded" if outcome.accepted else "reload_rejected", outcome=outcome)
        return outcome

    def _watch(self) -> None:
        failed_on: bytes | None = None
        while not self._stopping.wait(self._poll_s):
            try:
                self.check_leadership()
                if self.leading:
                    self.check_for_edit()
            except Exception:  # a watcher that dies silently is the bug this guards against
                # Not settled, so the next look tries the same text again; the
                # traceback is worth one log entry per version of the file.
                if self.file.text != failed_on:
                    log.exception("watching %s failed; will retry", self.path)
                    failed_on = self.file.text
