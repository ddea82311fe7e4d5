"""Arabic dates, Gregorian and Hijri (Umm al-Qura), written and read as CLDR/ICU do.

The only package that imports Babel and hijridate: collection uses ``parse_date``,
rendering uses ``format_date``, ``format_combined`` and ``format_relative``.
"""

from syndicate.dates.calendar import HijriDate, from_hijri, icu_agrees, to_hijri
from syndicate.dates.digits import Digits, default_digits, to_digits
from syndicate.dates.format import format_combined, format_date
from syndicate.dates.names import Style, TimeStyle
from syndicate.dates.parse import parse_date, parse_date_or_none
from syndicate.dates.relative import format_relative
from syndicate.types import Calendar

__all__ = [
    "Calendar",
    "Digits",
    "HijriDate",
    "Style",
    "TimeStyle",
    "default_digits",
    "format_combined",
    "format_date",
    "format_relative",
    "from_hijri",
    "icu_agrees",
    "parse_date",
    "parse_date_or_none",
    "to_digits",
    "to_hijri",
]
