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
  previous schedule keeps running.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from .config import Config
from .config.guard import MAX_FILE_BYTES
from .config.load import load, parse_bytes
from .core import Store, Syndicate
from .errors import ConfigError
from .progress import NO_PROGRESS, Progress
from .runlock import (
    AlreadyRunningError,
    Leadership,
    RunLock,
    lock_path,
    owner_name,
    running_scheduler_pid,
)
from .triggers import WEEKDAYS, TriggerSpec

__all__ = [
    "AlreadyRunningError",
    "Reload",
    "Scheduler",
    "make_trigger",
    "never_firing",
    "next_run_times",
    "run_scheduled_job",
    "running_scheduler_pid",
]

log = logging.getLogger("syndicate.scheduler")

Runner = Callable[[str], None]  # run the named job now; raise on failure
JOB_TABLE = "apscheduler_jobs"
WATCHER_JOIN_S = 5.0  # how long shutdown waits for a reload being read
# An interval that can never land on an allowed weekday must not spin forever.
_MAX_SKIPS = 100_000


class WeekdayFilter(BaseTrigger):  # type: ignore[misc]
    """An interval trigger restricted to some weekdays (``every: 15m`` + ``days: sun-thu``).

    APScheduler's AndTrigger is documented to hang with IntervalTrigger, so we skip
    disallowed days ourselves. Module-level and picklable: the job store keeps it.
    """

    __slots__ = ("inner", "jitter", "timezone", "weekdays")

    def __init__(self, inner: BaseTrigger, weekdays: tuple[int, ...], timezone: str, jitter: int | None):
        self.inner = inner
        self.weekdays = tuple(weekdays)
        self.timezone = timezone
        self.jitter = jitter

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        zone = ZoneInfo(self.timezone)
        candidate = self.inner.get_next_fire_time(previous_fire_time, now)
        for _ in range(_MAX_SKIPS):
            if candidate is None:
                return None
            if (candidate.astimezone(zone).weekday() + 1) % 7 in self.weekdays:
                return self._apply_jitter(candidate, self.jitter, now)  # type: ignore[no-any-return]
            candidate = self.inner.get_next_fire_time(candidate, candidate + timedelta(microseconds=1))
        return None

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "inner": self.inner, "weekdays": self.weekdays,
                "timezone": self.timezone, "jitter": self.jitter}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.inner = state["inner"]
        self.weekdays = state["weekdays"]
        self.timezone = state["timezone"]
        self.jitter = state["jitter"]

    def __str__(self) -> str:
        days = ",".join(WEEKDAYS[d] for d in self.weekdays)
        return f"{self.inner} on {days}"


def make_trigger(spec: TriggerSpec, *, with_jitter: bool = True) -> BaseTrigger:
    zone = ZoneInfo(spec.timezone)
    start = datetime.combine(spec.start, time(0), zone) if spec.start else None
    # Intervals count from a fixed midnight, not from "now": `every: 15m` runs at :00,
    # :15, :30, :45 whenever the scheduler (re)started, and listing is reproducible.
    anchor = start or datetime(2000, 1, 1, tzinfo=zone)
    end = datetime.combine(spec.end, time(23, 59, 59), zone) if spec.end else None
    jitter = int(spec.jitter.total_seconds()) if spec.jitter and with_jitter else None
    if spec.cron is not None:
        cron = spec.cron
        return CronTrigger(
            minute=",".join(map(str, cron.minutes)),
            hour=",".join(map(str, cron.hours)),
            day="*" if cron.days is None else ",".join(map(str, cron.days)),
            month="*" if cron.months is None else ",".join(map(str, cron.months)),
            # By name: APScheduler 3 numbers weekdays from Monday, crontab from Sunday.
            day_of_week="*" if spec.weekdays is None else ",".join(WEEKDAYS[d] for d in spec.weekdays),
            timezone=zone,
            start_date=start,
            end_date=end,
            jitter=jitter,
        )
    assert spec.every is not None
    if spec.weekdays is None:
        return IntervalTrigger(seconds=int(spec.every.total_seconds()), start_date=anchor,
                               end_date=end, timezone=zone, jitter=jitter)
    inner = IntervalTrigger(seconds=int(spec.every.total_seconds()), start_date=anchor,
                            end_date=end, timezone=zone)
    return WeekdayFilter(inner, spec.weekdays, spec.timezone, jitter)


