"""`sources:` — where columns are collected from."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, HttpUrl, field_validator

from .base import Model, TimeZoneName


class FieldSelectors(Model):
    """CSS selectors for one column page; ``sel@attr`` reads an attribute.

    A field left out falls back to JSON-LD, then OpenGraph / article:* meta tags.
    """

    title: str | None = None
    author: str | None = None
    author_credentials: str | None = None
    author_article_count: str | None = None
    author_url: str | None = None
    author_image: str | None = None
    published: str | None = None
    views: str | None = None
    body: str | None = None
    image: str | None = None
    categories: str | None = None
    remove: list[str] = Field(default_factory=list)  # inside body: ads, share boxes…

    @field_validator(
        "title", "author", "author_credentials", "author_article_count", "author_url",
        "author_image", "published", "views", "body", "image", "categories",
    )
    @classmethod
    def _selector(cls, value: str | None) -> str | None:
        return _checked_selector(value)

    @field_validator("remove")
    @classmethod
    def _selectors(cls, value: list[str]) -> list[str]:
        for item in value:
            _checked_selector(item)
        return value


class AuthorPageSelectors(Model):
    """The author page a column links to (its ``author_url``), read for what the column
    page lacks. Selectors as in ``fields``; with none, the page's JSON-LD / microdata
    ``Person`` or ``ProfilePage`` is read. ``author_page: {}`` turns it on selector-free."""

    name: str | None = None
    credentials: str | None = None
    article_count: str | None = None  # "له ٣١ مقالاً", "عدد المقالات: ١٨٤"
    bio: str | None = None
    photo: str | None = None  # an <img> (its src) or sel@attr

    @field_validator("name", "credentials", "article_count", "bio", "photo")
    @classmethod
    def _selector(cls, value: str | None) -> str | None:
        return _checked_selector(value)


class AuthorPagesSettings(Model):
    """``author_pages:`` (top level): how often a known author page is asked again."""

    # An author page read (or confirmed by a 304) fewer than this many days ago is not
    # asked about at all; after that, one conditional GET. 0: asked on every run.
    revalidate_days: int = Field(default=7, ge=0, le=365)


def _checked_selector(value: str | None) -> str | None:
    """A selector the extractor can run, checked once at load (not on every page)."""
    if value is None:
        return None
    # Imported here: the selector engine lives with the extractor (one module per
    # library), and config must not import sources at module level.
    from ..sources.extract import selector_problem

    problem = selector_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def checked_location(value: str) -> str:
    """A source address: an http(s) or file URL, or a path relative to schedules.yaml
    (whose file must exist: load.py checks that, knowing the folder)."""
    if "://" not in value:
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https", "file"):
        raise ValueError(f"{value!r}: the scheme must be https, http or file, "
                         f"not {parts.scheme!r}")
    if parts.scheme != "file" and not parts.hostname:
        raise ValueError(f"{value!r} has no host name")
    return value


Location = Annotated[str, AfterValidator(checked_location)]


class SourceBase(Model):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    title: str | None = None
    language: str = "ar"
    timezone: TimeZoneName | None = None  # default: the top-level timezone
    default_author: str | None = None  # when a page names no author
    # Days this site's Hijri dates run ahead of Umm al-Qura (local moon sighting); used
    # only for a page that gives a Hijri date and no Gregorian one.
    hijri_adjustment: int = Field(default=0, ge=-2, le=2)
    allowed_hosts: list[str] = Field(default_factory=list)  # besides the start URLs' hosts
    fields: FieldSelectors = Field(default_factory=FieldSelectors)
    follow_links: bool = True  # fetch each column page (feed/sitemap/wordpress)
    author_page: AuthorPageSelectors | None = None  # read each column's author_url page



class HtmlSource(SourceBase):
    kind: Literal["html"]
    start_urls: list[Location] = Field(min_length=1)
    links: str  # selector of links to column pages on a listing page
    next_page: str | None = None
    max_pages: int = Field(default=1, ge=1, le=1000)

    @field_validator("links", "next_page")
    @classmethod
    def _selector(cls, value: str | None) -> str | None:
        return _checked_selector(value)


class FeedSource(SourceBase):
    kind: Literal["feed"]
    url: Location



class SitemapSource(SourceBase):
    kind: Literal["sitemap"]
    url: Location
    url_pattern: str | None = None  # regular expression a column URL must match

    @field_validator("url_pattern")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        import re

        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"url_pattern is not a regular expression: {exc}") from exc
        return value


class WordpressSource(SourceBase):
    kind: Literal["wordpress"]
    url: Location  # the site root; /wp-json/wp/v2/posts is appended
    categories: list[int] = Field(default_factory=list)
    per_page: int = Field(default=20, ge=1, le=100)
    max_pages: int = Field(default=1, ge=1, le=100)


Source = Annotated[
    HtmlSource | FeedSource | SitemapSource | WordpressSource, Field(discriminator="kind")
]


class HttpSettings(Model):
    user_agent: str = "syndicate/0.1 (+https://github.com/syndicate-news/syndicate)"
    timeout_s: float = Field(default=15.0, gt=0, le=300)
    per_host_concurrency: int = Field(default=2, ge=1, le=16)
    min_delay_s: float = Field(default=0.5, ge=0, le=60)
    retries: int = Field(default=3, ge=0, le=10)
    backoff_s: float = Field(default=1.0, ge=0, le=60)  # first retry wait; doubles each time
    max_retry_wait_s: float = Field(default=30.0, ge=0, le=600)  # cap, even for Retry-After
    max_page_bytes: int = Field(default=2_000_000, ge=10_000, le=1_000_000_000)
    max_redirects: int = Field(default=5, ge=0, le=20)
    respect_robots: bool = True
    # A column published more than this many days ago is re-validated (one conditional
    # GET) at most once in that many days rather than on every run: its view count no
    # longer matters for "most read this week", and every request costs the site a
    # round trip. Widened, per source, to the most_read_days of any newsletter ranking
    # its columns. 0: every known column page is re-validated on every run.
    revalidate_days: int = Field(default=14, ge=0, le=3650)
    # Only tests and a bundled sample site on loopback should turn this on.
    allow_private_addresses: bool = False


__all__ = [
    "AuthorPageSelectors",
    "AuthorPagesSettings",
    "FeedSource",
    "FieldSelectors",
    "HtmlSource",
    "HttpSettings",
    "HttpUrl",
    "SitemapSource",
    "Source",
    "WordpressSource",
]
