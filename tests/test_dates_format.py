"""syndicate.dates formatting compared, to the character, with ICU (Node's Intl).

Fixtures come from tests/data/dates/generate_icu_fixtures.mjs.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from syndicate.dates import default_digits, format_combined, format_date, format_relative, to_digits
from syndicate.dates.names import locale_names
from syndicate.errors import DateParseError, DateRangeError, RenderError

DATA = Path(__file__).parent / "data" / "dates"


def _load(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return result


FORMATS = _load("icu_formats.json")["formats"]
CALENDAR = _load("icu_calendar.json")
NAMES = _load("icu_names.json")["names"]


def _case_id(case: dict[str, Any]) -> str:
    return "-".join(
        str(case[k]) for k in ("when", "tz", "locale", "calendar", "style", "digits", "time")
    )


def _check(case: dict[str, Any]) -> None:
    got = format_date(
        case["when"],
        locale=case["locale"],
        calendar=case["calendar"],
        style=case["style"],
        digits=case["digits"],
        tz=case["tz"],
        time=case["time"],
    )
    assert got == case["expected"], (case, got)


def test_fixture_covers_every_locale_style_calendar_and_digits() -> None:
    keys = {(c["locale"], c["calendar"], c["style"], c["digits"]) for c in FORMATS}
    assert len(keys) == 10 * 2 * 4 * 3
    assert len(FORMATS) == 2400


@pytest.mark.parametrize("locale", sorted({c["locale"] for c in FORMATS}))
def test_every_format_equals_icu(locale: str) -> None:
    # One test per locale (not per case) keeps 2,400 comparisons fast.
    for case in FORMATS:
        if case["locale"] == locale:
            _check(case)


@pytest.mark.parametrize("case", CALENDAR["leapDays"], ids=_case_id)
def test_gregorian_leap_days(case: dict[str, Any]) -> None:
    _check(case)


@pytest.mark.parametrize("case", CALENDAR["midnights"], ids=_case_id)
def test_local_midnight_in_doha_and_dst_zones(case: dict[str, Any]) -> None:
    _check(case)


def test_ramadan_and_shawwal_edges_1420_1450_read_as_icu() -> None:
    edges = CALENDAR["monthEdges"]
    years = {e["hijri"][0] for e in edges}
    assert years == set(range(1420, 1451))
    for edge in edges:
        got = format_date(edge["gregorian"], locale="ar-SA", calendar="hijri", style="full")
        assert got == edge["full"], edge


@pytest.mark.parametrize("names", NAMES, ids=lambda n: n["locale"])
def test_month_and_weekday_names_are_cldrs(names: dict[str, Any]) -> None:
    ours = locale_names(names["locale"])
    assert list(ours.gregorian_months) == names["gregorian"]
    assert list(ours.weekdays) == names["weekdays"]
    assert [ours.month_name("hijri", m) for m in range(1, 13)] == names["hijri"]


def test_cldr_spellings_not_hijridates() -> None:
    text = format_date("2025-10-14T09:00:00Z", calendar="hijri", style="full")
    assert "ربيع الآخر" in text and "الثاني" not in text
    assert format_date("2025-09-15T09:00:00Z").startswith("الاثنين")


@pytest.mark.parametrize(
    "case", CALENDAR["relative"], ids=lambda c: f"{c['locale']}-{c['seconds']}"
)
def test_relative_equals_icu(case: dict[str, Any]) -> None:
    got = format_relative(timedelta(seconds=case["seconds"]), locale=case["locale"])
    assert got == case["expected"]


def test_relative_digits_and_future() -> None:
    assert format_relative(timedelta(hours=3), digits="latn") == "قبل 3 ساعات"
    assert format_relative(timedelta(hours=-3)) == "خلال ٣ ساعات"


def test_combined_form_of_the_issue() -> None:
    when = datetime(2025, 9, 14, 0, 5, tzinfo=UTC)
    assert format_combined(when) == "الأحد ٢٢ ربيع الأول ١٤٤٧ هـ الموافق ١٤ سبتمبر ٢٠٢٥ م"
    assert format_combined(when, locale="ar-MA") == (
        "الأحد 22 ربيع الأول 1447 هـ الموافق 14 شتنبر 2025 م"
    )
    assert format_combined(when, template="{hijri} | {gregorian}", digits="latn") == (
        "22 ربيع الأول 1447 هـ | 14 سبتمبر 2025 م"
    )


def test_hijri_adjustment_moves_the_hijri_day_only() -> None:
    when = "2025-09-14T09:00:00Z"
    assert format_combined(when, hijri_adjustment=1).startswith("الأحد ٢٣ ربيع الأول")
    assert format_combined(when, hijri_adjustment=-2).startswith("الأحد ٢٠ ربيع الأول")
    assert format_date(when, calendar="hijri", hijri_adjustment=1) == "الأحد، ٢٣ ربيع الأول ١٤٤٧ هـ"
    with pytest.raises(DateRangeError):
        format_date(when, calendar="hijri", hijri_adjustment=3)


def test_calendar_day_is_taken_in_the_target_zone_first() -> None:
    late = datetime(2025, 9, 13, 23, 30, tzinfo=UTC)
    assert format_date(late, style="long") == "١٤ سبتمبر ٢٠٢٥"
    assert format_date(late, style="long", tz="UTC") == "١٣ سبتمبر ٢٠٢٥"
    assert format_date(late, style="long", calendar="hijri") == "٢٢ ربيع الأول ١٤٤٧ هـ"


def test_inputs_naive_means_utc_and_locale_spellings() -> None:
    aware = format_date("2025-09-13T23:30:00+00:00", locale="ar_QA")
    assert format_date("2025-09-13T23:30:00", locale="ar-qa") == aware
    assert format_date(datetime(2025, 9, 13, 23, 30)) == aware
    # A bare day is a calendar day, never shifted between zones.
    assert format_date(date(2025, 9, 13), tz="Pacific/Honolulu") == "السبت، ١٣ سبتمبر ٢٠٢٥"
    assert format_date("2025-09-13", tz="Asia/Tokyo") == "السبت، ١٣ سبتمبر ٢٠٢٥"


def test_bad_arguments_raise_syndicate_errors() -> None:
    with pytest.raises(DateParseError):
        format_date("yesterday")
    with pytest.raises(DateParseError):
        format_date("2025-09-14", time="short")
    with pytest.raises(DateParseError):
        format_date("2025-09-14", tz="Mars/Olympus")
    with pytest.raises(DateParseError):
        format_date("2025-09-14", locale="fr-FR")
    with pytest.raises(DateParseError):
        format_date("2025-09-14", style="tiny")  # type: ignore[arg-type]
    with pytest.raises(DateParseError):
        format_date("2025-09-14", digits="thai")  # type: ignore[arg-type]
    with pytest.raises(DateRangeError):
        format_date("1900-01-01", calendar="hijri")
    with pytest.raises(RenderError):
        format_combined("2025-09-14", template="{moon}")


def test_default_digits_per_locale() -> None:
    arab = {"ar-QA", "ar-SA", "ar-EG", "ar-LB", "ar-SY"}
    for locale in ("ar", "ar-QA", "ar-SA", "ar-AE", "ar-EG", "ar-LB", "ar-SY", "ar-MA", "ar-DZ"):
        assert default_digits(locale) == ("arab" if locale in arab else "latn"), locale
    assert default_digits("ar_TN") == "latn"
    assert to_digits("١٤/۰9/2025", "latn") == "14/09/2025"
    assert to_digits("14/09/2025", "arab") == "١٤/٠٩/٢٠٢٥"
