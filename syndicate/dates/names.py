"""CLDR names and patterns for Arabic dates, per locale and calendar.

Gregorian names and patterns come from Babel's CLDR data. Babel imports the Gregorian
calendar only, so the Islamic calendar's names and patterns, and the "atTime" date-time
glue ICU uses for full/long dates, are tables copied from CLDR 48
(``common/main/ar.xml``, ``<calendar type="islamic">`` and
``<dateTimeFormatLength><dateTimeFormat type="atTime">``); no regional Arabic locale
overrides them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from babel import Locale, UnknownLocaleError

from syndicate.errors import DateParseError
from syndicate.types import Calendar

Style = Literal["full", "long", "medium", "short"]
TimeStyle = Literal["short", "medium"]

STYLES: tuple[Style, ...] = ("full", "long", "medium", "short")
TIME_STYLES: tuple[TimeStyle, ...] = ("short", "medium")
CALENDARS: tuple[Calendar, ...] = ("gregorian", "hijri")

# CLDR ar.xml, calendar islamic, months format wide (CLDR: ربيع الآخر, not hijridate's
# ربيع الثاني).
HIJRI_MONTHS: tuple[str, ...] = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)
# CLDR ar.xml, calendar islamic, eras abbreviated (AH).
HIJRI_ERA = "هـ"

# CLDR ar.xml, calendar islamic, dateFormats: the era follows the year in every style.
_HIJRI_DATE_PATTERNS: dict[Style, str] = {
    "full": "EEEE، d MMMM y G",
    "long": "d MMMM y G",
    "medium": "d MMMM y G",
    "short": "d\u200f/M\u200f/y G",
}
# CLDR ar.xml, dateTimeFormat type="atTime" (full, long); ICU prefers it over the
# standard glue when a date style is full or long and a time is shown.
_AT_TIME = "{1} في {0}"


@dataclass(frozen=True)
class LocaleNames:
    """Everything a formatter or parser needs about one Arabic locale."""

    tag: str  # BCP 47, as ICU writes it: "ar-QA"
    default_digits: str  # CLDR default numbering system: "arab" or "latn"
    gregorian_months: tuple[str, ...]  # January first
    weekdays: tuple[str, ...]  # Monday first, like date.weekday()
    am: str
    pm: str
    gregorian_era: str  # "م"
    gregorian_patterns: dict[Style, str]
    time_patterns: dict[TimeStyle, str]
    datetime_glue: dict[Style, str]  # "{1}، {0}" per date style

    def date_pattern(self, calendar: Calendar, style: Style) -> str:
        if calendar == "hijri":
            return _HIJRI_DATE_PATTERNS[style]
        return self.gregorian_patterns[style]

    def glue(self, style: Style) -> str:
        return _AT_TIME if style in ("full", "long") else self.datetime_glue[style]

    def month_name(self, calendar: Calendar, month: int) -> str:
        months = HIJRI_MONTHS if calendar == "hijri" else self.gregorian_months
        return months[month - 1]


def normalise_tag(locale: str) -> str:
    """``ar_QA``, ``ar-qa`` and ``ar-QA`` are the same locale; ICU spells it ``ar-QA``."""
    parts = locale.strip().replace("_", "-").split("-")
    if not parts or not parts[0]:
        raise DateParseError(locale, "empty locale")
    lang = parts[0].lower()
    rest = [p.upper() if len(p) == 2 else p.title() for p in parts[1:]]
    return "-".join([lang, *rest])


@lru_cache(maxsize=64)
def locale_names(locale: str) -> LocaleNames:
    """Names and patterns for ``locale``; raises DateParseError for a locale CLDR lacks."""
    tag = normalise_tag(locale)
    try:
        loc = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError) as exc:
        raise DateParseError(locale, "unknown locale") from exc
    if loc.language != "ar":
        # Digits, names and the Hijri tables here are Arabic ones.
        raise DateParseError(locale, "only Arabic locales are supported")
    wide_months = loc.months["format"]["wide"]
    wide_days = loc.days["format"]["wide"]
    periods = loc.day_periods["format"]["abbreviated"]
    return LocaleNames(
        tag=tag,
        default_digits=str(loc.default_numbering_system),
        gregorian_months=tuple(str(wide_months[i]) for i in range(1, 13)),
        weekdays=tuple(str(wide_days[i]) for i in range(7)),
        am=str(periods["am"]),
        pm=str(periods["pm"]),
        gregorian_era=str(loc.eras["abbreviated"][1]),
        gregorian_patterns={s: str(loc.date_formats[s].pattern) for s in STYLES},
        time_patterns={s: str(loc.time_formats[s].pattern) for s in TIME_STYLES},
        datetime_glue={s: str(loc.datetime_formats[s]) for s in STYLES},
    )
