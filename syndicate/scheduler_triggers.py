"""schedules.yaml's triggers as APScheduler 3.x triggers, and the next run times they
give (``syndicate schedules list``, ``schedules check``'s never-firing warning, the
status page). Split from ``scheduler.py``, the service; APScheduler's room is these two.

``WeekdayFilter`` is pickled into the job store: jobs stored before this module existed
name it ``syndicate.scheduler.WeekdayFilter``, which ``scheduler.py`` keeps importable.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from .config import Config
from .triggers import WEEKDAYS, TriggerSpec

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
