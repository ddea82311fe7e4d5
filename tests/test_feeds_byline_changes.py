"""A column's co-authors or its "first published in" link changing without its title or
body (issue 18 follow-up): the feeds that list it are rewritten and show the change, as
for a change of credentials; a rebuild with nothing changed still writes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest

from syndicate.clock import fixed_clock
from syndicate.core.feeds import run_feeds
from syndicate.store import Store
from syndicate.types import Column

from .feeds_helpers import AUTHORS, NOW, add, make_column, make_config, open_store

LATER = NOW + timedelta(hours=1)
COLUMN_FEEDS = {f"{stem}.{ext}" for stem in ("columns", "sources/alsharq", "authors/mudy-mbark")
                for ext in ("rss", "atom", "json")}
ORIGINAL = "https://elsewhere.example/col/9"


def built(tmp_path: Path, column: Column) -> Store:
    config = make_config(tmp_path)
    store = open_store(config)
    add(store, column)
    add(store, make_column(1, source="alraya", author=AUTHORS[1]))
    run_feeds(config, store, clock=fixed_clock(NOW))
    return store


def rebuild(tmp_path: Path, store: Store) -> set[str]:
    result = run_feeds(make_config(tmp_path), store, clock=fixed_clock(LATER))
    assert not result.failed, result.failed
    return {item.key for item in result.items}


def entry(tmp_path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((tmp_path / "feeds" / "columns.rss").read_bytes())
    return next(e for e in parsed.entries if e.link.endswith("/opinion/0"))


@pytest.mark.parametrize("how", ["page read again", "twin filled the gap"])
def test_co_authors_added_later_rewrite_the_columns_feeds(tmp_path: Path, how: str) -> None:
    column = make_column(0, author=AUTHORS[0])
    store = built(tmp_path, column)
    assert "عمر الكواري" not in entry(tmp_path).summary
    later = replace(column, coauthors=("عمر الكواري",))
    if how == "page read again":
        add(store, later, now=LATER)
    else:
        twin = replace(later, url="https://news.example/amp/0")
        store.columns.attach(replace(twin, url=column.url), dedupe_key=twin.url,
                             seen_urls=(twin.url,), now=LATER, twin=True)
    assert store.columns.get(column.url).coauthors == ("عمر الكواري",)  # type: ignore[union-attr]
    assert rebuild(tmp_path, store) == COLUMN_FEEDS
    assert "د. موضي مبارك و عمر الكواري" in entry(tmp_path).summary
    assert rebuild(tmp_path, store) == set()  # and only once


def test_a_changed_co_author_or_original_link_rewrites_the_columns_feeds(
        tmp_path: Path) -> None:
    column = make_column(0, author=AUTHORS[0], coauthors=("عمر الكواري",),
                         original_url=ORIGINAL)
    store = built(tmp_path, column)
    assert ORIGINAL in entry(tmp_path).summary
    add(store, replace(column, coauthors=("ليلى الكعبي",)), now=LATER)
    assert rebuild(tmp_path, store) == COLUMN_FEEDS
    assert "ليلى الكعبي" in entry(tmp_path).summary
    moved = "https://elsewhere.example/archive/9"
    add(store, replace(column, coauthors=("ليلى الكعبي",), original_url=moved), now=LATER)
    assert rebuild(tmp_path, store) == COLUMN_FEEDS
    assert moved in entry(tmp_path).summary and ORIGINAL not in entry(tmp_path).summary
    assert rebuild(tmp_path, store) == set()


def test_the_page_read_again_without_co_authors_keeps_those_its_twin_filled(
        tmp_path: Path) -> None:
    column = make_column(0, author=AUTHORS[0])
    store = built(tmp_path, column)
    twin = "https://news.example/amp/0"
    store.columns.attach(replace(column, coauthors=("عمر الكواري",)), dedupe_key=twin,
                         seen_urls=(twin,), now=LATER, twin=True)
    assert rebuild(tmp_path, store) == COLUMN_FEEDS
    add(store, replace(column, views=900), now=LATER)  # its own page, read for new views
    assert store.columns.get(column.url).coauthors == ("عمر الكواري",)  # type: ignore[union-attr]
    assert rebuild(tmp_path, store) == set()  # counts wait for the views refresh
