"""Migrations the reader way: a new database gets today's schema in one step, an older one
is migrated version by version, and a database newer than this code is a plain error.
Each test runs on SQLite and on PostgreSQL (the ``store_url`` fixture)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from syndicate.errors import SchemaVersionError, StoreError, SyndicateError
from syndicate.store import SCHEMA_VERSION, Store, migrations

from .store_history import database_at, step_of


def test_new_database_is_created_at_the_latest_version(store_url: str) -> None:
    store = Store.open(store_url)
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == SCHEMA_VERSION
        assert "memo" in {c["name"] for c in inspect(conn).get_columns("fetch_cache")}
    store.close()


def test_each_step_runs_once_on_an_older_database(store_url: str) -> None:
    # A version-1 database as v1 shipped it: fetch_cache without the memo column.
    database_at(store_url, 2)
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE fetch_cache DROP COLUMN memo"))
        conn.execute(text("UPDATE schema_version SET version = 1"))
    engine.dispose()
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


def test_feed_items_migration_keeps_feed_state(store_url: str) -> None:
    # The database just before the feed_items step, with feeds already built.
    database_at(store_url, step_of("_feed_items") - 1)
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


def test_the_job_fires_step_adds_the_ledgers_and_keeps_job_runs(store_url: str) -> None:
    from datetime import UTC, datetime, timedelta

    database_at(store_url, step_of("_job_fires") - 1)
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
    assert store.jobs.claim_source("alsharq", owner="a:1", now=fire,
                                   lease_until=fire + timedelta(minutes=1)) is None
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


def test_deliveries_gain_claims_and_keep_their_rows(store_url: str) -> None:
    # The database just before claims, with a delivery a crash left "sending":
    # after migrating, the row is there and claimable at once (it has no lease).
    from datetime import UTC, datetime

    database_at(store_url, step_of("_delivery_claims") - 1)
    engine = create_engine(store_url)
    at = datetime(2025, 9, 14, 4, 0)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO subscribers (id, email, newsletter, cadence, followed_authors, status,"
            " bounces, created_at) VALUES (1, 'a@example.org', 'daily', 'daily', '[]',"
            " 'active', 0, :at)"), {"at": at})
        conn.execute(text(
            "INSERT INTO digest_issues (id, newsletter, number, cutoff, column_urls, created_at,"
            " queued) VALUES (1, 'daily', 1, :at, '[]', :at, :queued)"),
            {"at": at, "queued": True})
        conn.execute(text(
            "INSERT INTO deliveries (issue_id, subscriber_id, state, attempts, message_id,"
            " updated_at) VALUES (1, 1, 'sending', 1, '<m@x>', :at)"), {"at": at})
    engine.dispose()
    store = Store.open(store_url)
    try:
        with store.engine.connect() as conn:
            assert migrations.current_version(conn) == SCHEMA_VERSION
            names = {c["name"] for c in inspect(conn).get_columns("deliveries")}
            assert {"owner", "lease_until", "next_attempt_at"} <= names
        now = datetime(2025, 9, 14, 5, 0, tzinfo=UTC)
        claimed = store.digests.claim_batch(1, "host:1:abc", 10, lease_until=now, now=now)
        assert [(d.subscriber_id, d.state, d.attempts) for d in claimed] == [(1, "sending", 1)]
        assert store.digests.delivery_counts(1) == {"sending": 1}
    finally:
        store.close()
