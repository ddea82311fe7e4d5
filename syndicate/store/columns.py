"""Columns, their alias URLs and view-count snapshots (authors: ``authors.py``)."""

from __future__ import annotations

import builtins
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, and_, desc, func, insert, select, update
from sqlalchemy.engine import Connection

from ..types import Author, Column, ColumnStamp, Outcome
from . import schema
from .authors import (
    AUTHOR_FIELDS,
    all_authors,
    author_papers,
    author_row_id,
    byline_values,
    column_author,
    fill_author_gaps,
)
from .dialect import insert_ignoring_duplicates

_cols = schema.columns
_authors = schema.authors


@dataclass(frozen=True)
class UpsertResult:
    outcome: Outcome  # NEW, UPDATED (title/body edited) or UNCHANGED
    column_id: int
    changes: tuple[str, ...] = ()  # which fields an edit touched, for the log
    duplicate_of: str | None = None  # a second copy (print version): the first one's URL


def content_hash(title: str, body_html: str) -> str:
    return hashlib.sha256(f"{title}\x00{body_html}".encode()).hexdigest()


def _credits(column: Column) -> dict[str, str | None]:
    """Who else wrote it and where it first appeared, as stored beside the byline."""
    return {"coauthors": json.dumps(list(column.coauthors), ensure_ascii=False),
            "original_url": column.original_url}


_BYLINE = (_cols.c.byline_name, _cols.c.byline_credentials, _cols.c.byline_article_count,
           _cols.c.byline_url, _cols.c.byline_image_url)


def views_then(when: datetime) -> Any:
    """Each column's count at ``when``: its latest snapshot at or before it (one
    index probe per row, ``ix_view_snapshots_column_at``); NULL when it had none."""
    snaps = schema.view_snapshots
    return (
        select(snaps.c.views)
        .where(snaps.c.column_id == _cols.c.id, snaps.c.at <= when)
        .order_by(desc(snaps.c.at), desc(snaps.c.id))
        .limit(1)
        .scalar_subquery()
    )


class ColumnRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # -- writing -----------------------------------------------------------

    def _find_id(self, conn: Connection, url: str) -> int | None:
        found = conn.execute(select(_cols.c.id).where(_cols.c.url == url)).scalar()
        if found is None:
            found = conn.execute(
                select(schema.column_urls.c.column_id).where(schema.column_urls.c.url == url)
            ).scalar()
        return None if found is None else int(found)

    def upsert(
        self, column: Column, *, dedupe_key: str, seen_urls: tuple[str, ...], now: datetime
    ) -> UpsertResult:
        """Store a column once, whatever URL it was seen under.

        A column already known (by canonical URL, an alias URL, or the same
        normalised author + title) is updated in place: a new view count is a
        snapshot, never a reason to call the column new or edited.
        """
        digest = content_hash(column.title, column.body_html)
        with self._engine.begin() as conn:
            author_id = author_row_id(conn, column.author, column.source, now)
            column_id = self._find_id(conn, column.url)
            for url in seen_urls:
                if column_id is None:
                    column_id = self._find_id(conn, url)
            matched_by_key = False
            if column_id is None:
                column_id = conn.execute(
                    select(_cols.c.id).where(
                        and_(_cols.c.dedupe_key == dedupe_key, _cols.c.author_id == author_id)
                    )
                ).scalar()
                matched_by_key = column_id is not None
            if column_id is None:
                result = conn.execute(
                    insert(_cols).values(
                        url=column.url,
                        source=column.source,
                        author_id=author_id,
                        title=column.title,
                        body_html=column.body_html,
                        excerpt=column.excerpt,
                        published=column.published,
                        image_url=column.image_url,
                        categories=json.dumps(list(column.categories), ensure_ascii=False),
                        language=column.language,
                        views=column.views,
                        views_at=now if column.views is not None else None,
                        collected_at=now,
                        updated_at=now,
                        future_dated=column.future_dated,
                        content_hash=digest,
                        dedupe_key=dedupe_key,
                        **byline_values(column.author),
                        **_credits(column),
                    )
                )
                column_id = schema.inserted_id(result)
                outcome, changes = Outcome.NEW, tuple[str, ...]()
            elif matched_by_key:
                # The same column reprinted under another URL (spelling aside): the copy
                # first stored stands; the new URL becomes an alias of it.
                column_id = int(column_id)
                outcome, changes = Outcome.UNCHANGED, tuple[str, ...]()
            else:
                column_id = int(column_id)
                outcome, changes = self._update(conn, column_id, column, digest, now)
                # Its page, read again, shows the byline as it stands now (a count
                # that grew, credentials or a co-author added, the original moved): not
                # an edit of the column. A page naming no co-author leaves those its
                # twin filled in.
                credits = _credits(column)
                if not column.coauthors:
                    del credits["coauthors"]
                conn.execute(update(_cols).where(_cols.c.id == column_id).values(
                    author_id=author_id, **byline_values(column.author), **credits))
            stored_url = conn.execute(
                select(_cols.c.url).where(_cols.c.id == column_id)
            ).scalar_one()
            self._remember_urls(conn, column_id, stored_url, (column.url, *seen_urls))
            if column.views is not None:
                conn.execute(
                    insert(schema.view_snapshots).values(
                        column_id=column_id, at=now, views=column.views
                    )
                )
                conn.execute(
                    update(_cols)
                    .where(_cols.c.id == column_id)
                    .values(views=column.views, views_at=now)
                )
        return UpsertResult(outcome, column_id, changes,
                            duplicate_of=stored_url if matched_by_key else None)

    def attach(
        self, column: Column, *, dedupe_key: str, seen_urls: tuple[str, ...], now: datetime,
        twin: bool,
    ) -> UpsertResult:
        """A twin or a copy of the column ``column.url`` names: its URLs become aliases,
        and it fills only what that column lacks, never overwriting a field. A copy
        (``twin`` False) fills neither views nor the author: those are the copy's own.
        When the column is not stored yet (its page could not be read), it is stored
        from this page, as ``upsert`` would."""
        with self._engine.connect() as conn:
            column_id = self._find_id(conn, column.url)
        if column_id is None:
            return self.upsert(column, dedupe_key=dedupe_key, seen_urls=seen_urls, now=now)
        with self._engine.begin() as conn:
            row = conn.execute(select(_cols).where(_cols.c.id == column_id)).one()
            values: dict[str, Any] = {}
            if row.image_url is None and column.image_url:
                values["image_url"] = column.image_url
            if row.categories == "[]" and column.categories:
                values["categories"] = json.dumps(list(column.categories), ensure_ascii=False)
            if twin and row.coauthors == "[]" and column.coauthors:
                values["coauthors"] = _credits(column)["coauthors"]
            if twin and row.byline_name is not None:
                # The column's own byline (as its page showed it): a twin fills its gaps.
                values.update({key: value for key, value in byline_values(column.author).items()
                               if value is not None and getattr(row, key) is None})
            if twin and row.views is None and column.views is not None:
                values.update(views=column.views, views_at=now)
                conn.execute(insert(schema.view_snapshots).values(
                    column_id=column_id, at=now, views=column.views))
            if values:
                conn.execute(update(_cols).where(_cols.c.id == column_id).values(**values))
            if twin:
                fill_author_gaps(conn, int(row.author_id), column.author, now)
            self._remember_urls(conn, column_id, row.url, (column.url, *seen_urls))
        return UpsertResult(Outcome.UNCHANGED, column_id, tuple(values))

    def _update(
        self, conn: Connection, column_id: int, column: Column, digest: str, now: datetime
    ) -> tuple[Outcome, tuple[str, ...]]:
        row = conn.execute(select(_cols).where(_cols.c.id == column_id)).one()
        # A date the site stated in the future was a slip (its clock, its timezone): when
        # the page later states another date, that is the correction, and it is taken.
        # Any other stored date stands, so a site re-stamping old pages never re-dates
        # them in feeds.
        date_corrected = bool(row.future_dated) and row.published != column.published
        if row.content_hash == digest and not date_corrected:
            return Outcome.UNCHANGED, ()
        changes = tuple(
            name
            for name, old, new in (
                ("title", row.title, column.title),
                ("body", row.body_html, column.body_html),
            )
            if old != new
        ) + (("published",) if date_corrected else ())
        values: dict[str, Any] = {
            "title": column.title,
            "body_html": column.body_html,
            "excerpt": column.excerpt,
            "content_hash": digest,
            "updated_at": now,
        }
        if date_corrected:
            values.update(published=column.published, future_dated=column.future_dated)
        conn.execute(update(_cols).where(_cols.c.id == column_id).values(**values))
        return Outcome.UPDATED, changes

    def _remember_urls(
        self, conn: Connection, column_id: int, canonical: str, seen: tuple[str, ...]
    ) -> None:
        aliases = [{"url": url, "column_id": column_id} for url in dict.fromkeys(seen)
                   if url != canonical]
        insert_ignoring_duplicates(conn, schema.column_urls, aliases, keys=("url",))

    # -- reading -----------------------------------------------------------

    def _select(self) -> Any:
        return select(_cols, *AUTHOR_FIELDS).join(_authors, _authors.c.id == _cols.c.author_id)

    @staticmethod
    def _column(row: Row[Any], views_as_of: bool = False) -> Column:
        return Column(
            id=row.id,
            url=row.url,
            source=row.source,
            title=row.title,
            author=column_author(
                row.a_slug, row.a_source, row.a_key,
                (row.byline_name, row.byline_credentials, row.byline_article_count,
                 row.byline_url, row.byline_image_url),
                (row.a_name, row.a_credentials, row.a_article_count, row.a_url,
                 row.a_image_url), row.a_bio),
            published=row.published,
            body_html=row.body_html,
            excerpt=row.excerpt,
            views=row.views_then if views_as_of else row.views,
            image_url=row.image_url,
            categories=tuple(json.loads(row.categories)),
            language=row.language,
            collected_at=row.collected_at,
            updated_at=row.updated_at,
            future_dated=bool(row.future_dated),
            coauthors=tuple(json.loads(row.coauthors or "[]")),
            original_url=row.original_url,
        )

    def get(self, url: str) -> Column | None:
        with self._engine.connect() as conn:
            column_id = self._find_id(conn, url)
            if column_id is None:
                return None
            row = conn.execute(self._select().where(_cols.c.id == column_id)).one()
            return self._column(row)

    def list(
        self,
        *,
        source: str | None = None,
        sources: tuple[str, ...] | None = None,
        author_slug: str | None = None,
        author_slugs: tuple[str, ...] | None = None,
        collected_after: datetime | None = None,
        collected_until: datetime | None = None,
        published_since: datetime | None = None,
        urls: tuple[str, ...] | None = None,
        order: str = "published",  # "published" (newest first) or "views" (most first)
        limit: int | None = None,
        views_as_of: datetime | None = None,
    ) -> list[Column]:
        """``views_as_of``: counts (shown and ranked by) as they stood then, from the
        snapshots: the latest at or before it; none then is an unknown count."""
        query = self._select()
        views = _cols.c.views
        if views_as_of is not None:
            views = views_then(views_as_of)
            query = query.add_columns(views.label("views_then"))
        if source is not None:
            query = query.where(_cols.c.source == source)
        if sources is not None:
            query = query.where(_cols.c.source.in_(sources))
        if author_slug is not None:
            query = query.where(_authors.c.slug == author_slug)
        if author_slugs is not None:
            query = query.where(_authors.c.slug.in_(author_slugs))
        if collected_after is not None:
            query = query.where(_cols.c.collected_at > collected_after)
        if collected_until is not None:
            query = query.where(_cols.c.collected_at <= collected_until)
        if published_since is not None:
            query = query.where(_cols.c.published >= published_since)
        if urls is not None:
            query = query.where(_cols.c.url.in_(urls))
        if order == "views":
            query = query.where(views.is_not(None)).order_by(
                desc(views), desc(_cols.c.published)
            )
        else:
            query = query.order_by(desc(_cols.c.published), desc(_cols.c.id))
        if limit is not None:
            query = query.limit(limit)
        with self._engine.connect() as conn:
            return [self._column(row, views_as_of is not None) for row in conn.execute(query)]

    def stamps(self) -> builtins.list[ColumnStamp]:  # ``list`` is a method here
        """Every column without body or excerpt, newest first (as ``list``): feed
        planning decides what changed from these, then loads only what it renders."""
        query = (
            select(_cols.c.id, _cols.c.url, _cols.c.source, _cols.c.published, _cols.c.views,
                   _cols.c.content_hash, _cols.c.image_url, _cols.c.categories,
                   _cols.c.language, _cols.c.collected_at, _cols.c.updated_at,
                   _cols.c.coauthors, _cols.c.original_url, *_BYLINE, *AUTHOR_FIELDS)
            .join(_authors, _authors.c.id == _cols.c.author_id)
            .order_by(desc(_cols.c.published), desc(_cols.c.id))
        )
        authors: dict[tuple[Any, ...], Author] = {}  # few distinct bylines: build each once
        categories: dict[str, tuple[str, ...]] = {}  # few distinct lists: parse each once
        out: builtins.list[ColumnStamp] = []
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        # Positional slicing: this runs per column on every feed build.
        for row in rows:
            (id_, url, source, published, views, content_hash, image_url, cats, language,
             collected_at, updated_at, coauthors, original_url) = row[:13]
            key = tuple(row[13:])
            author = authors.get(key)
            if author is None:
                author = authors[key] = column_author(
                    key[6], key[11], key[12], key[0:5], (key[5], *key[7:11]), key[13])
            parsed = categories.get(cats)
            if parsed is None:
                parsed = categories[cats] = tuple(json.loads(cats))
            out.append(ColumnStamp(
                url, source, author, published, views, content_hash, image_url, parsed,
                language, collected_at, updated_at, id_,
                coauthors=() if coauthors in (None, "[]") else tuple(json.loads(coauthors)),
                original_url=original_url,
            ))
        return out

    def count(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(_cols)).scalar() or 0)

    def source_stats(self) -> dict[str, tuple[int, datetime | None]]:
        """Per source: how many columns, and when one was last collected (status page)."""
        query = select(_cols.c.source, func.count(), func.max(_cols.c.collected_at)).group_by(
            _cols.c.source
        )
        with self._engine.connect() as conn:
            return {
                row[0]: (int(row[1]), row[2])  # max() keeps UTCDateTime: aware UTC
                for row in conn.execute(query)
            }

    def authors(self) -> builtins.list[Author]:
        return all_authors(self._engine)

    def view_history(self, url: str) -> builtins.list[tuple[datetime, int]]:
        with self._engine.connect() as conn:
            column_id = self._find_id(conn, url)
            if column_id is None:
                return []
            rows = conn.execute(
                select(schema.view_snapshots.c.at, schema.view_snapshots.c.views)
                .where(schema.view_snapshots.c.column_id == column_id)
                .order_by(schema.view_snapshots.c.at)
            )
            return [(row.at, row.views) for row in rows]

    def author_papers(self) -> dict[str, builtins.list[str]]:
        """Each author's slug → the sources (papers) their columns came from."""
        return author_papers(self._engine)
