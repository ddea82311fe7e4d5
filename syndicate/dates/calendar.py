"""Gregorian <-> Hijri (Umm al-Qura) day conversion.

Which table, and where
----------------------
We follow hijridate's Umm al-Qura table from 1 Muharram 1365 AH to 30 Dhu al-Hijjah
1500 AH (1945-12-05 .. 2077-11-16), and raise ``DateRangeError`` outside it: never an
arithmetic guess printed as if it were the official day. hijridate's table starts in
1343 AH, but its years before 1365 hold months of 28 and 31 days (1343-09, 1345-05,
1345-08, 1348-11, 1348-12, 1349-10, 1349-11, 1364-08), which no Hijri month has: a
reader shown "31 Dhu al-Qa'dah" would be right to distrust every other date, so
those years are refused rather than printed.

ICU (phones, browsers, Node) agrees with that table day for day only from
``ICU_AGREES_FROM`` (1999-04-17) to ``ICU_AGREES_UNTIL`` (2029-08-10); outside the window
ICU falls back to its own approximation and differs on many days (checked day by day
over our range against Node 20's ICU: 18,868 days differ, none inside the window). We keep the Umm
al-Qura table there because it is the calendar Saudi Arabia published and the one Gulf
newspapers print, so archives and far-future issues stay right even where a phone is
off by a day. ``icu_agrees(day)`` tells callers (and tests) which side of the window a
day is on.

Local moon sighting is an explicit per-audience ``adjustment`` of -2..+2 days applied to
the Gregorian day before the table lookup, so the weekday never moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hijridate import Gregorian, Hijri

from syndicate.errors import DateRangeError

FIRST_DAY = date(1945, 12, 5)  # 1 Muharram 1365 AH
LAST_DAY = date(2077, 11, 16)  # 30 Dhu al-Hijjah 1500 AH
FIRST_YEAR = 1365
LAST_YEAR = 1500
ICU_AGREES_FROM = date(1999, 4, 17)
ICU_AGREES_UNTIL = date(2029, 8, 10)
MAX_ADJUSTMENT = 2


@dataclass(frozen=True, order=True)
class HijriDate:
    """A day of the Umm al-Qura calendar; ``month`` is 1 (Muharram) .. 12."""

    year: int
    month: int
    day: int


def check_adjustment(adjustment: int) -> None:
    """A moon-sighting adjustment we accept: -2..+2 days, else DateRangeError."""
    if not -MAX_ADJUSTMENT <= adjustment <= MAX_ADJUSTMENT:
        raise DateRangeError(
            f"Hijri adjustment must be between -{MAX_ADJUSTMENT} and +{MAX_ADJUSTMENT} days,"
            f" got {adjustment}"
        )


def to_hijri(day: date, adjustment: int = 0) -> HijriDate:
    """The Umm al-Qura date of a Gregorian ``day``, shifted by ``adjustment`` days."""
    check_adjustment(adjustment)
    shifted = day + timedelta(days=adjustment)
    if not FIRST_DAY <= shifted <= LAST_DAY:
        raise DateRangeError(
            f"{shifted.isoformat()} is outside the Umm al-Qura table"
            f" ({FIRST_DAY.isoformat()} .. {LAST_DAY.isoformat()})"
        )
    h = Gregorian(shifted.year, shifted.month, shifted.day).to_hijri()
    return HijriDate(h.year, h.month, h.day)


def from_hijri(year: int, month: int, day: int) -> date:
    """The Gregorian day of an Umm al-Qura date; invalid or out-of-table dates raise."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateRangeError(
            f"Hijri year {year} is outside the Umm al-Qura table ({FIRST_YEAR} .. {LAST_YEAR})"
        )
    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError) as exc:
        # hijridate rejects day 30 of a 29-day month: a wrong day, not a parse slip.
        raise DateRangeError(f"{year}-{month:02d}-{day:02d} AH: {exc}") from exc
    return date(g.year, g.month, g.day)


def month_length(year: int, month: int) -> int:
    """Days in an Umm al-Qura month (29 or 30)."""
    from_hijri(year, month, 1)
    return int(Hijri(year, month, 1).month_length())


def icu_agrees(day: date) -> bool:
    """True when ICU's islamic-umalqura calendar gives the same Hijri day as ours."""
    return ICU_AGREES_FROM <= day <= ICU_AGREES_UNTIL
