"""View counts on their own clock: what each feed item shows, and why a document changed.

A view count moves on nearly every collection; a feed rewritten for that alone
gets a new ETag and Last-Modified, so every conditional poll is a full 200 and
every WebSub subscriber is woken for nothing. So counts reach the feeds only on a
*views refresh* (``feeds.views_refresh``, every 6 hours by default; ``0`` = every
build). Between refreshes each item shows the count it was last published with
(``store.feed_state.published_items``); new, edited and removed columns still
publish at once, a new column with its current count.

Pure: ``decide_views`` takes what was published, the stamps and ``now``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ..types import ColumnStamp


@dataclass(frozen=True)
class ViewsDecision:
    refresh: bool  # counts go out in this build
    stamps: tuple[ColumnStamp, ...]  # with the count each item shows
    new: frozenset[str]  # URLs never published before
    edited: frozenset[str]  # content changed since last published
    views_moved: frozenset[str]  # published before with another count (refresh only)
    removed: frozenset[str]  # published before, gone from the store
    changed_rows: tuple[tuple[str, str, int | None], ...]  # (url, content, views) to record
    shown: Mapping[str, int | None]  # url -> the count its items show
    contents: Mapping[str, bytes]  # url -> content fingerprint (everything but views)

    def reason(self, urls: Iterable[str]) -> str:
        """Why a document listing ``urls`` was written: new / edited / views refresh."""
        listed = set(urls)
        parts: list[str] = []
        for label, group in (("new", self.new), ("edited", self.edited)):
            count = len(listed & group)
            if count:
                parts.append(f"{label} {count}")
        if listed & self.views_moved:
            parts.append("views refresh")
        if not parts:
            parts.append("removed columns" if self.removed else "settings or listing")
        return ", ".join(parts)


def refresh_due(last: datetime | None, now: datetime, every: timedelta) -> bool:
    return every <= timedelta(0) or last is None or now - last >= every


def decide_views(stamps: Sequence[ColumnStamp],
                 published: Mapping[str, tuple[str, int | None]],
                 contents: Mapping[str, bytes], *, refresh: bool) -> ViewsDecision:
    """``contents``: each column's content fingerprint (everything but views)."""
    shown: list[ColumnStamp] = []
    new: set[str] = set()
    edited: set[str] = set()
    moved: set[str] = set()
    rows: list[tuple[str, str, int | None]] = []
    for stamp in stamps:
        content = contents[stamp.url].hex()
        before = published.get(stamp.url)
        if before is None:
            new.add(stamp.url)
            views = stamp.views
        else:
            if before[0] != content:
                edited.add(stamp.url)
            views = stamp.views if refresh else before[1]
            if views != before[1]:
                moved.add(stamp.url)
        if before is None or before != (content, views):
            rows.append((stamp.url, content, views))
        shown.append(stamp if views == stamp.views else replace(stamp, views=views))
    current = {stamp.url for stamp in stamps}
    return ViewsDecision(
        refresh=refresh,
        stamps=tuple(shown),
        new=frozenset(new),
        edited=frozenset(edited),
        views_moved=frozenset(moved),
        removed=frozenset(url for url in published if url not in current),
        changed_rows=tuple(rows),
        shown={stamp.url: stamp.views for stamp in shown},
        contents=contents,
    )
