"""Migrations the reader way: a new database gets today's schema in one step, an older one
is migrated version by version, and a database newer than this code is a plain error."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from syndicate.errors import SchemaVersionError, StoreError, SyndicateError
from syndicate.store import SCHEMA_VERSION, Store, migrations

from .store_history import sqlite_database_at, step_of


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def test_new_database_is_created_at_the_latest_version(tmp_path: Path) -> None:
    store = Store.open(_url(tmp_path))
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == SCHEMA_VERSION
        assert "memo" in {c["name"] for c in inspect(conn).get_columns("fetch_cache")}
    store.close()


def test_each_step_runs_once_on_an_older_database(tmp_path: Path) -> None:
    # A version-1 database as v1 shipped it: fetch_cache without the memo column.
    sqlite_database_at(_url(tmp_path), 2)
    engine = create_engine(_url(tmp_path))
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE fetch_cache DROP COLUMN memo"))
        conn.execute(text("UPDATE schema_version SET version = 1"))
    engine.dispose()
    store = Store.open(_url(tmp_path))
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == SCHEMA_VERSION
        assert "memo" in {c["name"] for c in inspect(conn).get_columns("fetch_cache")}
    store.close()


def test_a_database_newer_than_the_code_is_a_syndicate_error(tmp_path: Path) -> None:
    Store.open(_url(tmp_path)).close()
    engine = create_engine(_url(tmp_path))
    with engine.begin() as conn:
        conn.execute(text("UPDATE schema_version SET version = :v"), {"v": SCHEMA_VERSION + 5})
    engine.dispose()
    with pytest.raises(SchemaVersionError) as caught:
        Store.open(_url(tmp_path))
    assert isinstance(caught.value, StoreError) and isinstance(caught.value, SyndicateError)
    message = str(caught.value)
    assert f"version {SCHEMA_VERSION + 5}" in message and "upgrade syndicate" in message


def test_feed_items_migration_keeps_feed_state(tmp_path: Path) -> None:
    # The database just before the feed_items step, with feeds already built.
    sqlite_database_at(_url(tmp_path), step_of("_feed_items") - 1)
    engine = create_engine(_url(tmp_path))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO feed_state (path, digest, written_at) "
                          "VALUES ('columns.rss', 'abc', '2026-02-16 09:00:00')"))
    engine.dispose()
    store = Store.open(_url(tmp_path))
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == SCHEMA_VERSION
        assert "feed_items" in inspect(conn).get_table_names()
    assert store.feed_state.digests() == {"columns.rss": "abc"}
    assert store.feed_state.published_items() == {}
    assert store.feed_state.last_views_refresh() is None
    store.close()
