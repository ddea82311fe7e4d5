"""Migrations the reader way: a new database gets today's schema in one step, an older one
is migrated version by version, and a database newer than this code is a plain error."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from syndicate.errors import SchemaVersionError, StoreError, SyndicateError
from syndicate.store import SCHEMA_VERSION, Store, migrations

# Columns added by migrations after v2 (each also has its own migration test).
LATER_COLUMNS = [("columns", "coauthors"), ("columns", "original_url"), ("authors", "bio"),
                 ("fetch_cache", "redirect")]


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
    engine = create_engine(_url(tmp_path))
    with engine.begin() as conn:
        migrations.schema.metadata.create_all(conn)
        conn.execute(text("ALTER TABLE fetch_cache DROP COLUMN memo"))
        for table, column in LATER_COLUMNS:
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (1)"))
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
    step = next(number for number, migration in enumerate(migrations.MIGRATIONS, 1)
                if migration.__name__.endswith("_feed_items"))
    engine = create_engine(_url(tmp_path))
    with engine.begin() as conn:
        migrations.schema.metadata.create_all(conn)
        conn.execute(text("DROP TABLE feed_items"))
        conn.execute(text("INSERT INTO feed_state (path, digest, written_at) "
                          "VALUES ('columns.rss', 'abc', '2026-02-16 09:00:00')"))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (:v)"), {"v": step - 1})
    engine.dispose()
    store = Store.open(_url(tmp_path))
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == SCHEMA_VERSION
        assert "feed_items" in inspect(conn).get_table_names()
    assert store.feed_state.digests() == {"columns.rss": "abc"}
    assert store.feed_state.published_items() == {}
    assert store.feed_state.last_views_refresh() is None
    store.close()
