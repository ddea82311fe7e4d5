"""Domain records that cross module boundaries.

Every datetime here is timezone-aware UTC. Conversion to Asia/Qatar (or any
reader's zone) and to the Hijri calendar happens only when rendering.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

# A calendar system a date is written in (Umm al-Qura for Hijri). What a newsletter
# shows is ``config.newsletters.DatesShown``: one of these, or both.
Calendar = Literal["hijri", "gregorian"]


@dataclass(frozen=True)
class Author:
    """A column's byline as the newspaper printed it on that column's page.

    An author's identity is (``source``, ``key``): the same person on two papers is two
    authors unless the operator links them (``authors:`` in schedules.yaml). ``slug`` is
    the public id feeds and followers use: ``source.key``.
    """

    name: str
    slug: str
    credentials: str | None = None  # e.g. "دكتوراه في العلاقات الدولية"
    article_count: int | None = None  # as printed on the page; None = unknown, never borrowed
    url: str | None = None
    image_url: str | None = None  # their photo
    bio: str | None = None  # plain text, from their author page (author_page:)
    source: str = ""
    key: str = ""


@dataclass(frozen=True)
class ColumnDraft:
    """What extraction read off one page, before normalisation.

    Text fields are as published (dates still in Arabic words); ``None`` means
    the page did not say.
    """

    source: str
    url: str  # the URL it was fetched from
    canonical_url: str | None
    title: str | None
    author_name: str | None
    author_credentials: str | None
    author_article_count: str | None
    author_url: str | None
    author_image_url: str | None
    published_text: str | None
    views_text: str | None
    body_html: str | None
    image_url: str | None = None
    categories: tuple[str, ...] = ()
    language: str | None = None
    coauthors: tuple[str, ...] = ()  # names after the first author's, in the page's order
    author_bio: str | None = None  # from the author page (author_page:)
    original_url: str | None = None  # a copy's original, on no configured host


@dataclass(frozen=True)
class Column:
    """One opinion column, normalised and sanitised, ready to store and render."""

    url: str  # canonical URL: the column's identity
    source: str
    title: str
    author: Author
    published: datetime  # UTC
    body_html: str  # sanitised HTML
    excerpt: str  # plain text
    views: int | None  # None = unknown, never 0 for unknown
    image_url: str | None = None
    categories: tuple[str, ...] = ()
    language: str = "ar"
    collected_at: datetime | None = None  # UTC, first time the store saw it
    updated_at: datetime | None = None  # UTC, last edit of title/body (not views)
    future_dated: bool = False
    id: int | None = None
    coauthors: tuple[str, ...] = ()  # names after the author's, as the page listed them
    # Where a copy says the column was first published, when that is on no configured
    # host (the copy is then a column of its own): shown as "نُشر أولاً في …".
    original_url: str | None = None

    @property
    def byline(self) -> str:
        """The author's name, with the co-authors' after it: "X و Y"."""
        return " و ".join((self.author.name, *self.coauthors))


@dataclass(frozen=True)
class ColumnStamp:
    """A column without its body: what feed planning needs, cheap to list by the ten
    thousand. ``content_hash`` changes whenever the title or body does."""

    url: str
    source: str
    author: Author
    published: datetime  # UTC
    views: int | None
    content_hash: str
    image_url: str | None = None
    categories: tuple[str, ...] = ()
    language: str = "ar"
    collected_at: datetime | None = None
    updated_at: datetime | None = None
    id: int | None = None
    coauthors: tuple[str, ...] = ()  # shown in the byline: a change rewrites the item
    original_url: str | None = None


class Outcome(enum.Enum):
    """What happened to one item (page, column, subscriber, job) in a step."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    NOT_MODIFIED = "not_modified"  # HTTP 304
    SKIPPED = "skipped"
    FAILED = "failed"
    SENT = "sent"
    REMOVED = "removed"  # e.g. a feed file no longer planned


@dataclass(frozen=True)
class ItemResult:
    """One item's fate in a step, with the reason a person can act on."""

    key: str  # URL, e-mail address, feed path, job name…
    outcome: Outcome
    reason: str = ""


@dataclass(frozen=True)
class StepResult:
    """Result of one step (collect one source, build feeds, send one digest)."""

    step: str
    items: tuple[ItemResult, ...] = ()
    counters: tuple[tuple[str, int], ...] = ()  # extra figures, e.g. ("pages_fetched", 12)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for item in self.items if item.outcome is outcome)

    def counter(self, name: str) -> int:
        return dict(self.counters).get(name, 0)

    @property
    def failed(self) -> tuple[ItemResult, ...]:
        return tuple(i for i in self.items if i.outcome is Outcome.FAILED)


class SubscriberStatus(enum.Enum):
    PENDING = "pending"
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"


class Cadence(enum.Enum):
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class Subscriber:
    email: str
    newsletter: str
    name: str | None = None
    cadence: Cadence = Cadence.DAILY
    followed_authors: tuple[str, ...] = ()  # author slugs; empty = all
    status: SubscriberStatus = SubscriberStatus.ACTIVE
    bounces: int = 0
    id: int | None = None
    paused_until: datetime | None = None  # no digest before this instant (UTC)

    def paused_at(self, when: datetime) -> bool:
        return self.paused_until is not None and when < self.paused_until


@dataclass(frozen=True)
class DigestIssue:
    """One edition of a newsletter: which columns, cut at which instant."""

    newsletter: str
    number: int
    cutoff: datetime  # UTC: columns first collected at or before this are in
    column_urls: tuple[str, ...]
    created_at: datetime
    queued: bool = False  # every delivery recorded; the watermark may advance
    id: int | None = None
