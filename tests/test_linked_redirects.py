"""Redirects remembered (issue 18, item 5 of the report): a listed URL behind a 301 → 301
chain is asked at the chain's end, conditionally, on the next runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import Config
from syndicate.core.collect import run_collect
from syndicate.sources.redirects import REWALK_EVERY
from syndicate.store import Store

from .collect_helpers import Site, serve
from .linked_sites import SAUDI_SOURCE, saudi, write_config, write_files

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)
CHAIN = ["/old/oil.html", "/mid/oil.html", "/opinion/oil.html"]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    root = saudi(tmp_path / "saudi")
    write_files(root, {"index.html": """<!DOCTYPE html><html><head><meta charset="utf-8">
</head><body><a class="col" href="/old/oil.html">1</a></body></html>"""})
    with serve(root, redirects={"/old/oil.html": "/mid/oil.html",
                                "/mid/oil.html": "/opinion/oil.html"}) as served:
        yield served


def config_for(tmp_path: Path, site: Site) -> Config:
    return write_config(tmp_path, SAUDI_SOURCE.format(base=site.base))


def column_requests(site: Site, since: int) -> list[tuple[str, int]]:
    return [(p, status) for p, status in site.statuses()[since:]
            if p not in ("/robots.txt", "/index.html")]


def test_the_end_of_a_redirect_chain_is_asked_conditionally(tmp_path: Path,
                                                            site: Site) -> None:
    config = config_for(tmp_path, site)
    store = Store.open(config.store_url)
    try:
        first = run_collect(config, store, clock=fixed_clock(NOW))[0]
        assert first.counter("new") == 1
        assert column_requests(site, 0) == [("/old/oil.html", 301), ("/mid/oil.html", 301),
                                            ("/opinion/oil.html", 200)]
        column = store.columns.get(site.url("/old/oil.html"))
        assert column is not None and column.url == site.url("/opinion/oil.html")
        # The next runs: one request, the final page's, answered 304.
        for run in range(1, REWALK_EVERY):
            mark = len(site.statuses())
            again = run_collect(config, store, clock=fixed_clock(NOW + timedelta(hours=run)))[0]
            assert column_requests(site, mark) == [("/opinion/oil.html", 304)], run
            assert again.counter("pages_fetched") == 0 and again.counter("new") == 0
        # Every REWALK_EVERY runs the chain is walked again, still ending in a 304.
        mark = len(site.statuses())
        run_collect(config, store, clock=fixed_clock(NOW + timedelta(hours=REWALK_EVERY)))
        assert column_requests(site, mark) == [("/old/oil.html", 301), ("/mid/oil.html", 301),
                                               ("/opinion/oil.html", 304)]
        mark = len(site.statuses())
        run_collect(config, store, clock=fixed_clock(NOW + timedelta(hours=REWALK_EVERY + 1)))
        assert column_requests(site, mark) == [("/opinion/oil.html", 304)]
    finally:
        store.close()


def test_when_the_end_fails_the_chain_is_walked_again(tmp_path: Path, site: Site) -> None:
    config = config_for(tmp_path, site)
    store = Store.open(config.store_url)
    try:
        run_collect(config, store, clock=fixed_clock(NOW))
        # The site moves the column again: the old end is gone, the chain leads elsewhere.
        moved = site.root / "opinion" / "oil.html"
        target = site.root / "columns" / "oil.html"
        target.parent.mkdir()
        target.write_text(moved.read_text(encoding="utf-8").replace(
            "/opinion/oil.html", "/columns/oil.html"), encoding="utf-8")
        moved.unlink()
        site.redirects["/mid/oil.html"] = "/columns/oil.html"
        mark = len(site.statuses())
        result = run_collect(config, store, clock=fixed_clock(NOW + timedelta(hours=1)))[0]
        assert column_requests(site, mark) == [
            ("/opinion/oil.html", 404), ("/old/oil.html", 301), ("/mid/oil.html", 301),
            ("/columns/oil.html", 200)]
        assert not result.failed
        mark = len(site.statuses())
        run_collect(config, store, clock=fixed_clock(NOW + timedelta(hours=2)))
        assert column_requests(site, mark) == [("/columns/oil.html", 304)]
    finally:
        store.close()
