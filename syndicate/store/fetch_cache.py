"""HTTP validators (ETag / Last-Modified) per URL, for conditional GETs."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
    failures: int = 0  # failed reads in a row; fetched_at is then the last one
    failure: str | None = None  # why the last one failed
    size: int | None = None  # bytes the site said the failing page had (over the limit)
    redirect: str | None = None  # opaque: the redirect chain a listed URL took (JSON)


def _validators(row: Any) -> Validators | None:
    """A row worth asking with: validators, or a failure to remember (spacing)."""
    if row.etag is None and row.last_modified is None and not row.failures:
        return None
    return Validators(row.etag, row.last_modified, row.memo, row.fetched_at,
                      int(row.failures or 0), row.failure, row.size, row.redirect)


class FetchCacheRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, url: str) -> Validators | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(_t).where(_t.c.url == url)).first()
        return None if row is None else _validators(row)

    def get_many(self, urls: Collection[str]) -> dict[str, Validators]:
        """Validators of every URL in ``urls`` that has some (one query per 500 URLs)."""
        found: dict[str, Validators] = {}
        ordered = list(urls)
        with self._engine.connect() as conn:
            for start in range(0, len(ordered), 500):
                chunk = ordered[start:start + 500]
                for row in conn.execute(select(_t).where(_t.c.url.in_(chunk))):
                    validators = _validators(row)
                    if validators is not None:
                        found[row.url] = validators
        return found

    def fail(self, url: str, validators: Validators, *, status: int, now: datetime) -> int:
        """A page that failed: its failing answer's validators (when it had some; else
        the ones kept), one more failure in a row. Returns how many in a row."""
        with self._engine.begin() as conn:
            row = conn.execute(select(_t).where(_t.c.url == url)).first()
            failures = (int(row.failures) if row is not None else 0) + 1
            keep = validators.etag is None and validators.last_modified is None
            values = {
                "etag": row.etag if keep and row is not None else validators.etag,
                "last_modified": (row.last_modified if keep and row is not None
                                  else validators.last_modified),
                "memo": row.memo if keep and row is not None else validators.memo,
                "fetched_at": now, "failures": failures, "failure": validators.failure,
                "size": validators.size,
            }
            upsert(conn, _t, {"url": url, "status": status, **values}, keys=("url",))
        return failures

    def put(self, url: str, validators: Validators, *, status: int, now: datetime) -> None:
        row = {"url": url, "etag": validators.etag, "last_modified": validators.last_modified,
               "fetched_at": now, "status": status, "memo": validators.memo,
               "failures": 0, "failure": None, "size": None,  # read and stored: not failing
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
                conn.execute(update(_t).where(_t.c.url.in_(chunk)).values(
                    fetched_at=now, failures=0, failure=None))  # it answered: not failing
            if memos:
                conn.execute(
                    update(_t).where(_t.c.url == bindparam("u")).values(memo=bindparam("m")),
                    [{"u": url, "m": memo} for url, memo in memos.items()],
                )

    def forget(self, url: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(_t).where(_t.c.url == url))
