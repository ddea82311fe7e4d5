"""A link a listing names on another port of a configured host is not fetched (issue 16
follow-up). Redirects there were refused already (test_collect_redirect_ports.py); a link
on the page itself was followed: a listing naming "http://site:6379/…" made us talk to
whatever listens there. Now it is skipped, with a log line naming the URL.

Two real loopback servers on one host (127.0.0.1, the configured host), two ports: the
paper on the first, the listing linking one page on the second, which must never hear
of it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from syndicate.clock import fixed_clock
from syndicate.config import Config
from syndicate.core.collect import run_collect, source_ports, source_scope
from syndicate.errors import NotAllowedError, SyndicateError
from syndicate.sources.http import Fetcher
from syndicate.store import Store
from syndicate.types import Outcome

from .collect_helpers import Site, serve
from .linked_sites import write_config, write_files
from .test_collect_http import settings

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)


def _column(title: str) -> str:
    return f"""<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"></head><body>
<article><h1>{title}</h1><p class="by">سلمى الهاجري</p>
<time datetime="2025-09-24T08:00:00+03:00">2025</time>
<div class="body"><p>نص المقال: {title}. الماء حياة والمدن تحتاج إلى تخطيط.</p></div>
</article></body></html>"""


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Site]:
    """Another service on the same host (say, Redis on 6379): it answers anything."""
    with serve(write_files(tmp_path / "other", {"x.html": _column("ليس مقالاً")})) as site:
        yield site


@pytest.fixture
def paper(tmp_path: Path, other: Site) -> Iterator[Site]:
    root = write_files(tmp_path / "paper", {
        "index.html": f"""<!DOCTYPE html><html><body>
<a class="col" href="/col/1.html">1</a>
<a class="col" href="{other.base}/x.html">2</a></body></html>""",
        "col/1.html": _column("الماء أولاً")})
    with serve(root) as site:
        yield site


def config_for(tmp_path: Path, paper: Site) -> Config:
    return write_config(tmp_path, f"""
  - name: paper
    kind: html
    start_urls: ["{paper.base}/index.html"]
    links: a.col
    fields:
      title: h1
      author: .by
      published: time@datetime
      body: .body
""")


def test_a_listed_link_to_another_port_is_skipped_naming_the_url(
        tmp_path: Path, paper: Site, other: Site, caplog: pytest.LogCaptureFixture) -> None:
    config = config_for(tmp_path, paper)
    store = Store.open(config.store_url)
    try:
        with caplog.at_level(logging.WARNING):
            result = run_collect(config, store, clock=fixed_clock(NOW))[0]
        assert [c.title for c in store.columns.list()] == ["الماء أولاً"]
    finally:
        store.close()
    assert other.paths() == []
    skipped = {i.key: i.reason for i in result.items if i.outcome is Outcome.SKIPPED}
    refused = f"{other.base}/x.html"
    assert refused in skipped and f"port {other.port} of 127.0.0.1" in skipped[refused]
    assert any(refused in r.getMessage() and str(other.port) in r.getMessage()
               for r in caplog.records if r.levelno == logging.WARNING)


def test_a_source_may_be_read_on_its_own_ports_and_the_default_ones(
        tmp_path: Path, paper: Site) -> None:
    config = config_for(tmp_path, paper)
    locations = [f"{paper.base}/index.html"]
    hosts, roots = source_scope(locations, config.sources[0])
    with httpx.Client() as client:
        fetcher = Fetcher(client, settings(), hosts=hosts, file_roots=roots,
                          ports=source_ports(locations, config.sources[0]))
        fetcher.check_allowed(f"{paper.base}/col/2.html")
        fetcher.check_allowed("https://127.0.0.1/col/2.html")  # http → https on one site
        fetcher.check_allowed("http://127.0.0.1/col/2.html")
        with pytest.raises(NotAllowedError, match="port 6379 of 127.0.0.1"):
            fetcher.check_allowed("http://127.0.0.1:6379/")
        with pytest.raises(NotAllowedError, match="port 80 of 127.0.0.1"):
            fetcher.check_allowed("https://127.0.0.1:80/")


def test_allowed_hosts_may_name_a_port_and_a_wrong_one_is_a_config_error(
        tmp_path: Path) -> None:
    config = write_config(tmp_path, """
  - name: paper
    kind: html
    start_urls: ["https://paper.example/opinion/"]
    allowed_hosts: [cdn.paper.example, "media.paper.example:8443"]
    links: a.col
""")
    source = config.sources[0]
    locations = ["https://paper.example/opinion/"]
    assert source_ports(locations, source) == {
        "paper.example": set(), "cdn.paper.example": set(), "media.paper.example": {8443}}
    assert source_scope(locations, source)[0] == {
        "paper.example", "cdn.paper.example", "media.paper.example"}
    with pytest.raises(SyndicateError, match=r"schedules.yaml:\d+.*cdn.example:port"):
        write_config(tmp_path, """
  - name: paper
    kind: html
    start_urls: ["https://paper.example/opinion/"]
    allowed_hosts: ["cdn.example:port"]
    links: a.col
""")


def test_sources_test_skips_it_too_and_speaks_as_the_source(
        tmp_path: Path, paper: Site, other: Site) -> None:
    """`syndicate sources test` previews a source as `collect` reads it: the same ports
    and the source's own http settings (its User-Agent here), not the file's."""
    from syndicate.core.discovery import test_source

    path = tmp_path / "schedules.yaml"
    config_for(tmp_path, paper)
    path.write_text(path.read_text(encoding="utf-8") + (
        "    http:\n      user_agent: \"paper-preview/2.0\"\n"), encoding="utf-8")
    from syndicate.config import load

    found = test_source(load(str(path)), "paper", now=NOW, limit=5)
    assert other.paths() == []  # never asked
    assert [column["title"].value for column in found.columns] == ["الماء أولاً"], found
    agents = {headers.get("User-Agent") for _, headers in paper.requests}
    assert agents == {"paper-preview/2.0"}, agents
