"""Author pages (issue 18, item 1 of the report): a blog platform on a second loopback
host whose column pages name the author and link a page holding credentials and counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import Config
from syndicate.core.collect import run_collect
from syndicate.store import Store
from syndicate.text.numbers import article_count_in

from .collect_helpers import Site, serve
from .linked_sites import BLOG_SOURCE, blog, write_config

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)
AUTHOR_PAGES = ("/u/salma-alhajri.html", "/u/noura-almarri.html", "/u/yousef-aldosari.html")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with serve(blog(tmp_path / "blog"), host="127.0.0.2") as served:
        yield served


def config_for(tmp_path: Path, site: Site, extra: str = "") -> Config:
    return write_config(tmp_path, BLOG_SOURCE.format(base=site.base), extra)


def more_views(root: Path) -> None:
    """Every post's view count moves on, so each post page is read again."""
    for post in (root / "posts").glob("*.html"):
        text = post.read_text(encoding="utf-8")
        post.write_text(text.replace('class="views">', 'class="views">9'), encoding="utf-8")


def author_requests(site: Site, since: int = 0) -> list[tuple[str, str | None]]:
    with site.lock:
        return [(path, headers.get("If-None-Match")) for path, headers in site.requests[since:]
                if path.startswith("/u/")]


@pytest.mark.parametrize(("text", "count"), [
    ("له ٣١ مقالاً", 31), ("لها ١٬٠٤٢ مقالة", 1042), ("عدد المقالات: ١٨٤", 184),
    ("انضمت عام ٢٠١٤ · لها ٣١ مقالاً", 31), ("١٨٤ مقالاً منذ ٢٠١٢", 184),
    ("كاتب منذ 2009، 412 مقالاً", 412), ("انضم في ٢٠١٤", None), ("مقالات 1.2 ألف", 1200),
])
def test_article_counts_in_words_and_digits_never_the_year_joined(text: str,
                                                                  count: int | None) -> None:
    assert article_count_in(text) == count


def test_author_pages_fill_what_the_column_page_lacks_once_per_run(
        tmp_path: Path, site: Site) -> None:
    config = config_for(tmp_path, site)
    store = Store.open(config.store_url)
    try:
        result = run_collect(config, store, clock=fixed_clock(NOW))[0]
        assert result.counter("new") == 4, result.items
        # Salma has two posts: her page is still asked once.
        assert sorted(p for p, _ in author_requests(site)) == sorted(AUTHOR_PAGES)
        by_title = {c.title: c for c in store.columns.list()}
        salma = by_title["الماء أولاً"].author
        assert salma.url == site.url("/u/salma-alhajri.html")
        assert salma.credentials == "مهندسة مياه وناشطة في شؤون البيئة"
        assert salma.article_count == 31  # not 2014, the year she joined
        assert salma.bio == "تكتب عن الماء والمدن."  # sanitised: no markup, no script
        assert salma.image_url == site.url("/img/salma.jpg")
        noura = by_title["حرّ المدن"].author
        assert noura.credentials == "كاتبة ضيفة"  # the post's own value wins
        assert noura.article_count == 1042
        yousef = by_title["الطاقة بعد النفط"].author  # JSON-LD ProfilePage, no selectors hit
        assert (yousef.credentials, yousef.article_count, yousef.bio, yousef.image_url) == (
            "باحث في الاقتصاد", 184, "يكتب عن الطاقة والأسواق.", site.url("/img/yousef.jpg"))

        # Unchanged, the same day: no request for any author page.
        mark = len(site.requests)
        run_collect(config, store, clock=fixed_clock(NOW + timedelta(hours=6)))
        assert author_requests(site, mark) == []
        # Past author_pages.revalidate_days (7), with every post's view count moved on
        # (so its page is read again): one conditional request per author page, a 304.
        more_views(tmp_path / "blog")
        mark = len(site.requests)
        again = run_collect(config, store, clock=fixed_clock(NOW + timedelta(days=8)))[0]
        asked = author_requests(site, mark)
        assert sorted(p for p, _ in asked) == sorted(AUTHOR_PAGES)
        assert all(etag for _, etag in asked)
        served = [s for p, s in site.statuses()[-len(site.requests) + mark:] if p.startswith("/u/")]
        assert served == [304, 304, 304]
        assert again.counter("new") == 0
        assert store.columns.get(site.url("/posts/water.html")).author.article_count == 31  # type: ignore[union-attr]
        # And the day after, nothing again (the 304 moved the check date on).
        mark = len(site.requests)
        run_collect(config, store, clock=fixed_clock(NOW + timedelta(days=9)))
        assert author_requests(site, mark) == []
    finally:
        store.close()


def test_revalidate_days_0_asks_every_run_conditionally(tmp_path: Path, site: Site) -> None:
    config = config_for(tmp_path, site, "author_pages:\n  revalidate_days: 0\n")
    store = Store.open(config.store_url)
    try:
        run_collect(config, store, clock=fixed_clock(NOW))
        more_views(tmp_path / "blog")
        mark = len(site.requests)
        run_collect(config, store, clock=fixed_clock(NOW + timedelta(minutes=30)))
        asked = author_requests(site, mark)
        assert len(asked) == 3 and all(etag for _, etag in asked)
    finally:
        store.close()


def test_an_author_page_off_the_configured_hosts_is_not_fetched(tmp_path: Path,
                                                                 site: Site) -> None:
    post = tmp_path / "blog" / "posts" / "heat.html"
    post.write_text(post.read_text(encoding="utf-8").replace(
        'href="/u/noura-almarri.html"', 'href="http://127.0.0.1:9/u/noura-almarri.html"'),
        encoding="utf-8")
    config = config_for(tmp_path, site)
    store = Store.open(config.store_url)
    try:
        result = run_collect(config, store, clock=fixed_clock(NOW))[0]
        assert result.counter("new") == 4
        column = store.columns.get(site.url("/posts/heat.html"))
        assert column is not None and column.author.article_count is None
        assert column.author.credentials == "كاتبة ضيفة"
        assert "/u/noura-almarri.html" not in [p for p, _ in author_requests(site)]
    finally:
        store.close()
