"""Schedules in words, English and Arabic: ``describe`` a TriggerSpec, format a run time.

What `schedules list`, `syndicate status` and the status page say about a schedule;
parsing is ``triggers.py``, whose expanded value sets this reads.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .text.digits import to_digits
from .triggers import (
    AR_DAYS,
    AR_MONTHS,
    EN_DAYS,
    EN_MONTHS,
    CronFields,
    TriggerSpec,
    join_words,
)


def _ar(text: object) -> str:
    return to_digits(str(text), "arab")


def _count_en(n: int, unit: str) -> str:
    return f"{unit}" if n == 1 else f"{n} {unit}s"


# Arabic counted nouns: 1 singular, 2 dual, 3-10 plural, 11+ singular (accusative).
_AR_UNITS = {
    "second": ("ثانية", "ثانيتين", "ثوانٍ", "ثانية"),
    "minute": ("دقيقة", "دقيقتين", "دقائق", "دقيقة"),
    "hour": ("ساعة", "ساعتين", "ساعات", "ساعة"),
    "day": ("يوم", "يومين", "أيام", "يومًا"),
}


def _count_ar(n: int, unit: str) -> str:
    one, two, few, many = _AR_UNITS[unit]
    if n == 1:
        return one
    if n == 2:
        return two
    return f"{_ar(n)} {few if n <= 10 else many}"


def _split(delta: timedelta) -> tuple[int, str]:
    seconds = int(delta.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            return seconds // size, unit
    return seconds, "second"


def _step(values: tuple[int, ...], low: int, size: int) -> int | None:
    """The step when ``values`` are low, low+s, low+2s… covering the whole range."""
    if len(values) < 2 or values[0] != low:
        return None
    step = values[1] - values[0]
    if size % step or values != tuple(range(low, low + size, step)):
        return None
    return step


def _days_words(weekdays: tuple[int, ...] | None, lang: str) -> str:
    names = AR_DAYS if lang == "ar" else EN_DAYS
    if weekdays is None:
        return "يوميًا" if lang == "ar" else "every day"
    if len(weekdays) >= 3:
        for start in weekdays:  # a contiguous run, possibly wrapping past Saturday
            run = tuple(sorted((start + i) % 7 for i in range(len(weekdays))))
            if run == weekdays:
                first, last = names[start], names[(start + len(weekdays) - 1) % 7]
                return f"من {first} إلى {last}" if lang == "ar" else f"{first} to {last}"
    listed = join_words([names[d] for d in weekdays], lang)
    if lang == "ar":
        return f"يوم {listed}" if len(weekdays) == 1 else f"أيام {listed}"
    return f"on {listed}"


def _time_words(cron: CronFields, lang: str) -> str:
    minutes, hours = cron.minutes, cron.hours
    every_hour = len(hours) == 24
    if every_hour and len(minutes) == 60:
        return "كل دقيقة" if lang == "ar" else "every minute"
    step = _step(minutes, 0, 60)
    if every_hour and step:
        return f"كل {_count_ar(step, 'minute')}" if lang == "ar" else f"every {_count_en(step, 'minute')}"
    if every_hour:
        marks = [f"{m:02d}" for m in minutes]
        if lang == "ar":
            return f"كل ساعة عند الدقيقة {_ar(join_words(marks, 'ar'))}"
        return f"every hour at minute {join_words(marks, 'en')}"
    hour_step = _step(hours, hours[0], 24 - hours[0]) if len(minutes) == 1 else None
    if hour_step and len(hours) > 4:
        first = f"{hours[0]:02d}:{minutes[0]:02d}"
        if lang == "ar":
            return f"كل {_count_ar(hour_step, 'hour')} بدءًا من {_ar(first)}"
        return f"every {_count_en(hour_step, 'hour')} from {first}"
    times = [f"{h:02d}:{m:02d}" for h in hours for m in minutes]
    if len(times) > 8:
        times = times[:6] + ["…"]
    return f"الساعة {_ar(join_words(times, 'ar'))}" if lang == "ar" else f"at {join_words(times, 'en')}"


def _date_words(day: date, lang: str) -> str:
    if lang == "ar":
        return _ar(f"{day.day} {AR_MONTHS[day.month - 1]} {day.year}")
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def describe(spec: TriggerSpec, lang: str = "en") -> str:
    """The trigger in words, e.g. 'at 07:00, Sunday to Thursday (Asia/Qatar)'."""
    ar = lang == "ar"
    parts: list[str] = []
    if spec.cron is not None:
        parts.append(_time_words(spec.cron, lang))
        if spec.cron.days is not None:
            listed = join_words([str(d) for d in spec.cron.days], lang)
            parts.append(f"في اليوم {_ar(listed)} من الشهر" if ar else f"on day {listed} of the month")
        if spec.cron.months is not None:
            names = AR_MONTHS if ar else EN_MONTHS
            listed = join_words([names[m - 1] for m in spec.cron.months], lang)
            parts.append(f"في {listed}" if ar else f"in {listed}")
    elif spec.every is not None:
        n, unit = _split(spec.every)
        parts.append(f"كل {_count_ar(n, unit)}" if ar else f"every {_count_en(n, unit)}")
    if spec.weekdays is not None:
        parts.append(_days_words(spec.weekdays, lang))
    elif (
        spec.cron is not None
        and spec.cron.days is None
        and spec.cron.months is None
        and len(spec.cron.hours) < 24  # "every 15 minutes, every day" says nothing more
    ):
        parts.append(_days_words(None, lang))
    if spec.jitter is not None:
        n, unit = _split(spec.jitter)
        parts.append(
            f"مع تأخير عشوائي حتى {_count_ar(n, unit)}" if ar
            else f"with up to {_count_en(n, unit)} of random delay"
        )
    if spec.start is not None:
        when = _date_words(spec.start, lang)
        parts.append(f"ابتداءً من {when}" if ar else f"from {when}")
    if spec.end is not None:
        when = _date_words(spec.end, lang)
        parts.append(f"حتى {when}" if ar else f"until {when}")
    zone = f"(بتوقيت {spec.timezone})" if ar else f"({spec.timezone})"
    return ("، " if ar else ", ").join(parts) + " " + zone


def format_run_time(when: datetime, lang: str = "en", *, zone: bool = True) -> str:
    """A run time as an operator reads it, in the datetime's own (schedule) timezone.

    ``zone=False`` leaves out the UTC offset, for pages that state the zone once.
    """
    weekday = (when.weekday() + 1) % 7  # Python's Monday=0 → Sunday-first
    offset = when.strftime("%z") if zone else ""
    zone_text = f"{offset[:3]}:{offset[3:]}" if offset else ""
    if lang == "ar":
        text = f"{AR_DAYS[weekday]} {when.day} {AR_MONTHS[when.month - 1]} {when.year}، {when:%H:%M}"
        return _ar(text) + (f" (UTC{zone_text})" if zone_text else "")
    return f"{EN_DAYS[weekday][:3]} {when:%Y-%m-%d %H:%M}" + (
        f" (UTC{zone_text})" if zone_text else ""
    )
