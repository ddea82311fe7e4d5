"""Copies and twins by canonical (issue 18, items 2 and 3 of the report): a daily whose
listing links a column's AMP twin before the page itself, and a paper reprinting one of
its columns with its own byline, date and views."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import Config
from syndicate.core.collect import run_collect
from syndicate.store import Store
from syndicate.types import Outcome, StepResult

from .collect_helpers import Site, serve
from .linked_sites import (
    COPIES_SOURCE,
    SAUDI_FEED_SOURCE,
    SAUDI_SOURCE,
    copies,
    saudi,
    write_config,
)

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)
@pytest.fixture
def sites(tmp_path: Path) -> Iterator[dict[str, Site]]:
    with ExitStack() as stack:
        daily = stack.enter_context(serve(saudi(tmp_path / "saudi")))
        reprints = stack.enter_context(serve(copies(tmp_path / "copies", daily.base),
                                             host="127.0.0.3"))
        yield {"saudi": daily, "copies": reprints}


def config_for(tmp_path: Path, sites: dict[str, Site], order: tuple[str, ...]) -> Config:
    blocks = {"saudi": SAUDI_SOURCE.format(base=sites["saudi"].base),
              "saudi-feed": SAUDI_FEED_SOURCE.format(base=sites["saudi"].base),
              "copies": COPIES_SOURCE.format(base=sites["copies"].base)}
    return write_config(tmp_path, "".join(blocks[name] for name in order))


@contextmanager
def collected(tmp_path: Path, sites: dict[str, Site], order: tuple[str, ...]
              ) -> Iterator[tuple[Store, list[StepResult]]]:
    """The sources in ``order`` collected once into a new store."""
    config = config_for(tmp_path, sites, order)
    store = Store.open(config.store_url)
    try:
        yield store, run_collect(config, store, clock=fixed_clock(NOW))
    finally:
        store.close()


def count(site: Site, path: str) -> int:
    return site.paths().count(path)


def reasons(result: StepResult) -> dict[str, tuple[Outcome, str]]:
    return {item.key: (item.outcome, item.reason) for item in result.items}


def test_a_twin_linked_first_never_stands_in_for_the_page(tmp_path: Path,
                                                          sites: dict[str, Site]) -> None:
    daily = sites["saudi"]
    with collected(tmp_path, sites, ("saudi",)) as (store, results):
        result = results[0]
        column = store.columns.get(daily.url("/opinion/oil.html"))
        assert column is not None
        assert column.author.article_count == 214  # the regular page's, AMP pages lack it
        assert column.author.credentials == "اقتصادي"
        assert column.views == 6120
        assert store.columns.get(daily.url("/amp/opinion/oil.html")) == column  # an alias
        assert store.columns.count() == 2
        # Each page fetched once: the twin's canonical was in the same listing.
        assert count(daily, "/opinion/oil.html") == 1
        assert count(daily, "/amp/opinion/oil.html") == 1
        outcome, reason = reasons(result)[daily.url("/amp/opinion/oil.html")]
        assert outcome is Outcome.UNCHANGED
        assert reason == f"duplicate of {daily.url('/opinion/oil.html')}"


def test_a_copy_never_overwrites_the_original(tmp_path: Path,
                                              sites: dict[str, Site]) -> None:
    daily, reprints = sites["saudi"], sites["copies"]
    with collected(tmp_path, sites, ("saudi", "copies")) as (store, results):
        original = store.columns.get(daily.url("/opinion/oil.html"))
        assert original is not None
        assert original.views == 6120  # not the copy's 840
        assert original.source == "saudi" and original.author.name == "فهد العتيبي"
        assert original.published == datetime(2025, 9, 23, 21, 0, tzinfo=UTC)
        assert store.columns.view_history(original.url) == [(NOW, 6120)]
        assert store.columns.get(reprints.url("/reprints/oil.html")) == original  # an alias
        outcome, reason = reasons(results[1])[reprints.url("/reprints/oil.html")]
        assert outcome is Outcome.UNCHANGED
        assert reason == f"copy of {daily.url('/opinion/oil.html')}"
        # No request for the original: it was read this run already.
        assert count(daily, "/opinion/oil.html") == 1


def test_a_copy_read_first_reads_the_original_once(tmp_path: Path,
                                                   sites: dict[str, Site]) -> None:
    daily = sites["saudi"]
    with collected(tmp_path, sites, ("copies", "saudi")) as (store, _results):
        original = store.columns.get(daily.url("/opinion/oil.html"))
        assert original is not None
        assert (original.views, original.source, original.author.article_count) == (
            6120, "saudi", 214)
        assert count(daily, "/opinion/oil.html") == 1  # by the copy; the daily's run skips it


def test_a_copy_of_a_page_on_no_configured_host_is_its_own_column(
        tmp_path: Path, sites: dict[str, Site]) -> None:
    reprints = sites["copies"]
    with collected(tmp_path, sites, ("copies",)) as (store, _results):
        column = store.columns.get(reprints.url("/reprints/free.html"))
        assert column is not None
        assert column.url == reprints.url("/reprints/free.html")
        assert column.original_url == "https://elsewhere.example/col/9"
        assert store.columns.get("https://elsewhere.example/col/9") is None


def test_the_collect_table_says_copy_of(tmp_path: Path, sites: dict[str, Site],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from syndicate.cli.collect import print_collect_table, shown_url

    daily, reprints = sites["saudi"], sites["copies"]
    with collected(tmp_path, sites, ("saudi", "copies")) as (_store, results):
        print_collect_table(results)
    out = capsys.readouterr().out
    assert (f"copies: copy {shown_url(reprints.url('/reprints/oil.html'))} of "
            f"{shown_url(daily.url('/opinion/oil.html'))}") in out
    assert (f"saudi: duplicate {shown_url(daily.url('/amp/opinion/oil.html'))} of "
            f"{shown_url(daily.url('/opinion/oil.html'))}") in out


def test_a_feed_linking_a_twin_stores_the_regular_page(tmp_path: Path,
                                                       sites: dict[str, Site]) -> None:
    daily = sites["saudi"]
    with collected(tmp_path, sites, ("saudi-feed",)) as (store, _results):
        column = store.columns.get(daily.url("/amp/opinion/desal.html"))
        assert column is not None and column.url == daily.url("/opinion/desal.html")
        assert (column.views, column.author.article_count) == (2045, 214)
        assert store.columns.count() == 1
        assert count(daily, "/opinion/desal.html") == 1
        assert count(daily, "/amp/opinion/desal.html") == 1
