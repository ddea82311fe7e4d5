"""Triggers as data: parsing, words in Arabic and English, and next run times in the schedule's zone."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from syndicate.scheduler_triggers import WeekdayFilter, make_trigger, next_run_times
from syndicate.trigger_words import describe, format_run_time
from syndicate.triggers import (
    ScheduleSyntaxError,
    build_spec,
    parse_cron,
    parse_days,
    parse_duration,
)

QATAR = ZoneInfo("Asia/Qatar")
# Monday 30 November 2026, 10:00 in Doha.
NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


def spec(**keys: object):  # type: ignore[no-untyped-def]
    return build_spec(timezone=str(keys.pop("timezone", "Asia/Qatar")), **keys)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("keys", "english", "arabic"),
    [
        ({"cron": "0 7 * * sun-thu"}, "at 07:00, Sunday to Thursday (Asia/Qatar)",
         "الساعة ٠٧:٠٠، من الأحد إلى الخميس (بتوقيت Asia/Qatar)"),
        ({"cron": "0 8 * * fri"}, "at 08:00, on Friday (Asia/Qatar)",
         "الساعة ٠٨:٠٠، يوم الجمعة (بتوقيت Asia/Qatar)"),
        ({"cron": "*/15 * * * *"}, "every 15 minutes (Asia/Qatar)", "كل ١٥ دقيقة (بتوقيت Asia/Qatar)"),
        ({"every": "2h", "days": "sun-thu", "jitter": "5m"},
         "every 2 hours, Sunday to Thursday, with up to 5 minutes of random delay (Asia/Qatar)",
         "كل ساعتين، من الأحد إلى الخميس، مع تأخير عشوائي حتى ٥ دقائق (بتوقيت Asia/Qatar)"),
        ({"cron": "0 7,19 * * 5,6"}, "at 07:00 and 19:00, on Friday and Saturday (Asia/Qatar)",
         "الساعة ٠٧:٠٠ و١٩:٠٠، أيام الجمعة والسبت (بتوقيت Asia/Qatar)"),
        ({"cron": "30 20 * * *", "start": date(2026, 2, 18), "end": date(2026, 3, 19)},
         "at 20:30, every day, from 18 February 2026, until 19 March 2026 (Asia/Qatar)",
         "الساعة ٢٠:٣٠، يوميًا، ابتداءً من ١٨ فبراير ٢٠٢٦، حتى ١٩ مارس ٢٠٢٦ (بتوقيت Asia/Qatar)"),
        ({"every": "11m"}, "every 11 minutes (Asia/Qatar)", "كل ١١ دقيقة (بتوقيت Asia/Qatar)"),
        ({"every": "3h"}, "every 3 hours (Asia/Qatar)", "كل ٣ ساعات (بتوقيت Asia/Qatar)"),
    ],
)
def test_trigger_in_words(keys: dict[str, object], english: str, arabic: str) -> None:
    built = spec(**keys)
    assert describe(built, "en") == english
    assert describe(built, "ar") == arabic


def test_crontab_weekday_numbers_count_from_sunday() -> None:
    # crontab: 0 and 7 are Sunday, 5 is Friday (APScheduler 3's own numbering starts at Monday).
    for expression in ("0 8 * * 0", "0 8 * * 7", "0 8 * * sun"):
        runs = next_run_times(spec(cron=expression), NOW, 3)
        assert [r.strftime("%A %H:%M") for r in runs] == ["Sunday 08:00"] * 3
    friday = next_run_times(spec(cron="0 8 * * 5"), NOW, 1)[0]
    assert friday == datetime(2026, 12, 4, 8, 0, tzinfo=QATAR)


def test_next_runs_follow_the_gulf_working_week_in_the_schedule_timezone() -> None:
    runs = next_run_times(spec(cron="0 7 * * *", days="sun-thu"), NOW, 6)
    assert [r.strftime("%a %d") for r in runs] == [
        "Tue 01", "Wed 02", "Thu 03", "Sun 06", "Mon 07", "Tue 08",
    ]
    assert all(r.utcoffset() == timedelta(hours=3) and r.hour == 7 for r in runs)
    other = next_run_times(spec(cron="0 7 * * *", timezone="Europe/London"), NOW, 1)[0]
    assert (other.tzinfo, other.hour) == (ZoneInfo("Europe/London"), 7)


def test_intervals_skip_days_outside_the_window_of_days() -> None:
    # Thursday 23:30 Doha: the next runs of `every: 30m, days: sun-thu` jump the weekend.
    thursday_night = datetime(2026, 12, 3, 20, 30, tzinfo=UTC)
    runs = next_run_times(spec(every="30m", days="sun-thu"), thursday_night, 3)
    assert [r.strftime("%a %H:%M") for r in runs] == ["Thu 23:30", "Sun 00:00", "Sun 00:30"]


def test_intervals_are_aligned_to_midnight_not_to_start_up() -> None:
    runs = next_run_times(spec(every="15m"), datetime(2026, 11, 30, 7, 7, 41, tzinfo=UTC), 3)
    assert [r.strftime("%H:%M:%S") for r in runs] == ["10:15:00", "10:30:00", "10:45:00"]


def test_date_windows_bound_the_runs() -> None:
    window = spec(cron="0 20 * * *", start=date(2027, 2, 8), end=date(2027, 2, 10))
    runs = next_run_times(window, NOW, 5)
    assert [r.date() for r in runs] == [date(2027, 2, 8), date(2027, 2, 9), date(2027, 2, 10)]
    assert next_run_times(spec(cron="0 20 * * *", end=date(2026, 1, 1)), NOW, 3) == []


def test_run_times_read_in_both_languages() -> None:
    when = datetime(2026, 12, 4, 8, 0, tzinfo=QATAR)
    assert format_run_time(when, "en") == "Fri 2026-12-04 08:00 (UTC+03:00)"
    assert format_run_time(when, "ar") == "الجمعة ٤ ديسمبر ٢٠٢٦، ٠٨:٠٠ (UTC+03:00)"


@pytest.mark.parametrize(
    ("text", "days"),
    [("sun-thu", (0, 1, 2, 3, 4)), ("fri,sat", (5, 6)), ("thu-sat", (4, 5, 6)),
     ("fri-sun", (0, 5, 6)), ("Friday", (5,)), ("daily", (0, 1, 2, 3, 4, 5, 6))],
)
def test_days(text: str, days: tuple[int, ...]) -> None:
    assert parse_days(text) == days


def test_durations() -> None:
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("45s") == timedelta(seconds=45)
    for bad in ("", "0m", "15", "15 minutes", "m15"):
        with pytest.raises(ScheduleSyntaxError):
            parse_duration(bad)


def test_cron_ranges_steps_and_names() -> None:
    cron = parse_cron("0-30/10 6-8 * jan,jul *")
    assert cron.minutes == (0, 10, 20, 30) and cron.hours == (6, 7, 8)
    assert cron.months == (1, 7) and cron.days is None and cron.weekdays is None
    assert parse_cron("0 8 * * 1-7").weekdays is None  # every day, 7 folded onto Sunday


def test_a_weekday_trigger_stored_by_an_earlier_version_still_loads() -> None:
    """Jobs in the job store keep their trigger pickled; before the triggers moved to
    scheduler_triggers.py they named it syndicate.scheduler.WeekdayFilter."""
    trigger = make_trigger(spec(every="2h", days="sun-thu"), with_jitter=False)
    assert isinstance(trigger, WeekdayFilter)
    stored = pickle.dumps(trigger, protocol=0)  # names classes as text: "cmodule\nName\n"
    assert b"csyndicate.scheduler_triggers\nWeekdayFilter\n" in stored
    earlier = stored.replace(b"csyndicate.scheduler_triggers\n", b"csyndicate.scheduler\n")
    loaded = pickle.loads(earlier)
    assert isinstance(loaded, WeekdayFilter)
    assert loaded.get_next_fire_time(None, NOW) == trigger.get_next_fire_time(None, NOW)
