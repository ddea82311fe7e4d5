"""Parsing the dates Arab newspapers print, and reading back everything we print."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.dates import format_combined, format_date, parse_date, parse_date_or_none
from syndicate.errors import DateParseError

NOW = datetime(2025, 9, 20, 10, 0, tzinfo=UTC)  # 13:00 in Doha
_DOHA = ZoneInfo("Asia/Qatar")


def utc(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=UTC)


def doha(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=UTC) - timedelta(hours=3)


CASES: list[tuple[str, datetime]] = [
    # Al-Sharq's own byline, and its listing form
    ("14 سبتمبر 2025 , 03:05ص", doha(2025, 9, 14, 3, 5)),
    ("| 16 فبراير 2026", doha(2026, 2, 16)),
    ("14 سبتمبر 2025 , 03:05م", doha(2025, 9, 14, 15, 5)),
    ("14 سبتمبر 2025 - 12:10 ص", doha(2025, 9, 14, 0, 10)),
    ("14 سبتمبر 2025 - 12:10 م", doha(2025, 9, 14, 12, 10)),
    # Levantine months, Arabic-Indic digits, 24-hour clock
    ("٢٢ أيلول ٢٠٢٥ ١٥:٣٠", doha(2025, 9, 22, 15, 30)),
    ("١ كانون الثاني ٢٠٢٥", doha(2025, 1, 1)),
    ("٣١ كانون الأول ٢٠٢٥", doha(2025, 12, 31)),
    ("5 تشرين الأول 2025", doha(2025, 10, 5)),
    ("5 تشرين الثاني 2025", doha(2025, 11, 5)),
    ("28 شباط 2024", doha(2024, 2, 28)),
    ("1 آذار 2024", doha(2024, 3, 1)),
    ("1 نيسان 2024", doha(2024, 4, 1)),
    ("1 أيار 2024", doha(2024, 5, 1)),
    ("1 حزيران 2024", doha(2024, 6, 1)),
    ("1 تموز 2024", doha(2024, 7, 1)),
    ("1 آب 2024", doha(2024, 8, 1)),
    # Maghreb: Moroccan and Algerian/Tunisian names
    ("3 شتنبر 2025", doha(2025, 9, 3)),
    ("3 نونبر 2025", doha(2025, 11, 3)),
    ("3 دجنبر 2025", doha(2025, 12, 3)),
    ("3 يوليوز 2025", doha(2025, 7, 3)),
    ("3 غشت 2025", doha(2025, 8, 3)),
    ("3 ماي 2025", doha(2025, 5, 3)),
    ("3 جانفي 2025", doha(2025, 1, 3)),
    ("3 فيفري 2025", doha(2025, 2, 3)),
    ("3 أفريل 2025", doha(2025, 4, 3)),
    ("3 جوان 2025", doha(2025, 6, 3)),
    ("3 جويلية 2025", doha(2025, 7, 3)),
    ("3 أوت 2025", doha(2025, 8, 3)),
    # Egyptian spellings, alef and ta-marbuta variants
    ("3 يونية 2025", doha(2025, 6, 3)),
    ("3 يونيو 2025", doha(2025, 6, 3)),
    ("3 يوليه 2025", doha(2025, 7, 3)),
    ("3 اغسطس 2025", doha(2025, 8, 3)),
    ("3 إبريل 2025", doha(2025, 4, 3)),
    ("3 ابريل 2025", doha(2025, 4, 3)),
    ("3 اكتوبر 2025", doha(2025, 10, 3)),
    # Persian digits, tatweel, bidi marks, periods spelled out
    ("۱۴ سبتمبر ۲۰۲۵ ۰۳:۰۵", doha(2025, 9, 14, 3, 5)),
    ("14 سبتـــمبر 2025", doha(2025, 9, 14)),
    ("14\u200f/9\u200f/2025", doha(2025, 9, 14)),
    ("14 سبتمبر 2025 الساعة 3:05 صباحاً", doha(2025, 9, 14, 3, 5)),
    ("14 سبتمبر 2025 الساعة 3:05 صباحًا", doha(2025, 9, 14, 3, 5)),
    ("14 سبتمبر 2025 الساعة 9:05 مساءً", doha(2025, 9, 14, 21, 5)),
    ("14 سبتمبر 2025 الساعة 9:05 مساءا", doha(2025, 9, 14, 21, 5)),
    ("14 سبتمبر 2025 الساعة 9:05 مساء", doha(2025, 9, 14, 21, 5)),
    ("14 سبتمبر 2025 مساءً 9:05", doha(2025, 9, 14, 21, 5)),
    ("3:05 PM 14 سبتمبر 2025", doha(2025, 9, 14, 15, 5)),
    # Weekday prefixes and era markers
    ("الأحد، 14 سبتمبر 2025", doha(2025, 9, 14)),
    ("الإثنين 15 سبتمبر 2025م", doha(2025, 9, 15)),
    ("الاثنين 15 سبتمبر 2025 م", doha(2025, 9, 15)),
    ("14 سبتمبر 2025 ميلادي", doha(2025, 9, 14)),
    # Hijri beside Gregorian: the Gregorian wins (even a day off, as moon sighting does)
    ("الأحد 23 ربيع الأول 1447 هـ الموافق 14 سبتمبر 2025 م", doha(2025, 9, 14)),
    ("14 سبتمبر 2025 - 22 ربيع الأول 1447هـ", doha(2025, 9, 14)),
    ("14/09/2025 م الموافق 22/03/1447 هـ", doha(2025, 9, 14)),
    # Hijri only: Umm al-Qura
    ("22 ربيع الأول 1447 هـ", doha(2025, 9, 14)),
    ("1 رمضان 1446", doha(2025, 3, 1)),
    ("1 شوال 1446 هـ 10:00 ص", doha(2025, 3, 30, 10)),
    ("5 ربيع الثاني 1447 هـ", doha(2025, 9, 27)),
    ("5 جمادى الثانية 1447 هجري", doha(2025, 11, 26)),
    ("10 ذي الحجة 1446", doha(2025, 6, 6)),
    ("10 من ذي الحجة 1446 هـ", doha(2025, 6, 6)),
    ("1 المحرم 1447", doha(2025, 6, 26)),
    ("22/3/1447 هـ", doha(2025, 9, 14)),
    ("1447/03/22 هـ", doha(2025, 9, 14)),
    # Numeric Gregorian
    ("14/9/2025", doha(2025, 9, 14)),
    ("2025/09/14 03:05", doha(2025, 9, 14, 3, 5)),
    ("14-09-2025", doha(2025, 9, 14)),
    ("14.09.2025 15:30:20", doha(2025, 9, 14, 15, 30, 20)),
    # Relative, against NOW (13:00 in Doha on 2025-09-20)
    ("منذ ساعتين", NOW - timedelta(hours=2)),
    ("منذ 5 دقائق", NOW - timedelta(minutes=5)),
    ("منذ ٣ أيام", NOW - timedelta(days=3)),
    ("منذ ساعة", NOW - timedelta(hours=1)),
    ("منذ دقيقة واحدة", NOW - timedelta(minutes=1)),
    ("قبل 3 ساعات", NOW - timedelta(hours=3)),
    ("قبل ١١ ساعة", NOW - timedelta(hours=11)),
    ("قبل يومين", NOW - timedelta(days=2)),
    ("قبل أسبوعين", NOW - timedelta(weeks=2)),
    ("قبل 13 شهرًا", NOW - timedelta(days=390)),
    ("نُشر منذ 10 ثوانٍ", NOW - timedelta(seconds=10)),
    ("الآن", NOW),
    ("منذ قليل", NOW),
    ("أمس", doha(2025, 9, 19)),
    ("أمس 10:30 م", doha(2025, 9, 19, 22, 30)),
    ("البارحة", doha(2025, 9, 19)),
    ("أول أمس", doha(2025, 9, 18)),
    ("اليوم", doha(2025, 9, 20)),
    ("اليوم ٠٩:١٥ ص", doha(2025, 9, 20, 9, 15)),
    ("منذ ثلاث ساعات", NOW - timedelta(hours=3)),
    ("قبل خمسة أيام", NOW - timedelta(days=5)),
    ("منذ عشر دقائق", NOW - timedelta(minutes=10)),
    # Month first, Latin month names
    ("سبتمبر 14، 2025", doha(2025, 9, 14)),
    ("14 September 2025", doha(2025, 9, 14)),
    ("Sep 14, 2025 03:05 PM", doha(2025, 9, 14, 15, 5)),
    # Machine formats: ISO 8601 attributes and RFC 822 feeds
    ("2025-09-14T03:05:00+03:00", utc(2025, 9, 14, 0, 5)),
    ("2025-09-14T00:05:00Z", utc(2025, 9, 14, 0, 5)),
    ("2025-09-14T00:05:00.123456Z", datetime(2025, 9, 14, 0, 5, 0, 123456, tzinfo=UTC)),
    ("2025-09-14 03:05", doha(2025, 9, 14, 3, 5)),
    ("2025-09-14", doha(2025, 9, 14)),
    ("Sun, 14 Sep 2025 03:05:00 +0300", utc(2025, 9, 14, 0, 5)),
    ("Sun, 14 Sep 2025 00:05:00 GMT", utc(2025, 9, 14, 0, 5)),
    ("Sun, 14 Sep 2025 00:05:00 -0000", utc(2025, 9, 14, 0, 5)),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parses(text: str, expected: datetime) -> None:
    got = parse_date(text, now=NOW)
    assert got == expected
    assert got.tzinfo == UTC


def test_source_timezone_is_configurable() -> None:
    assert parse_date("22 أيلول 2025 15:30", tz="Asia/Beirut", now=NOW) == utc(2025, 9, 22, 12, 30)
    assert parse_date("1 كانون الثاني 2025", tz="Asia/Beirut", now=NOW) == utc(2024, 12, 31, 22)
    assert parse_date("2025-09-14 03:05", tz="UTC", now=NOW) == utc(2025, 9, 14, 3, 5)
    # "yesterday" is yesterday in the source's zone, not in UTC.
    late = utc(2025, 9, 20, 22, 0)  # already the 21st in Doha
    assert parse_date("أمس", now=late) == doha(2025, 9, 20)


BAD = [
    "",
    "مقالات",
    "اقرأ المزيد",
    "414",
    "31 فبراير 2025",
    "30 صفر 1447 هـ",  # Safar 1447 has 29 days
    "1 محرم 1300 هـ",  # before the Umm al-Qura table
    "14 سبتمبر 2025 25:61",
    "14/9/25",
    "Sun, 99 Foo 2025",
]


@pytest.mark.parametrize("text", BAD)
def test_rejects_with_the_text(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(text, now=NOW)
    assert info.value.text == text
    assert parse_date_or_none(text, now=NOW) is None


def test_bad_zone_is_not_a_parse_miss() -> None:
    with pytest.raises(DateParseError):
        parse_date_or_none("14 سبتمبر 2025", tz="Nowhere/Nope", now=NOW)


LOCALES = ["ar", "ar-QA", "ar-SA", "ar-AE", "ar-EG", "ar-LB", "ar-SY", "ar-MA", "ar-DZ", "ar-TN"]
WHENS = [utc(2025, 9, 14, 0, 5), utc(2024, 2, 28, 21, 0), utc(2026, 1, 1, 9, 0), utc(2030, 6, 3)]


@pytest.mark.parametrize("locale", LOCALES)
def test_everything_we_print_parses_back(locale: str) -> None:
    for when in WHENS:
        day = doha(*when.astimezone(_DOHA).timetuple()[:3])
        for calendar in ("gregorian", "hijri"):
            for style in ("full", "long", "medium", "short"):
                for digits in (None, "arab", "latn"):
                    text = format_date(
                        when, locale=locale, calendar=calendar, style=style, digits=digits
                    )
                    assert parse_date(text, now=NOW) == day, text
                for clock in ("short", "medium"):
                    text = format_date(
                        when, locale=locale, calendar=calendar, style=style, time=clock
                    )
                    expected = when if clock == "medium" else when.replace(second=0)
                    assert parse_date(text, now=NOW) == expected, text
        assert parse_date(format_combined(when, locale=locale), now=NOW) == day


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(min_value=datetime(1946, 1, 1), max_value=datetime(2077, 1, 1)),
    st.sampled_from(LOCALES),
    st.sampled_from(["gregorian", "hijri"]),
    st.sampled_from(["full", "short"]),
)
def test_round_trip_property(naive: datetime, locale: str, calendar: str, style: str) -> None:
    when = naive.replace(microsecond=0, tzinfo=UTC)
    text = format_date(when, locale=locale, calendar=calendar, style=style, time="medium")  # type: ignore[arg-type]
    assert parse_date(text, now=NOW) == when, text


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(min_value=datetime(1946, 1, 1), max_value=datetime(2077, 1, 1)),
    st.integers(min_value=-2, max_value=2),
    st.sampled_from(LOCALES),
)
def test_adjusted_hijri_dates_parse_back_with_the_same_adjustment(
        naive: datetime, adjustment: int, locale: str) -> None:
    when = naive.replace(microsecond=0, tzinfo=UTC)
    text = format_date(when, locale=locale, calendar="hijri", style="full", time="medium",
                       hijri_adjustment=adjustment)
    assert parse_date(text, now=NOW, hijri_adjustment=adjustment) == when, text
    if adjustment:  # read as the table's day instead, it lands `adjustment` days later
        assert parse_date(text, now=NOW) == when + timedelta(days=adjustment), text


def test_hijri_adjustment_is_bounded_and_ignored_beside_a_gregorian_date() -> None:
    from syndicate.errors import DateRangeError

    with pytest.raises(DateRangeError):
        parse_date("٢٢ ربيع الأول ١٤٤٧ هـ", now=NOW, hijri_adjustment=3)
    combined = "الأحد ٢٢ ربيع الأول ١٤٤٧ هـ الموافق ١٤ سبتمبر ٢٠٢٥ م"
    assert parse_date(combined, now=NOW, hijri_adjustment=1) == doha(2025, 9, 14)
    assert parse_date("٢٢ ربيع الأول ١٤٤٧ هـ", now=NOW, hijri_adjustment=1) == doha(2025, 9, 13)


def test_fixture_strings_parse_back() -> None:
    data: dict[str, Any] = json.loads(
        (Path(__file__).parent / "data" / "dates" / "icu_formats.json").read_text(encoding="utf-8")
    )
    for case in data["formats"]:
        got = parse_date(case["expected"], tz=case["tz"], now=NOW)
        instant = datetime.fromisoformat(case["when"])
        local = instant.astimezone(_DOHA)
        if case["time"] == "medium":
            assert got == instant, case
        elif case["time"] == "short":
            assert got == instant.replace(second=0), case
        else:
            assert got == datetime.combine(local.date(), time(0), tzinfo=_DOHA), case
