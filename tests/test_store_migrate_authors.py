"""A store as it was before authors belonged to a source (one author row per slug,
shared by every paper) with real data, migrated: no column or view lost, each column
keeps a byline, each paper gets its own author row, and a subscriber following the old
slug still follows the author on each paper. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, inspect, text

from syndicate.store import SCHEMA_VERSION, Store, migrations
from syndicate.types import Author, Column

from .store_history import database_at, step_of

T0 = datetime(2025, 9, 20, 8, 0, tzinfo=UTC)
ROWS = [
    # authors: the shared row, as the last paper collected left it
    ("INSERT INTO authors (id, slug, name, credentials, article_count, url, image_url, "
     "updated_at) VALUES (1, 'moza-almarri', 'د. موزة المري', 'أستاذة الاتصال', 52, "
     "'https://raya.example/kuttab/moza-almarri', NULL, :t)"),
    ("INSERT INTO authors (id, slug, name, credentials, article_count, url, image_url, "
     "updated_at) VALUES (2, 'ali-hassan', 'علي حسن', NULL, NULL, NULL, NULL, :t)"),
    ("INSERT INTO authors (id, slug, name, credentials, article_count, url, image_url, "
     "updated_at) VALUES (3, 'nobody', 'بلا مقالات', NULL, NULL, NULL, NULL, :t)"),
    ("INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'sharq', 'html', :t)"),
]


def _column(id_: int, source: str, author_id: int, views: int) -> str:
    return (
        "INSERT INTO columns (id, url, source, author_id, title, body_html, excerpt, "
        "published, image_url, categories, language, views, views_at, collected_at, "
        "updated_at, future_dated, content_hash, dedupe_key) VALUES "
        f"({id_}, 'https://{source}.example/c/{id_}', '{source}', {author_id}, 'عنوان {id_}', "
        f"'<p>نص {id_}</p>', 'نص {id_}', :t, NULL, '[]', 'ar', {views}, :t, :t, :t, :no, "
        f"'h{id_}', 'k{id_}')")


def build_before(url: str) -> None:
    """The store one step before authors belonged to a source, with real data."""
    database_at(url, step_of("authors_per_source") - 1)
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in ROWS:
            conn.execute(text(statement), {"t": T0})
        for id_, source, author, views in ((1, "sharq", 1, 100), (2, "raya", 1, 40),
                                           (3, "raya", 1, 7), (4, "sharq", 2, 5)):
            conn.execute(text(_column(id_, source, author, views)), {"t": T0, "no": False})
            for hour in (1, 2):
                conn.execute(text(
                    "INSERT INTO view_snapshots (column_id, at, views) VALUES (:c, :at, :v)"),
                    {"c": id_, "at": T0 + timedelta(hours=hour), "v": views + hour})
        conn.execute(text(
            "INSERT INTO subscribers (email, newsletter, name, cadence, followed_authors, "
            "status, bounces, created_at) VALUES ('a@example.org', 'daily', NULL, 'daily', "
            "'[\"moza-almarri\", \"not-yet-collected\"]', 'active', 0, :t)"), {"t": T0})
        if conn.dialect.name == "postgresql":
            # Rows written with their ids, as an old store holds them: the sequences
            # move on past them, as they had when those rows were inserted.
            for table in ("authors", "columns", "sources"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
    engine.dispose()


def test_a_shared_author_store_migrates_without_losing_columns_views_or_follows(
        store_url: str) -> None:
    build_before(store_url)
    store = Store.open(store_url)
    try:
        with store.engine.connect() as conn:
            assert migrations.current_version(conn) == SCHEMA_VERSION
            indexes = {i["name"] for i in inspect(conn).get_indexes("authors")}
            assert "uq_authors_source_key" in indexes
        columns = {c.url: c for c in store.columns.list()}
        assert len(columns) == 4
        for url, column in columns.items():
            assert len(store.columns.view_history(url)) == 2, url
            assert column.views is not None
        sharq, raya = columns["https://sharq.example/c/1"], columns["https://raya.example/c/2"]
        # The byline each column had (all the old store knew), on its own paper's author.
        assert sharq.author.name == raya.author.name == "د. موزة المري"
        assert sharq.author.slug == "sharq.moza-almarri"
        assert raya.author.slug == "raya.moza-almarri"
        assert columns["https://raya.example/c/3"].author.slug == "raya.moza-almarri"
        assert columns["https://sharq.example/c/4"].author.slug == "sharq.ali-hassan"
        assert {a.slug for a in store.columns.authors()} == {
            "sharq.moza-almarri", "raya.moza-almarri", "sharq.ali-hassan"}
        follower = store.subscribers.get("a@example.org", "daily")
        assert follower is not None
        assert follower.followed_authors == (
            "raya.moza-almarri", "sharq.moza-almarri", "not-yet-collected")
        # Collecting again joins the migrated rows: the paper's author, not a new one.
        again = Column(
            url="https://sharq.example/c/5", source="sharq", title="جديد",
            author=Author(name="الدكتورة موزة المري", slug="sharq.moza-almarri",
                          article_count=415, source="sharq", key="moza-almarri"),
            published=datetime(2025, 9, 24, tzinfo=UTC), body_html="<p>ن</p>", excerpt="ن",
            views=None)
        store.columns.upsert(again, dedupe_key="k5", seen_urls=(again.url,),
                             now=datetime(2025, 9, 25, tzinfo=UTC))
        assert len(store.columns.authors()) == 3
        stored = store.columns.get(again.url)
        assert stored is not None and stored.author.article_count == 415
        assert store.columns.get("https://raya.example/c/2").author.article_count == 52  # type: ignore[union-attr]
    finally:
        store.close()
    engine = create_engine(store_url)
    with engine.connect() as conn:
        followed = conn.execute(text("SELECT followed_authors FROM subscribers")).scalar()
        assert isinstance(followed, str) and json.loads(followed)[0] == "raya.moza-almarri"
    engine.dispose()
