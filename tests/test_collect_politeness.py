"""One politeness per host, across every source of a run (the desk: three papers on one
host, and one paper read as html + feed + sitemap).

robots.txt is read once per host per run (and asked conditionally the next run), each
page once per run however many sources list it, request starts spaced by one gate for
the host, robots rules with ``*`` and ``$`` and the longest match honoured.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import Config, load
from syndicate.core.collect import run_collect
from syndicate.sources.base import SourceBase
from syndicate.store import Store
from syndicate.types import Outcome, StepResult

from .collect_helpers import Site, serve
from .desk_sites import FIELDS, FULL_BODY, TEASER, desk_config, write_desk

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)
SHARQ_PAGES = [f"/sharq/opinion/{slug}.html" for slug in
               ("media-1", "media-2", "health", "school")]


def _indexes(base: str, *, extra_feed: str = "") -> str:
    return f"""
  - name: sharq-feed
    kind: feed
    url: "{base}/sharq/rss.xml"
{extra_feed}{FIELDS}
  - name: sharq-sitemap
    kind: sitemap
    url: "{base}/sharq/sitemap.xml"
{FIELDS}"""


def configure(tmp_path: Path, site: Site, *, http: str = "  min_delay_s: 0.02",
              sources: tuple[str, ...] = ("sharq", "raya", "watan"), indexes: bool = True,
              extra_feed: str = "") -> Config:
    text = desk_config(site.base, sources=sources)
    text = text.replace("  min_delay_s: 0\n", "")
    text = text.replace("  allow_private_addresses: true\n",
                        f"  allow_private_addresses: true\n{http}\n")
    if indexes:
        text = text.rstrip() + "\n" + _indexes(site.base, extra_feed=extra_feed) + "\n"
    path = tmp_path / "schedules.yaml"
    path.write_text(text, encoding="utf-8")
    return load(str(path))


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Site]:
    with serve(write_desk(tmp_path / "desk")) as site:
        yield site


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store.open(f"sqlite:///{tmp_path / 'syndicate.db'}")
    yield db
    db.close()


def by_step(results: list[StepResult]) -> dict[str, StepResult]:
    return {r.step.removeprefix("collect:"): r for r in results}


def test_one_robots_one_fetch_per_page_one_gate_per_host(
        tmp_path: Path, desk: Site, store: Store) -> None:
    config = configure(tmp_path, desk)
    results = by_step(run_collect(config, store, clock=fixed_clock(NOW)))
    paths = desk.paths()
    assert paths.count("/robots.txt") == 1
    for page in SHARQ_PAGES:  # listed by sharq, sharq-feed and sharq-sitemap
        assert paths.count(page) == 1, (page, paths)
    assert len(paths) == len(set(paths)), paths  # nothing asked twice in the run
    # The page served every source that lists it.
    assert results["sharq"].count(Outcome.NEW) == 5  # with /sharq/private/open.html
    for name in ("sharq-feed", "sharq-sitemap"):
        assert not results[name].failed, results[name]
        assert {i.outcome for i in results[name].items} <= {
            Outcome.UNCHANGED, Outcome.UPDATED, Outcome.NOT_MODIFIED}, results[name]
    assert store.columns.count() == 8
    # One gate for the host: starts at least the larger of min_delay_s and the
    # robots.txt Crawl-delay (0.05 s) apart, across all five sources.
    # One concurrency limit for the host (http.per_host_concurrency 2), all sources.
    assert desk.max_in_flight <= 2
    # Measured as the server saw them (arrival jitter moves single gaps a little).
    starts = sorted(desk.starts)[1:]  # after robots.txt
    assert (starts[-1] - starts[0]) / (len(starts) - 1) >= 0.045, starts
    # Next run: robots.txt asked with its validators, and answered 304.
    mark = len(desk.requests)
    run_collect(config, store, clock=fixed_clock(NOW))
    robots = [(p, h) for p, h in desk.requests[mark:] if p == "/robots.txt"]
    assert len(robots) == 1 and robots[0][1].get("If-None-Match")
    assert ("/robots.txt", 304) in desk.served


def test_robots_wildcards_dollar_and_longest_match(
        tmp_path: Path, desk: Site, store: Store) -> None:
    config = configure(tmp_path, desk, sources=("sharq",), indexes=False)
    result = by_step(run_collect(config, store, clock=fixed_clock(NOW)))["sharq"]
    paths = desk.paths()
    assert "/sharq/opinion/media-1.html?print=1" not in paths  # Disallow: /*?print=
    assert "/sharq/files/media-1.pdf" not in paths  # Disallow: /*.pdf$
    assert "/sharq/private/closed.html" not in paths  # Disallow: /sharq/private/
    assert "/sharq/private/open.html" in paths  # Allow: the longer rule wins
    reasons = {i.key.replace(desk.base, ""): (i.outcome, i.reason) for i in result.items}
    for refused in ("/sharq/opinion/media-1.html?print=1", "/sharq/files/media-1.pdf",
                    "/sharq/private/closed.html"):
        assert reasons[refused] == (Outcome.SKIPPED, "disallowed by robots.txt"), refused


def test_the_page_wins_over_the_feeds_teaser(tmp_path: Path, desk: Site, store: Store) -> None:
    config = configure(tmp_path, desk, sources=(), indexes=True)
    run_collect(config, store, clock=fixed_clock(NOW), source_names=["sharq-feed"])
    columns = store.columns.list(source="sharq-feed")
    assert len(columns) == 4
    for column in columns:
        assert column.body_html == FULL_BODY, column.url
        assert TEASER not in column.excerpt
        # The byline too: the page's full name, not the feed's short dc:creator.
        assert len(column.author.name.split()) >= 2


def test_the_feed_may_win_where_a_source_says_so(tmp_path: Path, desk: Site,
                                                 store: Store) -> None:
    config = configure(tmp_path, desk, sources=(), indexes=True,
                       extra_feed="    prefer: feed\n")
    run_collect(config, store, clock=fixed_clock(NOW), source_names=["sharq-feed"])
    columns = store.columns.list(source="sharq-feed")
    assert columns and all(TEASER in c.excerpt for c in columns)


def test_a_sources_own_http_settings_tighten_its_host(
        tmp_path: Path, desk: Site, store: Store) -> None:
    config = configure(tmp_path, desk, http="  min_delay_s: 0", sources=("sharq", "raya"),
                       indexes=False)
    text = config.source_path
    path = Path(text)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - name: raya\n", "  - name: raya\n    http: {min_delay_s: 0.15, retries: 0}\n"),
        encoding="utf-8")
    config = load(str(path))
    own = config.source("raya")
    assert isinstance(own, SourceBase) and own.http is not None
    run_collect(config, store, clock=fixed_clock(NOW))
    with desk.lock:
        raya = [t for (p, _), t in zip(desk.requests, desk.starts, strict=True)
                if p.startswith("/raya/")]
    # raya's listing, two columns and the print copy: 0.15 s apart on average.
    assert len(raya) == 4
    assert (raya[-1] - raya[0]) / (len(raya) - 1) >= 0.14
