"""What each feed file was last built from, so unchanged feeds are not rewritten."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, delete, insert, select

from . import schema

_t = schema.feed_state


class FeedStateRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def digests(self) -> dict[str, str]:
        with self._engine.connect() as conn:
            return {row.path: row.digest for row in conn.execute(select(_t))}

    def record(self, path: str, digest: str, now: datetime) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(_t).where(_t.c.path == path))
            conn.execute(insert(_t).values(path=path, digest=digest, written_at=now))

    def record_many(self, digests: Iterable[tuple[str, str]], now: datetime) -> None:
        """Record many (path, digest) pairs in one transaction (a full build has hundreds)."""
        rows = [{"path": path, "digest": digest, "written_at": now} for path, digest in digests]
        if not rows:
            return
        with self._engine.begin() as conn:
            for start in range(0, len(rows), 500):  # stay under SQLite's variable limit
                chunk = rows[start:start + 500]
                conn.execute(delete(_t).where(_t.c.path.in_([row["path"] for row in chunk])))
                conn.execute(insert(_t), chunk)

    def forget(self, paths: Iterable[str]) -> None:
        """Drop the records of feed files that are no longer built."""
        ordered = sorted(set(paths))
        if not ordered:
            return
        with self._engine.begin() as conn:
            for start in range(0, len(ordered), 500):  # stay under SQLite's variable limit
                conn.execute(delete(_t).where(_t.c.path.in_(ordered[start:start + 500])))
