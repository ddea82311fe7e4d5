"""http.revalidate_days: old columns are asked about at most once in that many days.

A column published more than N days ago costs the site a conditional GET only when
its validators were last confirmed N days ago or more; a recent one is asked about on
every run (its view count feeds "most read this week"). 0 asks about every page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.core.collect import run_collect
from syndicate.sources.fetching import Cached, column_memo, needs_revalidation
from syndicate.store import Store
from syndicate.store.fetch_cache import Validators
from syndicate.types import Outcome

from .collect_helpers import SITES, Site, serve
from .test_collect_sites import NOW, by_step, items, make_config

OLD = ["/chroniques/algiers-sea.html", "/chroniques/tunis-cafe.html"]  # Aug 2025, Jan 2025
RECENT = "/chroniques/sahara-light.html"  # 12 Sep 2025: within 14 days of NOW (25 Sep)
REASON = "not re-validated: published over 14 days ago (http.revalidate_days)"


def cached(published: datetime | None, checked: datetime | None,
           memo: str | None = None) -> Cached:
    if published is not None:
        memo = column_memo(published)
    return Cached('"e"', None, memo, checked)


@pytest.mark.parametrize(("entry", "days", "expected"), [
    (cached(NOW - timedelta(days=30), NOW), 14, False),  # old, just confirmed
    (cached(NOW - timedelta(days=30), NOW - timedelta(days=13)), 14, False),
    (cached(NOW - timedelta(days=30), NOW - timedelta(days=14)), 14, True),  # due again
    (cached(NOW - timedelta(days=30), NOW), 0, True),  # policy off
    (cached(NOW - timedelta(days=2), NOW), 14, True),  # recent: views still move
    (cached(NOW - timedelta(days=14), NOW), 14, True),  # on the horizon: still recent
    (cached(NOW - timedelta(days=30), None), 14, True),  # never confirmed
    (cached(None, NOW), 14, True),  # no memo: publication date unknown
    (cached(None, NOW, '{"skipped": "no author"}'), 14, True),
    (cached(None, NOW, '{"published": "2025-01-01T00:00:00"}'), 14, True),  # naive
    (cached(None, NOW, '{"published": 12}'), 14, True),
    (cached(None, NOW, "[1, 2]"), 14, True),
    (cached(None, NOW, "not json"), 14, True),
])
def test_which_known_pages_are_asked_about(entry: Cached, days: int, expected: bool) -> None:
    assert needs_revalidation(entry, now=NOW, days=days) is expected


@pytest.fixture
def sites() -> Iterator[dict[str, Site]]:
    with serve(SITES / "gulf") as gulf, serve(SITES / "levant") as levant, \
            serve(SITES / "maghreb") as maghreb, serve(SITES / "wp") as wp:
        yield {"gulf": gulf, "levant": levant, "maghreb": maghreb, "wp": wp}


def columns_asked(site: Site, mark: int) -> list[tuple[str, int]]:
    return sorted((p, s) for p, s in site.served[mark:] if p.startswith("/chroniques/"))


def test_old_columns_are_asked_about_once_in_revalidate_days(
        tmp_path: Path, sites: dict[str, Site]) -> None:
    config = make_config(tmp_path, sites)
    maghreb = sites["maghreb"]
    store = Store.open(config.store_url)

    def collect(when: datetime) -> tuple[dict[str, tuple[Outcome, str]], dict[str, int],
                                         list[tuple[str, int]]]:
        mark = len(maghreb.served)
        result = by_step(run_collect(config, store, clock=fixed_clock(when),
                                     source_names=["maghreb"]))["maghreb"]
        assert not result.failed, result
        return items(result, maghreb.base), dict(result.counters), columns_asked(maghreb, mark)

    try:
        got, counters, asked = collect(NOW)
        assert counters["new"] == 3 and counters["not_revalidated"] == 0
        assert asked == sorted([(p, 200) for p in [*OLD, RECENT]])

        # Same day: the recent column is asked (304); the old ones are not asked at all.
        got, counters, asked = collect(NOW + timedelta(hours=1))
        assert asked == [(RECENT, 304)]
        assert counters["not_revalidated"] == 2 and counters["pages_fetched"] == 0
        for path in OLD:
            assert got[path] == (Outcome.NOT_MODIFIED, REASON)
        assert got[RECENT] == (Outcome.NOT_MODIFIED, "")

        # 14 days after they were last confirmed, the old ones are due again (304s), and
        # their confirmation date moves on with that run. The once recent column, old by
        # now, was confirmed an hour later than them: not due yet.
        later = NOW + timedelta(days=14)
        got, counters, asked = collect(later)
        assert asked == sorted([(p, 304) for p in OLD])
        assert counters["not_revalidated"] == 1 and counters["not_modified"] == 2 + 2
        confirmed = store.fetch_cache.get_many([maghreb.url(p) for p in [*OLD, RECENT]])
        assert {p: confirmed[maghreb.url(p)].fetched_at for p in [*OLD, RECENT]} == {
            OLD[0]: later, OLD[1]: later, RECENT: NOW + timedelta(hours=1)}

        # A day later it is its turn, and the others are left alone.
        got, counters, asked = collect(later + timedelta(days=1))
        assert asked == [(RECENT, 304)] and counters["not_revalidated"] == 2
    finally:
        store.close()


def test_revalidate_days_0_asks_about_every_page(tmp_path: Path, sites: dict[str, Site]) -> None:
    config = make_config(tmp_path, sites, http="  revalidate_days: 0")
    assert config.http.revalidate_days == 0
    maghreb = sites["maghreb"]
    store = Store.open(config.store_url)
    try:
        run_collect(config, store, clock=fixed_clock(NOW), source_names=["maghreb"])
        mark = len(maghreb.served)
        result = by_step(run_collect(config, store, clock=fixed_clock(NOW),
                                     source_names=["maghreb"]))["maghreb"]
        assert columns_asked(maghreb, mark) == sorted([(p, 304) for p in [*OLD, RECENT]])
        assert result.counter("not_revalidated") == 0
    finally:
        store.close()


def test_validators_kept_without_a_date_get_one_from_the_store(
        tmp_path: Path, sites: dict[str, Site]) -> None:
    """Rows written before memos carried the publication date are asked once, then kept."""
    config = make_config(tmp_path, sites)
    maghreb = sites["maghreb"]
    store = Store.open(config.store_url)
    try:
        run_collect(config, store, clock=fixed_clock(NOW), source_names=["maghreb"])
        for path in OLD:
            entry = store.fetch_cache.get(maghreb.url(path))
            assert entry is not None and entry.memo is not None
            store.fetch_cache.put(maghreb.url(path), Validators(entry.etag, entry.last_modified),
                                  status=200, now=NOW)
        mark = len(maghreb.served)
        run_collect(config, store, clock=fixed_clock(NOW), source_names=["maghreb"])
        assert columns_asked(maghreb, mark) == sorted([(p, 304) for p in [*OLD, RECENT]])
        for path in OLD:
            entry = store.fetch_cache.get(maghreb.url(path))
            column = store.columns.get(maghreb.url(path))
            assert entry is not None and column is not None
            assert entry.memo == column_memo(column.published)
        mark = len(maghreb.served)
        run_collect(config, store, clock=fixed_clock(NOW), source_names=["maghreb"])
        assert columns_asked(maghreb, mark) == [(RECENT, 304)]
    finally:
        store.close()


def test_column_memo_is_utc() -> None:
    from zoneinfo import ZoneInfo

    when = datetime(2025, 9, 1, 9, 0, tzinfo=ZoneInfo("Asia/Qatar"))
    assert column_memo(when) == '{"published": "2025-09-01T06:00:00+00:00"}'
    assert not needs_revalidation(Cached(None, None, column_memo(when), NOW),
                                  now=datetime(2025, 10, 1, tzinfo=UTC), days=14)


def test_an_old_column_robots_txt_now_disallows_is_reported_so(
        tmp_path: Path, sites: dict[str, Site]) -> None:
    config = make_config(tmp_path, sites)
    maghreb = sites["maghreb"]
    store = Store.open(config.store_url)
    try:
        run_collect(config, store, clock=fixed_clock(NOW), source_names=["maghreb"])
        maghreb.robots_text = f"User-agent: *\nDisallow: {OLD[1]}\n"
        result = by_step(run_collect(config, store, clock=fixed_clock(NOW),
                                     source_names=["maghreb"]))["maghreb"]
        got = items(result, maghreb.base)
        assert got[OLD[0]] == (Outcome.NOT_MODIFIED, REASON)
        assert got[OLD[1]] == (Outcome.SKIPPED, "disallowed by robots.txt")
        assert result.counter("not_revalidated") == 1
    finally:
        maghreb.robots_text = None
        store.close()


NEWSLETTER = """newsletters:
  - id: monthly
    title: الأكثر قراءة
    sender: "الواحة <digest@example.org>"
    sources: [{sources}]
    most_read_days: 60"""


@pytest.mark.parametrize(("sources", "days"), [
    ("maghreb", 60), ("gulf", 14), ("", 60)])  # empty: every source
def test_a_newsletter_ranking_older_columns_widens_the_window(
        tmp_path: Path, sites: dict[str, Site], sources: str, days: int) -> None:
    from syndicate.core.collect import revalidate_days

    config = make_config(tmp_path, sites, http="  revalidate_days: 14\n"
                         + NEWSLETTER.format(sources=sources))
    assert revalidate_days(config, "maghreb") == days
    maghreb = sites["maghreb"]
    store = Store.open(config.store_url)
    try:
        run_collect(config, store, clock=fixed_clock(NOW), source_names=["maghreb"])
        mark = len(maghreb.served)
        result = by_step(run_collect(config, store, clock=fixed_clock(NOW),
                                     source_names=["maghreb"]))["maghreb"]
        # algiers-sea, 49 days old, may still be ranked by a 60-day "most read".
        asked = [RECENT, OLD[0]] if days == 60 else [RECENT]
        assert columns_asked(maghreb, mark) == sorted((p, 304) for p in asked)
        assert items(result, maghreb.base)[OLD[1]] == (
            Outcome.NOT_MODIFIED, REASON.replace("14", str(days)))
    finally:
        store.close()
