"""Collection benchmark: N generated column pages served on loopback.

The site runs in its own process (a ThreadingHTTPServer answering from memory, as
another machine would: no shared GIL); column n is published 3n hours before the
run, so 600 columns span 75 days, 8 a day. Reports, as the median of several runs:
- full collection: pages/s for a first collect into an empty SQLite store
  (listing pages + every column page fetched, parsed, normalised and stored, and
  each of the 40 writers' author pages read once: author_page, issue 18);
- unchanged re-collection: the same site again. Under the default policy
  (http.revalidate_days 14: a column older than that, confirmed less than 14 days
  ago, is not asked about) and with every column page re-validated
  (revalidate_days 0: one conditional GET answered 304 per column). Each with
  listing pages served without validators (as news sites' dynamic listings are:
  fetched in full each time) and with ETags on them too (a static site: they answer
  304 and their remembered links are walked);
- the server's own cost of those 304s: the same conditional GETs written on raw
  keep-alive sockets, as many as the per-host limit (what any client would wait for);
- parse time per page on one core: HTML → draft → normalised column, no I/O;
- the throttled case: a section of the site answering 429 + Retry-After: 1 above
  --throttle-rate requests/s, collected from an empty store with no politeness delay
  configured: columns collected, and requests/s toward it after its first 429 (from
  the server's own log) against its limit.

On loopback a 304 costs only CPU, most of it in the HTTP client (about 0.34 ms of
CPU a request here, four fifths of it inside httpx/httpcore/h11, against 0.08 ms of
the server's wall time on two connections); on a real site each
one costs a round trip and, politely, http.min_delay_s (0.5 s by default) before the
next request to that host: what the policy saves there is minutes, not milliseconds.

    python bench/collect.py [--pages 600] [--runs 5] [--throttle-pages 20] [--throttle-rate 2]

The last line is one JSON object: pages_per_s, recollect_speedup (default policy),
recollect_speedup_all_revalidated, parse_ms_per_page, and the rest.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import multiprocessing
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loopback_http import QuietHandler, serve_forever

from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.config.sources import HttpSettings
from syndicate.core.collect import run_collect
from syndicate.normalise import normalise
from syndicate.sources.base import page_reader
from syndicate.sources.fetching import Page
from syndicate.store import Store

NOW = datetime(2025, 9, 30, 12, 0, tzinfo=UTC)
QATAR = ZoneInfo("Asia/Qatar")
PER_LISTING = 100
HOURS_APART = 3
# A newspaper's robots.txt disallows something; every column URL is checked against it.
ROBOTS = (b"User-agent: *\nDisallow: /search\nDisallow: /admin/\nDisallow: /print/\n"
          b"Allow: /\n")
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
          "أكتوبر", "نوفمبر", "ديسمبر"]
PARAGRAPH = ("في ظل التحولات الاقتصادية التي تشهدها المنطقة يعود السؤال عن تنويع مصادر الدخل "
             "إلى الواجهة، فالدول التي تعتمد على مورد واحد تبقى رهينة تقلبات الأسواق، بينما "
             "تمنح القطاعات الجديدة اقتصادها مرونة وفرص عمل لشبابها. ")


def column_page(n: int) -> bytes:
    # Written in the site's local time (the source's default timezone, Asia/Qatar).
    when = (NOW - timedelta(hours=n * HOURS_APART)).astimezone(QATAR)
    hour = when.hour % 12 or 12
    date = (f"{when.day} {MONTHS[when.month - 1]} {when.year} , "
            f"{hour:02d}:{when.minute:02d}{'ص' if when.hour < 12 else 'م'}")
    body = "".join(f"<p>{PARAGRAPH * 3} ({n}.{i})</p>" for i in range(5))
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>مقال رقم {n}</title><link rel="canonical" href="/columns/{n}.html">
<meta property="og:title" content="مقال رقم {n}">
</head><body><header><nav>{'<a href="/">قسم</a>' * 30}</nav></header>
<div class="ad">مساحة إعلانية</div>
<aside class="author-box"><div class="author-name"><a class="author-link"
 href="/authors/writer-{n % 40}.html">الكاتب رقم {n % 40}</a></div>
<div class="author-credentials">- كاتب وباحث</div>
<div class="author-articles">مقالات <span class="count">{100 + n}</span></div></aside>
<article><h1 class="article-title">مقال رقم {n}: عن الاقتصاد والمجتمع</h1>
<span class="article-date">{date}</span> <span class="article-views">{1000 + n:,}</span>
<div class="article-body">{body}<div class="ad">مساحة إعلانية</div>
<div class="share"><a href="#">مشاركة</a></div></div></article>
<section class="read-more">{'<div class="item"><a href="/x">اقرأ المزيد</a> 93</div>' * 10}
</section><footer>{'حقوق النشر ' * 20}</footer></body></html>""".encode()


