"""Numbered schema migrations, the way lemon24/reader does them.

A new database is created from ``schema.metadata`` (today's tables) and stamped with
``SCHEMA_VERSION`` in one step. An older database runs the migrations from its version
up, one at a time: migration N takes version N-1 to version N. A database newer than
this code is refused with ``SchemaVersionError``.

Never edit a shipped migration; append a new one. Because new databases never run
migrations, a migration (from 3 on) needs no guard against columns that already exist.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Connection, delete, insert, inspect, select, text, update

from ..errors import SchemaVersionError
from . import schema

Migration = Callable[[Connection], None]
MIGRATION_LOCK_KEY = 0x73796E6D  # "synm": a PostgreSQL advisory lock key of our own


def _v1_initial(conn: Connection) -> None:
    # Only databases stamped 0 (never the case since v1 shipped) reach this.
    schema.metadata.create_all(conn)


def _v2_fetch_cache_memo(conn: Connection) -> None:
    # Databases created by v1 ran create_all with the tables of their day: some of them
    # already have the column, so this one step keeps its guard.
    if "memo" not in {c["name"] for c in inspect(conn).get_columns("fetch_cache")}:
        conn.execute(text("ALTER TABLE fetch_cache ADD COLUMN memo TEXT"))


def _v3_feed_items(conn: Connection) -> None:
    # What each column was last published with in the feeds (views refresh clock).
    schema.feed_items.create(conn, checkfirst=True)



def _v4_linked_pages(conn: Connection) -> None:
    # Issue 18: co-authors and a copy's original (columns), an author page's bio
    # (authors), a redirected URL's remembered chain (fetch_cache).
    conn.execute(text("ALTER TABLE columns ADD COLUMN coauthors TEXT NOT NULL DEFAULT '[]'"))
    conn.execute(text("ALTER TABLE columns ADD COLUMN original_url TEXT"))
    conn.execute(text("ALTER TABLE authors ADD COLUMN bio TEXT"))
    conn.execute(text("ALTER TABLE fetch_cache ADD COLUMN redirect TEXT"))



def _v5_job_fires(conn: Connection) -> None:
    # Issue 12 (several hosts): the schedulers' ledger of fire times taken (one run
    # each), and who collects which source now (one collector each).
    schema.job_fires.create(conn)
    schema.source_claims.create(conn)


def _v6_authors_per_source(conn: Connection) -> None:
    """One author row per (source, key); each column keeps its own byline.

    Before, one row per slug was shared by every paper (the last one collected won).
    Each column's byline is taken from that row (all that is known), the row is split
    per source that has columns by it (public slug ``source.old-slug``), rows without
    columns go, and a subscriber following the old slug follows every split row, so
    nobody loses an author they followed.
    """
    for ddl in (
        "ALTER TABLE authors ADD COLUMN source VARCHAR(200) NOT NULL DEFAULT ''",
        "ALTER TABLE authors ADD COLUMN author_key VARCHAR(200) NOT NULL DEFAULT ''",
        "ALTER TABLE columns ADD COLUMN byline_name TEXT",
        "ALTER TABLE columns ADD COLUMN byline_credentials TEXT",
        "ALTER TABLE columns ADD COLUMN byline_article_count INTEGER",
        "ALTER TABLE columns ADD COLUMN byline_url TEXT",
        "ALTER TABLE columns ADD COLUMN byline_image_url TEXT",
    ):
        conn.execute(text(ddl))
    authors, columns = schema.authors, schema.columns
    renamed: dict[str, list[str]] = {}
    # Named columns only: later versions may add more to these tables.
    old = authors.c
    for author in conn.execute(select(old.id, old.slug, old.name, old.credentials,
                                      old.article_count, old.url, old.image_url,
                                      old.bio, old.updated_at)).all():
        conn.execute(
            update(columns).where(columns.c.author_id == author.id).values(
                byline_name=author.name, byline_credentials=author.credentials,
                byline_article_count=author.article_count, byline_url=author.url,
                byline_image_url=author.image_url))
        sources = sorted(conn.execute(
            select(columns.c.source).where(columns.c.author_id == author.id).distinct()
        ).scalars())
        if not sources:
            conn.execute(delete(authors).where(authors.c.id == author.id))
            continue
        slugs = renamed[author.slug] = [f"{source}.{author.slug}" for source in sources]
        conn.execute(update(authors).where(authors.c.id == author.id).values(
            source=sources[0], author_key=author.slug, slug=slugs[0]))
        for source, slug in zip(sources[1:], slugs[1:], strict=True):
            new_id = schema.inserted_id(conn.execute(insert(authors).values(
                slug=slug, source=source, author_key=author.slug, name=author.name,
                credentials=author.credentials, article_count=author.article_count,
                url=author.url, image_url=author.image_url, bio=author.bio,
                updated_at=author.updated_at)))
            conn.execute(update(columns).where(
                (columns.c.author_id == author.id) & (columns.c.source == source)
            ).values(author_id=new_id))
    subscribers = schema.subscribers
    for row in conn.execute(select(subscribers.c.id, subscribers.c.followed_authors)).all():
        followed = json.loads(row.followed_authors or "[]")
        now_followed = list(dict.fromkeys(
            new for old in followed for new in renamed.get(old, [old])))
        if now_followed != followed:
            conn.execute(update(subscribers).where(subscribers.c.id == row.id).values(
                followed_authors=json.dumps(now_followed, ensure_ascii=False)))
    conn.execute(text(
        "CREATE UNIQUE INDEX uq_authors_source_key ON authors (source, author_key)"))


def _v7_fetch_failures(conn: Connection) -> None:
    """Failed pages are remembered (count, reason, size) instead of fetched in full
    on every run."""
    for ddl in ("ALTER TABLE fetch_cache ADD COLUMN failures INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE fetch_cache ADD COLUMN failure TEXT",
                "ALTER TABLE fetch_cache ADD COLUMN size INTEGER"):
        conn.execute(text(ddl))


def _v8_delivery_claims(conn: Connection) -> None:
    # Claims with an owner and a lease, and the retry schedule of temporary failures.
    # Rows left "sending" by an older version have no lease: claimable at once.
    for name in ("owner", "lease_until", "next_attempt_at"):
        kind = schema.deliveries.c[name].type.compile(dialect=conn.dialect)  # portable
        conn.execute(text(f"ALTER TABLE deliveries ADD COLUMN {name} {kind}"))


def _v9_subscribers_paused_until(conn: Connection) -> None:
    # "Pause for N weeks" on the preference page (issue 13).
    conn.execute(text("ALTER TABLE subscribers ADD COLUMN paused_until TIMESTAMP"))


MIGRATIONS: list[Migration] = [
    _v1_initial, _v2_fetch_cache_memo, _v3_feed_items, _v4_linked_pages, _v5_job_fires,
    _v6_authors_per_source, _v7_fetch_failures, _v8_delivery_claims,
    _v9_subscribers_paused_until,
]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    version = conn.execute(select(schema.schema_version.c.version)).scalar()
    return int(version or 0)


def migrate(conn: Connection, url: str = "database") -> int:
    """Bring the database to ``SCHEMA_VERSION``; return the version it was at (0: new)."""
    if conn.dialect.name == "postgresql":
        # Hosts starting together on one server: one migrates, the others wait for it
        # (held to the end of this transaction), then find the schema current.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    start = current_version(conn)
    if start > SCHEMA_VERSION:
        raise SchemaVersionError(url, start, SCHEMA_VERSION)
    if start == 0:
        schema.metadata.create_all(conn)
        conn.execute(schema.schema_version.insert().values(version=SCHEMA_VERSION))
        return 0
    for number in range(start + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[number - 1](conn)
        conn.execute(update(schema.schema_version).values(version=number))
    return start
