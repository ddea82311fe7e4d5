"""The paper's own zone, from what its pages say, with the evidence that chose it.

In order of strength: «بتوقيت الدوحة»-style words (a city or country); else the UTC
offsets of the dates on the pages (ISO attributes, JSON-LD, RFC 822 dates of a feed or
sitemap, WordPress posts' ``date`` beside ``date_gmt``), narrowed among the Arab zones at that offset *at that date* (Cairo and Beirut
keep summer time, Amman and Damascus no longer do) by the site's country: its ccTLD
(.qa, .sa, .kw …), else its ``<html lang="ar-XX">``; else the commonest zone at that
offset, said to be approximate; else the ccTLD alone. None when nothing is said.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

# Country code → its zone (one each, the capital's).
COUNTRY_ZONES = {
    "qa": "Asia/Qatar", "sa": "Asia/Riyadh", "ae": "Asia/Dubai", "eg": "Africa/Cairo",
    "lb": "Asia/Beirut", "ma": "Africa/Casablanca", "kw": "Asia/Kuwait", "jo": "Asia/Amman",
    "dz": "Africa/Algiers", "tn": "Africa/Tunis", "iq": "Asia/Baghdad", "sy": "Asia/Damascus",
    "bh": "Asia/Bahrain", "om": "Asia/Muscat", "ly": "Africa/Tripoli", "sd": "Africa/Khartoum",
    "ye": "Asia/Aden", "ps": "Asia/Hebron", "mr": "Africa/Nouakchott",
}
# Without a country: the first zone of this list at the offset (the commonest papers').
_PREFERRED = tuple(COUNTRY_ZONES.values())
_CITY_WORDS = {
    "الدوحة": "Asia/Qatar", "قطر": "Asia/Qatar", "مكة": "Asia/Riyadh", "الرياض": "Asia/Riyadh",
    "جدة": "Asia/Riyadh", "السعودية": "Asia/Riyadh", "الكويت": "Asia/Kuwait",
    "المنامة": "Asia/Bahrain", "البحرين": "Asia/Bahrain", "أبوظبي": "Asia/Dubai",
    "أبو ظبي": "Asia/Dubai", "دبي": "Asia/Dubai", "الإمارات": "Asia/Dubai",
    "مسقط": "Asia/Muscat", "عمّان": "Asia/Amman", "الأردن": "Asia/Amman",
    "بيروت": "Asia/Beirut", "لبنان": "Asia/Beirut", "دمشق": "Asia/Damascus",
    "سوريا": "Asia/Damascus", "بغداد": "Asia/Baghdad", "العراق": "Asia/Baghdad",
    "القاهرة": "Africa/Cairo", "مصر": "Africa/Cairo", "الخرطوم": "Africa/Khartoum",
    "طرابلس": "Africa/Tripoli", "ليبيا": "Africa/Tripoli", "تونس": "Africa/Tunis",
    "الجزائر": "Africa/Algiers", "الرباط": "Africa/Casablanca", "المغرب": "Africa/Casablanca",
    "الدار البيضاء": "Africa/Casablanca", "القدس": "Asia/Jerusalem", "غزة": "Asia/Gaza",
    "فلسطين": "Asia/Hebron", "صنعاء": "Asia/Aden", "عدن": "Asia/Aden",
    "نواكشوط": "Africa/Nouakchott", "غرينتش": "UTC", "غرينيتش": "UTC", "جرينتش": "UTC",
}
_SAID = re.compile(r"بتوقيت\s+(?:مدينة\s+)?([^\s\d٠-٩<>,.،:|)(]+(?:\s+[^\s\d٠-٩<>,.،:|)(]+)?)")
_ISO = re.compile(r"\b(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*([+-]\d\d:?\d\d|Z)")
_RFC822 = re.compile(r"\b(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d\d:\d\d(?::\d\d)?"
                     r"\s+[+-]\d{4}\b")
# WordPress's REST API: each post's local "date" beside its "date_gmt" (no offset in either).
_WP_DATES = re.compile(r'"date"\s*:\s*"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)"\s*,\s*'
                       r'"date_gmt"\s*:\s*"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)"')
_LANG = re.compile(r"<html[^>]*\blang=[\"']?ar[-_]([A-Za-z]{2})\b", re.IGNORECASE)
_MAX_DATES = 50


@dataclass(frozen=True)
class ZoneGuess:
    zone: str
    evidence: str  # what on the pages chose it, for the preview and the block's comment


def _offset_text(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _dates(texts: list[str]) -> list[datetime]:
    """The pages' dates with their offsets. A "Z" time is UTC written by a program
    (Drupal's `<time datetime>`, toISOString), not the paper's clock: it counts only
    when no date gives another offset."""
    found: list[datetime] = []
    in_utc: list[datetime] = []
    for text in texts:
        for match in _ISO.finditer(text):
            zone = match.group(3)
            into = in_utc if zone == "Z" else found
            zone = "+00:00" if zone == "Z" else zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
            try:
                into.append(datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}{zone}"))
            except ValueError:
                continue
        for match in _WP_DATES.finditer(text):
            local, utc = (datetime.fromisoformat(v) for v in match.groups())
            offset = local - utc
            if abs(offset) <= timedelta(hours=14):
                found.append(local.replace(tzinfo=timezone(offset)))
        for match in _RFC822.finditer(text):
            try:
                found.append(parsedate_to_datetime(match.group(0)))
            except (ValueError, TypeError):
                continue
        if len(found) >= _MAX_DATES:
            break
    return [d for d in (found or in_utc) if d.tzinfo is not None]


def _country(texts: list[str], url: str) -> tuple[str, str] | None:
    """(country code, how it is known): the address's ccTLD, else the page's lang."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    tld = host.rsplit(".", 1)[-1].lower() if "." in host else ""
    if tld in COUNTRY_ZONES:
        return tld, f"the .{tld} address"
    for text in texts:
        match = _LANG.search(text[:4096])
        if match and match.group(1).lower() in COUNTRY_ZONES:
            return match.group(1).lower(), f'lang="ar-{match.group(1).upper()}"'
    return None


def _said(texts: list[str], country: str | None) -> ZoneGuess | None:
    for text in texts:
        for match in _SAID.finditer(text):
            words = match.group(1)
            if words.startswith("عمان"):  # Oman or Amman: the same letters without shadda
                zone = "Asia/Muscat" if country == "om" else "Asia/Amman"
                return ZoneGuess(zone, "«بتوقيت عمان» on the pages"
                                       + (" and the .om address" if country == "om" else ""))
            for word, zone in _CITY_WORDS.items():
                if words == word or words.startswith(word + " "):
                    return ZoneGuess(zone, f"«بتوقيت {word}» on the pages")
    return None


def _at_offset(zone: str, dates: list[datetime]) -> bool:
    named = ZoneInfo(zone)
    return all(d.astimezone(named).utcoffset() == d.utcoffset() for d in dates)


def guess_zone(texts: list[str], url: str) -> ZoneGuess | None:
    """The zone the pages at ``url`` write their times in, or None when they do not say."""
    country = _country(texts, url)
    said = _said(texts, country[0] if country else None)
    if said is not None:
        return said
    dates = _dates(texts)
    if dates:
        offsets = Counter(_offset_text(d.utcoffset()) for d in dates)
        offset = offsets.most_common(1)[0][0]
        mine = [d for d in dates if _offset_text(d.utcoffset()) == offset]
        seen = f"offset {offset} in the pages' dates"
        if country is not None:
            zone = COUNTRY_ZONES[country[0]]
            if _at_offset(zone, mine):
                return ZoneGuess(zone, f"{seen}; {country[1]} chose {zone} among the zones "
                                       f"at {offset}")
            seen += f" (the {country[1].removeprefix('the ')}'s zone ({zone}) is not at {offset})"
        sharing = [z for z in _PREFERRED if _at_offset(z, mine)]
        if sharing:
            others = f", one of {len(sharing)} Arab zones at it" if len(sharing) > 1 else ""
            return ZoneGuess(sharing[0], f"{seen}: approximate{others}; give --timezone "
                                         "when you know the paper's")
        if offset == "+00:00":
            return ZoneGuess("UTC", seen)
    if country is not None:
        zone = COUNTRY_ZONES[country[0]]
        return ZoneGuess(zone, f"{country[1]} (no offset or city on the pages)")
    return None
