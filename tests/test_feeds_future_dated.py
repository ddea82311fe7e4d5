"""A column dated in the future, in feeds: shown at its first collection until its date.

Real SQLite store, real feeds folder, every document parsed back with feedparser.
"""

from __future__ import annotations

import calendar
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser

from syndicate.clock import fixed_clock
from syndicate.columns_policy import display_published, newest_first
from syndicate.core.feeds import run_feeds
from syndicate.types import Column, Outcome

from .feeds_helpers import AUTHORS, add, make_column, make_config, open_store

NOW = datetime(2026, 2, 13, 4, 0, tzinfo=UTC)  # the fixed clock QA used
COLLECTED = NOW - timedelta(hours=6)  # when the future-dated column was first read
STATED = datetime(2026, 2, 15, 9, 30, tzinfo=UTC)  # what the page said
FUTURE_URL = "https://news.example/opinion/99"


def _timestamp(parsed: object) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)  # type: ignore[arg-type]


def _entries(path: Path) -> list[feedparser.FeedParserDict]:
    doc = feedparser.parse(path.read_bytes())
    assert doc.bozo == 0, doc.get("bozo_exception")
    return list(doc.entries)


def _future_column() -> Column:
    return make_column(99, author=AUTHORS[0], published=STATED, future_dated=True)


def _seeded(tmp_path: Path):  # type: ignore[no-untyped-def]
    config = make_config(tmp_path)
    store = open_store(config)
    add(store, _future_column(), now=COLLECTED)
    # Three ordinary columns published since, collected at the clock.
    for number in (1, 2, 3):
        add(store, make_column(number, author=AUTHORS[0],
                               published=NOW - timedelta(hours=number)), now=NOW)
    stored = store.columns.get(FUTURE_URL)
    assert stored is not None and stored.future_dated and stored.published == STATED
    return config, store


def test_policy_is_pure_and_stable() -> None:
    column = _future_column()
    stamped = Column(**{**column.__dict__, "collected_at": COLLECTED})
    assert display_published(stamped, COLLECTED) == COLLECTED
    # Stable while the clock moves towards the stated date: nothing to rewrite.
    assert display_published(stamped, STATED - timedelta(seconds=1)) == COLLECTED
    # The stated date once it arrives, and from then on.
    assert display_published(stamped, STATED) == STATED
    assert display_published(stamped, STATED + timedelta(days=3)) == STATED
    # Never stored: "now" until its date arrives.
    assert display_published(column, COLLECTED) == COLLECTED
    # A column in the past is never touched, and ordering then keeps the input order.
    past = make_column(1, published=COLLECTED - timedelta(hours=1))
    older = make_column(2, published=COLLECTED - timedelta(hours=2))
    assert display_published(past, COLLECTED) == past.published
    assert newest_first([past, older], COLLECTED) == [past, older]
    early = Column(**{**column.__dict__, "collected_at": COLLECTED - timedelta(hours=3)})
    assert newest_first([early, past, older], COLLECTED) == [past, older, early]
    assert newest_first([early, past, older], STATED) == [early, past, older]


def test_future_column_is_clamped_in_every_format_and_not_first(tmp_path: Path) -> None:
    config, store = _seeded(tmp_path)
    result = run_feeds(config, store, clock=fixed_clock(NOW))
    assert not result.failed
    folder = tmp_path / "feeds"
    for relative in ("columns.rss", "columns.atom", "authors/mudy-mbark.atom",
                     "sources/alsharq.rss"):
        entries = _entries(folder / relative)
        ids = [e.id for e in entries]
        assert FUTURE_URL in ids, relative
        assert ids[0] != FUTURE_URL, relative  # not on top of the reader's list
        future = entries[ids.index(FUTURE_URL)]
        assert _timestamp(future.published_parsed) == COLLECTED, relative
        if "updated_parsed" in future:
            assert _timestamp(future.updated_parsed) <= NOW
        # Entries are listed newest first by the shown date.
        shown = [_timestamp(e.published_parsed) for e in entries]
        assert shown == sorted(shown, reverse=True), relative
        assert max(shown) <= NOW, relative
    # JSON Feed too.
    doc = json.loads((folder / "columns.json").read_text(encoding="utf-8"))
    by_id = {item["id"]: item for item in doc["items"]}
    assert by_id[FUTURE_URL]["date_published"].startswith("2026-02-12T22:00:00")
    assert doc["items"][0]["id"] != FUTURE_URL
    # The feed-level date is not in the future either.
    channel = feedparser.parse((folder / "columns.atom").read_bytes()).feed
    assert _timestamp(channel.updated_parsed) <= NOW


def test_unchanged_rebuild_writes_nothing_until_the_date_then_once(tmp_path: Path) -> None:
    config, store = _seeded(tmp_path)
    first = run_feeds(config, store, clock=fixed_clock(NOW))
    assert first.count(Outcome.NEW) > 0
    folder = tmp_path / "feeds"
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    # Same clock, and a clock a day later (still before the stated date): no writes.
    for later in (NOW, NOW + timedelta(days=1), STATED - timedelta(minutes=1)):
        again = run_feeds(config, store, clock=fixed_clock(later))
        assert again.items == (), later
        assert again.counter("feeds_rendered") == 0, later
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before

    # The stated date arrives: the documents listing the column change, once.
    arrived = run_feeds(config, store, clock=fixed_clock(STATED + timedelta(minutes=1)))
    changed = {i.key for i in arrived.items if i.outcome is Outcome.UPDATED}
    assert {"columns.rss", "columns.atom", "columns.json", "authors/mudy-mbark.rss",
            "sources/alsharq.atom"} <= changed
    assert "sources/alraya.rss" not in changed  # a feed not listing it is left alone
    entries = _entries(folder / "columns.rss")
    assert entries[0].id == FUTURE_URL  # now genuinely the newest
    assert _timestamp(entries[0].published_parsed) == STATED
    settled = run_feeds(config, store, clock=fixed_clock(STATED + timedelta(days=2)))
    assert settled.items == () and settled.counter("feeds_rendered") == 0


def test_a_corrected_date_replaces_the_slip_but_no_other_date_moves(tmp_path: Path) -> None:
    config, store = _seeded(tmp_path)
    # The site fixes its clock: the same page now states a date in the past.
    fixed = make_column(99, author=AUTHORS[0], published=COLLECTED - timedelta(hours=2))
    result = store.columns.upsert(fixed, dedupe_key=fixed.url, seen_urls=(fixed.url,), now=NOW)
    assert result.outcome is Outcome.UPDATED and result.changes == ("published",)
    stored = store.columns.get(FUTURE_URL)
    assert stored is not None and not stored.future_dated
    assert stored.published == COLLECTED - timedelta(hours=2)
    run_feeds(config, store, clock=fixed_clock(NOW))
    (entry,) = [e for e in _entries(tmp_path / "feeds" / "columns.atom") if e.id == FUTURE_URL]
    assert _timestamp(entry.published_parsed) == COLLECTED - timedelta(hours=2)

    # An ordinary column whose page later states another date keeps the date it had:
    # re-stamped pages must not re-date items in feed readers.
    ordinary = store.columns.get("https://news.example/opinion/1")
    assert ordinary is not None
    restamped = make_column(1, author=AUTHORS[0], published=NOW - timedelta(days=3))
    again = store.columns.upsert(restamped, dedupe_key=restamped.url,
                                 seen_urls=(restamped.url,), now=NOW)
    assert again.outcome is Outcome.UNCHANGED
    assert store.columns.get(restamped.url).published == ordinary.published  # type: ignore[union-attr]
