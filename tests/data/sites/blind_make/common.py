"""What the four paper builders share: the column record, the truth file, small helpers."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from text import TOPICS

AR_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
GREG_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
               "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
MAGHREB_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت",
                  "شتنبر", "أكتوبر", "نونبر", "دجنبر")
HIJRI_MONTHS = ("محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
                "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة")
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")


@dataclass(frozen=True)
class Col:
    """One column as its paper printed it: the ground truth."""

    key: str  # the paper's number for it (in URLs)
    slug: str  # Arabic slug words joined by '-'
    title: str
    author: str
    author_slug: str  # Latin slug of the author's page
    author_id: int
    credentials: str | None
    article_count: int | None
    published: datetime  # aware, the paper's local time
    views: int | None
    paragraphs: tuple[str, ...]
    comments: int = 0
    tags: tuple[str, ...] = ()


def local(tz: str, y: int, m: int, d: int, hh: int, mm: int) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(tz))


def body(topic: int, title: str, opening: str) -> tuple[str, ...]:
    """Four paragraphs on one topic, the first naming the column's title."""
    s = TOPICS[topic]
    return (f"{opening} «{title}»، {s[0]}", f"{s[1]} {s[2]}", f"{s[3]} {s[4]}", s[5])


def truth(cols: list[Col], paths: dict[str, str], author_paths: dict[str, str],
          **extra: Any) -> dict[str, Any]:
    """The ground truth; ``extra`` adds the listing path, the paper's zone, the "now" of
    the snapshot, "lacks" (fields no column prints) and "older" (columns on later listing
    pages: a first run may read them or not, both are right)."""
    return {**extra, "columns": [{
        "url": paths[c.key], "title": c.title, "author": c.author,
        "credentials": c.credentials, "article_count": c.article_count,
        "author_url": author_paths[c.key], "published": c.published.isoformat(),
        "views": c.views, "body": list(c.paragraphs)} for c in cols]}


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def pct(text: str, *, lower: bool = False) -> str:
    """Percent-encode a path as browsers send it (WordPress writes lower-case hex)."""
    out = quote(text, safe="/-._~")
    return out.lower() if lower else out


def weekday(when: datetime) -> str:
    return WEEKDAYS[when.weekday()]


def ampm_12(when: datetime) -> tuple[str, str]:
    """("03:05", "م") for 15:05."""
    hour = when.hour % 12 or 12
    return f"{hour:02d}:{when.minute:02d}", ("ص" if when.hour < 12 else "م")


def group(n: int, sep: str = ",") -> str:
    return f"{n:,}".replace(",", sep)
