"""What each feed file was last built from, so unchanged feeds are not rewritten."""

from __future__ import annotations

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
