"""Schedules as data: parse cron / every / days / jitter / date windows.

Pure and APScheduler-free: ``scheduler.py`` turns a :class:`TriggerSpec` into
APScheduler triggers. We parse cron ourselves for two reasons: error messages an
operator understands ("hour 25 is out of range 0-23"), and crontab's day-of-week
numbering (0 and 7 are Sunday), which APScheduler 3's own ``day_of_week`` does not
follow (its 0 is Monday). Everything is kept as expanded value sets so that the
description in words (``trigger_words.py``) and the APScheduler conversion read the
same data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# Crontab numbering: Sunday first, as in the Gulf working week (sun-thu).
WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

EN_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
AR_DAYS = ("الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت")
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
# The month names used in Qatar and most of the Gulf press.
AR_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)


class ScheduleSyntaxError(ValueError):
    """A cron, duration or day list that cannot be read (a ValueError for pydantic).

    ``key`` names the schedule key at fault when keys conflict (e.g. ``days``);
    ``offset`` is where in the text the fault starts (a cron field), for FILE:LINE:COL.
    """

    def __init__(self, message: str, key: str | None = None, offset: int | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.offset = offset


# -- durations ---------------------------------------------------------------

_DURATION = re.compile(r"^(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$")
# No schedule waits longer than a year between runs; the bound also keeps
# '99999999999d' from overflowing timedelta (and every date computed from it).
MAX_DURATION = timedelta(days=366)
_MAX_TEXT = 64  # longer schedule texts are shown cut, and are never valid anyway


def shown(text: str) -> str:
    """``text`` quoted for a message, cut when it is long (a message stays one line)."""
    return repr(text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "…")


def parse_duration(text: str, *, what: str = "duration") -> timedelta:
    """'15m', '2h', '1d', '90s', '1h30m' → timedelta (strictly positive, at most a year)."""
    compact = text.replace(" ", "").lower()
    match = _DURATION.match(compact) if len(compact) <= _MAX_TEXT else None
    if not compact or match is None:
        raise ScheduleSyntaxError(
            f"{what} {shown(text)} is not a duration: write e.g. '30s', '15m', '2h', '1d' or '1h30m'"
        )
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    if total > MAX_DURATION.total_seconds():
        raise ScheduleSyntaxError(
            f"{what} {shown(text)} is out of range: at most {MAX_DURATION.days} days")
    if total <= 0:
        raise ScheduleSyntaxError(f"{what} {shown(text)} must be longer than zero")
    return timedelta(seconds=total)


# -- days --------------------------------------------------------------------

def _weekday(name: str) -> int:
    key = name.strip().lower()[:3]
    if key not in WEEKDAYS or len(name.strip()) < 3:
        raise ScheduleSyntaxError(
            f"unknown day {shown(name.strip())}: use sun, mon, tue, wed, thu, fri, sat"
        )
    return WEEKDAYS.index(key)


def parse_days(text: str) -> tuple[int, ...]:
    """'sun-thu', 'fri,sat', 'thu-sat' (ranges may wrap past Saturday) → weekday numbers."""
    if text.strip().lower() in ("*", "all", "daily", "every day"):
        return tuple(range(7))
    chosen: set[int] = set()
    for part in text.split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            start, end = _weekday(first), _weekday(last)
            span = (end - start) % 7
            chosen.update((start + step) % 7 for step in range(span + 1))
        else:
            chosen.add(_weekday(part))
    return tuple(sorted(chosen))


# -- cron --------------------------------------------------------------------

@dataclass(frozen=True)
class CronFields:
    """A 5-field crontab line, expanded. ``None`` means "any" (``*``)."""

    text: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: tuple[int, ...] | None
    months: tuple[int, ...] | None
    weekdays: tuple[int, ...] | None  # 0 = Sunday


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29: leap years do come

_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, MONTHS),
    ("day of week", 0, 7, WEEKDAYS),
)


def _value(token: str, name: str, low: int, high: int, names: tuple[str, ...]) -> int:
    word = token.lower()
    if names and word[:3] in names and word.isalpha():
        index = names.index(word[:3])
        return index + 1 if names is MONTHS else index
    if not token.isascii() or not token.isdigit():  # '²' is a digit that int() refuses
        known = f" nor a name ({', '.join(names)})" if names else ""
        raise ScheduleSyntaxError(f"cron {name}: {shown(token)} is not a number{known}")
    if len(token) > 4:
        raise ScheduleSyntaxError(f"cron {name}: {shown(token)} is out of range {low}-{high}")
    number = int(token)
    if not low <= number <= high:
        raise ScheduleSyntaxError(f"cron {name}: {number} is out of range {low}-{high}")
    return number


def _field(text: str, index: int) -> tuple[int, ...] | None:
    name, low, high, names = _FIELDS[index]
    if text in ("*", "?"):
        return None
    values: set[int] = set()
    for item in text.split(","):
        base, _, step_text = item.partition("/")
        step = 1
        if step_text:
            if (not step_text.isascii() or not step_text.isdigit() or len(step_text) > 4
                    or int(step_text) == 0):
                raise ScheduleSyntaxError(
                    f"cron {name}: step {shown(step_text)} must be a number from 1 to {high}")
            step = int(step_text)
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start = _value(first, name, low, high, names)
            end = _value(last, name, low, high, names)
            if end < start:
                raise ScheduleSyntaxError(f"cron {name}: range {shown(base)} runs backwards")
        elif base:
            start = _value(base, name, low, high, names)
            end = high if step_text else start
        else:
            raise ScheduleSyntaxError(f"cron {name}: empty item in {shown(text)}")
        values.update(range(start, end + 1, step))
    if index == 4:
        values = {v % 7 for v in values}  # 7 is Sunday too
        return None if len(values) == 7 else tuple(sorted(values))
    return tuple(sorted(values))


def parse_cron(text: str) -> CronFields:
    parts = text.split()
    if len(parts) != 5:
        raise ScheduleSyntaxError(
            f"cron {shown(text)} has {len(parts)} fields; expected 5: minute hour day month weekday"
            " (e.g. '0 7 * * sun-thu')"
        )
    starts = [match.start() for match in re.finditer(r"\S+", text)]
    fields: list[tuple[int, ...] | None] = []
    for index, part in enumerate(parts):
        try:
            fields.append(_field(part, index))
        except ScheduleSyntaxError as exc:
            raise ScheduleSyntaxError(str(exc), offset=starts[index]) from None
    minutes = fields[0] or tuple(range(60))
    hours = fields[1] or tuple(range(24))
    days, months, weekdays = fields[2], fields[3], fields[4]
    if days is not None and not any(day <= _MONTH_DAYS[month - 1]
                                    for day in days for month in months or range(1, 13)):
        in_months = join_words([EN_MONTHS[m - 1] for m in months or range(1, 13)], "en")
        raise ScheduleSyntaxError(
            f"cron {shown(text)} never fires: there is no day "
            f"{join_words([str(d) for d in days], 'en')} in {in_months}", offset=starts[2])
    if days is not None and weekdays is not None:
        # Cron ORs these two fields while APScheduler ANDs them: refuse the ambiguity.
        raise ScheduleSyntaxError(
            f"cron {text!r} restricts both the day of month and the day of week;"
            " restrict one of them (or use `days:`)"
        )
    return CronFields(" ".join(parts), minutes, hours, days, months, weekdays)


# -- the whole trigger ---------------------------------------------------------

@dataclass(frozen=True)
class TriggerSpec:
    """When a job runs, fully resolved (timezone filled in, days merged with cron)."""

    timezone: str
    cron: CronFields | None = None
    every: timedelta | None = None
    weekdays: tuple[int, ...] | None = None  # None = every day; 0 = Sunday
    jitter: timedelta | None = None
    start: date | None = None  # first day (inclusive) in ``timezone``
    end: date | None = None  # last day (inclusive) in ``timezone``

    def fingerprint(self) -> str:
        """Stable text identity: equal specs ⇒ the persisted job is kept as it is."""
        return repr(self)


def build_spec(
    *,
    timezone: str,
    cron: str | None = None,
    every: str | None = None,
    days: str | None = None,
    jitter: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> TriggerSpec:
    """Combine a job's schedule keys; raises ScheduleSyntaxError if they cannot meet."""
    if (cron is None) == (every is None):
        raise ScheduleSyntaxError("a schedule needs exactly one of cron or every", "every")
    fields = parse_cron(cron) if cron is not None else None
    interval = parse_duration(every, what="every") if every is not None else None
    weekdays = parse_days(days) if days is not None else None
    if fields is not None and fields.weekdays is not None:
        weekdays = (
            fields.weekdays
            if weekdays is None
            else tuple(d for d in fields.weekdays if d in weekdays)
        )
        if not weekdays:
            raise ScheduleSyntaxError(
                f"days {days!r} and the cron's day of week never meet: the job would never run",
                "days",
            )
    if weekdays is not None and len(weekdays) == 7:
        weekdays = None
    spread = parse_duration(jitter, what="jitter") if jitter is not None else None
    if spread is not None and interval is not None and spread >= interval:
        raise ScheduleSyntaxError(f"jitter {jitter!r} must be shorter than every {every!r}", "jitter")
    if start is not None and end is not None and end < start:
        raise ScheduleSyntaxError(
            f"until {end.isoformat()} is before from {start.isoformat()}", "until"
        )
    return TriggerSpec(timezone, fields, interval, weekdays, spread, start, end)


def join_words(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    if lang == "ar":
        return "، ".join(items[:-1]) + " و" + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]
