"""Serving feeds over real HTTP (uvicorn on 127.0.0.1): types, ETag, 304, compression."""

from __future__ import annotations

import gzip
import http.client
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email.utils import formatdate
from pathlib import Path

import brotli
import feedparser
import pytest
from starlette.applications import Starlette

from syndicate.clock import fixed_clock
from syndicate.core.feeds import run_feeds
from syndicate.web.app import create_app

from .feeds_helpers import NOW, add, make_column, make_config, open_store
from .loopback import serve_app


@contextmanager
def serve(app: Starlette) -> Iterator[int]:
    with serve_app(app) as base:
        yield int(base.rsplit(":", 1)[1])


def get(port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"
        ) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    tmp = tmp_path_factory.mktemp("feeds-web")
    config = make_config(tmp)
    store = open_store(config)
    for number in range(8):
        add(store, make_column(number))
    run_feeds(config, store, clock=fixed_clock(NOW))
    app = create_app(config, store=store, clock=fixed_clock(NOW))
    with serve(app) as port:
        yield port, tmp
    store.close()


@pytest.mark.parametrize(("path", "media_type"), [
    ("/feeds/columns.rss", "application/rss+xml; charset=utf-8"),
    ("/feeds/columns.atom", "application/atom+xml; charset=utf-8"),
    ("/feeds/authors/mudy-mbark.json", "application/feed+json; charset=utf-8"),
    ("/feeds/", "text/html; charset=utf-8"),
])
def test_content_types_and_caching_headers(site: tuple[int, Path], path: str,
                                           media_type: str) -> None:
    port, tmp = site
    status, headers, body = get(port, path)
    assert status == 200
    assert headers["content-type"] == media_type
    assert headers["etag"].startswith('"') and not headers["etag"].startswith("W/")
    assert headers["cache-control"] == "public, max-age=300"
    assert headers["vary"] == "Accept-Encoding"
    assert "content-encoding" not in headers  # the client asked for no compression
    on_disk = tmp / "feeds" / (path.removeprefix("/feeds/") or "index.html")
    assert body == on_disk.read_bytes()
    assert headers["last-modified"] == formatdate(int(on_disk.stat().st_mtime), usegmt=True)


