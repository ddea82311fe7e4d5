"""What each feed file was last built from, so unchanged feeds are not rewritten, and
what each column was last published with (content fingerprint, view count shown), so
view counts move only on a views refresh (``feeds.views_refresh``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, delete, func, insert, select, update

from . import schema
from .dialect import upsert

_t = schema.feed_state
_items = schema.feed_items
_CHUNK = 500  # stay under SQLite's variable limit
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

    # -- what each column was last published with ----------------------------

    def published_items(self) -> dict[str, tuple[str, int | None]]:
        """Column URL -> (content fingerprint, view count shown) as last published."""
        with self._engine.connect() as conn:  # .all(): one fetch, not one per row
            rows = conn.execute(select(_items.c.url, _items.c.content, _items.c.views)).all()
        return {url: (content, views) for url, content, views in rows}

    def last_views_refresh(self) -> datetime | None:
        with self._engine.connect() as conn:
            found = conn.execute(select(func.max(_items.c.refreshed_at))).scalar()
        return schema.UTCDateTime().process_result_value(found, None) if found else None

    def record_items(self, changed: Iterable[tuple[str, str, int | None]],
                     removed: Iterable[str], refreshed_at: datetime | None) -> None:
        """Store (url, content, views) rows that changed, forget ``removed`` columns and,
        on a views refresh, stamp every row with its time, in one transaction."""
        rows = [{"url": url, "content": content, "views": views, "refreshed_at": None}
                for url, content, views in changed]
        gone = sorted(set(removed) | {str(row["url"]) for row in rows})
        with self._engine.begin() as conn:
            for start in range(0, len(gone), _CHUNK):
                conn.execute(delete(_items).where(_items.c.url.in_(gone[start:start + _CHUNK])))
            for start in range(0, len(rows), _CHUNK):
                conn.execute(insert(_items), rows[start:start + _CHUNK])
            if refreshed_at is not None:
                conn.execute(update(_items).values(refreshed_at=refreshed_at))
