"""A preview: a few columns collected exactly as ``collect`` would, without storing them,
every field with its value and where it came from, and what is missing."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..config.sources import SourceSettings
from ..errors import SyndicateError
from ..normalise import normalise
from ..sources import collect_source
from ..sources.author_pages import AuthorPages
from ..sources.base import SourceBase
from ..sources.http import Fetcher
from ..types import Column
from .authors import FILLS

FIELDS = ("title", "author", "author_credentials", "author_article_count", "author_url",
          "author_image", "published", "views", "body", "image")
REQUIRED = ("title", "author", "published", "body")
HINTS = {
    "title": "the headline element, e.g. `h1`",
    "author": "the writer's name, e.g. `.author-name`",
    "author_credentials": "the line under the name (a job title, a degree)",
    "author_article_count": "the element showing «مقالات 414»",
    "author_url": "the link to the writer's page, `SELECTOR@href`",
    "author_image": "the writer's photo, `img.SELECTOR@src`",
    "published": "the date, or `time@datetime` when the page has one",
    "views": "the view counter (مشاهدة / قراءة), or `SELECTOR@data-views`",
    "body": "the block holding the column's paragraphs",
    "image": "the lead picture, `figure img@src`",
}


@dataclass(frozen=True)
class FieldValue:
    value: str | None
    origin: str


@dataclass(frozen=True)
class Preview:
    columns: tuple[dict[str, FieldValue], ...]
    confidence: dict[str, float]  # share of the sample columns where the field was found
    missing: dict[str, str]  # field → what an operator could add
    failures: tuple[tuple[str, str], ...]  # (URL, reason) of pages that did not read


def _values(column: Column) -> dict[str, str | None]:
    author = column.author
    text = column.excerpt or ""
    return {
        "title": column.title, "author": author.name,
        "author_credentials": author.credentials,
        "author_article_count": (str(author.article_count)
                                 if author.article_count is not None else None),
        "author_url": author.url, "author_image": author.image_url,
        "published": column.published.isoformat(),
        "views": str(column.views) if column.views is not None else None,
        "body": (text[:77] + "…") if len(text) > 80 else text or None,
        "image": column.image_url,
    }


def origin_of(source: SourceSettings, field: str) -> str:
    author_page = source.author_page if isinstance(source, SourceBase) else None
    fields: Any = getattr(source, "fields", None)
    spec = getattr(fields, field, None) if fields is not None else None
    if isinstance(spec, list):  # several elements joined in order
        return "selectors " + " + ".join(f"`{part}`" for part in spec)
    if spec:
        return f"selector `{spec}`"
    if author_page is not None and field in FILLS:
        on_page = getattr(author_page, FILLS[field][0])
        return (f"the author's page, selector `{on_page}`" if on_page
                else "the author's page, its structured data (Person)")
    if source.kind == "html":
        return "structured data (JSON-LD / microdata / OpenGraph)"
    return f"{source.kind} item or the page's structured data"


def preview(source: SourceSettings, fetcher: Fetcher, *, locations: list[str], timezone: str,
            now: datetime, limit: int = 5) -> Preview:
    """Collect up to ``limit`` columns of ``source`` (nothing stored) and describe them."""
    columns: list[dict[str, FieldValue]] = []
    failures: list[tuple[str, str]] = []
    # Each author page at most once, as in a collect run (nothing remembered: no cache).
    authors = AuthorPages(now=now, revalidate_days=0)
    author_page = source.author_page if isinstance(source, SourceBase) else None
    found_iter = collect_source(source, fetcher, locations=locations)
    tries = itertools.islice((f for f in found_iter if not f.listing), limit * 3)
    for found in tries:
        if found.draft is None:
            failures.append((found.url, found.reason or "not read"))
            continue
        draft = (authors.fill(found.draft, fetcher, author_page) if author_page is not None
                 else found.draft)
        try:
            column = normalise(draft, timezone=timezone, now=now,
                               default_author=source.default_author,
                               hijri_adjustment=source.hijri_adjustment).column
        except SyndicateError as exc:
            failures.append((found.url, str(exc)))
            continue
        values = _values(column)
        columns.append({name: FieldValue(values[name], origin_of(source, name))
                        for name in FIELDS})
        if len(columns) >= limit:
            break
    confidence = {
        name: (sum(1 for c in columns if c[name].value) / len(columns)) if columns else 0.0
        for name in FIELDS}
    missing = {name: f"not found on any sample; add `fields: {name}:` with {HINTS[name]}"
               for name in FIELDS if confidence[name] == 0.0}
    for name in FIELDS:
        if 0.0 < confidence[name] < 1.0:
            missing[name] = (f"found on {confidence[name]:.0%} of the samples; check the "
                             f"others or add `fields: {name}:` with {HINTS[name]}")
    return Preview(tuple(columns), confidence, missing, tuple(failures))
