"""First-run collection with author pages, read side by side vs one after another.

A paper of N columns by M writers, each column page linking its writer's author page
(``author_page:``), served from its own process on loopback with a fixed latency per
answer (a real site's round trip; on loopback without it there is nothing to overlap).
Each run collects into an empty store twice, in the same process: once as the collector
reads author pages now (``core.linked.LOOK_AHEAD`` pages wait while their author pages
are asked, up to ``AUTHOR_PAGE_WORKERS`` at once), once with ``LOOK_AHEAD = 0``, which
routes each page as soon as it arrives and so asks its author page alone, one after
another, as before. Per-host politeness is the same in both (per_host_concurrency 2).

    python bench/author_pages.py [--columns 120] [--authors 40] [--latency-ms 20] [--runs 3]

Reports medians of the runs; the last line is one JSON object: first_run_s (side by
side), first_run_serial_s, speedup (serial / side by side, same runs), and the most
author pages the server saw in flight at once in each mode.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loopback_http import QuietHandler, serve_forever

from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.core import linked
from syndicate.core.collect import run_collect
from syndicate.store import Store

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)
BODY = "في ظل التحولات الأخيرة عاد إلى الواجهة سؤال جوهري عن السياسات. " * 20


def column_page(n: int, authors: int) -> bytes:
    return f"""<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"></head><body>
<article><h1>مقال رقم {n}</h1>
<a class="author" href="/authors/{n % authors}.html">الكاتب رقم {n % authors}</a>
<time datetime="2025-09-2{n % 5}T08:00:00+03:00">٢٠٢٥</time>
<div class="body"><p>{BODY}</p></div></article></body></html>""".encode()


def author_page(n: int) -> bytes:
    return f"""<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"></head><body>
<section class="profile"><p class="role">كاتب وباحث</p>
<p class="stats">انضم عام ألفين وأربعة عشر · له {100 + n} مقالاً</p></section>
</body></html>""".encode()


HTML = (("Content-Type", "text/html; charset=utf-8"),)


def _serve(columns: int, authors: int, latency: float, ports: Any) -> None:
    links = "".join(f'<a class="col" href="/columns/{n}.html">{n}</a>' for n in range(columns))
    files = {"/index.html": f"<html><body>{links}</body></html>".encode()}
    files.update({f"/columns/{n}.html": column_page(n, authors) for n in range(columns)})
    files.update({f"/authors/{n}.html": author_page(n) for n in range(authors)})
    flight = {"now": 0, "most": 0}
    lock = threading.Lock()

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            if self.path == "/__flight":
                with lock:
                    body = json.dumps(flight).encode()
                    flight.update(now=0, most=0)
                return self.answer(200, body, HTML)
            author = self.path.startswith("/authors/")
            if author:
                with lock:
                    flight["now"] += 1
                    flight["most"] = max(flight["most"], flight["now"])
            try:
                time.sleep(latency)
                page = files.get(self.path)
                self.answer(404 if page is None else 200, page or b"", HTML)
            finally:
                if author:
                    with lock:
                        flight["now"] -= 1

    serve_forever(Handler, ports)


CONFIG = """store: {store}
http:
  min_delay_s: 0
  per_host_concurrency: 2
  allow_private_addresses: true
  respect_robots: false
sources:
  - name: bench
    kind: html
    start_urls: ["{base}/index.html"]
    links: a.col
    fields:
      title: h1
      author: a.author
      author_url: a.author@href
      published: time@datetime
      body: .body
    author_page:
      credentials: .profile .role
      article_count: .profile .stats
"""


def first_run(base: str, columns: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schedules.yaml"
        path.write_text(CONFIG.format(store=Path(tmp) / "bench.db", base=base), encoding="utf-8")
        config = load(str(path))
        store = Store.open(config.store_url)
        try:
            started = time.perf_counter()
            result = run_collect(config, store, clock=fixed_clock(NOW))[0]
            seconds = time.perf_counter() - started
            assert result.counter("new") == columns, result.counters
            counts = {c.author.article_count for c in store.columns.list()}
            assert None not in counts, "an author page was not read"
        finally:
            store.close()
    return seconds


def most_in_flight(base: str) -> int:
    import urllib.request  # the bench's own look at the server, outside the collector

    with urllib.request.urlopen(base + "/__flight") as answer:
        return int(json.loads(answer.read())["most"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=120)
    parser.add_argument("--authors", type=int, default=40)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ports: Any = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, daemon=True, args=(
        args.columns, args.authors, args.latency_ms / 1000, ports))
    server.start()
    try:
        base = f"http://127.0.0.1:{ports.get(timeout=30)}"
        ahead = linked.LOOK_AHEAD
        side, serial, ratios, flights = [], [], [], {"side": 0, "serial": 0}
        for run in range(args.runs):
            linked.LOOK_AHEAD = ahead
            side.append(first_run(base, args.columns))
            flights["side"] = max(flights["side"], most_in_flight(base))
            linked.LOOK_AHEAD = 0
            serial.append(first_run(base, args.columns))
            flights["serial"] = max(flights["serial"], most_in_flight(base))
            ratios.append(serial[-1] / side[-1])
            print(f"run {run + 1}: side by side {side[-1]:.2f} s, one after another "
                  f"{serial[-1]:.2f} s")
        linked.LOOK_AHEAD = ahead
    finally:
        server.terminate()
        server.join(timeout=5)
    print(json.dumps({
        "columns": args.columns, "authors": args.authors, "latency_ms": args.latency_ms,
        "runs": args.runs, "first_run_s": round(statistics.median(side), 3),
        "first_run_serial_s": round(statistics.median(serial), 3),
        "speedup": round(statistics.median(ratios), 2),
        "author_pages_in_flight_max": flights["side"],
        "author_pages_in_flight_max_serial": flights["serial"],
    }))


if __name__ == "__main__":
    main()
