"""`feeds:` — which RSS / Atom / JSON feeds are written, and where."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Model

FeedFormat = Literal["rss", "atom", "json"]


class FeedsSettings(Model):
    dir: str = "feeds"
    formats: list[FeedFormat] = Field(default_factory=lambda: ["rss", "atom", "json"])
    items: int = Field(default=50, ge=1, le=1000)  # per feed page
    title: str = "مقالات الرأي"
    all_columns: bool = True
    per_source: bool = True
    per_author: bool = True
    per_newsletter: bool = True
    archive_pages: bool = True  # RFC 5005 prev-archive pages for full history
    websub_hub: str | None = None
