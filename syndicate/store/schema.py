"""Tables of the store (SQLAlchemy Core) and the UTC datetime column type.

The schema is versioned: ``migrations.py`` brings any older database up to
``SCHEMA_VERSION``. Add a table or a column here *and* a numbered migration there.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; gives back aware UTC datetimes.

    SQLite has no time zones, so we normalise at the boundary, once.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} reached the store; use UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def inserted_id(result: Any) -> int:
    """The primary key an INSERT just created (SQLAlchemy types it as optional)."""
    key = result.inserted_primary_key
    assert key is not None, "INSERT returned no primary key"
    return int(key[0])


metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# An author is (source, author_key): one row per paper, never shared between papers
# (v6). ``slug`` is the public id, ``source.author_key``. The profile here is the
# latest one that paper showed; each column keeps its own byline (columns.byline_*).
authors = Table(
    "authors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(200), nullable=False, unique=True),
    Column("source", String(200), nullable=False, default=""),
    Column("author_key", String(200), nullable=False, default=""),
    Column("name", Text, nullable=False),
    Column("credentials", Text),
    Column("article_count", Integer),
    Column("url", Text),
    Column("image_url", Text),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("bio", Text),  # from the author page (author_page:), plain text
    Index("uq_authors_source_key", "source", "author_key", unique=True),
)

columns = Table(
    "columns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),  # canonical URL = identity
    Column("source", String(200), nullable=False),
    Column("author_id", Integer, ForeignKey("authors.id"), nullable=False),
    Column("title", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("excerpt", Text, nullable=False),
    Column("published", UTCDateTime, nullable=False),
    Column("image_url", Text),
    Column("categories", Text, nullable=False, default="[]"),  # JSON list
    Column("language", String(20), nullable=False, default="ar"),
    Column("views", Integer),  # latest known count; NULL = unknown
    Column("views_at", UTCDateTime),
    Column("collected_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("future_dated", Boolean, nullable=False, default=False),
    Column("content_hash", String(64), nullable=False),  # of title + body as published
    Column("dedupe_key", Text, nullable=False),  # normalised author + title
    Column("coauthors", Text, nullable=False, default="[]"),  # JSON list of names
    Column("original_url", Text),  # a copy's original on no configured host
    # The byline as this column's own page printed it when collected (v6): feeds and
    # digests print it, never another paper's. NULL byline_name: a row from before v6.
    Column("byline_name", Text),
    Column("byline_credentials", Text),
    Column("byline_article_count", Integer),
    Column("byline_url", Text),
    Column("byline_image_url", Text),
    Index("ix_columns_collected_at", "collected_at"),
    Index("ix_columns_published", "published"),
    Index("ix_columns_author", "author_id"),
    Index("ix_columns_dedupe", "dedupe_key"),
)

# Other URLs a column was seen under (not canonical): they map to the same column.
column_urls = Table(
    "column_urls",
    metadata,
    Column("url", Text, primary_key=True),
    Column("column_id", Integer, ForeignKey("columns.id"), nullable=False),
)

view_snapshots = Table(
    "view_snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("column_id", Integer, ForeignKey("columns.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("views", Integer, nullable=False),
    Index("ix_view_snapshots_column_at", "column_id", "at"),
)

fetch_cache = Table(
    "fetch_cache",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("status", Integer, nullable=False),
    # What the caller needs back with a 304 (a listing page's links, JSON): added in v2.
    Column("memo", Text),
    # A listed URL that redirected: the chain walked and how often its final URL was
    # asked directly since (JSON; sources/redirects.py).
    Column("redirect", Text),
    # A page that failed to read or extract (v7): how many times in a row, why, and
    # its size when it was over the limit; the validators above are the failing
    # answer's, so the next run asks conditionally; fetched_at is the last failure.
    Column("failures", Integer, nullable=False, default=0),
    Column("failure", Text),
    Column("size", Integer),
)

subscribers = Table(
    "subscribers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False),
    Column("newsletter", String(200), nullable=False),
    Column("name", Text),
    Column("cadence", String(10), nullable=False, default="daily"),
    Column("followed_authors", Text, nullable=False, default="[]"),  # JSON list of slugs
    Column("status", String(20), nullable=False, default="active"),
    Column("bounces", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    Column("confirmed_at", UTCDateTime),
    Column("confirmation_sent_at", UTCDateTime),
    Column("paused_until", UTCDateTime),  # no digest before this (preference page)
    UniqueConstraint("email", "newsletter", name="uq_subscriber_newsletter"),
)

newsletter_state = Table(
    "newsletter_state",
    metadata,
    Column("newsletter", String(200), primary_key=True),
    Column("cutoff", UTCDateTime),  # columns collected after this are "new"
    Column("last_issue_number", Integer, nullable=False, default=0),
)

digest_issues = Table(
    "digest_issues",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("newsletter", String(200), nullable=False),
    Column("number", Integer, nullable=False),
    Column("cutoff", UTCDateTime, nullable=False),
    Column("column_urls", Text, nullable=False),  # JSON list
    Column("created_at", UTCDateTime, nullable=False),
    Column("queued", Boolean, nullable=False, default=False),
    UniqueConstraint("newsletter", "number", name="uq_issue_number"),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("issue_id", Integer, ForeignKey("digest_issues.id"), primary_key=True),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id"), primary_key=True),
    # pending -> sending -> sent | failed ; "sending" left behind by a crash is
    # resolved against the transport before anything is sent again.
    Column("state", String(10), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("message_id", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("error", Text),
    # A claim (v3): the sender holding a "sending" row and until when. A row whose
    # lease ran out is claimable again; see syndicate.store.digests.claim_batch.
    Column("owner", String(200)),
    Column("lease_until", UTCDateTime),
    # A temporary failure of this recipient is retried no earlier than this (v3).
    Column("next_attempt_at", UTCDateTime),
    Index("ix_deliveries_state", "issue_id", "state"),
)

job_runs = Table(
    "job_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job", String(200), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("outcome", String(20), nullable=False, default="running"),  # running/ok/failed
    Column("counts", Text, nullable=False, default="{}"),  # JSON object
    Column("error", Text),
    Index("ix_job_runs_job_started", "job", "started_at"),
)

# One row per (job, fire time) the scheduler started: the primary key is what makes a
# second scheduler (a standby that just took over, a leader that lost its lock) skip a
# fire time already taken, so no job runs twice for one fire time. Added in v3.
job_fires = Table(
    "job_fires",
    metadata,
    Column("job", String(200), primary_key=True),
    Column("fire_time", UTCDateTime, primary_key=True),
    Column("owner", String(300), nullable=False),  # host:pid of the scheduler that took it
    Column("claimed_at", UTCDateTime, nullable=False),
)

# Which process collects a source right now, until when: a source is collected by one
# process at a time, whichever host it runs on. Added with job_fires.
source_claims = Table(
    "source_claims",
    metadata,
    Column("source", String(200), primary_key=True),
    Column("owner", String(300), nullable=False),
    Column("lease_until", UTCDateTime, nullable=False),
)

# What each feed file was last built from, so an unchanged rebuild writes nothing.
feed_state = Table(
    "feed_state",
    metadata,
    Column("path", Text, primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("written_at", UTCDateTime, nullable=False),
)

# What each column was last published with in the feeds: its content fingerprint and
# the view count shown, so counts stay still between views refreshes (feeds.views_refresh).
feed_items = Table(
    "feed_items",
    metadata,
    Column("url", Text, primary_key=True),
    Column("content", String(64), nullable=False),
    Column("views", Integer),
    Column("refreshed_at", UTCDateTime),  # the views refresh that set ``views``; NULL: none yet
)
