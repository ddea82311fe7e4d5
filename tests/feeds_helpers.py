"""Shared set-up for the feed tests: a real config, a real SQLite file, real columns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from syndicate.config import Config
from syndicate.store import Store
from syndicate.types import Author, Column

NOW = datetime(2026, 2, 16, 9, 0, tzinfo=UTC)
BASE_URL = "http://127.0.0.1:8080"

PARAGRAPH = (
    "في ظل التحولات الأمنية الأخيرة التي شهدتها المنطقة عاد إلى الواجهة سؤال جوهري "
    "في السياسات الخارجية للدول الصغيرة والمتوسطة: كيف تحمي سيادتها في بيئة مضطربة؟"
)

AUTHORS = [
    Author(name="د. موضي مبارك", slug="mudy-mbark", credentials="دكتوراه في العلاقات الدولية",
           url="https://news.example/authors/mudy"),
    Author(name="جابر سالم", slug="jabr-salm", credentials="كاتب صحفي"),
    Author(name="Sarah O'Neil", slug="sarah-oneil", credentials=None,
           url="https://news.example/authors/sarah"),
]


def make_config(tmp_path: Path, *, newsletters: bool = False, **feeds: Any) -> Config:
    data: dict[str, Any] = {
        "store": str(tmp_path / "syndicate.db"),
        "site": {"base_url": BASE_URL, "title": "الشرق"},
        "sources": [
            {"name": "alsharq", "kind": "html", "title": "الشرق",
             "start_urls": ["https://news.example/opinion/"], "links": "a.column"},
            {"name": "alraya", "kind": "html", "title": "الراية",
             "start_urls": ["https://raya.example/opinion/"], "links": "a.column"},
        ],
        "feeds": feeds,
    }
    if newsletters:
        data["newsletters"] = [{"id": "daily", "title": "نشرة الرأي اليومية",
                                "sender": "الشرق <news@example.org>"}]
    return Config.model_validate({**data, "source_path": str(tmp_path / "schedules.yaml")})


def make_column(number: int, *, author: Author | None = None, source: str = "alsharq",
                views: int | None = 100, title: str | None = None, body: str | None = None,
                published: datetime | None = None, **extra: Any) -> Column:
    author = author or AUTHORS[number % len(AUTHORS)]
    extra.setdefault("image_url", f"https://news.example/img/{number}.jpg")
    return Column(
        url=f"https://news.example/opinion/{number}",
        source=source,
        title=title or f"مقال رقم {number}: دبلوماسية التحالفات",
        author=author,
        published=published or (NOW - timedelta(hours=number)),
        body_html=body or f"<p>{PARAGRAPH}</p><p>{PARAGRAPH} ({number})</p>",
        excerpt=PARAGRAPH[:120] + "…",
        views=views,
        categories=("رأي", "سياسة"),
        **extra,
    )


def add(store: Store, column: Column, *, now: datetime = NOW) -> None:
    store.columns.upsert(column, dedupe_key=column.url, seen_urls=(column.url,), now=now)


def open_store(config: Config) -> Store:
    return Store.open(config.store_url)


def solid_png(rgb: tuple[int, int, int], width: int = 32, height: int = 32) -> bytes:
    """A real PNG of one colour (what an operator's icon file would be)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))
