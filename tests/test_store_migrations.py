"""Migrations the reader way: a new database gets today's schema in one step, an older one
is migrated version by version, and a database newer than this code is a plain error.
Each test runs on SQLite and on PostgreSQL (the ``store_url`` fixture)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from syndicate.errors import SchemaVersionError, StoreError, SyndicateError
from syndicate.store import SCHEMA_VERSION, Store, migrations

# What each migration added, undone to build the database as it was before that step
# (by the migration's name: the lead renumbers migrations when merging lanes).
UNDO = {
    "_fetch_cache_memo": ["ALTER TABLE fetch_cache DROP COLUMN memo"],
    "_feed_items": ["DROP TABLE feed_items"],
    "_linked_pages": [f"ALTER TABLE {table} DROP COLUMN {column}" for table, column in (
        ("columns", "coauthors"), ("columns", "original_url"), ("authors", "bio"),
        ("fetch_cache", "redirect"))],
    "_job_fires": ["DROP TABLE job_fires", "DROP TABLE source_claims"],
}


def step_of(suffix: str) -> int:
    return next(number for number, migration in enumerate(migrations.MIGRATIONS, 1)
                if migration.__name__.endswith(suffix))


def build_at(url: str, version: int) -> None:
    """A database at schema ``version``: today's tables less what later steps added."""
    engine = create_engine(url)
    with engine.begin() as conn:
        migrations.schema.metadata.create_all(conn)
        for number, migration in enumerate(migrations.MIGRATIONS, 1):
            if number > version:
                for undo in UNDO.get(migration.__name__[migration.__name__.index("_", 1):], []):
                    conn.execute(text(undo))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (:v)"), {"v": version})
    engine.dispose()


def test_every_migration_after_v1_knows_how_to_be_undone_here() -> None:
    names = [m.__name__[m.__name__.index("_", 1):] for m in migrations.MIGRATIONS[1:]]
    assert set(names) <= set(UNDO), "add the new migration to UNDO"


def test_new_database_is_created_at_the_latest_version(store_url: str) -> None:
    store = Store.open(store_url)
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == SCHEMA_VERSION
        assert "memo" in {c["name"] for c in inspect(conn).get_columns("fetch_cache")}
    store.close()


def test_each_step_runs_once_on_an_older_database(store_url: str) -> None:
    # A version-1 database as v1 shipped it: fetch_cache without the memo column.
    build_at(store_url, 1)
    store = Store.open(store_url)
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == SCHEMA_VERSION
        assert "memo" in {c["name"] for c in inspect(conn).get_columns("fetch_cache")}
    store.close()


def test_a_database_newer_than_the_code_is_a_syndicate_error(store_url: str) -> None:
    Store.open(store_url).close()
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE schema_version SET version = :v"), {"v": SCHEMA_VERSION + 5})
    engine.dispose()
    with pytest.raises(SchemaVersionError) as caught:
        Store.open(store_url)
    assert isinstance(caught.value, StoreError) and isinstance(caught.value, SyndicateError)
    message = str(caught.value)
    assert f"version {SCHEMA_VERSION + 5}" in message and "upgrade syndicate" in message


def test_the_job_fires_step_adds_the_ledger_and_keeps_job_runs(store_url: str) -> None:
    from datetime import UTC, datetime

    build_at(store_url, step_of("_job_fires") - 1)
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO job_runs (job, started_at, outcome, counts) VALUES"
                 " ('collect', :at, 'ok', '{}')"),
            {"at": datetime(2026, 3, 1, 6, 0)},
        )
    engine.dispose()
    store = Store.open(store_url)
    fire = datetime(2026, 3, 1, 6, 30, tzinfo=UTC)
    assert store.jobs.claim_fire("collect", fire, owner="a:1", now=fire)
    assert not store.jobs.claim_fire("collect", fire, owner="b:2", now=fire)
    assert [run.job for run in store.jobs.recent()] == ["collect"]
    store.close()


def test_hosts_starting_together_on_a_new_postgresql_database_migrate_once(
    postgresql_url: str,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        stores = list(pool.map(Store.open, [postgresql_url] * 4))
    with stores[0].engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM schema_version")).scalar() == 1
    for store in stores:
        store.close()


def test_feed_items_migration_keeps_feed_state(store_url: str) -> None:
    # The database just before the feed_items step, with feeds already built.
    build_at(store_url, step_of("_feed_items") - 1)
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO feed_state (path, digest, written_at) "
                          "VALUES ('columns.rss', 'abc', '2026-02-16 09:00:00')"))
    engine.dispose()
    store = Store.open(store_url)
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == SCHEMA_VERSION
        assert "feed_items" in inspect(conn).get_table_names()
    assert store.feed_state.digests() == {"columns.rss": "abc"}
    assert store.feed_state.published_items() == {}
    assert store.feed_state.last_views_refresh() is None
    store.close()
