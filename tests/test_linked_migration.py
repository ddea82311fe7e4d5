"""The linked-pages migration: a database of the previous version, with real rows, gains
co-authors, a copy's original, an author's bio and a redirect's memory, losing nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from syndicate.store import SCHEMA_VERSION, Store, migrations

from .store_history import sqlite_database_at, step_of

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)


def test_previous_version_with_data_migrates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    sqlite_database_at(url, step_of("_linked_pages") - 1)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO authors (id, slug, name, updated_at) VALUES "
            "(1, 'salma', 'سلمى', '2025-09-01 00:00:00')"))
        conn.execute(text(
            "INSERT INTO columns (id, url, source, author_id, title, body_html, excerpt, "
            "published, categories, language, views, collected_at, updated_at, "
            "future_dated, content_hash, dedupe_key) VALUES (1, 'https://p.example/a', 'p', 1,"
            " 'عنوان', '<p>نص</p>', 'نص', '2025-09-01 00:00:00', '[]', 'ar', 6120,"
            " '2025-09-01 00:00:00', '2025-09-01 00:00:00', 0, 'h', 'k')"))
        conn.execute(text(
            "INSERT INTO fetch_cache (url, etag, fetched_at, status, memo) VALUES "
            "('https://p.example/a', '\"e\"', '2025-09-01 00:00:00', 200, '{}')"))
    engine.dispose()
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            assert migrations.current_version(conn) == SCHEMA_VERSION
        column = store.columns.get("https://p.example/a")
        assert column is not None
        assert (column.views, column.coauthors, column.original_url) == (6120, (), None)
        assert column.author.bio is None and column.author.name == "سلمى"
        assert store.fetch_cache.get("https://p.example/a") is not None
    finally:
        store.close()
