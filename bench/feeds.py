"""Feed build benchmark: 10,000 columns by 200 authors in a real SQLite file.

Measures, as medians of several runs (each on a fresh copy of the database and an
empty feeds folder):

* full: ``run_feeds`` building every feed (all columns, 4 sources, 200 authors,
  archive pages, RSS + Atom + JSON Feed) from nothing;
* incremental: ``run_feeds`` again after one new column was stored;
* feedgen overhead: our full build restricted to RSS + Atom, divided by the time
  feedgen alone takes to produce the same documents from the same items
  (prepared in advance: no store, no sanitising, no hashing, no disk);
* full build with ``views_refresh: 0`` (counts on every build) as well as with the
  default (6h), and the build after every column's count moved, in both settings;
* a simulated day (``--day-columns`` columns, a collection every 30 minutes moving
  every count, a new column every 4 hours): feed documents rewritten, and the share
  of conditional polls (one per document after each build, with the last ETag,
  which ``serve`` derives from the bytes) that would get 304, with views refreshed
  on every build and every 6 hours.

Usage: python bench/feeds.py [--runs 5] [--columns 10000] [--authors 200] [--day-columns 300]
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from sqlalchemy import text

from syndicate.clock import fixed_clock
from syndicate.config import Config
from syndicate.core.feed_plan import author_page_url, plan_feeds
from syndicate.core.feeds import run_feeds
from syndicate.render.feed_model import feed_item
from syndicate.store import Store
from syndicate.types import Author, Column, Outcome

NOW = datetime(2026, 2, 16, 9, 0, tzinfo=UTC)
SOURCES = ("alsharq", "alraya", "alwatan", "thepeninsula")
PARAGRAPH = (
    "في ظل التحولات الأمنية الأخيرة التي شهدتها المنطقة عاد إلى الواجهة مجددًا سؤال جوهري "
    "في السياسات الخارجية للدول الصغيرة والمتوسطة وهو كيف يمكن لدولة تعتمد الخيار "
    "الدبلوماسي وتتبنى نهج الحياد الإيجابي أن تحمي سيادتها في بيئة إقليمية مضطربة. "
)


def config_for(folder: Path, formats: list[str], views_refresh: str = "6h") -> Config:
    return Config.model_validate({
        "store": str(folder / "bench.db"),
        "site": {"base_url": "http://127.0.0.1:8080", "title": "bench"},
        "sources": [{"name": name, "kind": "html", "start_urls": [f"https://{name}.example/"],
                     "links": "a"} for name in SOURCES],
        "feeds": {"formats": formats, "views_refresh": views_refresh},
        "source_path": str(folder / "schedules.yaml"),
    })


def column(number: int, authors: int) -> Column:
    slug = f"author-{number % authors}"
    return Column(
        url=f"https://news.example/opinion/{number}",
        source=SOURCES[number % len(SOURCES)],
        title=f"مقال رقم {number}: دبلوماسية التحالفات كأداة للردع",
        author=Author(name=f"الكاتب {number % authors}", slug=slug,
                      credentials="دكتوراه في العلاقات الدولية",
                      url=f"https://news.example/authors/{slug}"),
        published=NOW - timedelta(minutes=30 * number),
        body_html="".join(f"<p>{PARAGRAPH}</p>" for _ in range(4)),  # ~2.4k chars, ~4.4 KB
        excerpt=PARAGRAPH[:200] + "…",
        views=100 + number % 900,
        categories=("رأي",),
        image_url=f"https://news.example/img/{number}.jpg",
    )


def populate(folder: Path, columns: int, authors: int) -> None:
    store = Store.open(config_for(folder, ["rss"]).store_url)
    start = time.perf_counter()
    for number in range(columns, 0, -1):
        c = column(number, authors)
        store.columns.upsert(c, dedupe_key=c.url, seen_urls=(c.url,), now=NOW)
    store.close()
    print(f"populated {columns} columns by {authors} authors in "
          f"{time.perf_counter() - start:.1f} s (set-up, not measured)")


CPU: dict[str, list[float]] = {"full": [], "incremental": []}


def move_views(store: Store) -> None:
    """Every count moves, as a collection stores it (the column's latest count)."""
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE columns SET views = views + 7 + id % 13"))


def timed_views_build(folder: Path, views_refresh: str) -> tuple[float, float, int]:
    """(full build, build after every count moved, documents the latter wrote)."""
    config = config_for(folder, ["rss", "atom", "json"], views_refresh)
    store = Store.open(config.store_url)
    start = time.perf_counter()
    run_feeds(config, store, clock=fixed_clock(NOW))
    full = time.perf_counter() - start
    move_views(store)
    start = time.perf_counter()
    again = run_feeds(config, store, clock=fixed_clock(NOW + timedelta(minutes=30)))
    moved = time.perf_counter() - start
    store.close()
    return full, moved, again.count(Outcome.UPDATED)


def simulated_day(folder: Path, views_refresh: str, columns: int, authors: int
                  ) -> tuple[int, float]:
    """(documents rewritten, share of conditional polls answered 304) over 48 builds."""
    config = config_for(folder, ["rss", "atom", "json"], views_refresh)
    store = Store.open(config.store_url)
    for number in range(columns, 0, -1):
        c = column(number, authors)
        store.columns.upsert(c, dedupe_key=c.url, seen_urls=(c.url,), now=NOW)
    out = folder / "feeds"
    etags: dict[Path, bytes] = {}
    rewrites = polls = not_modified = 0
    for run in range(49):
        when = NOW + timedelta(minutes=30 * run)
        if run:
            move_views(store)
            if run % 8 == 4:
                c = column(columns + run, authors)
                c = Column(**{**c.__dict__, "published": when, "id": None})
                store.columns.upsert(c, dedupe_key=c.url, seen_urls=(c.url,), now=when)
        result = run_feeds(config, store, clock=fixed_clock(when))
        if run:
            rewrites += sum(1 for item in result.items if item.key != "index.html"
                            and item.outcome in (Outcome.NEW, Outcome.UPDATED))
        for path in out.rglob("*.*"):
            if path.suffix not in (".rss", ".atom", ".json"):
                continue
            tag = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
            if path in etags:
                polls += 1
                not_modified += etags[path] == tag
            etags[path] = tag
    store.close()
    return rewrites, not_modified / polls


def timed_build(folder: Path, formats: list[str], *, then_add: int | None = None,
                authors: int = 200) -> tuple[float, float | None, Any]:
    config = config_for(folder, formats)
    store = Store.open(config.store_url)
    clock = fixed_clock(NOW)
    start, cpu = time.perf_counter(), time.process_time()
    result = run_feeds(config, store, clock=clock)
    full = time.perf_counter() - start
    if then_add is not None:
        CPU["full"].append(time.process_time() - cpu)
    assert not result.failed, result.failed
    incremental = None
    if then_add is not None:
        c = column(then_add, authors)
        c = Column(**{**c.__dict__, "published": NOW + timedelta(minutes=5), "id": None})
        store.columns.upsert(c, dedupe_key=c.url, seen_urls=(c.url,), now=NOW)
        start, cpu = time.perf_counter(), time.process_time()
        again = run_feeds(config, store, clock=clock)
        incremental = time.perf_counter() - start
        CPU["incremental"].append(time.process_time() - cpu)
        # The current documents of the columns, source and author feeds, plus any
        # archive page the new column completes (and its predecessor's next link).
        assert 0 < again.counter("feeds_rendered") <= 9 * len(formats), again.counters
    store.close()
    return full, incremental, result


def feedgen_direct(folder: Path) -> float:
    """The same RSS + Atom documents, written by calling feedgen with prepared items."""
    config = config_for(folder, ["rss", "atom"])
    store = Store.open(config.store_url)
    columns = store.columns.list()
    store.close()
    plan = plan_feeds(config, columns, {}, now=NOW)
    items = {c.url: feed_item(c, now=NOW, author_page_url=author_page_url(config, c.author.slug))
             for c in columns}
    start = time.perf_counter()
    entries: dict[str, FeedEntry] = {}
    for feed in plan:
        for fmt in ("rss", "atom"):
            fg = FeedGenerator()
            fg.load_extension("dc", atom=False)
            fg.id(feed.meta.feeds_url + feed.meta.path)
            fg.title(feed.meta.title)
            fg.subtitle(feed.meta.description)
            fg.language(feed.meta.language)
            fg.link(href=feed.meta.url(fmt), rel="self")
            fg.link(href=feed.meta.home_url, rel="alternate")
            fg.updated(NOW)
            for c in feed.columns:
                it = items[c.url]
                e = entries.get(it.id)
                if e is None:
                    e = FeedEntry()
                    e.load_extension("dc", atom=False)
                    e.guid(it.id, permalink=True)
                    e.title(it.title)
                    e.link(href=it.id)
                    e.author({"name": it.author_name, "uri": it.author_uri})
                    e.dc.dc_creator(it.author_name)
                    e.published(it.published)
                    e.updated(it.updated)
                    e.content(it.content_html, type="html")
                    e.summary(it.summary_html, type="html")
                    entries[it.id] = e
                fg.add_entry(e, order="append")
            fg.rss_str() if fmt == "rss" else fg.atom_str()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--columns", type=int, default=10_000)
    parser.add_argument("--authors", type=int, default=200)
    parser.add_argument("--day-columns", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="syndicate-bench-") as tmp:
        seed = Path(tmp) / "seed"
        seed.mkdir()
        populate(seed, args.columns, args.authors)
        fulls, incrementals, ours_xml, direct = [], [], [], []
        views: dict[str, list[tuple[float, float, int]]] = {"0": [], "6h": []}
        files = 0
        for run in range(args.runs):
            folder = Path(tmp) / f"run{run}"
            shutil.copytree(seed, folder)
            full, incremental, result = timed_build(
                folder, ["rss", "atom", "json"], then_add=args.columns + 1, authors=args.authors)
            files = result.counter("feeds_rendered")
            fulls.append(full)
            assert incremental is not None
            incrementals.append(incremental)
            xml_folder = Path(tmp) / f"xml{run}"
            shutil.copytree(seed, xml_folder)
            ours_xml.append(timed_build(xml_folder, ["rss", "atom"])[0])
            direct.append(feedgen_direct(xml_folder))
            shutil.rmtree(folder)
            shutil.rmtree(xml_folder)
            for setting, timings in views.items():
                views_folder = Path(tmp) / f"views{run}"
                shutil.copytree(seed, views_folder)
                timings.append(timed_views_build(views_folder, setting))
                shutil.rmtree(views_folder)
                print(f"run {run + 1}: views_refresh {setting}: full {timings[-1][0]:.3f} s, "
                      f"after every count moved {timings[-1][1]:.3f} s "
                      f"({timings[-1][2]} documents rewritten)")
            print(f"run {run + 1}: full {full:.3f} s, incremental {incremental:.3f} s, "
                  f"rss+atom ours {ours_xml[-1]:.3f} s vs feedgen alone {direct[-1]:.3f} s")
    full_s = statistics.median(fulls)
    incremental_s = statistics.median(incrementals)
    overhead = statistics.median(ours_xml) / statistics.median(direct)
    print(f"{files} feed documents (3 formats); medians of {args.runs} runs:")
    print(f"  full build          {full_s:.3f} s   (target <= 5 s)")
    print(f"  incremental build   {incremental_s:.3f} s   (target <= 0.3 s)")
    print(f"  RSS+Atom: ours / feedgen alone = {overhead:.2f}x")
    print(f"  CPU time of this process (less sensitive to a busy machine): full "
          f"{statistics.median(CPU['full']):.3f} s, incremental "
          f"{statistics.median(CPU['incremental']):.3f} s; load average "
          f"{os.getloadavg()[0]:.2f}")
    day: dict[str, tuple[int, float]] = {}
    for setting in ("0", "6h"):
        with tempfile.TemporaryDirectory(prefix="syndicate-day-") as tmp:
            day[setting] = simulated_day(Path(tmp), setting, args.day_columns,
                                         max(2, args.day_columns // 10))
    full_views = {s: statistics.median(t[0] for t in timings) for s, timings in views.items()}
    moved_views = {s: statistics.median(t[1] for t in timings) for s, timings in views.items()}
    for setting in ("0", "6h"):
        print(f"  views_refresh {setting:>2}: full build {full_views[setting]:.3f} s (target <= 5 s), "
              f"after every count moved {moved_views[setting]:.3f} s")
        print(f"  simulated day, views_refresh {setting:>2}: {day[setting][0]} documents "
              f"rewritten, {day[setting][1]:.0%} of conditional polls 304")
    print(json.dumps({"full_s": round(full_s, 3), "incremental_s": round(incremental_s, 3),
                      "feedgen_overhead": round(overhead, 2),
                      "full_views_every_build_s": round(full_views["0"], 3),
                      "full_views_6h_s": round(full_views["6h"], 3),
                      "views_moved_every_build_s": round(moved_views["0"], 3),
                      "views_moved_6h_s": round(moved_views["6h"], 3),
                      "day_rewrites_every_build": day["0"][0],
                      "day_rewrites_6h": day["6h"][0],
                      "day_304_share_every_build": round(day["0"][1], 3),
                      "day_304_share_6h": round(day["6h"][1], 3)}))


if __name__ == "__main__":
    main()
