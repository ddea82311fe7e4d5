"""`feeds:` — which RSS / Atom / JSON feeds are written, and where."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from pydantic import Field, field_validator

from ..triggers import parse_duration
from .base import Model
from .newsletters import DatesShown, Locale

FeedFormat = Literal["rss", "atom", "json"]
FeedScope = Literal["all", "source", "author", "newsletter"]


def _placeholder(template: str, name: str, optional: tuple[str, ...] = ()) -> str:
    if "{" + name + "}" not in template:
        raise ValueError(f"must contain {{{name}}}")
    try:
        template.format(**{name: "x"}, **dict.fromkeys(optional, "x"))
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"only {{{name}}} may be used in braces ({exc})") from exc
    return template


def _all_formats() -> list[FeedFormat]:
    return ["rss", "atom", "json"]


def _archive_scopes() -> list[FeedScope]:
    return ["author", "newsletter"]


# What readers and browsers show as an icon or logo (RSS <image> takes GIF, JPEG, PNG).
IMAGE_SUFFIXES = (".png", ".ico", ".svg", ".jpg", ".jpeg", ".gif", ".webp")
MAX_IMAGE_BYTES = 1_000_000


def _image(value: str | None) -> str | None:
    """An http(s) URL, or a file (relative to schedules.yaml) that the build publishes."""
    if value is None:
        return None
    text = value.strip()
    if text.startswith(("http://", "https://")):
        return text
    if ":" in text.split("/", 1)[0] or not text.lower().endswith(IMAGE_SUFFIXES):
        raise ValueError(f"{value!r}: give an http(s) URL or an image file "
                         f"({', '.join(IMAGE_SUFFIXES)}) relative to this file")
    return text


class FeedImages(Model):
    icon: str | None = None  # small and square: favicon, Atom <icon>, JSON favicon
    logo: str | None = None  # larger: RSS <image>, Atom <logo>, JSON icon

    @field_validator("icon", "logo")
    @classmethod
    def _images(cls, value: str | None) -> str | None:
        return _image(value)


class FeedsSettings(FeedImages):
    """``icon``/``logo`` (inherited) are the site's: served at /favicon.ico and shown by
    every feed without one of its own."""

    dir: str = "feeds"
    formats: list[FeedFormat] = Field(default_factory=_all_formats)
    items: int = Field(default=50, ge=1, le=1000)  # per feed page
    title: str = "مقالات الرأي"
    language: str = "ar"  # of the all-columns feed; source feeds use the source's
    locale: Locale = "ar-QA"  # of the HTML index page: its digits (ar-QA ١٥, ar-MA 15)
    description: str = "أحدث مقالات الرأي من الصحف الخليجية"
    # Per-feed titles; each must carry its one placeholder.
    source_title: str = "{source} — مقالات الرأي"
    author_title: str = "مقالات {author}"
    newsletter_title: str = "أرشيف {newsletter}"
    all_columns: bool = True
    per_source: bool = True
    per_author: bool = True
    per_newsletter: bool = True
    archive_pages: bool = True  # RFC 5005 prev-archive pages for full history
    # Which feeds get archive pages (when archive_pages is on). Every author's full
    # history is the promise, and with it every column is reachable; archives of the
    # all-columns and source feeds would list each column twice more and triple a
    # full build's time, so they are opt-in ("all", "source").
    archive_scopes: list[FeedScope] = Field(default_factory=_archive_scopes)
    newsletter_issues: int = Field(default=50, ge=1, le=10000)  # issues read per archive feed
    websub_hub: str | None = None
    websub_timeout: float = Field(default=5.0, gt=0, le=60)
    cache_max_age: int = Field(default=300, ge=0, le=86400)  # Cache-Control for current feeds
    # How often view counts reach the feeds: between refreshes a feed changes only for
    # new, edited or removed columns, so polls get 304s. "0": on every build.
    views_refresh: str = "6h"
    source_icons: dict[str, FeedImages] = Field(default_factory=dict)  # per source name
    # The date in each item's byline, as the newsletters show dates.
    calendar: DatesShown = "both"
    hijri_adjustment: int = Field(default=0, ge=-2, le=2)

    @field_validator("source_title")
    @classmethod
    def _source_title(cls, value: str) -> str:
        return _placeholder(value, "source")

    @field_validator("author_title")
    @classmethod
    def _author_title(cls, value: str) -> str:
        return _placeholder(value, "author", optional=("source",))

    @field_validator("newsletter_title")
    @classmethod
    def _newsletter_title(cls, value: str) -> str:
        return _placeholder(value, "newsletter")

    @field_validator("views_refresh", mode="before")
    @classmethod
    def _views_refresh(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and value == 0:
            return "0"
        if isinstance(value, str) and value.strip() != "0":
            parse_duration(value, what="views_refresh")
        elif not isinstance(value, str):
            raise ValueError("views_refresh must be a duration such as '6h', or 0")
        return value.strip()

    @property
    def views_refresh_period(self) -> timedelta:
        """Zero: counts go out on every build."""
        return timedelta(0) if self.views_refresh == "0" else parse_duration(self.views_refresh)

    @field_validator("websub_hub")
    @classmethod
    def _hub(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("websub_hub must be an http:// or https:// URL")
        return value
