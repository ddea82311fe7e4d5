"""Migration: subscribers gain ``paused_until`` (the preference page's pause); rows survive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from syndicate.store import SCHEMA_VERSION, Store, migrations
from syndicate.types import Cadence

from .store_history import sqlite_database_at, step_of

NOW = datetime(2025, 9, 14, 5, 0, tzinfo=UTC)


def test_previous_schema_with_subscribers_migrates_and_keeps_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    # The schema as it was before this step (shipped v2, migrated up to here), with data.
    sqlite_database_at(url, step_of("subscribers_paused_until") - 1)
    engine = create_engine(url)
    with engine.begin() as conn:
        assert "paused_until" not in {
            c["name"] for c in inspect(conn).get_columns("subscribers")}
        conn.execute(text(
            "INSERT INTO subscribers (email, newsletter, name, cadence, followed_authors, "
            "status, bounces, created_at) VALUES ('a@example.org', 'daily', 'عائشة', 'weekly', "
            "'[\"sara-lindqvist\"]', 'active', 0, '2025-09-01 05:00:00')"))
    engine.dispose()
    store = Store.open(url)
    with store.engine.connect() as conn:
        assert migrations.current_version(conn) == SCHEMA_VERSION
        assert "paused_until" in {c["name"] for c in inspect(conn).get_columns("subscribers")}
    (kept,) = store.subscribers.list("daily")
    assert (kept.email, kept.name, kept.cadence, kept.followed_authors, kept.paused_until) == (
        "a@example.org", "عائشة", Cadence.WEEKLY, ("sara-lindqvist",), None)
    assert kept.id is not None
    store.subscribers.set_preferences(kept.id, cadence=Cadence.DAILY, followed_authors=[],
                                      paused_until=NOW + timedelta(weeks=2))
    again = store.subscribers.get_by_id(kept.id)
    assert again is not None and again.paused_until == NOW + timedelta(weeks=2)
    assert again.paused_at(NOW) and not again.paused_at(NOW + timedelta(weeks=2))
    store.close()
