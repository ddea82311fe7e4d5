"""What linked pages add, where an author or a column is shown: co-authors as "X و Y",
a copy's original ("نُشر أولاً في …"), the author page's bio and photo (author feed
subtitle and icon, digest byline), all sanitised."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser

from syndicate.clock import fixed_clock
from syndicate.core.feeds import run_feeds
from syndicate.render.digest_model import build_item
from syndicate.types import Author

from .digest_render_helpers import newsletter
from .feeds_helpers import NOW, add, make_column, make_config, open_store

SALMA = Author(name="سلمى الهاجري", slug="salma-alhajri", credentials=None,
               url="https://blog.example/u/salma", image_url="https://blog.example/img/s.jpg",
               bio="تكتب عن الماء والمدن.")


def test_feeds_show_co_authors_the_original_and_the_author_page(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = open_store(config)
    try:
        add(store, make_column(1, author=SALMA, coauthors=("عمر الكواري",),
                               original_url="https://elsewhere.example/col/9"))
        run_feeds(config, store, clock=fixed_clock(NOW))
    finally:
        store.close()
    everything = feedparser.parse((tmp_path / "feeds" / "columns.rss").read_bytes())
    entry = everything.entries[0]
    assert entry.author == "سلمى الهاجري و عمر الكواري"
    assert "نُشر أولاً في" in entry.summary
    assert 'href="https://elsewhere.example/col/9"' in entry.summary
    author = feedparser.parse((tmp_path / "feeds" / "authors" / "salma-alhajri.atom").read_bytes())
    assert author.feed.subtitle == "تكتب عن الماء والمدن."
    assert author.feed.icon == "https://blog.example/img/s.jpg"
    json_feed = json.loads((tmp_path / "feeds" / "authors" / "salma-alhajri.json").read_text())
    assert json_feed["icon"] == "https://blog.example/img/s.jpg"


def test_a_javascript_original_never_reaches_a_feed_or_an_email() -> None:
    column = make_column(2, author=SALMA, original_url="javascript:alert(1)")
    item = build_item(column, "new", newsletter(), digits="latn", tz="Asia/Qatar", now=NOW)
    assert item.original_url is None
    assert item.author_credentials == "تكتب عن الماء والمدن."  # no credentials: the bio


def test_the_digest_byline_names_co_authors_and_the_original() -> None:
    column = make_column(3, author=SALMA, coauthors=("عمر الكواري", "ليلى"),
                         original_url="https://elsewhere.example/col/9")
    item = build_item(column, "new", newsletter(), digits="arab", tz="Asia/Qatar", now=NOW)
    assert item.author_name == "سلمى الهاجري و عمر الكواري و ليلى"
    assert (item.original_url, item.original_site) == ("https://elsewhere.example/col/9",
                                                       "elsewhere.example")
