"""Collection end to end: four sample sites on real loopback servers, a real SQLite file.

Every field of every column is compared with the hand-checked ``expected.json``
beside each site; every bad input is checked for its outcome and logged reason.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import Config, load
from syndicate.core.collect import run_collect
from syndicate.store import Store
from syndicate.types import Column, Outcome, StepResult

from .collect_helpers import SITES, Site, copy_site, expected, serve

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)
UA = "syndicate-tests/1.0 (+https://example.org/bot)"

GULF_FIELDS = """
    fields:
      title: h1.headline
      author: .writer-name
      author_credentials: .writer-bio
      author_article_count: .writer-count b
      author_url: .writer-name a@href
      author_image: img.writer-photo@src
      published: .published
      views: article .hits
      body: .text
      image: figure.lead img@src
      remove: [.ad, .share]
"""


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[str, Site]]:
    with serve(SITES / "gulf", slow_s=1.0) as gulf, serve(SITES / "levant") as levant, \
            serve(SITES / "maghreb") as maghreb, serve(SITES / "wp") as wp:
        yield {"gulf": gulf, "levant": levant, "maghreb": maghreb, "wp": wp}


@contextmanager
def sites_with_a_copy(tmp_path: Path, editable: str) -> Iterator[tuple[Path, dict[str, Site]]]:
    """The four sample sites served, ``editable`` from a private copy the test may edit."""
    root = copy_site(editable, tmp_path)
    with ExitStack() as stack:
        yield root, {name: stack.enter_context(serve(root if name == editable else SITES / name))
                     for name in ("gulf", "levant", "maghreb", "wp")}


def make_config(tmp_path: Path, sites: dict[str, Site], *,
                gulf_start: str = "/opinion/index.html", http: str = "") -> Config:
    g, lv, m, w = sites["gulf"], sites["levant"], sites["maghreb"], sites["wp"]
    text = f"""
store: syndicate.db
http:
  user_agent: "{UA}"
  timeout_s: 0.3
  retries: 1
  backoff_s: 0.01
  max_retry_wait_s: 0.05
  min_delay_s: 0
  allow_private_addresses: true
{http}
sources:
  - name: gulf
    kind: html
    start_urls: ["{g.url(gulf_start)}"]
    links: a.col
    next_page: a.next
    max_pages: 3
{GULF_FIELDS}
  - name: levant
    kind: feed
    url: "{lv.url('/feed.xml')}"
    timezone: Asia/Beirut
    default_author: أسرة التحرير
    fields:
      published: .date
      views: .views
      author_credentials: .bio
  - name: levant-atom
    kind: feed
    url: "{lv.url('/atom.xml')}"
    follow_links: false
  - name: maghreb
    kind: sitemap
    url: "{m.url('/sitemap_index.xml')}"
    url_pattern: /chroniques/
    timezone: Africa/Casablanca
    fields:
      published: .date
      views: .vues
      body: .chronique
      remove: [.pub]
  - name: wp
    kind: wordpress
    url: "{w.base}"
    per_page: 2
    max_pages: 3
    fields:
      views: .post-views