def next_run_times(spec: TriggerSpec, now: datetime, count: int = 3) -> list[datetime]:
    """The next ``count`` run times (without jitter), in the schedule's timezone."""
    trigger = make_trigger(spec, with_jitter=False)
    zone = ZoneInfo(spec.timezone)
    times: list[datetime] = []
    previous: datetime | None = None
    moment = now
    while len(times) < count:
        upcoming = trigger.get_next_fire_time(previous, moment)
        if upcoming is None:
            break
        times.append(upcoming.astimezone(zone))
        previous, moment = upcoming, upcoming + timedelta(microseconds=1)
    return times


def never_firing(config: Config, now: datetime) -> list[tuple[tuple[str | int, ...], str]]:
    """Jobs (not paused) that will never run again from ``now``, each with where to look.

    A valid file can still hold such a job: ``until`` already past, or a window in which
    the cron never fires. `schedules check` warns; `syndicate run` logs it.
    """
    found: list[tuple[tuple[str | int, ...], str]] = []
    for index, job in enumerate(config.jobs):
        if job.paused:
            continue
        spec = job.spec(config.timezone)
        if next_run_times(spec, now, 1):
            continue
        today = now.astimezone(ZoneInfo(spec.timezone)).date()
        if spec.end is not None and spec.end < today:
            reason = (f"job {job.name!r} never runs again: until {spec.end.isoformat()} "
                      "is past (remove the job, or set paused: true to keep it)")
            found.append((("jobs", index, "until"), reason))
        else:
            reason = (f"job {job.name!r} never runs: its schedule does not fire "
                      "within its from/until window")
            found.append((("jobs", index, "cron" if job.cron else "every"), reason))
    return found


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


def run_job_by_name(config_path: str, job_name: str) -> None:
    config = load(config_path)
    with Syndicate(config) as syndicate:
        syndicate.run_job(config.job(job_name))


class _FireTimeExecutor(ThreadPoolExecutor):  # type: ignore[misc]  # untyped base
    """Tells the job which fire time it runs for: APScheduler 3 does not pass it, and
    the ``job_fires`` ledger keys on it. The job store's copy of the job is untouched."""

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        told = copy.copy(job)  # by its pickle state, which leaves out these two
        told._jobstore_alias, told._scheduler = job._jobstore_alias, job._scheduler
        told.kwargs = {**job.kwargs, "fire_time": run_times[-1]}  # coalesce: one run time
        super()._do_submit_job(told, run_times)


# -- the service --------------------------------------------------------------

@dataclass(frozen=True)
class Reload:
    """The outcome of one look at an edited schedules.yaml."""

    accepted: bool
    problems: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass
class _State:
    running: str | None = None
    reloads: list[Reload] = field(default_factory=list)


