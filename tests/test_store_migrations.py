"""Migrations the reader way: a new database gets today's schema in one step, an older one
is migrated version by version, and a database newer than this code is a plain error."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from syndicate.errors import SchemaVersionError, StoreError, SyndicateError
from syndicate.store import SCHEMA_VERSION, Store, migrations


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
        conn.execute(text("ALTER TABLE subscribers DROP COLUMN paused_until"))  # added in v3
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
