"""Out-of-sample measurement of `syndicate sources discover` (issue 11).

Loopback papers under tests/data/sites/blind_*/ (first set: Qatar's Al-Sharq from a real
page's text, an Egyptian daily, Morocco's Hespress on WordPress, a Saudi daily with clean
URLs), blind2_*/ (second set: Al-Khaleej on Drupal, Annahar with Levantine months, a
legacy ASP.NET paper in windows-1256) and blind3_*/ (third set, held out: Echorouk on
Joomla, Asharq Al-Awsat on Next.js) were modelled on real Arabic opinion sections by
someone who did NOT read syndicate/discover/ (the generator is tests/data/sites/blind_make/).
For each: discover --write into an empty config, collect into a fresh SQLite store, then
every field of every column is compared with the paper's truth.json.

The issue's target is 95 % of the fields per paper. Main must stay green while discovery
catches up, so the score is a RATCHET: each paper must get at least BASELINE right (its
first measurement); the lines printed with -s give each paper's score, its misses one by
one and how far it is from 95 %. Also asserted: every field a paper never prints is named
in the preview's "missing", and nothing but the section's columns is stored.

The server is inlined here: unlike tests/collect_helpers.py it serves clean URLs (a
folder's index.html, ?page=2 mapped to the file "page=2.html" beside it), bytes as stored
(windows-1256 pages) and emulates the WordPress REST API from the paper's wp-api.json as a
hardened WordPress answers (category filter, paging with X-WP-Total, 400 past the last
page, users route off).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from lxml import html as lxml_html

from syndicate.cli.main import main
from syndicate.store import Store
from syndicate.types import Column

from .loopback import serve_handler

SITES = Path(__file__).parent / "data" / "sites"
# Each paper's folder under SITES and the fields it got right when first measured: a RATCHET.
# A paper may only stay or improve (a regression fails); the gap to the 95 % is printed.
# The lead raises a baseline after merging a discovery fix; nobody lowers one.
BASELINE = {
    # First set, 2026-12-07 15:48 UTC, commit 75c0944 (main at 4d751c4):
    # .venv/bin/python -m pytest -q -p no:cacheprovider -s tests/test_discover_blind_sites.py
    "blind_sharq": 50, "blind_masry": 48, "blind_hespress": 0, "blind_okaz": 0,
    # Second set, 2026-12-07 ~16:12 UTC, commit 5277642 (main at e6d2e76), same command:
    "blind2_khaleej": 0, "blind2_annahar": 0, "blind2_watan": 0,
    # Third set, 2026-12-07 ~16:31 UTC, commit 59c377d (main at fe67328), same command:
    "blind3_echorouk": 48, "blind3_awsat": 44,
}
# Raised 2026-12-07 ~17:00 UTC on branch discover3 (same command). masry, okaz and
# annahar had improved on main (discover2) without a raise; sharq back from 48 to 54 by
# the credentials fix (b2147aa); okaz 48 -> 54 by the BEM views class (44c5329); hespress
# 0 -> 54 by the byline in the article's own <header> (47bd9bd); watan 0 -> 54 by the title
# from «SITE :: TITLE» and a remove: that would take text paragraphs refused (commit "A page
# without h1…", f3d9da3); annahar 48 -> 54 by «إقرأ أيضاً» in any spelling (fe89de6);
# khaleej 0 -> 54 by dated Drupal URLs, a narrower links: selector, Drupal's views-* classes
# not taken for a view count, and no credentials equal to the writer's name (f4b45b3).
BASELINE.update({"blind_sharq": 54, "blind_masry": 54, "blind_okaz": 54, "blind_hespress": 54,
                 "blind2_khaleej": 54, "blind2_annahar": 54, "blind2_watan": 54})
# Raised 2026-12-07 ~17:25 UTC on branch discover3 (same command): echorouk 48 -> 54 by
# «إشهار» (the Maghreb word for an ad) as junk and a structured (microdata) body with an ad
# inside no longer trusted, so a body: selector and its remove: are written.
BASELINE.update({"blind3_echorouk": 54})
# Raised 2026-12-07 ~17:30 UTC on branch discover3 (same command): awsat 44 -> 54 by
# selectors on a CSS module class's stable prefix (`[class*="ArticleBody_body__"]`)
# instead of dropping the hashed class (`body: div`, credentials not found).
BASELINE.update({"blind3_awsat": 54})
PAPERS = tuple(BASELINE)
FIELDS = ("url", "title", "author", "credentials", "article_count", "author_url", "published",
          "views", "body")
PREVIEW_NAME = {"credentials": "author_credentials", "article_count": "author_article_count"}
TARGET = 0.95

_HIDDEN = {"truth.json", "wp-api.json", "_headers.json"}
_NO_ROUTE = {"code": "rest_no_route",
             "message": "لم يتم العثور على مسار يتوافق مع URL وطريقة الطلب.", "data": {"status": 404}}


@dataclass
class BlindSite:
    root: Path
    port: int = 0
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class _Handler(BaseHTTPRequestHandler):
    site: BlindSite
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            pass  # the client hung up on a kept-alive connection: nothing to report

    def do_GET(self) -> None:
        with self.site.lock:
            self.site.requests.append(self.path)
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        path = unquote(parts.path)
        if "rest_route" in query:
            path = "/wp-json" + query["rest_route"][0]
        if path.rstrip("/") == "/wp-json" or path.startswith("/wp-json/"):
            return self._wp(path.removeprefix("/wp-json").strip("/"), query)
        return self._static(path, parts.query)

    def _send(self, status: int, body: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _text(self, text: str) -> bytes:
        return text.replace("http://HOST", self.site.base).encode("utf-8")

    def _static(self, path: str, query: str) -> None:
        root = self.site.root
        file = (root / path.lstrip("/")).resolve()
        if root.resolve() not in (file, *file.parents):
            return self._send(404, b"not found", "text/plain")
        if file.is_dir():
            keyed = [file / f"{query.replace('&', '_')}{suffix}" for suffix in (".html", ".xml")]
            file = next((k for k in keyed if query and k.is_file()), None) or next(
                (file / n for n in ("index.html", "index.xml") if (file / n).is_file()), file)
        if not file.is_file() or file.name in _HIDDEN or file.parent.name == "blind_make":
            return self._send(404, "<h1>الصفحة غير موجودة</h1>".encode(), "text/html; charset=utf-8")
        types = {".html": "text/html; charset=UTF-8", ".txt": "text/plain; charset=utf-8",
                 ".xml": "application/xml; charset=UTF-8"}
        headers: dict[str, str] = {}
        extra = root / "_headers.json"
        if extra.is_file():  # {"*": headers of HTML pages, "types": {suffix: content type}}
            settings = json.loads(extra.read_text())
            types |= settings.get("types", {})
            if file.suffix == ".html":
                headers = {k: v.replace("http://HOST", self.site.base)
                           for k, v in settings.get("*", {}).items()}
        kind = types.get(file.suffix, "application/octet-stream")
        if file.name == "index.xml":
            kind = "application/rss+xml; charset=UTF-8"
        # Bytes as stored: a legacy paper's pages are windows-1256.
        body = file.read_bytes().replace(b"http://HOST", self.site.base.encode())
        self._send(200, body, kind, headers)

    def _json(self, status: int, value: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, self._text(json.dumps(value, ensure_ascii=False)),
                   "application/json; charset=UTF-8",
                   {"Link": f'<{self.site.base}/wp-json/>; rel="https://api.w.org/"',
                    **(headers or {})})

    def _wp(self, route: str, query: dict[str, list[str]]) -> None:
        data_file = self.site.root / "wp-api.json"
        if not data_file.is_file():
            return self._static("/wp-json/" + route, "")
        data = json.loads(data_file.read_text(encoding="utf-8"))
        if route == "":
            return self._json(200, {"name": "هسبريس", "description": "جريدة إلكترونية مغربية",
                                    "url": "http://HOST", "home": "http://HOST",
                                    "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
                                    "routes": {"/wp/v2/posts": {}, "/wp/v2/categories": {}}})

        def one(name: str) -> str:
            return query.get(name, [""])[0]

        if route in ("wp/v2/posts", "wp/v2/categories"):
            items = data["posts" if route.endswith("posts") else "categories"]
            if one("categories"):
                wanted = {int(x) for x in one("categories").split(",")}
                items = [p for p in items if wanted & set(p["categories"])]
            if one("slug"):
                items = [p for p in items if p["slug"] == one("slug")]
            if one("search"):
                items = [p for p in items if one("search") in json.dumps(p, ensure_ascii=False)]
            if not one("_embed") and route.endswith("posts"):
                items = [{k: v for k, v in p.items() if k != "_embedded"} for p in items]
            per_page = min(int(one("per_page") or 10), 100)
            page = int(one("page") or 1)
            pages = max(1, -(-len(items) // per_page))
            if page > pages:
                return self._json(400, {"code": "rest_post_invalid_page_number", "message":
                                        "رقم الصفحة المطلوب أكبر من عدد الصفحات المتاحة.",
                                        "data": {"status": 400}})
            return self._json(200, items[(page - 1) * per_page:page * per_page],
                              {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(pages)})
        for kind in ("posts", "categories"):
            prefix = f"wp/v2/{kind}/"
            if route.startswith(prefix) and route[len(prefix):].isdigit():
                found = [p for p in data[kind] if p["id"] == int(route[len(prefix):])]
                if found:
                    return self._json(200, found[0])
                return self._json(404, {"code": "rest_post_invalid_id", "message": "معرّف غير صالح.",
                                         "data": {"status": 404}})
        return self._json(404, _NO_ROUTE)


@contextmanager
def serve_blind(root: Path) -> Iterator[BlindSite]:
    site = BlindSite(root=root.resolve())
    with serve_handler(type("Handler", (_Handler,), {"site": site})) as server:
        site.port = server.server_address[1]
        yield site


# ---------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Measured:
    name: str
    right: int
    total: int
    misses: list[str]
    preview_missing: dict[str, str]
    lacks: list[str]
    chosen: str
    extras: list[str]  # stored, not a column of the section (news, author pages …)
    per_field: dict[str, int]  # right answers per field, out of the paper's columns
    columns: int

    @property
    def line(self) -> str:
        shown = "; ".join(self.misses) if self.misses else "none"
        return f"{self.label}: {self.right}/{self.total} fields right; misses: {shown}"

    @property
    def label(self) -> str:
        return self.name.replace("_", " ", 1)  # "blind sharq", "blind2 khaleej"


def _path(url: str | None) -> str | None:
    """A URL's path and query, decoded: what names a page on one host (?id= included)."""
    if url is None:
        return None
    parts = urlsplit(url)
    path = unquote(parts.path).rstrip("/") or "/"
    return f"{path}?{unquote(parts.query)}" if parts.query else path