AUTHORS = 40  # column n is by writer n % 40, whose author page is read once per run


def author_page(n: int) -> bytes:
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>الكاتب رقم {n}</title></head><body><header><nav>{'<a href="/">قسم</a>' * 30}</nav>
</header><section class="profile"><img class="avatar" src="/img/writer-{n}.jpg" alt="">
<h1>الكاتب رقم {n}</h1><p class="role">كاتب وباحث في الاقتصاد</p>
<p class="stats">انضم عام ٢٠١٤ · له {100 + n} مقالاً</p>
<div class="bio"><p>{PARAGRAPH}</p></div></section></body></html>""".encode()


def listing_page(number: int, total: int, prefix: str) -> bytes:
    start = number * PER_LISTING
    links = "".join(f'<li><a class="column-link" href="/columns/{n}.html">{n}</a></li>'
                    for n in range(start, min(total, start + PER_LISTING)))
    more = start + PER_LISTING < total
    nxt = f'<a class="next-page" href="/{prefix}/{number + 1}.html">التالي</a>' if more else ""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><ul>{links}</ul>'
            f"{nxt}</body></html>").encode()


def _serve(pages: int, ports: multiprocessing.Queue[int], throttled: int = 0,
           rate: float = 0.0) -> None:
    files = {f"/columns/{n}.html": column_page(n) for n in range(pages)}
    files.update({f"/authors/writer-{n}.html": author_page(n) for n in range(AUTHORS)})
    # /t/: a section behind a rate limiter (429 + Retry-After: 1 above ``rate``/s).
    files.update({f"/t/columns/{n}.html": column_page(n) for n in range(throttled)})
    limiter = {"last": -1e9, "log": []}
    limiter_lock = threading.Lock()
    count = (pages + PER_LISTING - 1) // PER_LISTING
    # /opinion/ listings are dynamic (no validators, like most news sites' listings);
    # /static/ ones carry an ETag like every other file of a static site.
    listings = {f"/{prefix}/{i}.html": listing_page(i, pages, prefix)
                for i in range(count) for prefix in ("opinion", "static")}
    listings["/t/0.html"] = listing_page(0, throttled, "t").replace(
        b'href="/columns/', b'href="/t/columns/')
    etags = {p: etag_of(b) for p, b in files.items()}
    etags.update({p: etag_of(b) for p, b in listings.items() if p.startswith("/static/")})

    class Handler(QuietHandler):
        wbufsize = 1 << 16

        def do_GET(self) -> None:
            if self.path == "/__throttle_log":
                with limiter_lock:
                    log = json.dumps(limiter["log"]).encode()
                return self.answer(200, log)
            if self.path.startswith("/t/"):
                with limiter_lock:
                    now = time.monotonic()
                    over = now - limiter["last"] < 0.95 / rate  # type: ignore[operator]
                    if not over:
                        limiter["last"] = now
                    limiter["log"].append((now, 429 if over else 200))  # type: ignore[attr-defined]
                if over:
                    return self.answer(429, headers=[("Retry-After", "1")])
            body = ROBOTS if self.path == "/robots.txt" else \
                listings.get(self.path) or files.get(self.path)
            if body is None:
                return self.answer(404)
            etag = etags.get(self.path)
            if etag and self.headers.get("If-None-Match") == etag:
                return self.answer(304, headers=[("ETag", etag)])
            headers = [("Content-Type", "text/html; charset=utf-8")]
            if etag:
                headers.append(("ETag", etag))
            self.answer(200, body, headers)

    serve_forever(Handler, ports)


class Site:
    """The newspaper, in its own process (as another machine would be: no shared GIL)."""

    def __init__(self, pages: int, throttled: int = 0, rate: float = 1.0) -> None:
        self.files = {f"/columns/{n}.html": column_page(n) for n in range(pages)}
        self.listings = (pages + PER_LISTING - 1) // PER_LISTING
        self._ports: multiprocessing.Queue[int] = multiprocessing.Queue()
        self._process = multiprocessing.Process(
            target=_serve, args=(pages, self._ports, throttled, rate), daemon=True)
        self.port = 0

    def __enter__(self) -> Self:
        self._process.start()
        self.port = self._ports.get(timeout=30)
        return self

    def __exit__(self, *_: object) -> None:
        self._process.terminate()
        self._process.join(timeout=5)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


CONFIG = """
store: {store}
http:
  min_delay_s: 0  # loopback: no politeness delay to measure
  revalidate_days: {revalidate_days}
  per_host_concurrency: {concurrency}
  allow_private_addresses: true
