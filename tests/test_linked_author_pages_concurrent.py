"""Author pages on a first run are read side by side, within the host's limits (issue 18
follow-up): before, each was read in the collecting thread one after another, so a
paper with many new authors paid one round trip per author, in a row.

Observed from the server, with nothing timed: the author host holds each request until a
second one is in flight (``Site.meet``), which only happens when they overlap, and counts
the most it ever had at once, which must never pass ``http.per_host_concurrency``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.core.collect import run_collect
from syndicate.store import Store

from .collect_helpers import Site, serve
from .linked_sites import HTTP, write_files
from .progress_helpers import Recorder

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)
AUTHORS = 7  # more than the per-host limit (2) and the author-page threads (4)


def _post(number: int, people: str) -> str:
    return f"""<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8">
<title>تدوينة {number}</title></head><body><article><h1>تدوينة رقم {number}</h1>
<p class="byline"><a href="{people}/u/{number}.html">الكاتب {number}</a></p>
<time datetime="2025-09-2{number % 5}T08:00:00+03:00">2025</time>
<div class="post-body"><p>نص التدوينة {number}: الماء حياة والمدن تحتاج إلى تخطيط.</p></div>
</article></body></html>"""


def _profile(number: int) -> str:
    return f"""<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"></head><body>
<section class="profile"><p class="role">كاتب رقم {number}</p>
<span class="count">له {number + 10} مقالاً</span></section></body></html>"""


@pytest.fixture
def people(tmp_path: Path) -> Iterator[Site]:
    """The platform's author pages, on a host of their own (127.0.0.3)."""
    root = write_files(tmp_path / "people", {
        f"u/{n}.html": _profile(n) for n in range(AUTHORS)})
    with serve(root, host="127.0.0.3", meet=2) as served:
        yield served


@pytest.fixture
def posts(tmp_path: Path, people: Site) -> Iterator[Site]:
    links = "".join(f'<a class="post" href="/p/{n}.html">{n}</a>' for n in range(AUTHORS))
    root = write_files(tmp_path / "posts", {
        "index.html": f"<!DOCTYPE html><html><body>{links}</body></html>",
        **{f"p/{n}.html": _post(n, people.base) for n in range(AUTHORS)}})
    with serve(root, host="127.0.0.2") as served:
        yield served


SOURCE = """
  - name: platform
    kind: html
    start_urls: ["{base}/index.html"]
    allowed_hosts: ["127.0.0.3:{people_port}"]
    links: a.post
    fields:
      title: h1
      author: .byline a
      author_url: .byline a@href
      published: time@datetime
      body: .post-body
    author_page:
      credentials: .profile .role
      article_count: .profile .count
"""


def test_first_run_reads_author_pages_side_by_side_within_the_host_limit(
        tmp_path: Path, posts: Site, people: Site) -> None:
    path = tmp_path / "schedules.yaml"
    # A client time-out longer than the server's wait for company: a request sent alone
    # is answered (late), not abandoned while still counted in flight.
    path.write_text(HTTP.replace("timeout_s: 2", f"timeout_s: {people.meet_s * 4:g}")
                    + "sources:" + SOURCE.format(base=posts.base, people_port=people.port), encoding="utf-8")
    config = load(str(path))
    limit = config.http.per_host_concurrency
    assert limit == 2 and AUTHORS > limit
    store = Store.open(config.store_url)
    try:
        progress = Recorder()
        result = run_collect(config, store, clock=fixed_clock(NOW), progress=progress)[0]
        assert result.counter("new") == AUTHORS, result.items
        # The progress bar counts the author pages, read on their own threads, too.
        task = progress.tasks["collect:platform"]
        assert task.done == task.total == result.counter("pages_fetched") == 1 + 2 * AUTHORS
        asked = sorted(p for p in people.paths() if p.startswith("/u/"))
        assert asked == sorted(f"/u/{n}.html" for n in range(AUTHORS))  # each once
        assert people.max_in_flight == limit  # side by side, and never more than allowed
        assert posts.max_in_flight <= limit
        counts = {c.title: (c.author.credentials, c.author.article_count)
                  for c in store.columns.list()}
        assert counts == {f"تدوينة رقم {n}": (f"كاتب رقم {n}", n + 10) for n in range(AUTHORS)}
    finally:
        store.close()
