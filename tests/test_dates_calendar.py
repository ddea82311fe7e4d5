"""Umm al-Qura conversion: ICU's month edges, the agreement window, range errors, properties."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.dates import HijriDate, from_hijri, icu_agrees, to_hijri
from syndicate.dates.calendar import (
    FIRST_DAY,
    FIRST_YEAR,
    ICU_AGREES_FROM,
    ICU_AGREES_UNTIL,
    LAST_DAY,
    LAST_YEAR,
    month_length,
)
from syndicate.errors import DateRangeError

CALENDAR: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "dates" / "icu_calendar.json").read_text(encoding="utf-8")
)
DAYS = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)


def test_ramadan_and_shawwal_edges_match_icu() -> None:
    edges = CALENDAR["monthEdges"]
    assert len(edges) == 31 * 4  # start and end of two months, 1420..1450 AH
    for edge in edges:
        day = date.fromisoformat(edge["gregorian"])
        assert to_hijri(day) == HijriDate(*edge["hijri"]), edge
        assert from_hijri(*edge["hijri"]) == day


def test_window_boundary_inside_agrees_outside_follows_the_table() -> None:
    icu = {b["gregorian"]: HijriDate(*b["icu_hijri"]) for b in CALENDAR["boundary"]}
    for inside in (ICU_AGREES_FROM, ICU_AGREES_UNTIL):
        assert icu_agrees(inside)
        assert to_hijri(inside) == icu[inside.isoformat()]
    before = ICU_AGREES_FROM - timedelta(days=1)
    after = ICU_AGREES_UNTIL + timedelta(days=1)
    assert not icu_agrees(before) and not icu_agrees(after)
    # Outside the window we print the Umm al-Qura table's day, knowingly unlike ICU.
    assert to_hijri(before) == HijriDate(1419, 12, 30) != icu[before.isoformat()]
    assert to_hijri(after) == HijriDate(1451, 4, 1) != icu[after.isoformat()]


def test_table_range_edges_and_errors() -> None:
    assert to_hijri(FIRST_DAY) == HijriDate(1365, 1, 1)
    assert to_hijri(LAST_DAY) == HijriDate(1500, 12, 30)
    for outside in (FIRST_DAY - timedelta(days=1), LAST_DAY + timedelta(days=1)):
        with pytest.raises(DateRangeError):
            to_hijri(outside)
    with pytest.raises(DateRangeError):
        to_hijri(LAST_DAY, adjustment=1)
    with pytest.raises(DateRangeError):
        from_hijri(1364, 12, 29)
    with pytest.raises(DateRangeError):  # hijridate has it, as a 31-day month: refused
        to_hijri(date(1930, 4, 29))
    with pytest.raises(DateRangeError):
        from_hijri(1501, 1, 1)
    with pytest.raises(DateRangeError):
        from_hijri(1447, 2, 30)  # Safar 1447 has 29 days
    with pytest.raises(DateRangeError):
        from_hijri(1447, 13, 1)
    assert month_length(1447, 2) == 29 and month_length(1447, 3) == 30


def test_every_month_in_range_has_29_or_30_days() -> None:
    # The whole table, not a sample: one bad month prints an impossible date.
    lengths = {month_length(year, month) for year in range(FIRST_YEAR, LAST_YEAR + 1)
               for month in range(1, 13)}
    assert lengths == {29, 30}


def test_adjustment_limits() -> None:
    day = date(2025, 9, 14)
    assert [to_hijri(day, a).day for a in range(-2, 3)] == [20, 21, 22, 23, 24]
    for bad in (-3, 3):
        with pytest.raises(DateRangeError):
            to_hijri(day, bad)


@settings(max_examples=300, deadline=None)
@given(DAYS)
def test_gregorian_hijri_gregorian_is_identity(day: date) -> None:
    h = to_hijri(day)
    assert from_hijri(h.year, h.month, h.day) == day


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY - timedelta(days=1)))
def test_consecutive_days_are_consecutive_hijri_days(day: date) -> None:
    today, tomorrow = to_hijri(day), to_hijri(day + timedelta(days=1))
    if tomorrow.day == 1:
        assert today.day in (29, 30) and today.day == month_length(today.year, today.month)
        expected = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        assert (tomorrow.year, tomorrow.month) == expected
    else:
        assert tomorrow == HijriDate(today.year, today.month, today.day + 1)