"""
    path = tmp_path / "schedules.yaml"
    path.write_text(text, encoding="utf-8")
    return load(str(path))


def as_dict(column: Column, bases: dict[str, str]) -> dict[str, Any]:
    def unbase(value: Any) -> Any:
        if isinstance(value, str):
            for base in bases.values():
                value = value.replace(base, "BASE")
        return value

    author = column.author
    return {
        "url": unbase(column.url), "source": column.source, "title": column.title,
        "published": str(column.published), "body_html": unbase(column.body_html),
        "excerpt": column.excerpt, "views": column.views, "image_url": unbase(column.image_url),
        "categories": list(column.categories), "language": column.language,
        "future_dated": column.future_dated,
        "author": {"name": author.name, "slug": author.slug, "credentials": author.credentials,
                   "article_count": author.article_count, "url": unbase(author.url),
                   "image_url": unbase(author.image_url)},
    }


def by_step(results: list[StepResult]) -> dict[str, StepResult]:
    return {r.step.removeprefix("collect:"): r for r in results}


def items(result: StepResult, base: str) -> dict[str, tuple[Outcome, str]]:
    return {i.key.replace(base, ""): (i.outcome, i.reason) for i in result.items}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store.open(f"sqlite:///{tmp_path / 'syndicate.db'}")
    yield db
    db.close()


@pytest.mark.parametrize(("site", "sources"), [
    ("gulf", ["gulf"]), ("levant", ["levant", "levant-atom"]), ("maghreb", ["maghreb"]),
    ("wp", ["wp"]),
])
def test_every_field_of_every_column(tmp_path: Path, sites: dict[str, Site], store: Store,
                                     site: str, sources: list[str]) -> None:
    config = make_config(tmp_path, sites)
    run_collect(config, store, clock=fixed_clock(NOW), source_names=sources)
    bases = {name: s.base for name, s in sites.items()}
    got = sorted((as_dict(c, bases) for c in store.columns.list() if c.source in sources),
                 key=lambda d: d["url"])
    assert got == expected(site)


def test_bad_inputs_each_skipped_or_failed_with_a_reason(
        tmp_path: Path, sites: dict[str, Site], store: Store,
        caplog: pytest.LogCaptureFixture) -> None:
    config = make_config(tmp_path, sites)
    with caplog.at_level(logging.WARNING, logger="syndicate"):
        result = by_step(run_collect(config, store, clock=fixed_clock(NOW),
                                     source_names=["gulf"]))["gulf"]
    gulf = sites["gulf"]
    got = items(result, gulf.base)
    port = gulf.port
    cases = {
        "/opinion/columns/no-date.html": (Outcome.SKIPPED, "no publication date"),
        "/opinion/columns/no-author.html": (Outcome.SKIPPED, "no author"),
        "/opinion/columns/truncated.html": (Outcome.SKIPPED, "truncated HTML"),
        "/bad/empty": (Outcome.SKIPPED, "empty response"),
        "/bad/big": (Outcome.FAILED, "over the 2,000,000-byte limit"),
        "/opinion/columns/missing.html": (Outcome.FAILED, "HTTP 404"),
        "/bad/500": (Outcome.FAILED, "HTTP 500, still after 2 attempts"),
        "/bad/slow": (Outcome.FAILED, "timed out"),
        "/bad/loop-a": (Outcome.FAILED, "redirect loop"),
        "/bad/report.pdf": (Outcome.SKIPPED, "content type 'application/pdf' is not html"),
        "/private/secret.html": (Outcome.SKIPPED, "robots.txt"),
        f"http://localhost:{port}/opinion/columns/offsite.html":
            (Outcome.SKIPPED, "not a configured host"),
        "/opinion/columns/future.html": (Outcome.NEW, "dated in the future"),
        "/opinion/columns/alliances-print.html": (
            Outcome.UNCHANGED, f"duplicate of {gulf.url('/opinion/columns/alliances.html')}"),
    }
    for key, (outcome, reason) in cases.items():
        assert key in got, key
        assert got[key][0] is outcome, (key, got[key])
        assert reason in got[key][1], (key, got[key])
        if outcome is not Outcome.UNCHANGED:
            # The reason is logged, naming the URL.
            url = key if key.startswith("http") else gulf.base + key
            assert any(url in r.getMessage() and reason in r.getMessage()
                       for r in caplog.records), key
    assert dict(result.counters) == {
        "pages_fetched": 12, "not_modified": 0, "not_revalidated": 0, "new": 5, "updated": 0,
        "skipped": 7, "future_dated": 1, "errors": 5,
        # empty, big, missing, 500, slow, loop, pdf: asked for, nothing usable came back
        "failed_transfers": 7, "throttled": 0, "duplicates": 1,
    }
    # The javascript: link on the listing page is not followed at all.
    assert not any("javascript" in key for key in got)
    # A future date is kept and flagged; the script and javascript: URL are gone.
    future = store.columns.get(gulf.url("/opinion/columns/future.html"))
    assert future is not None and future.future_dated
    # Its log line names the URL and both dates: what the page says, when we read it.
    assert any(future.url in r.getMessage() and "2025-12-01T05:00:00+00:00" in r.getMessage()
               and "read at 2025-09-25T12:00:00+00:00" in r.getMessage()
               for r in caplog.records)
    water = store.columns.get(gulf.url("/opinion/columns/water.html"))
    assert water is not None
    assert "<script" not in water.body_html and "javascript:" not in water.body_html
    assert "onclick" not in water.body_html and "alert" not in water.body_html


def test_robots_and_offsite_links_are_never_fetched(
        tmp_path: Path, sites: dict[str, Site], store: Store) -> None:
    gulf = sites["gulf"]
    before = len(gulf.paths())
    run_collect(make_config(tmp_path, sites), store, clock=fixed_clock(NOW),
                source_names=["gulf"])
    paths = gulf.paths()[before:]
    assert "/private/secret.html" not in paths
    assert "/opinion/columns/offsite.html" not in paths
    assert paths.count("/robots.txt") == 1  # once per host per run
    assert paths[0] == "/robots.txt"  # before anything else on the host
    assert all(headers.get("User-Agent") == UA for _, headers in gulf.requests[before:])


def test_same_column_under_a_second_url_is_stored_once(
        tmp_path: Path, sites: dict[str, Site], store: Store) -> None:
    run_collect(make_config(tmp_path, sites), store, clock=fixed_clock(NOW),
                source_names=["gulf"])
    gulf = sites["gulf"]
    canonical = gulf.url("/opinion/columns/alliances.html")
    alias = store.columns.get(gulf.url("/opinion/columns/alliances-print.html"))
    assert alias is not None and alias.url == canonical
    assert [c.url for c in store.columns.list(source="gulf")].count(canonical) == 1


def test_second_collection_is_all_304s_with_nothing_new(
        tmp_path: Path, sites: dict[str, Site], store: Store) -> None:
    config = make_config(tmp_path, sites, gulf_start="/opinion/clean.html")
    first = run_collect(config, store, clock=fixed_clock(NOW))
    assert {r.step: r.counter("new") for r in first} == {
        "collect:gulf": 4, "collect:levant": 4, "collect:levant-atom": 1, "collect:maghreb": 3,
        "collect:wp": 2}
    count = store.columns.count()
    marks = {name: len(site.served) for name, site in sites.items()}
    second = run_collect(config, store, clock=fixed_clock(NOW))
    # Index documents answer 304 and what they listed is re-validated, page by page,
    # except two Maghreb columns published over 14 days ago and confirmed just now
    # (http.revalidate_days): they are not asked about at all.
    assert {r.step: r.counter("not_modified") for r in second} == {
        "collect:gulf": 2 + 4, "collect:levant": 1 + 4, "collect:levant-atom": 1,
        "collect:maghreb": 2 + 1, "collect:wp": 2 + 3}
    assert {r.step: r.counter("not_revalidated") for r in second if
            r.counter("not_revalidated")} == {"collect:maghreb": 2}
    wp_skip = by_step(second)["wp"].items
    assert [(i.outcome, i.reason) for i in wp_skip if i.outcome is Outcome.SKIPPED] == [
        (Outcome.SKIPPED, ("no author on the page and no default_author configured "
                          "(page unchanged)"))]
    for result in second:
        assert result.counter("pages_fetched") == 0, result
        assert result.counter("new") == 0 and result.counter("updated") == 0, result
        assert result.counter("not_modified") >= 1, result
        assert not result.failed
    assert store.columns.count() == count
    for name, site in sites.items():
        # /bad/slow of an earlier test may be answered late, after the client gave up.
        answered = [(p, s) for p, s in site.served[marks[name]:]
                    if p not in ("/robots.txt", "/bad/slow")]
        assert answered and all(status == 304 for _, status in answered), (name, answered)


def test_private_addresses_are_refused_unless_allowed(
        tmp_path: Path, sites: dict[str, Site], store: Store) -> None:
    config = make_config(tmp_path, sites)
    refusing = config.model_copy(update={
        "http": config.http.model_copy(update={"allow_private_addresses": False})})
    gulf = sites["gulf"]
    before = len(gulf.paths())
    result = by_step(run_collect(refusing, store, clock=fixed_clock(NOW),
                                 source_names=["gulf"]))["gulf"]
    assert [(i.outcome, "private or loopback" in i.reason) for i in result.items] == [
        (Outcome.SKIPPED, True)]
    assert gulf.paths()[before:] == []


def test_edits_update_the_column_and_views_only_add_snapshots(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with sites_with_a_copy(tmp_path, "gulf") as (root, sites):
        gulf = sites["gulf"]
        config = make_config(tmp_path, sites, gulf_start="/opinion/clean.html")
        store = Store.open(config.store_url)
        try:
            run_collect(config, store, clock=fixed_clock(NOW), source_names=["gulf"])
            first = {c.url: c for c in store.columns.list(source="gulf")}
            alliances_url = gulf.url("/opinion/columns/alliances.html")
            water_url = gulf.url("/opinion/columns/water.html")
            # The paper fixes a title, a count moves on another column, and a new column
            # appears on the listing (which is what makes the listing change).
            page = root / "opinion" / "columns" / "alliances.html"
            page.write_text(page.read_text().replace(
                "درعٌ للدول الصغيرة", "درعٌ للدول الصغيرة والمتوسطة"))
            water = root / "opinion" / "columns" / "water.html"
            water.write_text(water.read_text().replace("1.2 ألف", "1.5 ألف"))
            listing = root / "opinion" / "clean.html"
            listing.write_text(listing.read_text().replace(
                "</ul>", '<li><a class="col" href="columns/future.html">جديد</a></li></ul>'))
            later = datetime(2025, 9, 25, 18, 0, tzinfo=UTC)
            with caplog.at_level(logging.INFO, logger="syndicate"):
                result = by_step(run_collect(config, store, clock=fixed_clock(later),
                                             source_names=["gulf"]))["gulf"]
            got = items(result, gulf.base)
            assert got["/opinion/columns/alliances.html"] == (Outcome.UPDATED, "edited: title")
            assert got["/opinion/columns/water.html"][0] is Outcome.UNCHANGED
            assert got["/opinion/columns/relative.html"][0] is Outcome.NOT_MODIFIED
            assert got["/opinion/columns/future.html"][0] is Outcome.NEW
            assert any("edited after publication" in r.getMessage() and alliances_url
                       in r.getMessage() for r in caplog.records)
            edited = store.columns.get(alliances_url)
            assert edited is not None
            assert edited.title == "دبلوماسية الشراكات درعٌ للدول الصغيرة والمتوسطة"
            assert edited.collected_at == first[alliances_url].collected_at  # not new again
            assert edited.updated_at == later
            watered = store.columns.get(water_url)
            assert watered is not None and watered.views == 1500
            assert watered.updated_at == first[water_url].updated_at  # views are not edits
            assert [v for _, v in store.columns.view_history(water_url)] == [1200, 1500]
        finally:
            store.close()


def test_a_changed_feed_revalidates_known_pages_and_adds_the_new_item(tmp_path: Path) -> None:
    with sites_with_a_copy(tmp_path, "levant") as (root, sites):
        lv = sites["levant"]
        config = make_config(tmp_path, sites)
        store = Store.open(config.store_url)
        try:
            run_collect(config, store, clock=fixed_clock(NOW), source_names=["levant"])
            page = root / "columns" / "6.html"
            page.write_text((root / "columns" / "4.html").read_text().replace(
                "رسالة المحرر", "رسالة المحرر الثانية").replace("/columns/4.html",
                                                                "/columns/6.html"),
                encoding="utf-8")
            feed = root / "feed.xml"
            feed.write_text(feed.read_text().replace("</channel>", (
                "<item><title>رسالة المحرر الثانية</title><link>/columns/6.html</link>"
                "<dc:creator>هيئة التحرير</dc:creator><description>&lt;p&gt;أهلًا.&lt;/p&gt;"
                "</description></item></channel>")), encoding="utf-8")
            result = by_step(run_collect(config, store, clock=fixed_clock(NOW),
                                         source_names=["levant"]))["levant"]
            got = items(result, lv.base)
            assert got["/columns/6.html"] == (Outcome.NEW, "")
            for n in "1234":
                assert got[f"/columns/{n}.html"][0] is Outcome.NOT_MODIFIED
            assert dict(result.counters)["not_modified"] == 4
            assert dict(result.counters)["pages_fetched"] == 2  # the feed and the new page
            new = store.columns.get(lv.url("/columns/6.html"))
            assert new is not None and new.author.name == "هيئة التحرير"
            assert str(new.published) == "2025-09-25 06:00:00+00:00"  # from the page
        finally:
            store.close()


def test_unchanged_listing_still_refreshes_view_counts(tmp_path: Path) -> None:
    with sites_with_a_copy(tmp_path, "gulf") as (root, sites):
        g = sites["gulf"]
        config = make_config(tmp_path, sites, gulf_start="/opinion/clean.html")
        store = Store.open(config.store_url)
        try:
            run_collect(config, store, clock=fixed_clock(NOW), source_names=["gulf"])
            page = root / "opinion" / "columns" / "alliances.html"
            page.write_text(page.read_text().replace('"hits">1,234', '"hits">1,310'))
            later = datetime(2025, 9, 26, 12, 0, tzinfo=UTC)
            result = by_step(run_collect(config, store, clock=fixed_clock(later),
                                         source_names=["gulf"]))["gulf"]
            got = items(result, g.base)
            assert got["/opinion/columns/alliances.html"] == (Outcome.UNCHANGED, "")
            assert {k: v[0] for k, v in got.items() if k != "/opinion/columns/alliances.html"} \
                == {"/opinion/columns/water.html": Outcome.NOT_MODIFIED,
                    "/opinion/columns/relative.html": Outcome.NOT_MODIFIED,
                    "/opinion/columns/older.html": Outcome.NOT_MODIFIED}
            # Both listing pages answered 304 and were still walked.
            assert dict(result.counters)["not_modified"] == 2 + 3
            assert dict(result.counters)["pages_fetched"] == 1
            url = g.url("/opinion/columns/alliances.html")
            assert store.columns.view_history(url) == [(NOW, 1234), (later, 1310)]
            column = store.columns.get(url)
            assert column is not None and column.views == 1310
            assert column.collected_at == NOW and column.updated_at == NOW
        finally:
            store.close()


def test_a_reprint_without_canonical_is_matched_by_its_folded_title(tmp_path: Path) -> None:
    with sites_with_a_copy(tmp_path, "gulf") as (root, sites):
        _add_a_reprint_without_canonical(root)
        g = sites["gulf"]
        config = make_config(tmp_path, sites, gulf_start="/opinion/clean.html")
        store = Store.open(config.store_url)
        try:
            result = by_step(run_collect(config, store, clock=fixed_clock(NOW),
                                         source_names=["gulf"]))["gulf"]
            got = items(result, g.base)
            assert got["/opinion/columns/reprint.html"] == (
                Outcome.UNCHANGED, f"duplicate of {g.url('/opinion/columns/alliances.html')}")
            assert len(store.columns.list(source="gulf")) == 4
            same = store.columns.get(g.url("/opinion/columns/reprint.html"))
            assert same is not None and same.url == g.url("/opinion/columns/alliances.html")
            assert same.title == "دبلوماسية الشراكات درعٌ للدول الصغيرة"  # the first copy
        finally:
            store.close()


def _add_a_reprint_without_canonical(root: Path) -> None:
    columns = root / "opinion" / "columns"
    reprint = (columns / "alliances.html").read_text()
    reprint = reprint.replace('<link rel="canonical" href="/opinion/columns/alliances.html">', "")
    # Tatweel and a different hamza spelling: the same column to a reader.
    reprint = reprint.replace('<h1 class="headline">دبلوماسية الشراكات درعٌ للدول الصغيرة',
                              '<h1 class="headline">دبلوماسيـــة الشراكات درعٌ للدول الصغيره')
    (columns / "reprint.html").write_text(reprint, encoding="utf-8")
    listing = root / "opinion" / "clean.html"
    listing.write_text(listing.read_text().replace(
        "</ul>", '<li><a class="col" href="columns/reprint.html">نسخة</a></li></ul>'))


def test_an_unchanged_feed_still_refreshes_the_views_of_its_pages(tmp_path: Path) -> None:
    with sites_with_a_copy(tmp_path, "levant") as (root, sites):
        lv = sites["levant"]
        config = make_config(tmp_path, sites)
        store = Store.open(config.store_url)
        try:
            run_collect(config, store, clock=fixed_clock(NOW), source_names=["levant"])
            page = root / "columns" / "1.html"
            page.write_text(page.read_text().replace("١٬٢٣٤", "١٬٣٠٠"), encoding="utf-8")
            later = datetime(2025, 9, 26, 9, 0, tzinfo=UTC)
            result = by_step(run_collect(config, store, clock=fixed_clock(later),
                                         source_names=["levant"]))["levant"]
            got = items(result, lv.base)
            # The feed answered 304; the page was re-validated, read and merged with the
            # remembered item (whose dc:creator the page lacks).
            assert got["/columns/1.html"] == (Outcome.UNCHANGED, "")
            assert dict(result.counters)["pages_fetched"] == 1
            assert dict(result.counters)["not_modified"] == 1 + 3
            url = lv.url("/columns/1.html")
            assert store.columns.view_history(url) == [(NOW, 1234), (later, 1300)]
            column = store.columns.get(url)
            assert column is not None and column.author.name == "سامر نقولا حداد"
        finally:
            store.close()


def test_a_bug_met_on_one_page_fails_that_page_only_and_it_is_asked_again(
        tmp_path: Path, sites: dict[str, Site], store: Store,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # Simulated bugs (the parts around them are real): extraction blows up on one page,
    # normalisation on another. Each is one failed item; the rest of the source is stored.
    import syndicate.core.collect as core_collect
    import syndicate.sources.base as sources_base
    from syndicate.normalise import normalise as normalise_draft
    from syndicate.sources.extract import extract_column

    config = make_config(tmp_path, sites, gulf_start="/opinion/clean.html")
    real_extract, real_normalise = extract_column, normalise_draft
    probe = Store.open(f"sqlite:///{tmp_path / 'probe.db'}")  # learns the column pages
    (listed,) = run_collect(config, probe, clock=fixed_clock(NOW), source_names=["gulf"])
    probe.close()
    pages = sorted(i.key for i in listed.items if i.outcome is Outcome.NEW)
    assert len(pages) == 4
    broken_read, broken_normalise = pages[0], pages[1]

    def extract(*args: Any, url: str, **kwargs: Any) -> Any:
        if url == broken_read:
            raise KeyError("selectolax surprise")
        return real_extract(*args, url=url, **kwargs)

    def normalise(draft: Any, **kwargs: Any) -> Any:
        if draft.url == broken_normalise:
            raise ZeroDivisionError("division by zero")
        return real_normalise(draft, **kwargs)

    monkeypatch.setattr(sources_base, "extract_column", extract)
    monkeypatch.setattr(core_collect, "normalise", normalise)
    with caplog.at_level(logging.ERROR, logger="syndicate"):
        (result,) = run_collect(config, store, clock=fixed_clock(NOW), source_names=["gulf"])
    outcomes = {i.key: (i.outcome, i.reason) for i in result.items}
    assert outcomes[broken_read][0] is Outcome.FAILED
    assert "KeyError" in outcomes[broken_read][1] and "bug in syndicate" in outcomes[broken_read][1]
    assert outcomes[broken_normalise][0] is Outcome.FAILED
    assert "ZeroDivisionError" in outcomes[broken_normalise][1]
    assert sorted(k for k, (o, _) in outcomes.items() if o is Outcome.NEW) == pages[2:]
    assert sum("Traceback" in (r.exc_text or "") for r in caplog.records) == 2

    # Fixed (a new release): both pages are fetched in full and stored on the next run.
    monkeypatch.setattr(sources_base, "extract_column", real_extract)
    monkeypatch.setattr(core_collect, "normalise", real_normalise)
    (again,) = run_collect(config, store, clock=fixed_clock(NOW), source_names=["gulf"])
    assert sorted(i.key for i in again.items if i.outcome is Outcome.NEW) == pages[:2]
