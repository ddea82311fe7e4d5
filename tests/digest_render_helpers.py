"""Shared fixtures for the digest rendering tests: real columns shaped like Al-Sharq's."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from syndicate.bundled import bundled_templates_dir
from syndicate.config.newsletters import Newsletter
from syndicate.types import Author, Column

NOW = datetime(2025, 9, 14, 5, 0, tzinfo=UTC)  # Sunday 22 Rabi' al-Awwal 1447

EXCERPT = (
    "في ظل التحولات الأمنية الأخيرة التي شهدتها المنطقة عاد إلى الواجهة مجددًا سؤال جوهري "
    "في السياسات الخارجية للدول الصغيرة والمتوسطة وهو: كيف يمكن لدولة تعتمد الخيار "
    "الدبلوماسي وتتبنى نهج الحياد الإيجابي أن تحمي سيادتها في بيئة إقليمية مضطربة؟ "
    "الإجابة الواقعية تكمن في دبلوماسية التحالفات وهي سياسة خارجية تقوم على بناء شبكات "
    "من الشراكات الاستراتيجية مع قوى إقليمية ودولية."
)

TITLES = (
    "دبلوماسية التحالفات كأداة للردع والحماية الأمنية",
    "القيم الثقافية والتغير الاجتماعي",
    "العالم بعد ويستفاليا.. بين تفكيك القواعد وإعادة التأسيس !",
    "المتقاعدون.. وماجلة أم علي",
    "الذكاء الاصطناعي في غرف الأخبار: ChatGPT وما بعده",
    "الاقتصاد القطري بعد 2030",
)


def authors(image_base: str | None = None) -> list[Author]:
    def image(slug: str) -> str | None:
        return f"{image_base}/{slug}.svg" if image_base else None

    return [
        Author(
            name="د. موضي مبارك ناصر البوعينين",
            slug="moudi-albuainain",
            credentials="دكتوراه في العلاقات الدولية",
            article_count=414,
            url="https://al-sharq.example/author/moudi-albuainain",
            image_url=image("mariam-alkuwari"),
        ),
        Author(
            name="Sara Lindqvist",
            slug="sara-lindqvist",
            credentials="باحثة في شؤون الخليج",
            url="https://al-sharq.example/author/sara-lindqvist",
            image_url=image("sara-lindqvist"),
        ),
        Author(name="خالد المناعي", slug="khalid-almannai"),
    ]


def make_columns(
    count: int = 6, *, image_base: str | None = None, title_prefix: str = ""
) -> list[Column]:
    people = authors(image_base)
    columns = []
    for i in range(count):
        author = people[i % len(people)]
        columns.append(
            Column(
                url=f"https://al-sharq.example/opinion/{1000 + i}",
                source="alsharq",
                title=title_prefix + TITLES[i % len(TITLES)],
                author=author,
                published=NOW - timedelta(hours=3 + 20 * i),
                body_html=f"<p>{EXCERPT}</p>",
                excerpt=EXCERPT,
                views=None if i == 2 else 414 + 1000 * i,
                collected_at=NOW - timedelta(hours=1 + i),
            )
        )
    return columns


def newsletter(**overrides: object) -> Newsletter:
    fields: dict[str, object] = {
        "id": "daily",
        "title": "نشرة الشرق اليومية",
        "sender": "الشرق <digest@al-sharq.example>",
    }
    fields.update(overrides)
    return Newsletter.model_validate(fields)


TEMPLATES = (bundled_templates_dir(),)


def chromium() -> str:
    """Debian's chromium; the browser tests fail (never skip) without it: CI installs it."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError("chromium is not installed (apt-get install chromium fonts-noto-core)")


def run_chromium(url: str, *, width: int, height: int, extra: list[str]) -> str:
    profile = tempfile.mkdtemp(prefix="syndicate-chromium-")
    try:
        completed = subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                *extra,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=90,
            check=True,
        )
        return completed.stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(url: str, out: Path, *, width: int, height: int) -> Path:
    run_chromium(url, width=width, height=height, extra=[f"--screenshot={out}"])
    return out
