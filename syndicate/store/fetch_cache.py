"""HTTP validators (ETag / Last-Modified) per URL, for conditional GETs."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, bindparam, delete, select, update

from . import schema
from .dialect import upsert

_t = schema.fetch_cache


@dataclass(frozen=True)
class Validators:
    etag: str | None
    last_modified: str | None
    memo: str | None = None  # opaque to the store: what a 304 must give back (links)
    fetched_at: datetime | None = None  # last confirmed by the site (a 200, or a 304: touch)
    redirect: str | None = None  # opaque: the redirect chain a listed URL took (JSON)


class FetchCacheRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, url: str) -> Validators | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(_t).where(_t.c.url == url)).first()
        if row is None or (row.etag is None and row.last_modified is None):
            return None
        return Validators(row.etag, row.last_modified, row.memo, row.fetched_at, row.redirect)

    def get_many(self, urls: Collection[str]) -> dict[str, Validators]:
        """Validators of every URL in ``urls`` that has some (one query per 500 URLs)."""
        found: dict[str, Validators] = {}
        ordered = list(urls)
        with self._engine.connect() as conn:
            for start in range(0, len(ordered), 500):
                chunk = ordered[start:start + 500]
                for row in conn.execute(select(_t).where(_t.c.url.in_(chunk))):
                    if row.etag is not None or row.last_modified is not None:
                        found[row.url] = Validators(row.etag, row.last_modified, row.memo,
                                                    row.fetched_at, row.redirect)
        return found

    def put(self, url: str, validators: Validators, *, status: int, now: datetime) -> None:
        row = {"url": url, "etag": validators.etag, "last_modified": validators.last_modified,
               "fetched_at": now, "status": status, "memo": validators.memo,
               "redirect": validators.redirect}
        with self._engine.begin() as conn:
            upsert(conn, _t, row, keys=("url",))

    def touch(self, urls: Collection[str], *, now: datetime,
              memos: Mapping[str, str] | None = None) -> None:
        """The site confirmed these validators (304s): one transaction for the lot.

        ``memos`` replaces the memo of a few of them (filled in for rows written before
        the memo said what it now says).
        """
        ordered = list(urls)
        if not ordered and not memos:
            return
        with self._engine.begin() as conn:
            for start in range(0, len(ordered), 500):
                chunk = ordered[start:start + 500]
                conn.execute(update(_t).where(_t.c.url.in_(chunk)).values(fetched_at=now))
            if memos:
                conn.execute(
                    update(_t).where(_t.c.url == bindparam("u")).values(memo=bindparam("m")),
                    [{"u": url, "m": memo} for url, memo in memos.items()],
                )

    def forget(self, url: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(_t).where(_t.c.url == url))