def test_the_root_redirects_to_the_feeds_index(site: tuple[int, Path]) -> None:
    port, tmp = site
    for method in ("GET", "HEAD"):
        status, headers, _ = get(port, "/", method=method)
        assert status == 307, method
        assert headers["location"] == "/feeds/"
    status, headers, body = get(port, "/feeds/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    page = body.decode("utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert body == (tmp / "feeds" / "index.html").read_bytes()


def test_304_for_if_none_match_and_if_modified_since(site: tuple[int, Path]) -> None:
    port, _ = site
    status, headers, _ = get(port, "/feeds/columns.atom")
    etag, modified = headers["etag"], headers["last-modified"]
    status, again, body = get(port, "/feeds/columns.atom", {"If-None-Match": etag})
    assert (status, body) == (304, b"")
    assert again["etag"] == etag and again["cache-control"] == "public, max-age=300"
    assert get(port, "/feeds/columns.atom", {"If-None-Match": f'"x", W/{etag}'})[0] == 304
    assert get(port, "/feeds/columns.atom", {"If-None-Match": '"other"'})[0] == 200
    assert get(port, "/feeds/columns.atom", {"If-Modified-Since": modified})[0] == 304
    earlier = formatdate(time.time() - 10 * 86400, usegmt=True)
    assert get(port, "/feeds/columns.atom", {"If-Modified-Since": earlier})[0] == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    assert get(port, "/feeds/columns.atom",
               {"If-None-Match": '"other"', "If-Modified-Since": modified})[0] == 200


def test_gzip_and_brotli_with_their_own_strong_etags(site: tuple[int, Path]) -> None:
    port, tmp = site
    plain = (tmp / "feeds" / "columns.rss").read_bytes()
    status, headers, body = get(port, "/feeds/columns.rss", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == plain and len(body) < len(plain) / 3
    gzip_tag = headers["etag"]
    status, headers, body = get(port, "/feeds/columns.rss", {"Accept-Encoding": "gzip, br"})
    assert headers["content-encoding"] == "br"
    assert brotli.decompress(body) == plain
    assert len({gzip_tag, headers["etag"], get(port, "/feeds/columns.rss")[1]["etag"]}) == 3
    assert get(port, "/feeds/columns.rss", {"Accept-Encoding": "br;q=0, gzip"}
               )[1]["content-encoding"] == "gzip"
    # A client holding the gzip copy revalidates with its tag: still fresh.
    status, _, _ = get(port, "/feeds/columns.rss",
                       {"Accept-Encoding": "gzip", "If-None-Match": gzip_tag})
    assert status == 304
    parsed = feedparser.parse(plain)
    assert parsed.bozo == 0


def test_head_and_not_found_and_no_escape(site: tuple[int, Path]) -> None:
    port, tmp = site
    status, headers, body = get(port, "/feeds/columns.atom", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["content-length"]) == (tmp / "feeds" / "columns.atom").stat().st_size
    (tmp / "secret.txt").write_text("secret")
    for path in ("/feeds/missing.atom", "/feeds/../secret.txt", "/feeds/%2e%2e/secret.txt",
                 "/feeds/..%2fsyndicate.db", "/feeds/.columns.atom.tmp", "/feeds/columns.py"):
        assert get(port, path)[0] == 404, path
    status, headers, _ = get(port, "/feeds")
    assert status == 308 and headers["location"] == "/feeds/"


def test_rebuilt_feed_gets_a_new_etag(tmp_path: Path) -> None:
    config = make_config(tmp_path, per_source=False, per_author=False)
    store = open_store(config)
    add(store, make_column(1))
    run_feeds(config, store, clock=fixed_clock(NOW))
    with serve(create_app(config, store=store, clock=fixed_clock(NOW))) as port:
        first = get(port, "/feeds/columns.json")[1]["etag"]
        add(store, make_column(0), now=NOW + timedelta(hours=1))
        run_feeds(config, store, clock=fixed_clock(NOW + timedelta(hours=1)))
        status, headers, body = get(port, "/feeds/columns.json", {"If-None-Match": first})
        assert status == 200 and headers["etag"] != first
        assert b"https://news.example/opinion/0" in body
    store.close()


def test_a_feed_no_longer_built_answers_410_and_comes_back_when_rebuilt(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = open_store(config)
    add(store, make_column(1))
    run_feeds(config, store, clock=fixed_clock(NOW))
    narrower = make_config(tmp_path, per_author=False)
    with serve(create_app(narrower, store=store, clock=fixed_clock(NOW))) as port:
        path = "/feeds/authors/jabr-salm.atom"
        assert get(port, path)[0] == 200
        run_feeds(narrower, store, clock=fixed_clock(NOW))  # the author feeds switched off
        status, _headers, body = get(port, path)
        assert status == 410 and b"no longer published" in body
        assert get(port, "/feeds/authors/never-existed.atom")[0] == 404
        run_feeds(config, store, clock=fixed_clock(NOW))  # and on again
        status, _headers, body = get(port, path)
        assert status == 200 and feedparser.parse(body).bozo == 0
    store.close()


def test_feeds_allow_any_origin_but_subscribe_and_status_do_not(site: tuple[int, Path]) -> None:
    port, _ = site
    origin = {"Origin": "https://reader.example"}
    status, headers, _ = get(port, "/feeds/columns.json", origin)
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    assert "etag" in headers["access-control-expose-headers"].lower()
    status, again, _ = get(port, "/feeds/columns.json", {**origin,
                                                         "If-None-Match": headers["etag"]})
    assert status == 304 and again["access-control-allow-origin"] == "*"
    # A browser asks first before sending If-None-Match from another origin.
    status, preflight, _ = get(port, "/feeds/columns.json", {
        **origin, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"}, method="OPTIONS")
    assert status == 204 and preflight["access-control-allow-origin"] == "*"
    assert "if-none-match" in preflight["access-control-allow-headers"].lower()
    assert "GET" in preflight["access-control-allow-methods"]
    for path in ("/subscribe", "/status", "/status.json", "/"):
        _, headers, _ = get(port, path, origin)
        assert "access-control-allow-origin" not in headers, path
