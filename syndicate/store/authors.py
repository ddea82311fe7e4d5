"""Authors: one row per (paper, author key), and a column's own byline beside it.

A column keeps its byline as its page showed it; the author's row is the paper's
profile of them (filled, never emptied, by later pages and the author page).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, and_, select, update
from sqlalchemy.engine import Connection

from ..types import Author
from . import schema
from .dialect import insert_ignoring_duplicates

_authors = schema.authors
_cols = schema.columns


def author_from_row(row: Row[Any]) -> Author:
    return Author(
        name=row.name,
        slug=row.slug,
        credentials=row.credentials,
        article_count=row.article_count,
        url=row.url,
        image_url=row.image_url,
        bio=row.bio,
        source=row.source,
        key=row.author_key,
    )


def byline_values(author: Author) -> dict[str, Any]:
    return {"byline_name": author.name, "byline_credentials": author.credentials,
            "byline_article_count": author.article_count, "byline_url": author.url,
            "byline_image_url": author.image_url}


AUTHOR_FIELDS = (_authors.c.name.label("a_name"), _authors.c.slug.label("a_slug"),
                 _authors.c.credentials.label("a_credentials"),
                 _authors.c.article_count.label("a_article_count"),
                 _authors.c.url.label("a_url"), _authors.c.image_url.label("a_image_url"),
                 _authors.c.source.label("a_source"), _authors.c.author_key.label("a_key"),
                 _authors.c.bio.label("a_bio"))


def column_author(slug: str, source: str, key: str, byline: tuple[Any, ...],
                  profile: tuple[Any, ...], bio: str | None = None) -> Author:
    """The column's own byline; a column stored before v6 had none of its own and
    shows its author's row, which the migration split per paper. ``bio`` is the
    paper's author page's (author_page:), the same for every column of theirs."""
    name, credentials, count, url, image = byline if byline[0] is not None else profile
    return Author(name=name, slug=slug, credentials=credentials, article_count=count,
                  url=url, image_url=image, bio=bio, source=source, key=key)


def author_row_id(conn: Connection, author: Author, source: str, now: datetime) -> int:
    """The row of (source, key): one per paper, never another paper's."""
    if author.source:
        where = and_(_authors.c.source == author.source,
                     _authors.c.author_key == author.key)
    else:
        # Built by hand (not by normalise): the slug alone names it, as before v3.
        where = _authors.c.slug == author.slug
    row = conn.execute(select(_authors).where(where)).first()
    fields = {
        "name": author.name,
        "credentials": author.credentials,
        "article_count": author.article_count,
        "url": author.url,
        "image_url": author.image_url,
        "bio": author.bio,
    }
    if row is None:
        # Another host may be adding the same author right now: the first insert wins.
        insert_ignoring_duplicates(
            conn, _authors,
            {"slug": author.slug, "source": author.source or source,
             "author_key": author.key or author.slug, "updated_at": now, **fields},
            keys=("slug",),
        )
        return int(
            conn.execute(select(_authors.c.id).where(_authors.c.slug == author.slug)).scalar_one()
        )
    # The paper's own profile of its author (each column keeps its own byline);
    # what a page omits (a bio only an author page gives) is kept.
    known = {k: v for k, v in fields.items() if v is not None}
    if any(getattr(row, k) != v for k, v in known.items()):
        conn.execute(
            update(_authors).where(_authors.c.id == row.id).values(updated_at=now, **known)
        )
    return int(row.id)


def fill_author_gaps(conn: Connection, author_id: int, author: Author,
                     now: datetime) -> None:
    row = conn.execute(select(_authors).where(_authors.c.id == author_id)).one()
    gaps = {name: getattr(author, name) for name in
            ("credentials", "article_count", "url", "image_url", "bio")
            if getattr(row, name) is None and getattr(author, name) is not None}
    if gaps:
        conn.execute(update(_authors).where(_authors.c.id == author_id)
                     .values(updated_at=now, **gaps))


def all_authors(engine: Engine) -> list[Author]:
    """Every author row (one per paper), by slug."""
    with engine.connect() as conn:
        rows = conn.execute(select(_authors).order_by(_authors.c.slug))
        return [author_from_row(row) for row in rows]


def author_papers(engine: Engine) -> dict[str, list[str]]:
    """Each author's slug → the sources (papers) their columns came from."""
    query = (select(_authors.c.slug, _cols.c.source)
             .join(_cols, _cols.c.author_id == _authors.c.id)
             .distinct().order_by(_authors.c.slug, _cols.c.source))
    papers: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for slug, source in conn.execute(query):
            papers.setdefault(slug, []).append(source)
    return papers
