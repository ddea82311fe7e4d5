"""Feed planning is pure: archive paging and digests, checked without a disk."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.core.feed_plan import PlannedFeed, column_fingerprint, feed_digest, plan_feeds
from syndicate.types import ColumnStamp

from .feeds_helpers import AUTHORS, NOW, make_config

CONFIG = make_config(Path("/nonexistent/feeds-plan"), items=3, per_source=False,
                     per_author=False, archive_scopes=["all"])


def stamps(count: int) -> list[ColumnStamp]:
    return [ColumnStamp(url=f"https://news.example/{n}", source="alsharq", author=AUTHORS[0],
                        published=NOW - timedelta(hours=n), views=n, content_hash=f"h{n}")
            for n in range(count)]  # newest first, as the store lists them


def pages(columns: list[ColumnStamp], per_page: int) -> list[PlannedFeed]:
    config = CONFIG.model_copy(update={"feeds": CONFIG.feeds.model_copy(
        update={"items": per_page})})
    return plan_feeds(config, columns, {}, now=NOW)


@settings(max_examples=60, deadline=None)
@given(count=st.integers(0, 40), per_page=st.integers(1, 7))
def test_archives_cover_everything_with_full_stable_pages(count: int, per_page: int) -> None:
    columns = stamps(count)
    planned = pages(columns, per_page)
    current, archives = planned[0], planned[1:]
    assert current.meta.path == "columns" and not current.meta.archive
    assert current.columns == tuple(columns[:per_page])
    assert len(archives) == max(0, -(-count // per_page) - 1)
    reachable = {c.url for feed in planned for c in feed.columns}
    assert reachable == {c.url for c in columns}
    oldest_first = list(reversed(columns))
    for number, page in enumerate(archives, start=1):
        assert page.meta.archive and page.meta.current == "columns"
        assert len(page.columns) == per_page  # only full pages are archived
        # Page n always holds the same columns, whatever is published later.
        assert list(reversed(page.columns)) == oldest_first[(number - 1) * per_page:
                                                            number * per_page]
        assert page.meta.prev_archive == (f"columns-archive-{number - 1}" if number > 1
                                          else None)
    if archives:
        assert current.meta.prev_archive == f"columns-archive-{len(archives)}"


def test_digest_tracks_views_and_content_but_not_the_clock() -> None:
    columns = stamps(4)
    feed = pages(columns, 10)[0]
    fingerprints = {c.url: column_fingerprint(c, NOW) for c in columns}
    base = feed_digest(feed, "atom", fingerprints)
    assert feed_digest(feed, "rss", fingerprints) != base
    later = replace(feed, meta=replace(feed.meta, empty_updated=NOW + timedelta(days=1)))
    assert feed_digest(later, "atom", fingerprints) == base
    for changed in (replace(columns[2], views=10_000), replace(columns[2], content_hash="x"),
                    replace(columns[2], author=AUTHORS[1])):
        prints = {**fingerprints, changed.url: column_fingerprint(changed, NOW)}
        assert feed_digest(feed, "atom", prints) != base, changed