sources:
  - name: bench
    kind: html
    start_urls: ["{base}/{prefix}/0.html"]
    links: a.column-link
    next_page: a.next-page
    max_pages: 1000
    fields:
      title: h1.article-title
      author: .author-name
      author_credentials: .author-credentials
      author_article_count: .author-articles .count
      author_url: a.author-link@href
      published: .article-date
      views: .article-views
      body: .article-body
      remove: [.ad, .share]
    author_page:  # bio and photo from each writer's page (credentials and count: the column's)
      credentials: .profile .role
      article_count: .profile .stats
      bio: .profile .bio
      photo: .profile img.avatar@src
"""


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def recent(pages: int, days: int) -> int:
    """Columns published within ``days`` of NOW: the ones re-validated on every run."""
    if days == 0:
        return pages
    return sum(1 for n in range(pages) if n * HOURS_APART <= days * 24)


def write_config(folder: Path, site: Site, *, concurrency: int, prefix: str,
                 revalidate_days: int) -> Path:
    path = folder / f"schedules-{revalidate_days}.yaml"
    path.write_text(CONFIG.format(store=folder / "bench.db", base=site.base,
                                  concurrency=concurrency, prefix=prefix,
                                  revalidate_days=revalidate_days), encoding="utf-8")
    return path


def one_run(site: Site, pages: int, concurrency: int, prefix: str,
            days: int) -> tuple[float, float, float, int]:
    """Seconds for a full collection, a re-collection under the policy, one re-validating all."""
    listings = (pages + PER_LISTING - 1) // PER_LISTING
    with tempfile.TemporaryDirectory() as tmp:
        policy = load(str(write_config(Path(tmp), site, concurrency=concurrency,
                                       prefix=prefix, revalidate_days=days)))
        everything = load(str(write_config(Path(tmp), site, concurrency=concurrency,
                                           prefix=prefix, revalidate_days=0)))
        store = Store.open(policy.store_url)
        try:
            started = time.perf_counter()
            first = run_collect(policy, store, clock=fixed_clock(NOW))[0]
            full = time.perf_counter() - started
            assert first.counter("new") == pages, first.counters
            # Every request counts: robots.txt aside, listings, columns and author pages.
            assert first.counter("pages_fetched") == listings + pages + min(pages, AUTHORS), \
                first.counters
            figures = [full]
            for config in (policy, everything):
                started = time.perf_counter()
                again = run_collect(config, store, clock=fixed_clock(NOW))[0]
                figures.append(time.perf_counter() - started)
                asked = recent(pages, config.http.revalidate_days)
                assert again.counter("new") == 0, again.counters
                assert again.counter("pages_fetched") == (listings if prefix == "opinion"
                                                          else 0), again.counters
                assert again.counter("not_modified") == asked + (
                    0 if prefix == "opinion" else listings), again.counters
                assert again.counter("not_revalidated") == pages - asked, again.counters
        finally:
            store.close()
    return figures[0], figures[1], figures[2], first.counter("pages_fetched")


def server_304s(site: Site, connections: int) -> float:
    """Seconds the server takes to answer every column's conditional GET, with the client
    reduced to writing request bytes on raw keep-alive sockets and reading status lines."""
    paths = list(site.files)

    def client(share: list[str]) -> None:
        with socket.create_connection(("127.0.0.1", site.port)) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            replies = sock.makefile("rb")
            for path in share:
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             f"If-None-Match: {etag_of(site.files[path])}\r\n\r\n".encode())
                status = replies.readline()
                assert status.split()[1] == b"304", status
                while replies.readline() not in (b"\r\n", b""):
                    pass

    threads = [threading.Thread(target=client, args=(paths[k::connections],))
               for k in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def parse_ms(site: Site, sample: int) -> float:
    config_text = CONFIG.format(store="x.db", base=site.base, concurrency=1, prefix="opinion",
                                revalidate_days=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schedules.yaml"
        path.write_text(config_text, encoding="utf-8")
        source = load(str(path)).sources[0]
    read = page_reader(source.name, source.fields, source.language)
    pages = [(f"{site.base}{p}", Page(p, f"{site.base}{p}", 200, body.decode()))
             for p, body in list(site.files.items())[:sample]]
    started = time.perf_counter()
    for url, page in pages:
        normalise(read(url, page), timezone="Asia/Qatar", now=NOW)
    return (time.perf_counter() - started) * 1000 / len(pages)


def structured_ms(site: Site, sample: int) -> tuple[float, float]:
    """Structured data's own cost (issue 18): extruct's lxml parse + JSON-LD + OpenGraph
    on column pages given a JSON-LD block, against selectolax's parse of the same pages."""
    from syndicate.sources.extract import parse
    from syndicate.sources.structured import read_structured

    block = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                        "headline": "x", "author": {"@type": "Person", "name": "y"},
                        "interactionStatistic": {"@type": "InteractionCounter",
                                                 "interactionType": {"@type": "ReadAction"},
                                                 "userInteractionCount": 6120}})
    pages = [body.decode().replace("</head>", '<script type="application/ld+json">'
                                   f"{block}</script></head>")
             for body in list(site.files.values())[:sample]]

    def per_page(read: Any) -> float:
        started = time.perf_counter()
        for text in pages:
            read(text)
        return (time.perf_counter() - started) * 1000 / len(pages)

    return per_page(lambda text: read_structured(text, url="u")), per_page(parse)


