"""What `syndicate status` and the status page show, gathered once as frozen data.

Next runs are computed from schedules.yaml by the caller's ``next_runs`` (the
scheduler's arithmetic: APScheduler stays behind scheduler.py, a floor above; see
``syndicate.health``), last runs and failures come from the job_runs table, per-source
health from the columns each source produced and the last collect run that covered it,
and the feed and outbox figures from the files on disk. Both views render this report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..config import Config
from ..runlock import running_scheduler_pid
from ..store import Store
from ..store.jobs import JobRun
from ..trigger_words import describe
from ..triggers import TriggerSpec

__all__ = ["FileStats", "JobRun", "JobStatus", "NextRuns", "OutboxStats", "SourceHealth",
           "StatusReport", "gather"]

# (schedule, now, count) -> the next ``count`` run times in the schedule's timezone
NextRuns = Callable[[TriggerSpec, datetime, int], list[datetime]]


@dataclass(frozen=True)
class JobStatus:
    name: str
    run: str  # collect | feeds | digest
    target: str  # newsletter id, sources, or ""
    words_ar: str
    words_en: str
    timezone: str
    paused: bool
    next_runs: tuple[datetime, ...]  # in the schedule's timezone
    last: JobRun | None


@dataclass(frozen=True)
class SourceHealth:
    name: str
    title: str
    columns: int
    last_collected: datetime | None
    last_run: JobRun | None  # the latest collect run that covered this source
    state: str  # ok | failing | never


@dataclass(frozen=True)
class FileStats:
    path: Path
    files: int
    bytes: int
    newest: datetime | None


@dataclass(frozen=True)
class OutboxStats:
    path: Path | None  # None when delivery is SMTP
    new: int
    cur: int


@dataclass(frozen=True)
class StatusReport:
    generated_at: datetime
    timezone: str
    jobs: tuple[JobStatus, ...]
    recent_runs: tuple[JobRun, ...]
    failures: tuple[JobRun, ...]
    sources: tuple[SourceHealth, ...]
    feeds: FileStats
    outbox: OutboxStats
    columns_total: int
    scheduler_pid: int | None  # the running `syndicate run`, or None when none runs
    # PostgreSQL: host:pid of the `syndicate run` that leads (on any host), if one does
    scheduler_leader: str | None = None


def _file_stats(folder: Path) -> FileStats:
    # dotfiles (.gitkeep, an atomic write's temporary) are not feeds
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")] \
        if folder.is_dir() else []
    stats = [p.stat() for p in files]
    newest = max((s.st_mtime for s in stats), default=None)
    return FileStats(
        folder,
        len(files),
        sum(s.st_size for s in stats),
        datetime.fromtimestamp(newest, UTC) if newest is not None else None,
    )


def _count(folder: Path) -> int:
    return sum(1 for p in folder.iterdir() if p.is_file()) if folder.is_dir() else 0


def gather(config: Config, store: Store, now: datetime, *, next_runs: NextRuns,
           runs: int = 30) -> StatusReport:
    recent = store.jobs.recent(200)
    last_by_job: dict[str, JobRun] = {}
    for run in recent:
        last_by_job.setdefault(run.job, run)
    jobs = []
    for job in config.jobs:
        spec = job.spec(config.timezone)
        target = job.newsletter or ", ".join(job.sources)
        jobs.append(JobStatus(
            name=job.name,
            run=job.run,
            target=target,
            words_ar=describe(spec, "ar"),
            words_en=describe(spec, "en"),
            timezone=spec.timezone,
            paused=job.paused,
            next_runs=() if job.paused else tuple(next_runs(spec, now, 3)),
            last=last_by_job.get(job.name),
        ))
    stats = store.columns.source_stats()
    sources = []
    for source in config.sources:
        covering = [
            last_by_job[j.name] for j in config.jobs
            if j.run == "collect" and (not j.sources or source.name in j.sources)
            and j.name in last_by_job
        ]
        last_run = max(covering, key=lambda r: (r.started_at, r.id), default=None)
        count, collected = stats.get(source.name, (0, None))
        state = "never" if last_run is None and count == 0 else (
            "failing" if last_run is not None and last_run.outcome == "failed" else "ok"
        )
        sources.append(SourceHealth(
            source.name, source.title or source.name, count, collected, last_run, state
        ))
    if config.delivery.transport == "maildir":
        maildir = config.path(config.delivery.maildir)
        outbox = OutboxStats(maildir, _count(maildir / "new"), _count(maildir / "cur"))
    else:
        outbox = OutboxStats(None, 0, 0)
    return StatusReport(
        generated_at=now,
        timezone=config.timezone,
        jobs=tuple(jobs),
        recent_runs=tuple(recent[:runs]),
        failures=tuple(r for r in recent if r.outcome in ("failed", "partial"))[:10],
        sources=tuple(sources),
        feeds=_file_stats(config.path(config.feeds.dir)),
        outbox=outbox,
        columns_total=sum(count for count, _ in stats.values()),
        scheduler_pid=running_scheduler_pid(config),
        scheduler_leader=_leader(store),
    )


def _leader(store: Store) -> str | None:
    lock = store.leader_lock("status")  # None on SQLite: the file lock says it all
    holder = lock.holder() if lock is not None else None
    return holder.removeprefix("syndicate scheduler ") if holder else None
