"""Reading the dates Arab newspapers print, into aware UTC datetimes.

Accepted, in this order of precedence:

1. ISO 8601 (``2025-09-14T03:05:00+03:00``, ``2025-09-14``) and RFC 822 (feeds).
2. A written date: ``14 سبتمبر 2025 , 03:05ص``, ``٢٢ أيلول ٢٠٢٥ ١٥:٣٠``, ``14/9/2025``,
   ``22 ربيع الأول 1447 هـ``, with Gulf, Egyptian, Levantine and Maghreb month names,
   Latin, Arabic-Indic or Persian digits, an optional weekday, ص/م or صباحاً/مساءً.
   When a Hijri and a Gregorian date are both given the Gregorian one wins (it is what
   the site's CMS stored; the Hijri one is often a moon-sighting variant); a Hijri date
   alone is converted with Umm al-Qura. Numeric dates are day/month/year unless the year
   comes first; a year within 1300-1600 without an era marker is Hijri.
3. Relative: ``منذ ساعتين``, ``قبل 5 دقائق``, ``منذ ٣ أيام``, ``أمس``, ``اليوم`` (with an
   optional time), against ``now``. A month counts 30 days and a year 365.

Text without an offset is wall-clock time in ``tz`` (the source's zone, Asia/Qatar by
default); a date without a time is that day's local midnight. The result is always UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from syndicate.dates.calendar import check_adjustment, from_hijri
from syndicate.dates.digits import to_latin
from syndicate.dates.names import HIJRI_MONTHS, locale_names
from syndicate.errors import DateParseError, DateRangeError

# Locales whose CLDR month names we print; their spellings are always accepted back.
_PRINTED_LOCALES = ("ar", "ar-MA", "ar-DZ", "ar-LB")

# Spellings seen on Arab news sites beyond CLDR's (Egyptian, Levantine, Maghreb, typos
# common enough to matter).
_GREGORIAN_EXTRA: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "جانفي", "جانفييه"),
    2: ("فبراير", "شباط", "فيفري", "فبرير"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "إبريل", "نيسان", "أفريل"),
    5: ("مايو", "أيار", "ماي"),
    6: ("يونيو", "يونية", "يونيه", "حزيران", "جوان"),
    7: ("يوليو", "يولية", "يوليه", "يوليوز", "تموز", "جويلية"),
    8: ("أغسطس", "أغسطوس", "آب", "أوت", "غشت"),
    9: ("سبتمبر", "سيبتمبر", "أيلول", "شتنبر"),
    10: ("أكتوبر", "تشرين الأول"),
    11: ("نوفمبر", "تشرين الثاني", "نونبر"),
    12: ("ديسمبر", "ديسيمبر", "كانون الأول", "دجنبر"),
}
# Latin month names show up in bilingual bylines ("14 September 2025").
_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_HIJRI_EXTRA: dict[int, tuple[str, ...]] = {
    1: ("المحرم",),
    3: ("ربيع أول",),
    4: ("ربيع الثاني", "ربيع ثاني", "ربيع آخر"),
    5: ("جمادى الأول", "جمادى أولى"),
    6: ("جمادى الثانية", "جمادى الثاني", "جمادى الآخر", "جمادى آخرة"),
    11: ("ذي القعدة",),
    12: ("ذي الحجة",),
}

_UNITS: dict[str, tuple[timedelta, int]] = {}  # folded word -> (unit, implied count)
for _words, _unit in (
    (("ثانيه:1", "ثواني", "ثوان", "ثانيتين:2", "ثانيتان:2"), timedelta(seconds=1)),
    (("دقيقه:1", "دقائق", "دقايق", "دقيقتين:2", "دقيقتان:2"), timedelta(minutes=1)),
    (("ساعه:1", "ساعات", "ساعتين:2", "ساعتان:2"), timedelta(hours=1)),
    (("يوم:1", "يوما", "ايام", "يومين:2", "يومان:2"), timedelta(days=1)),
    (("اسبوع:1", "اسبوعا", "اسابيع", "اسبوعين:2", "اسبوعان:2"), timedelta(weeks=1)),
    (("شهر:1", "شهرا", "شهور", "اشهر", "شهرين:2", "شهران:2"), timedelta(days=30)),
    (
        ("سنه:1", "سنوات", "سنين", "سنتين:2", "سنتان:2", "عام:1", "عاما", "اعوام", "عامين:2"),
        timedelta(days=365),
    ),
):
    for _word in _words:
        _name, _, _count = _word.partition(":")
        _UNITS[_name] = (_unit, int(_count or 1))

_MARKS = re.compile("[\u0640\u064b-\u065f\u0670\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "،": ","})


def _fold(text: str) -> str:
    """One spelling for comparison: Latin digits, no tatweel/diacritics/bidi marks."""
    text = _MARKS.sub("", to_latin(text)).translate(_ALEFS).lower()
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@dataclass(frozen=True)
class _Month:
    hijri: bool
    number: int


def _month_table() -> dict[str, _Month]:
    table: dict[str, _Month] = {}
    for tag in _PRINTED_LOCALES:
        for i, name in enumerate(locale_names(tag).gregorian_months, start=1):
            table[_fold(name)] = _Month(False, i)
    for i, names in _GREGORIAN_EXTRA.items():
        for name in names:
            table[_fold(name)] = _Month(False, i)
    for i, english in enumerate(_ENGLISH_MONTHS, start=1):
        table[english] = table[english[:3]] = _Month(False, i)
    for i, name in enumerate(HIJRI_MONTHS, start=1):
        table[_fold(name)] = _Month(True, i)
    for i, names in _HIJRI_EXTRA.items():
        for name in names:
            table[_fold(name)] = _Month(True, i)
    return table


_MONTHS = _month_table()


def _alternation(words: list[str]) -> str:
    # Longest first, so "ماي" never shadows "مايو" nor "ربيع" a two-word month.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MONTH_RE = _alternation(list(_MONTHS))
_ERA = r"(?:\s*(هجريه|هجري|ه|ميلاديه|ميلادي|م)(?!\w))?"
# A spelled-out period may precede the time ("مساءً 3:05"); a bare ص/م only follows it,
# since a "م" before a time is usually the Gregorian era closing the date.
_TIME = re.compile(
    r"(?:(?<!\w)(صباحا|مساءا|مساء|ظهرا|عصرا)\s+)?"
    r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*(صباحا|صباح|ص|مساءا|مساء|ظهرا|عصرا|م|am|pm|a\.m\.|p\.m\.)(?!\w))?"
)
_NAMED = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?({_MONTH_RE})(?!\w)"
    rf"(?:\s*[/(\-]\s*(?:{_MONTH_RE})\s*\)?)?\s*,?\s*(\d{{4}})(?!\d){_ERA}"
)
# Month first, as some CMSs print it: "سبتمبر 14، 2025".
_MONTH_FIRST = re.compile(rf"(?<!\w)({_MONTH_RE})\s+(\d{{1,2}})\s*,?\s*(\d{{4}})(?!\d){_ERA}")
_NUMERIC = re.compile(r"(?<![\d/.\-:])(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})(?![\d/.\-:])" + _ERA)
_DAY_WORDS = re.compile(r"(?<!\w)(اول امس|قبل امس|البارحه|الامس|امس|اليوم)(?!\w)")
_NOW_WORDS = re.compile(r"(?<!\w)(الان|للتو|منذ قليل|منذ لحظات)(?!\w)")
# Counts up to ten are often spelled out: "منذ ثلاث ساعات" (folded spellings).
_NUMBER_WORDS = {
    "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6,
    "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9,
    "عشر": 10, "عشره": 10,
}  # fmt: skip
_RELATIVE = re.compile(
    rf"(?<!\w)(?:منذ|قبل)\s+(?:(\d+|{_alternation(list(_NUMBER_WORDS))})\s+)?"
    rf"({_alternation(list(_UNITS))})(?!\w)"
)
_ISO_START = re.compile(r"^\d{4}-?\d{2}-?\d{2}")
# email.utils reads far more than RFC 822 (and misreads "03:05 PM"): only offer it that.
_RFC822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
_PM = {"م", "مساء", "مساءا", "ظهرا", "عصرا", "pm", "p.m."}


def _number(word: str) -> int:
    return _NUMBER_WORDS[word] if word in _NUMBER_WORDS else int(word)


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DateParseError(tz, "unknown time zone") from exc


def _clock(folded: str, text: str) -> time | None:
    m = _TIME.search(folded)
    if m is None:
        return None
    hour, minute, second = int(m.group(2)), int(m.group(3)), int(m.group(4) or 0)
    marker = m.group(5) or m.group(1)
    if marker is not None and 1 <= hour <= 12:
        hour = hour % 12 + (12 if marker in _PM else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateParseError(text, "not a valid time of day")
    return time(hour, minute, second)


def _is_hijri(year: int, era: str | None) -> bool:
    if era is not None and era.startswith("ه"):
        return True
    if era is not None and era.startswith("م"):
        return False
    return 1300 <= year <= 1600


def _to_day(hijri: bool, year: int, month: int, day: int, text: str, adjustment: int) -> date:
    try:
        if hijri:
            # Printed with the adjustment (to_hijri(day + adjustment)): undo it.
            return from_hijri(year, month, day) - timedelta(days=adjustment)
        return date(year, month, day)
    except (ValueError, DateRangeError) as exc:
        raise DateParseError(text, f"no such day: {exc}") from exc


def _written_day(folded: str, text: str, adjustment: int) -> date | None:
    found: list[tuple[bool, int, int, int]] = []  # (hijri, y, m, d), in reading order
    for m in _NAMED.finditer(folded):
        month = _MONTHS[m.group(2)]
        found.append((month.hijri, int(m.group(3)), month.number, int(m.group(1))))
    for m in _MONTH_FIRST.finditer(folded):
        month = _MONTHS[m.group(1)]
        found.append((month.hijri, int(m.group(3)), month.number, int(m.group(2))))
    for m in _NUMERIC.finditer(folded):
        a, b, c = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if len(m.group(1)) == 4:
            y, mo, d = a, b, c
        elif len(m.group(4)) == 4:
            y, mo, d = c, b, a
        else:
            continue  # two-digit years are too ambiguous to guess
        found.append((_is_hijri(y, m.group(5)), y, mo, d))
    if not found:
        return None
    gregorian = [f for f in found if not f[0]]
    hijri, y, mo, d = (gregorian or found)[0]
    return _to_day(hijri, y, mo, d, text, adjustment)


def _machine(text: str, zone: ZoneInfo) -> datetime | None:
    stripped = text.strip()
    if _ISO_START.match(stripped):
        try:
            value = datetime.fromisoformat(stripped.replace("z", "Z"))
        except ValueError:
            return None
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if _RFC822.match(stripped):
        try:
            value = parsedate_to_datetime(stripped)
        except (TypeError, ValueError, IndexError):
            return None
        # RFC 822's "-0000" means "UTC, source zone unknown".
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def parse_date(text: str, *, tz: str = "Asia/Qatar", now: datetime,
               hijri_adjustment: int = 0) -> datetime:
    """The moment ``text`` names, as an aware UTC datetime; DateParseError if none.

    ``hijri_adjustment``: the days by which the writer's Hijri dates run ahead of the
    Umm al-Qura table (local moon sighting), as ``format_date`` takes it; it matters only
    for a Hijri date standing alone (a Gregorian one beside it is always preferred).
    """
    check_adjustment(hijri_adjustment)
    zone = _zone(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    machine = _machine(text, zone)
    if machine is not None:
        return machine.astimezone(UTC)
    folded = _fold(text)
    clock = _clock(folded, text)
    day = _written_day(folded, text, hijri_adjustment)
    if day is None:
        words = _DAY_WORDS.search(folded)
        if words is not None:
            back = {"اليوم": 0, "امس": 1, "الامس": 1, "البارحه": 1}.get(words.group(1), 2)
            day = now.astimezone(zone).date() - timedelta(days=back)
    if day is not None:
        local = datetime.combine(day, clock or time(0), tzinfo=zone)
        return local.astimezone(UTC)
    if _NOW_WORDS.search(folded):
        return now.astimezone(UTC)
    rel = _RELATIVE.search(folded)
    if rel is not None:
        unit, implied = _UNITS[rel.group(2)]
        count = _number(rel.group(1)) if rel.group(1) else implied
        return (now - unit * count).astimezone(UTC)
    raise DateParseError(text)


def parse_date_or_none(text: str, *, tz: str = "Asia/Qatar", now: datetime,
                       hijri_adjustment: int = 0) -> datetime | None:
    """``parse_date``, or None when ``text`` holds no readable date (bad zone still raises)."""
    _zone(tz)
    try:
        return parse_date(text, tz=tz, now=now, hijri_adjustment=hijri_adjustment)
    except DateParseError:
        return None
