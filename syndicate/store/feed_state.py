"""What each feed file was last built from, so unchanged feeds are not rewritten."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, select

from . import schema
from .dialect import upsert

_t = schema.feed_state
_REMOVED = ""  # the digest of a feed that is no longer built (a tombstone)


class FeedStateRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def digests(self) -> dict[str, str]:
        """Each feed file built, by path: the digest of what it was built from."""
        with self._engine.connect() as conn:
            return {row.path: row.digest
                    for row in conn.execute(select(_t).where(_t.c.digest != _REMOVED))}

    def is_removed(self, path: str) -> bool:
        """A feed once built and then dropped: `serve` answers 410 Gone for it."""
        with self._engine.connect() as conn:
            found = conn.execute(select(_t.c.digest).where(_t.c.path == path)).scalar()
        return found == _REMOVED

    def record(self, path: str, digest: str, now: datetime) -> None:
        with self._engine.begin() as conn:
            upsert(conn, _t, {"path": path, "digest": digest, "written_at": now}, keys=("path",))

    def record_many(self, digests: Iterable[tuple[str, str]], now: datetime) -> None:
        """Record many (path, digest) pairs in one transaction (a full build has hundreds)."""
        rows = [{"path": path, "digest": digest, "written_at": now} for path, digest in digests]
        if not rows:
            return
        with self._engine.begin() as conn:
            upsert(conn, _t, rows, keys=("path",))

    def mark_removed(self, paths: Iterable[str], now: datetime) -> None:
        """Feed files deleted because they are no longer built (kept as tombstones, so
        feed readers hear 410 Gone and stop asking; building one again revives it)."""
        ordered = sorted(set(paths))
        if not ordered:
            return
        with self._engine.begin() as conn:
            upsert(conn, _t, [{"path": path, "digest": _REMOVED, "written_at": now}
                              for path in ordered], keys=("path",))
