"""Pages that fail are remembered: their validators and a failure count.

A truncated page is asked about conditionally next run (a 304: the same broken page,
not downloaded again); an oversize page is not downloaded again while its ETag is
unchanged, even from a site that ignores If-None-Match; a page failing again and
again is asked after growing spacing, not on every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import Config, load
from syndicate.core.collect import run_collect
from syndicate.store import Store
from syndicate.types import ItemResult, Outcome

from .collect_helpers import Site, serve
from .desk_sites import COLUMNS as DESK
from .desk_sites import FIELDS, page

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)
PAGES = ("/paper/opinion/good.html", "/paper/opinion/cut.html", "/bad/big-etag", "/bad/500")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    root = tmp_path / "site"
    (root / "paper" / "opinion").mkdir(parents=True)
    links = "".join(f'<a class="col" href="{p}">x</a>' for p in PAGES)
    (root / "paper" / "opinion" / "index.html").write_text(
        f"<!DOCTYPE html><html><body>{links}</body></html>", encoding="utf-8")
    good = page(DESK[0]).replace("/sharq/opinion/media-1.html", "/paper/opinion/good.html")
    (root / "paper" / "opinion" / "good.html").write_text(good, encoding="utf-8")
    cut = page(DESK[1])
    (root / "paper" / "opinion" / "cut.html").write_text(cut[: len(cut) // 2],
                                                          encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    with serve(root) as served:
        yield served


def configure(tmp_path: Path, site: Site) -> Config:
    path = tmp_path / "schedules.yaml"
    path.write_text(f"""
store: syndicate.db
http:
  timeout_s: 2
  retries: 0
  min_delay_s: 0
  allow_private_addresses: true
sources:
  - name: paper
    kind: html
    start_urls: ["{site.url('/paper/opinion/index.html')}"]
    links: a.col
{FIELDS}
""", encoding="utf-8")
    return load(str(path))


def collect(config: Config, store: Store, when: datetime) -> dict[str, ItemResult]:
    (result,) = run_collect(config, store, clock=fixed_clock(when))
    return {i.key.split("/", 3)[3]: i for i in result.items}


def asked(site: Site, mark: int, path: str) -> list[dict[str, str]]:
    return [headers for p, headers in site.requests[mark:] if p == path]


def test_failed_pages_are_remembered_and_asked_with_growing_spacing(
        tmp_path: Path, site: Site) -> None:
    config = configure(tmp_path, site)
    store = Store.open(config.store_url)
    try:
        first = collect(config, store, NOW)
        assert first["paper/opinion/good.html"].outcome is Outcome.NEW
        assert "truncated" in first["paper/opinion/cut.html"].reason
        assert "over the 2,000,000-byte limit" in first["bad/big-etag"].reason
        assert first["bad/500"].reason == "HTTP 500, still after 1 attempt"
        # Each failure is kept with the failing answer's validators and a count.
        cut = store.fetch_cache.get(site.url("/paper/opinion/cut.html"))
        assert cut is not None and cut.etag and cut.failures == 1
        big = store.fetch_cache.get(site.url("/bad/big-etag"))
        assert big is not None and big.etag == '"big1"' and big.size and big.size > 2_000_000

        mark = len(site.requests)
        second = collect(config, store, NOW + timedelta(minutes=15))
        # Asked conditionally, answered 304: the same broken page, not read again.
        (cut_asked,) = asked(site, mark, "/paper/opinion/cut.html")
        assert cut_asked.get("If-None-Match") == cut.etag
        assert second["paper/opinion/cut.html"].outcome is Outcome.SKIPPED
        assert "unchanged since it failed" in second["paper/opinion/cut.html"].reason
        (big_asked,) = asked(site, mark, "/bad/big-etag")
        assert big_asked.get("If-None-Match") == '"big1"'
        assert "not downloaded again" in second["bad/big-etag"].reason
        # A first failure is retried on the next run: it failed again (2 in a row).
        assert len(asked(site, mark, "/bad/500")) == 1
        assert second["bad/500"].outcome is Outcome.FAILED

        mark = len(site.requests)
        third = collect(config, store, NOW + timedelta(minutes=30))
        assert asked(site, mark, "/bad/500") == []  # not due: 1 h after the 2nd failure
        assert "failed 2 times in a row (HTTP 500, still after 1 attempt); asked again" in \
            third["bad/500"].reason
        mark = len(site.requests)
        collect(config, store, NOW + timedelta(minutes=80))
        assert len(asked(site, mark, "/bad/500")) == 1  # due again, failed a 3rd time
        mark = len(site.requests)
        collect(config, store, NOW + timedelta(minutes=150))
        assert asked(site, mark, "/bad/500") == []  # now 2 h after the 3rd
        failing = store.fetch_cache.get(site.url("/bad/500"))
        assert failing is not None and failing.failures == 3
    finally:
        store.close()


def test_an_oversize_page_is_not_downloaded_again_from_a_site_ignoring_validators(
        tmp_path: Path, site: Site) -> None:
    config = configure(tmp_path, site)
    store = Store.open(config.store_url)
    try:
        collect(config, store, NOW)
        site.ignore_validators = True  # 200 again, same ETag
        again = collect(config, store, NOW + timedelta(minutes=15))
        assert "still over the 2,000,000-byte limit" in again["bad/big-etag"].reason
        assert "not downloaded again" in again["bad/big-etag"].reason
    finally:
        store.close()