def throttled_run(site: Site, pages: int, rate: float) -> dict[str, float]:
    """One collection of the rate-limited section into an empty store, no delay set."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schedules.yaml"
        text = CONFIG.format(store=Path(tmp) / "t.db", base=site.base, concurrency=2,
                             prefix="t", revalidate_days=0)
        path.write_text(text.replace("  allow_private_addresses: true",
                                     "  allow_private_addresses: true\n"
                                     "  max_retry_wait_s: 5"), encoding="utf-8")
        config = load(str(path))
        store = Store.open(config.store_url)
        try:
            started = time.perf_counter()
            (result,) = run_collect(config, store, clock=fixed_clock(NOW))
            elapsed = time.perf_counter() - started
        finally:
            store.close()
    with socket.create_connection(("127.0.0.1", site.port)) as sock:
        sock.sendall(b"GET /__throttle_log HTTP/1.0\r\nHost: x\r\n\r\n")
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    log = json.loads(raw.split(b"\r\n\r\n", 1)[1])
    statuses = [status for _, status in log]
    first = statuses.index(429) if 429 in statuses else 0
    after = [t for t, _ in log[first:]]
    per_s = (len(after) - 1) / (after[-1] - after[0]) if len(after) > 1 else 0.0
    return {"collected": result.counter("new"), "pages": pages, "elapsed": elapsed,
            "requests_per_s": per_s, "limit": rate, "throttled": statuses.count(429),
            "requests": len(statuses)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=2, help="per-host limit")
    parser.add_argument("--revalidate-days", type=int, default=14,
                        help="http.revalidate_days of the policy run (default: the default)")
    parser.add_argument("--throttle-pages", type=int, default=20,
                        help="columns behind the rate limiter (0: skip the throttled case)")
    parser.add_argument("--throttle-rate", type=float, default=2.0,
                        help="requests/s the throttled section allows")
    args = parser.parse_args()
    logging.getLogger("syndicate").setLevel(logging.ERROR)
    days = args.revalidate_days
    keys = ("full", "again", "again_all", "static_full", "static_again", "static_again_all",
            "server", "parse", "structured", "selectolax")
    figures: dict[str, list[float]] = {key: [] for key in keys}
    asked = recent(args.pages, days)
    throttled: dict[str, float] = {}
    with Site(args.pages, args.throttle_pages, args.throttle_rate) as site:
        page_kb = statistics.mean(len(b) for b in site.files.values()) / 1024
        print(f"{args.pages} column pages (~{page_kb:.0f} KB each, one every {HOURS_APART} h "
              f"back {args.pages * HOURS_APART / 24:.0f} days) + {site.listings} listing pages "
              f"on {site.base} (another process), per-host concurrency {args.concurrency}, "
              f"{args.runs} runs; policy: revalidate_days {days} ({asked} columns asked "
              f"about on a re-collection, {args.pages - asked} old ones not)")
        for run in range(args.runs):
            full, again, again_all, fetched = one_run(site, args.pages, args.concurrency,
                                                      "opinion", days)
            static_full, static_again, static_again_all, _ = one_run(
                site, args.pages, args.concurrency, "static", days)
            server = server_304s(site, args.concurrency)
            parse = parse_ms(site, min(args.pages, 300))
            structured, selectolax = structured_ms(site, min(args.pages, 300))
            for key, value in zip(keys, (full, again, again_all, static_full, static_again,
                                         static_again_all, server, parse, structured,
                                         selectolax), strict=True):
                figures[key].append(value)
            print(f"  run {run + 1}: full {full:.2f}s ({fetched / full:.0f} pages/s); "
                  f"re-collect, dynamic listings: policy {again:.3f}s ({full / again:.1f}x), "
                  f"all re-validated {again_all:.3f}s ({full / again_all:.1f}x); static site: "
                  f"policy {static_again:.3f}s, all {static_again_all:.3f}s; server alone "
                  f"{server:.3f}s for {args.pages} 304s; parse {parse:.2f} ms/page")
        if args.throttle_pages:
            throttled = throttled_run(site, args.throttle_pages, args.throttle_rate)
            print(f"  throttled section (once): {throttled['collected']:.0f} of "
                  f"{args.throttle_pages} columns in {throttled['elapsed']:.1f}s; "
                  f"{throttled['requests']:.0f} requests, {throttled['throttled']:.0f} "
                  f"answered 429; after the first 429: {throttled['requests_per_s']:.2f} "
                  f"requests/s against a limit of {args.throttle_rate:g}/s")
    m = {key: statistics.median(values) for key, values in figures.items()}
    fetched = args.pages + site.listings + min(args.pages, AUTHORS)
    print(f"median full collection: {m['full']:.2f}s = {fetched / m['full']:.0f} pages/s "
          "(fetch + parse + normalise + store, SQLite)")
    print("median unchanged re-collection, dynamic listings (listings fetched in full):")
    print(f"  default policy (revalidate_days {days}: {asked} x 304, {args.pages - asked} old "
          f"columns not asked): {m['again']:.3f}s = {m['full'] / m['again']:.1f}x faster")
    print(f"  every column re-validated (revalidate_days 0: {args.pages} x 304): "
          f"{m['again_all']:.3f}s = {m['full'] / m['again_all']:.1f}x faster "
          f"= {m['again_all'] * 1000 / args.pages:.2f} ms a column (ms_per_304)")
    print(f"median unchanged re-collection, static site (listing pages 304 too, their links "
          f"remembered and walked): policy {m['static_again']:.3f}s = "
          f"{m['static_full'] / m['static_again']:.1f}x, all re-validated "
          f"{m['static_again_all']:.3f}s = {m['static_full'] / m['static_again_all']:.1f}x")
    print(f"median server time alone for {args.pages} 304s on {args.concurrency} raw keep-alive "
          f"connections: {m['server']:.3f}s ({m['server'] * 1000 / args.pages:.3f} ms each): "
          "the floor any client would wait for")
    delay = HttpSettings().min_delay_s
    requests = 1 + site.listings  # robots.txt and the listing pages, each run
    print(f"on a real site, with the default http.min_delay_s {delay:g} between requests to "
          f"one host, the requests alone take at least: full "
          f"{(requests + args.pages) * delay / 60:.1f} min, re-collection under the policy "
          f"{(requests + asked) * delay / 60:.1f} min, every column re-validated "
          f"{(requests + args.pages) * delay / 60:.1f} min (computed, not measured)")
    print(f"median parse: {m['parse']:.2f} ms/page = {1000 / m['parse']:.0f} pages/s on one "
          "core (target >= 200)")
    print(f"median structured data (extruct: lxml parse, JSON-LD, OpenGraph) on a page with "
          f"a JSON-LD block: {m['structured']:.3f} ms/page, against {m['selectolax']:.3f} ms "
          "for selectolax's parse (pages without structured markup skip it)")
    print(json.dumps({
        "pages_per_s": round(fetched / m["full"], 1),
        "recollect_speedup": round(m["full"] / m["again"], 1),
        "recollect_speedup_all_revalidated": round(m["full"] / m["again_all"], 1),
        "recollect_speedup_static_site": round(m["static_full"] / m["static_again"], 1),
        "recollect_speedup_static_site_all_revalidated":
            round(m["static_full"] / m["static_again_all"], 1),
        "revalidate_days": days,
        "ms_per_304": round(m["again_all"] * 1000 / args.pages, 3),
        "server_ms_per_304": round(m["server"] * 1000 / args.pages, 3),
        "parse_ms_per_page": round(m["parse"], 2),
        "parse_pages_per_s": round(1000 / m["parse"], 1),
        "structured_ms_per_page": round(m["structured"], 3),
        "selectolax_parse_ms_per_page": round(m["selectolax"], 3),
        **({"throttled_columns_collected": int(throttled["collected"]),
            "throttled_columns": args.throttle_pages,
            "throttled_requests_per_s": round(throttled["requests_per_s"], 2),
            "throttled_limit_per_s": args.throttle_rate,
            "throttled_429s": int(throttled["throttled"]),
            "throttled_seconds": round(throttled["elapsed"], 1)} if throttled else {}),
    }))


if __name__ == "__main__":
    main()