class Scheduler:
    """schedules.yaml → APScheduler, with hot reload and clean stop.

    ``runner`` is the seam: by default a job runs through ``Syndicate.run_job`` (which
    records it in job_runs); tests pass a function of the job name.
    """

    def __init__(self, config_path: str | Path, *, runner: Runner | None = None,
                 poll_s: float = 1.0, store: Store | None = None,
                 progress: Progress = NO_PROGRESS) -> None:
        self.path = Path(config_path).resolve()
        self._text = self.path.read_bytes() if self.path.exists() else b""
        self._settled = True  # the text above is the running schedule
        self._rejected: tuple[str, ...] | None = None  # the last verdict logged, if a refusal
        self.config = load(self.path, for_running=True)
        self._own_store = store is None
        self.store = store if store is not None else Store.open(self.config.store_url)
        self._runner = runner if runner is not None else self._run_with_syndicate
        self._poll_s = poll_s
        self._progress = progress  # what the running job's steps report to (bars on a terminal)
        self._stopping = threading.Event()
        self._lock = threading.RLock()
        self.state = _State()
        self.listeners: list[Callable[[str, dict[str, Any]], None]] = []
        self._aps = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.store.engine, tablename=JOB_TABLE)},
            executors={"default": _FireTimeExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=ZoneInfo(self.config.timezone),
        )
        self._aps.add_listener(self._missed, EVENT_JOB_MISSED)
        self._watcher: threading.Thread | None = None
        # PostgreSQL: an advisory lock shared by hosts; SQLite: the flock beside the file.
        shared = self.store.leader_lock(owner_name())
        self._leadership: Leadership = (
            shared if shared is not None else RunLock(lock_path(self.config))
        )
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

    def execute(self, name: str, fire_time: datetime | None = None) -> None:
        """Run one job now (called from the worker thread); never raises."""
        if self._stopping.is_set():
            log.info("job %s not started: shutting down", name, extra={"job": name, "event": "skipped"})
            return
        if fire_time is not None and not self._claim(name, fire_time):
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

    def _claim(self, name: str, fire_time: datetime) -> bool:
        """Take this fire time in the job_fires ledger; False when it was already run."""
        try:
            taken = self.store.jobs.claim_fire(name, fire_time, owner=owner_name(),
                                               now=datetime.now(UTC))
        except Exception as exc:  # noqa: BLE001 (the store is down: do not run blind)
            log.error("job %s not started: cannot record its fire time: %s", name, exc,
                      extra={"job": name, "event": "job_failed"})
            return False
        if not taken:
            log.warning("job %s: its run for %s was already taken by another scheduler",
                        name, fire_time.isoformat(), extra={"job": name, "event": "skipped"})
        return taken

    def _run_with_syndicate(self, name: str) -> None:
        config = self.config  # the last valid one, even while the file is being edited
        if name not in {job.name for job in config.jobs}:
            return  # removed by a reload after it was queued
        Syndicate(config, store=self.store, progress=self._progress).run_job(config.job(name))

    def _missed(self, event: JobEvent) -> None:
        log.warning("job %s missed its run (beyond misfire_grace)", event.job_id,
                    extra={"job": event.job_id, "event": "job_missed"})

    # -- hot reload ----------------------------------------------------------------

    def check_for_edit(self) -> Reload | None:
        """Look at the file once; reconcile or reject an edit. None when nothing new.

        A rejected file is validated again at every look, even unchanged: what made it
        fail may lie outside it (a templates_dir or source file created a moment later,
        an error that was not the file's fault). It is logged again only when the
        verdict changes.
        """
        try:
            with self.path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)  # parse_bytes refuses anything longer
        except OSError as exc:
            # Mid-save by an editor, or removed: keep the running schedule, say so once.
            data = f"unreadable: {exc}".encode()
            if data == self._text:
                return None
            self._text = data
            outcome = Reload(False, problems=(f"{self.path}:1:1: cannot read the file: {exc.strerror}",))
            log.error(outcome.problems[0], extra={"event": "reload_rejected"})
            self.state.reloads.append(outcome)
            return outcome
        if data == self._text and self._settled:
            return None
        same_text = data == self._text
        self._text, self._settled = data, False
        try:
            config = parse_bytes(data, self.path, for_running=True)
        except ConfigError as exc:
            outcome = Reload(False, problems=tuple(str(p) for p in exc.problems))
            if same_text and outcome.problems == self._rejected:
                return None  # still the same verdict: said once already
            self._rejected = outcome.problems
            for problem in outcome.problems:
                log.error(problem, extra={"event": "reload_rejected"})
            log.error("schedules.yaml edit rejected; the previous schedule keeps running",
                      extra={"event": "reload_rejected", "problems": len(outcome.problems)})
        else:
            if self._stopping.is_set():
                return None  # shutting down: the job store may be closed already
            self._settled, self._rejected = True, None
            if config.store_url != self.config.store_url:
                log.warning("store changed in schedules.yaml: restart `syndicate run` to use it",
                            extra={"event": "reload_store_ignored"})
            outcome = self.reconcile(config)
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
                if self._text != failed_on:
                    log.exception("watching %s failed; will retry", self.path)
                    failed_on = self._text

    def _emit(self, event: str, **details: Any) -> None:
        for listener in list(self.listeners):
            listener(event, details)