def _paragraphs(body_html: str) -> list[str]:
    """The body's paragraphs as a reader sees them: one per block element or <br> run."""
    if not body_html.strip():
        return []
    tree = lxml_html.fragment_fromstring(body_html, create_parent="div")
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in tree.iter("p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "figure"):
        block.tail = "\n" + (block.tail or "")
        block.text = "\n" + (block.text or "")
    text = tree.text_content().replace("\xa0", " ")
    return [" ".join(line.split()) for line in text.split("\n") if line.split()]


def _got(column: Column, field_name: str) -> Any:
    author = column.author
    return {
        "url": _path(column.url), "title": " ".join(column.title.split()), "author": author.name,
        "credentials": author.credentials, "article_count": author.article_count,
        "author_url": _path(author.url), "published": column.published,
        "views": column.views, "body": _paragraphs(column.body_html),
    }[field_name]


def _want(truth: dict[str, Any], field_name: str) -> Any:
    value = truth[field_name]
    if field_name in ("url", "author_url"):
        return _path("http://x" + value) if value else None
    if field_name == "published":
        return datetime.fromisoformat(value)
    if field_name == "body":
        return [" ".join(p.split()) for p in value]
    return value


def _short(value: Any) -> str:
    text = value.isoformat() if isinstance(value, datetime) else repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


def measure(name: str, tmp: Path) -> Measured:
    root = SITES / name
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    config = tmp / "schedules.yaml"
    config.write_text(EMPTY_CONFIG, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with serve_blind(root) as site, contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        # A non-zero exit is part of the measurement (it is reported), not an error here.
        discovered = main(["--now", truth["now"], "sources", "discover",
                           site.base + truth["listing"], "--write", "--config", str(config),
                           "--json"])
        said = out.getvalue()
        collected = main(["--now", truth["now"], "collect", "--config", str(config)])
    try:
        report = json.loads(said)
    except ValueError:  # "nothing usable" ends discovery before any JSON
        errors = [line for line in err.getvalue().splitlines() if line.lower().startswith("error")]
        report = {"chosen": None, "preview": {"missing": {}},
                  "error": errors[-1] if errors else err.getvalue()[-200:]}
    store = Store.open(f"sqlite:///{tmp / 'syndicate.db'}")
    try:
        stored = {_path(c.url): c for c in store.columns.list()}
    finally:
        store.close()
    right, total = 0, 0
    per_field = dict.fromkeys(FIELDS, 0)
    misses = [f"`{command}` exited {code}" for command, code in
              (("sources discover", discovered), ("collect", collected)) if code]
    if "error" in report:
        misses.append(f"discover said: {report['error']}")
    for col in truth["columns"]:
        column = stored.get(_want(col, "url"))
        label = f"«{col['title'][:24]}»"
        total += len(FIELDS)
        if column is None:
            misses.append(f"{label}: not collected (all {len(FIELDS)} fields)")
            continue
        for field_name in FIELDS:
            want, got = _want(col, field_name), _got(column, field_name)
            if got == want:
                right += 1
                per_field[field_name] += 1
            else:
                misses.append(f"{label} {field_name}: got {_short(got)}, want {_short(want)}")
    known = {_want(c, "url") for c in truth["columns"]}
    known |= {_path("http://x" + p) for p in truth["older"]}
    extras = sorted(str(p) for p in stored if p not in known)
    return Measured(name, right, total, misses, report["preview"]["missing"], truth["lacks"],
                    str(report["chosen"]), extras, per_field, len(truth["columns"]))

EMPTY_CONFIG = """\
# An operator's fresh file: the project's default zone, no sources yet.
timezone: Asia/Qatar
store: syndicate.db
http:
  user_agent: "syndicate-blind-tests/1.0 (+https://example.org/bot)"
  min_delay_s: 0
  allow_private_addresses: true
"""


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Measured]:
    results = {name: measure(name, tmp_path_factory.mktemp(name)) for name in PAPERS}
    right = sum(m.right for m in results.values())
    total = sum(m.total for m in results.values())
    for m in results.values():
        print(m.line)
        gap = max(0, math.ceil(TARGET * m.total) - m.right)
        print(f"  {m.label} (way in: {m.chosen}; baseline {BASELINE[m.name]}; "
              f"{gap} fields short of {TARGET:.0%}) per field: "
              + ", ".join(f"{f} {n}/{m.columns}" for f, n in m.per_field.items()))
        if m.extras:
            print(f"  {m.label}: stored but not a column of the section: {m.extras}")
    print(f"blind total: {right}/{total} fields right ({right / total:.1%})")
    return results


@pytest.mark.parametrize("name", PAPERS)
def test_discovered_source_reads_the_paper_no_worse_than_first_measured(
        measured: dict[str, Measured], name: str) -> None:
    """The ratchet. The issue's target is 95 % of the fields per paper; today's gap is in the
    printed lines (pytest -s) and in /work/notes/blindsites.md."""
    m = measured[name]
    assert m.right >= BASELINE[name], "\n".join(
        [f"{m.line.split('; misses:')[0]}, below its baseline {BASELINE[name]}", *m.misses])


@pytest.mark.parametrize("name", PAPERS)
def test_what_the_paper_never_prints_is_named_missing(
        measured: dict[str, Measured], name: str) -> None:
    m = measured[name]
    unnamed = [f for f in m.lacks if PREVIEW_NAME.get(f, f) not in m.preview_missing]
    assert not unnamed, f"blind {name}: never printed but not named missing: {unnamed} " \
                        f"(missing named: {sorted(m.preview_missing)})"


@pytest.mark.parametrize("name", PAPERS)
def test_nothing_but_the_sections_columns_is_stored(
        measured: dict[str, Measured], name: str) -> None:
    """News of other sections, author pages and the like are not opinion columns."""
    assert not measured[name].extras, f"blind {name}: stored {measured[name].extras}"


def test_the_server_serves_pages_as_a_real_site() -> None:
    """The measurement's own instrument: clean URLs, ?page=2, hidden truth, WP paging."""
    import httpx

    with serve_blind(SITES / "blind_okaz") as okaz:
        page = httpx.get(okaz.base + "/opinion")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "2189610" in httpx.get(okaz.base + "/opinion?page=2").text
        assert httpx.get(okaz.base + "/truth.json").status_code == 404
        assert okaz.base in httpx.get(okaz.base + "/robots.txt").text
    with serve_blind(SITES / "blind_hespress") as wp:
        posts = httpx.get(wp.base + "/wp-json/wp/v2/posts?categories=7&per_page=5&page=2")
        assert posts.headers["x-wp-total"] == "8" and len(posts.json()) == 3
        assert "_embedded" not in posts.json()[0]
        assert httpx.get(wp.base + "/wp-json/wp/v2/posts?page=9").status_code == 400
        assert httpx.get(wp.base + "/wp-json/wp/v2/users").status_code == 404
        assert re.search(r"rel=\"https://api.w.org/\"", httpx.get(wp.base + "/opinions/").headers["link"])
