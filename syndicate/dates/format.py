"""Dates written as ICU writes them (CLDR patterns), in Gregorian or Umm al-Qura.

Inputs: an aware datetime, an ISO 8601 string, or a plain ``date``. Naive datetimes and
ISO strings without an offset are taken as UTC, because every datetime syndicate stores
is UTC; a date-only ISO string (``2025-09-14``) or a ``date`` is a calendar day and is not
moved between zones. The calendar day is taken in ``tz`` (default Asia/Qatar) *before* any
calendar conversion, so 23:30 UTC is the next day in Doha, in both calendars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from syndicate.dates.calendar import to_hijri
from syndicate.dates.digits import Digits, resolve_digits, to_digits
from syndicate.dates.names import (
    CALENDARS,
    STYLES,
    TIME_STYLES,
    LocaleNames,
    Style,
    TimeStyle,
    locale_names,
)
from syndicate.errors import DateParseError, RenderError
from syndicate.types import Calendar

DEFAULT_TZ = "Asia/Qatar"
DEFAULT_TEMPLATE = "{weekday} {hijri} الموافق {gregorian}"
# Day, month name, year and era: the "long" shape without the weekday, used by bylines.
_DAY_MONTH_YEAR_ERA = "d MMMM y G"
_FIELD = re.compile(r"'[^']*'|([A-Za-z])\1*|[^A-Za-z']+")


@dataclass(frozen=True)
class _Fields:
    """The values a CLDR pattern can print, already in the target calendar."""

    calendar: Calendar
    year: int
    month: int
    day: int
    weekday: int  # 0 = Monday, from the Gregorian day (conversion never moves it)
    clock: time | None


def _render(pattern: str, f: _Fields, names: LocaleNames, digits: Digits) -> str:
    out: list[str] = []
    for match in _FIELD.finditer(pattern):
        token = match.group(0)
        if token.startswith("'"):
            out.append("'" if token == "''" else token[1:-1])
        elif match.group(1) is None:
            out.append(token)
        else:
            out.append(_field(token, f, names, digits))
    return "".join(out)


def _num(value: int, width: int, digits: Digits) -> str:
    return to_digits(str(value).zfill(width), digits)


def _field(token: str, f: _Fields, names: LocaleNames, digits: Digits) -> str:
    letter, width = token[0], len(token)
    if letter == "G":
        return "هـ" if f.calendar == "hijri" else names.gregorian_era
    if letter == "y":
        return _num(f.year % 100, 2, digits) if width == 2 else _num(f.year, width, digits)
    if letter in "ML":
        if width >= 3:
            return names.month_name(f.calendar, f.month)
        return _num(f.month, width, digits)
    if letter == "d":
        return _num(f.day, width, digits)
    if letter in "Ec":
        # CLDR's Arabic abbreviated weekdays equal the wide ones.
        return names.weekdays[f.weekday]
    if f.clock is None:
        raise RenderError(token, "time field in a date-only pattern")
    hour = f.clock.hour
    if letter == "h":
        return _num(hour % 12 or 12, width, digits)
    if letter == "H":
        return _num(hour, width, digits)
    if letter == "m":
        return _num(f.clock.minute, width, digits)
    if letter == "s":
        return _num(f.clock.second, width, digits)
    if letter == "a":
        return names.am if hour < 12 else names.pm
    raise RenderError(token, "CLDR pattern field not supported")


def _zone(tz: str | None) -> ZoneInfo:
    name = tz or DEFAULT_TZ
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DateParseError(name, "unknown time zone") from exc


def _coerce(when: datetime | date | str) -> datetime | date:
    if isinstance(when, str):
        text = when.strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError as exc:
            raise DateParseError(when, "not an ISO 8601 date or datetime") from exc
    return when


def local_moment(when: datetime | date | str, tz: str | None) -> tuple[date, time | None]:
    """The calendar day (and wall-clock time, if known) of ``when`` in ``tz``."""
    zone = _zone(tz)  # checked even for a bare day: a typo must not pass silently
    value = _coerce(when)
    if not isinstance(value, datetime):
        return value, None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(zone)
    return local.date(), local.time().replace(microsecond=0)


def _fields(day: date, clock: time | None, calendar: Calendar, adjustment: int) -> _Fields:
    if calendar == "hijri":
        h = to_hijri(day, adjustment)
        return _Fields("hijri", h.year, h.month, h.day, day.weekday(), clock)
    return _Fields("gregorian", day.year, day.month, day.day, day.weekday(), clock)


def _check(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise DateParseError(value, f"{name} must be one of {', '.join(allowed)}")


def format_date(
    when: datetime | date | str,
    *,
    locale: str = "ar-QA",
    calendar: Calendar = "gregorian",
    style: Style = "full",
    digits: Digits | None = None,
    tz: str | None = None,
    time: TimeStyle | None = None,
    hijri_adjustment: int = 0,
) -> str:
    """``when`` as ICU's ``Intl.DateTimeFormat`` writes it for ``locale``, to the character.

    Equal to ``Intl.DateTimeFormat('<locale>-u-ca-gregory|islamic-umalqura[-nu-<digits>]',
    {dateStyle: style, timeStyle: time, timeZone: tz})``. ``hijri_adjustment`` (-2..+2)
    moves the Hijri day for audiences that follow local moon sighting; ``parse_date``
    with the same ``hijri_adjustment`` reads such a Hijri-only date back to its day.
    """
    _check("calendar", calendar, CALENDARS)
    _check("style", style, STYLES)
    if time is not None:
        _check("time", time, TIME_STYLES)
    names = locale_names(locale)
    nu = resolve_digits(digits, names.default_digits)
    day, clock = local_moment(when, tz)
    fields = _fields(day, clock, calendar, hijri_adjustment)
    text = _render(names.date_pattern(calendar, style), fields, names, nu)
    if time is None:
        return text
    if clock is None:
        raise DateParseError(str(when), "a time was asked for but only a day was given")
    clock_text = _render(names.time_patterns[time], fields, names, nu)
    return names.glue(style).replace("{1}", text).replace("{0}", clock_text)


def format_combined(
    when: datetime | date | str,
    *,
    locale: str = "ar-QA",
    digits: Digits | None = None,
    tz: str | None = None,
    hijri_adjustment: int = 0,
    template: str = DEFAULT_TEMPLATE,
) -> str:
    """Both calendars for bylines: ``الأحد ٢٢ ربيع الأول ١٤٤٧ هـ الموافق ١٤ سبتمبر ٢٠٢٥ م``.

    ``template`` may use ``{weekday}``, ``{hijri}`` and ``{gregorian}``; each date is
    day, month name, year and era (هـ or م), in the locale's names and digits.
    """
    names = locale_names(locale)
    nu = resolve_digits(digits, names.default_digits)
    day, _ = local_moment(when, tz)
    parts = {
        "weekday": names.weekdays[day.weekday()],
        "hijri": _render(
            _DAY_MONTH_YEAR_ERA, _fields(day, None, "hijri", hijri_adjustment), names, nu
        ),
        "gregorian": _render(_DAY_MONTH_YEAR_ERA, _fields(day, None, "gregorian", 0), names, nu),
    }
    try:
        return template.format_map(parts)
    except (KeyError, IndexError, ValueError) as exc:
        raise RenderError("date template", f"{template!r}: {exc!r}") from exc
