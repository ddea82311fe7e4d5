"""View counts refresh on their own clock (`feeds.views_refresh`), not on every build.

A simulated day: collections every 30 minutes, every column's count moving on each
one, a new column every four hours. A feed reader polls every document after each
build with the ETag it last saw, through the real server. With ``views_refresh: 0``
(every build, as before) nearly every poll is a full 200; with the 6-hour default
most are 304, while new columns still publish at once.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import pytest
from sqlalchemy import text

from syndicate.cli.main import main
from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.core.feeds import run_feeds
from syndicate.store import Store
from syndicate.types import Column, Outcome
from syndicate.web.app import create_app

from .feeds_helpers import NOW, add, make_column, make_config, open_store
from .loopback import serve_app

RUNS = 48  # a day of collections every 30 minutes
STEP = timedelta(minutes=30)


@dataclass
class Day:
    rewrites: int = 0  # feed documents written after the first build
    polls: int = 0
    not_modified: int = 0
    pings: int = 0
    first_seen: dict[str, int] | None = None  # new column URL -> run it appeared in columns.rss


def _poll(port: int, path: str, etag: str | None) -> tuple[int, str | None, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"If-None-Match": etag} if etag else {})
        response = conn.getresponse()
        return response.status, response.getheader("ETag"), response.read()
    finally:
        conn.close()


def _collect(store: Store, columns: list[Column], run: int, when: datetime) -> None:
    for index, column in enumerate(columns):
        columns[index] = replace(column, views=(column.views or 0) + 7 + index)
        add(store, columns[index], now=when)
    if run % 8 == 4:  # a new column every four hours
        fresh = make_column(100 + run, published=when - timedelta(minutes=5))
        columns.append(fresh)
        add(store, fresh, now=when)


def simulate_day(tmp_path: Path, **feeds: Any) -> Day:
    config = make_config(tmp_path, formats=["rss", "atom", "json"], **feeds)
    store = open_store(config)
    columns = [make_column(number) for number in range(6)]
    for column in columns:
        add(store, column, now=NOW - timedelta(days=1))
    day = Day(first_seen={})
    etags: dict[str, str | None] = {}
    app = create_app(config, store=store, clock=fixed_clock(NOW))
    with serve_app(app) as base:
        port = int(base.rsplit(":", 1)[1])
        for run in range(RUNS + 1):
            when = NOW + run * STEP
            if run:
                _collect(store, columns, run, when)
            result = run_feeds(config, store, clock=fixed_clock(when))
            assert not result.failed, result.failed
            if run:
                day.rewrites += sum(1 for item in result.items
                                    if item.outcome in (Outcome.NEW, Outcome.UPDATED)
                                    and item.key != "index.html")
            documents = sorted(p.relative_to(tmp_path / "feeds").as_posix()
                               for p in (tmp_path / "feeds").rglob("*.*")
                               if p.suffix in (".rss", ".atom", ".json"))
            for document in documents:
                status, etag, body = _poll(port, f"/feeds/{document}", etags.get(document))
                if document in etags:
                    day.polls += 1
                    day.not_modified += status == 304
                if status == 200:
                    etags[document] = etag
                    if document == "columns.rss":
                        for entry in feedparser.parse(body).entries:
                            assert day.first_seen is not None
                            day.first_seen.setdefault(entry.id, run)
    store.close()
    return day


def test_views_every_build_churns_every_feed(tmp_path: Path) -> None:
    before = simulate_day(tmp_path, views_refresh="0")
    assert before.polls > 0
    # Every build rewrites every document that lists a column whose count moved.
    assert before.rewrites >= RUNS * 10
    assert before.not_modified / before.polls < 0.2


def test_views_refresh_keeps_feeds_still_between_refreshes(tmp_path: Path) -> None:
    before = simulate_day(tmp_path / "before", views_refresh="0")
    after = simulate_day(tmp_path / "after")  # the default: every 6 hours
    print(f"rewrites {before.rewrites} -> {after.rewrites}; 304 share "
          f"{before.not_modified / before.polls:.2f} -> {after.not_modified / after.polls:.2f}")
    assert after.rewrites * 4 < before.rewrites
    assert after.not_modified / after.polls > 0.75
    # New columns publish at once, exactly as without the refresh clock.
    assert after.first_seen == before.first_seen
    new_urls = [url for url in after.first_seen or {} if url.endswith(tuple(
        f"/{100 + run}" for run in range(RUNS + 1)))]
    assert len(new_urls) == RUNS // 8
    for url in new_urls:
        assert (after.first_seen or {})[url] == int(url.rsplit("/", 1)[1]) - 100


def _views_in(path: Path) -> dict[str, int]:
    return {entry.id: int(entry.media_statistics["views"])
            for entry in feedparser.parse(path.read_bytes()).entries}


def test_views_refresh_publishes_counts_when_due_and_says_why(tmp_path: Path) -> None:
    config = make_config(tmp_path, views_refresh="6h")
    store = open_store(config)
    columns = [make_column(number, views=100) for number in range(3)]
    for column in columns:
        add(store, column)
    run_feeds(config, store, clock=fixed_clock(NOW))
    feed = tmp_path / "feeds" / "columns.rss"
    first = _views_in(feed)
    assert set(first.values()) == {100}

    later = NOW + timedelta(hours=2)
    add(store, replace(columns[0], views=900), now=later)
    quiet = run_feeds(config, store, clock=fixed_clock(later))
    assert quiet.items == ()  # nothing new for a reader: nothing written
    assert _views_in(feed) == first

    # An edit publishes at once, with the counts readers already had.
    edited = replace(columns[1], title="عنوان معدّل", views=500)
    add(store, edited, now=later + timedelta(minutes=1))
    result = run_feeds(config, store, clock=fixed_clock(later + timedelta(minutes=1)))
    reasons = {item.key: item.reason for item in result.items}
    assert "edited" in reasons["columns.rss"] and "views" not in reasons["columns.rss"]
    assert _views_in(feed) == first
    assert [e.title for e in feedparser.parse(feed.read_bytes()).entries
            if e.id == columns[1].url] == ["عنوان معدّل"]

    # Six hours after the last refresh, the counts go out, and the report says why.
    due = NOW + timedelta(hours=6)
    refreshed = run_feeds(config, store, clock=fixed_clock(due))
    assert _views_in(feed) == {columns[0].url: 900, columns[1].url: 500, columns[2].url: 100}
    reasons = {item.key: item.reason for item in refreshed.items}
    assert "views refresh" in reasons["columns.rss"]
    assert refreshed.counter("views_refreshed") == 1


def test_new_columns_publish_between_refreshes_with_their_count(tmp_path: Path) -> None:
    config = make_config(tmp_path, views_refresh="6h")
    store = open_store(config)
    for number in range(3):
        add(store, make_column(number))
    run_feeds(config, store, clock=fixed_clock(NOW))
    later = NOW + timedelta(minutes=30)
    fresh = make_column(7, published=later, views=42)
    add(store, fresh, now=later)
    result = run_feeds(config, store, clock=fixed_clock(later))
    reasons = {item.key: item.reason for item in result.items}
    assert "new" in reasons["columns.rss"]
    assert _views_in(tmp_path / "feeds" / "columns.rss")[fresh.url] == 42


def test_feeds_command_says_what_changed_and_why(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config_path = tmp_path / "schedules.yaml"
    config_path.write_text(
        "store: var/syndicate.db\n"
        "site: {base_url: 'http://127.0.0.1:8080', title: الشرق}\n"
        "sources:\n"
        "  - {name: alsharq, kind: html, start_urls: ['https://news.example/opinion/'], "
        "links: a.column}\n"
        "feeds: {views_refresh: 6h, formats: [rss]}\n", encoding="utf-8")
    config = load(str(config_path))
    store = Store.open(config.store_url)
    add(store, make_column(1))
    store.close()
    assert main(["feeds", "--config", str(config_path)]) == 0
    out = capsys.readouterr().out
    assert "why: new — 3 documents: columns.rss" in out
    assert "views: refreshed in this build (next in 6h)" in out
    store = Store.open(config.store_url)
    add(store, make_column(1, views=5000), now=NOW + timedelta(hours=1))
    add(store, make_column(2), now=NOW + timedelta(hours=1))
    store.close()
    assert main(["feeds", "--config", str(config_path)]) == 0
    out = capsys.readouterr().out
    assert "why: new —" in out and "views refresh" not in out
    assert "views: held as last published (refreshed every 6h)" in out


def test_a_removed_column_leaves_the_feeds_at_once(tmp_path: Path) -> None:
    config = make_config(tmp_path, views_refresh="6h", formats=["rss"])
    store = open_store(config)
    for number in range(3):
        add(store, make_column(number))
    run_feeds(config, store, clock=fixed_clock(NOW))
    gone = make_column(1).url
    with store.engine.begin() as conn:  # as an operator's clean-up would
        column_id = conn.execute(text("SELECT id FROM columns WHERE url = :u"),
                                 {"u": gone}).scalar()
        for table in ("view_snapshots", "column_urls"):
            conn.execute(text(f"DELETE FROM {table} WHERE column_id = :i"), {"i": column_id})
        conn.execute(text("DELETE FROM columns WHERE id = :i"), {"i": column_id})
    later = NOW + timedelta(minutes=30)
    result = run_feeds(config, store, clock=fixed_clock(later))
    reasons = {item.key: item.reason for item in result.items}
    assert "removed columns" in reasons["columns.rss"]
    assert gone not in _views_in(tmp_path / "feeds" / "columns.rss")
    assert gone not in store.feed_state.published_items()
