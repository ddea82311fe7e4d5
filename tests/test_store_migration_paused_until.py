"""Migration: subscribers gain ``paused_until`` (the preference page's pause); rows survive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from syndicate.store import SCHEMA_VERSION, Store, migrations
from syndicate.types import Cadence

NOW = datetime(2025, 9, 14, 5, 0, tzinfo=UTC)


def test_previous_schema_with_subscribers_migrates_and_keeps_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = create_engine(url)
    step = migrations.MIGRATIONS.index(migrations._v3_subscribers_paused_until)
    with engine.begin() as conn:  # the schema as it was before this step, with data
        migrations.schema.metadata.create_all(conn)
        conn.execute(text("ALTER TABLE subscribers DROP COLUMN paused_until"))
        conn.execute(text(
            "INSERT INTO subscribers (email, newsletter, name, cadence, followed_authors, "
            "status, bounces, created_at) VALUES ('a@example.org', 'daily', 'عائشة', 'weekly', "
            "'[\"sara-lindqvist\"]', 'active', 0, '2025-09-01 05:00:00')"))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (:v)"), {"v": step})
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
