"""Numbered schema migrations, the way lemon24/reader does them.

A new database is created from ``schema.metadata`` (today's tables) and stamped with
``SCHEMA_VERSION`` in one step. An older database runs the migrations from its version
up, one at a time: migration N takes version N-1 to version N. A database newer than
this code is refused with ``SchemaVersionError``.

Never edit a shipped migration; append a new one. Because new databases never run
migrations, a migration (from 3 on) needs no guard against columns that already exist.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, inspect, select, text, update

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


MIGRATIONS: list[Migration] = [
    _v1_initial, _v2_fetch_cache_memo, _v3_feed_items, _v4_linked_pages, _v5_job_fires,
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
