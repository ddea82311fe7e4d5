"""The feeds step on a real SQLite file and a real folder: incremental, atomic, archived."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from urllib.request import urlopen

import feedparser
import pytest
from lxml import etree

from syndicate.clock import fixed_clock
from syndicate.core.feed_plan import issue_page_url
from syndicate.core.feeds import run_feeds
from syndicate.deliver.files import FileBatch, WriteOutcome, write_atomic, write_if_changed
from syndicate.errors import DeliveryError
from syndicate.types import Outcome
from syndicate.web.app import create_app

from .feeds_helpers import AUTHORS, BASE_URL, NOW, add, make_column, make_config, open_store
from .loopback import serve_app, serve_handler

HISTORY = "{http://purl.org/syndication/history/1.0}"


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def test_unchanged_rebuild_writes_nothing(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = open_store(config)
    for number in range(6):
        add(store, make_column(number))
    first = run_feeds(config, store, clock=fixed_clock(NOW))
    assert first.count(Outcome.NEW) == 6 * 3 + 1  # 6 feeds x 3 formats + index.html
    folder = tmp_path / "feeds"
    before = snapshot(folder)
    second = run_feeds(config, store, clock=fixed_clock(NOW + timedelta(hours=1)))
    assert second.items == ()
    assert second.counter("feeds_rendered") == 0
    assert snapshot(folder) == before
    # No temporary files left behind, and files readable by a web server's user.
    assert not [p for p in folder.rglob(".*")]
    mode = stat.S_IMODE((folder / "columns.rss").stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask  # not mkstemp's 0600: a web server user must read it


def test_feeds_no_longer_built_are_removed_but_nothing_else(tmp_path: Path) -> None:
    store = open_store(make_config(tmp_path))
    for number in range(6):
        add(store, make_column(number))
    run_feeds(make_config(tmp_path), store, clock=fixed_clock(NOW))
    folder = tmp_path / "feeds"
    (folder / "authors" / "README.txt").write_text("an operator's own file")
    author_files = sorted(p.relative_to(folder).as_posix()
                          for p in (folder / "authors").glob("*.*") if p.suffix != ".txt")
    assert len(author_files) == 3 * 3

    narrower = make_config(tmp_path, formats=["rss", "atom"], per_author=False)
    result = run_feeds(narrower, store, clock=fixed_clock(NOW))
    removed = sorted(item.key for item in result.items if item.outcome is Outcome.REMOVED)
    json_feeds = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.json"))
    assert removed == sorted([*author_files, "columns.json", "sources/alraya.json",
                              "sources/alsharq.json"])
    assert json_feeds == [] and not any(
        p.suffix in (".rss", ".atom") for p in (folder / "authors").iterdir())
    assert (folder / "authors" / "README.txt").read_text() == "an operator's own file"
    assert (folder / "columns.rss").exists() and (folder / "sources" / "alsharq.atom").exists()
    # Forgotten too: the next build has nothing to remove, and turning the
    # author feeds back on builds them afresh.
    assert run_feeds(narrower, store, clock=fixed_clock(NOW)).items == ()
    again = run_feeds(make_config(tmp_path), store, clock=fixed_clock(NOW))
    assert again.count(Outcome.NEW) == len(removed)


def test_lost_state_renders_but_does_not_touch_identical_files(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = open_store(config)
    for number in range(4):
        add(store, make_column(number))
    run_feeds(config, store, clock=fixed_clock(NOW))
    before = snapshot(tmp_path / "feeds")
    # A second database (say, restored from an older backup) with the same columns:
    # no digests recorded, so everything is rendered, and every byte compares equal.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    config2 = make_config(fresh, dir=str(tmp_path / "feeds"))
    store2 = open_store(config2)
    for number in range(4):
        add(store2, make_column(number))
    result = run_feeds(config2, store2, clock=fixed_clock(NOW))
    assert result.counter("feeds_rendered") > 0
    assert result.items == ()
    assert snapshot(tmp_path / "feeds") == before


def test_one_new_column_rewrites_only_its_feeds(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = open_store(config)
    for number in range(1, 7):
        add(store, make_column(number))
    run_feeds(config, store, clock=fixed_clock(NOW))
    add(store, make_column(0, source="alraya", author=AUTHORS[1]), now=NOW + timedelta(hours=1))
    result = run_feeds(config, store, clock=fixed_clock(NOW + timedelta(hours=1)))
    written = {item.key for item in result.items}
    expected = {f"{stem}.{ext}" for stem in ("columns", "sources/alraya", "authors/jabr-salm")
                for ext in ("rss", "atom", "json")}
    assert written == expected | {"index.html"}


def test_archive_pages_reach_the_whole_history_and_stay_put(tmp_path: Path) -> None:
    config = make_config(tmp_path, items=2)
    store = open_store(config)
    author = AUTHORS[0]
    for number in range(7):
        add(store, make_column(number, author=author))
    run_feeds(config, store, clock=fixed_clock(NOW))
    folder = tmp_path / "feeds"

    seen: list[str] = []
    url = f"{BASE_URL}/feeds/authors/{author.slug}.atom"
    pages = 0
    while url:
        path = folder / url.removeprefix(f"{BASE_URL}/feeds/")
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0
        root = etree.fromstring(path.read_bytes())
        is_archive = root.find(f"{HISTORY}archive") is not None
        assert is_archive == (pages > 0)
        links = {link.rel: link.href for link in parsed.feed.links}
        if is_archive:
            assert links["current"] == f"{BASE_URL}/feeds/authors/{author.slug}.atom"
            # Numbered in the locale's digits (ar-QA: Arabic-Indic), as on the index page.
            numeral = "٠١٢٣٤٥٦٧٨٩"[int(path.stem.rsplit("-", 1)[1])]
            assert parsed.feed.title.endswith(f"أرشيف {numeral}")
        seen += [entry.id for entry in parsed.entries]
        url = links.get("prev-archive", "")
        pages += 1
    assert pages == 4  # current + 3 archive pages of 2
    assert set(seen) == {f"https://news.example/opinion/{n}" for n in range(7)}
    # RSS and JSON carry the same chain.
    rss = feedparser.parse((folder / f"authors/{author.slug}.rss").read_bytes())
    assert {l.rel: l.href for l in rss.feed.links}["prev-archive"].endswith("-archive-3.rss")

    # A new column changes the subscription document only: archives are immutable.
    archive = folder / f"authors/{author.slug}-archive-1.atom"
    before = (archive.stat().st_ino, archive.stat().st_mtime_ns)
    add(store, make_column(100, author=author, published=NOW + timedelta(hours=1)))
    result = run_feeds(config, store, clock=fixed_clock(NOW + timedelta(hours=1)))
    assert (archive.stat().st_ino, archive.stat().st_mtime_ns) == before
    assert f"authors/{author.slug}.atom" in {i.key for i in result.items}


def test_newsletter_archive_feed_has_one_item_per_sent_issue(tmp_path: Path) -> None:
    config = make_config(tmp_path, newsletters=True)
    store = open_store(config)
    for number in range(5):
        add(store, make_column(number))
    first = store.digests.create_issue(
        "daily", NOW, ("https://news.example/opinion/1", "https://news.example/opinion/3"),
        NOW - timedelta(days=1))
    store.digests.mark_queued(first)
    second = store.digests.create_issue(
        "daily", NOW, ("https://news.example/opinion/0", "https://news.example/opinion/2"), NOW)
    store.digests.mark_queued(second)
    store.digests.create_issue("daily", NOW, ("https://news.example/opinion/4",),
                               NOW + timedelta(hours=1))  # not sent
    result = run_feeds(config, store, clock=fixed_clock(NOW + timedelta(hours=1)))
    assert {i.key: i.reason for i in result.items}["newsletters/daily.rss"] == (
        "2 items; issues sent or their columns edited")
    doc = json.loads((tmp_path / "feeds/newsletters/daily.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in doc["items"]] == [
        f"{BASE_URL}/issues/daily/2", f"{BASE_URL}/issues/daily/1"]
    assert "<ol><li>" in doc["items"][0]["content_html"]
    for fmt in ("atom", "rss"):
        parsed = feedparser.parse((tmp_path / f"feeds/newsletters/daily.{fmt}").read_bytes())
        assert parsed.bozo == 0, fmt
        assert parsed.feed.title == "أرشيف نشرة الرأي اليومية"
        assert [e.id for e in parsed.entries] == [
            f"{BASE_URL}/issues/daily/2", f"{BASE_URL}/issues/daily/1"], fmt
        latest = parsed.entries[0]
        assert "٢" in latest.title and "نشرة الرأي اليومية" in latest.title
        assert latest.published_parsed[:4] == NOW.timetuple()[:4]
        # An issue links to its own page (web/issues.py).
        assert latest.link == issue_page_url(config, "daily", 2) == f"{BASE_URL}/issues/daily/2"
        body = latest.content[0].value
        page = etree.HTML(body)
        listed = [a.get("href") for a in page.iterfind(".//ol/li/a")]
        assert listed == ["https://news.example/opinion/0", "https://news.example/opinion/2"]
        assert "مقال رقم 0" in body and "هـ" in body  # titles, and the send date
    index = (tmp_path / "feeds" / "index.html").read_text(encoding="utf-8")
    assert "(الأعداد: ٢)" in index  # the index counts issues for a newsletter
    # The page the item links to exists and shows that issue's columns.
    app = create_app(config, store=store, clock=fixed_clock(NOW + timedelta(hours=1)))
    with serve_app(app) as base, urlopen(f"{base}/issues/daily/2") as response:
        page = response.read().decode("utf-8")
    assert "مقال رقم 0" in page and "مقال رقم 2" in page


def test_a_failing_feed_does_not_stop_the_others(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = open_store(config)
    add(store, make_column(1))
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "sources").write_text("not a folder")  # every sources/* write must fail
    result = run_feeds(config, store, clock=fixed_clock(NOW))
    failed = {item.key for item in result.failed}
    assert failed == {f"sources/{s}.{e}" for s in ("alsharq", "alraya")
                      for e in ("rss", "atom", "json")}
    assert all("sources" in item.reason for item in result.failed)
    assert feedparser.parse((folder / "columns.atom").read_bytes()).entries
    # Fixed: the failed feeds are built on the next run (their digests were not recorded).
    (folder / "sources").unlink()
    again = run_feeds(config, store, clock=fixed_clock(NOW))
    assert {i.key for i in again.items if i.outcome is Outcome.NEW} == failed


def test_a_bug_in_one_feed_fails_that_feed_only(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from syndicate.render.feeds import FeedRenderer

    config = make_config(tmp_path)
    store = open_store(config)
    add(store, make_column(1))
    real = FeedRenderer.render

    def render(self: FeedRenderer, meta: Any, items: Any, fmt: str) -> bytes:
        if meta.path == "columns" and fmt == "json":  # a simulated bug, one document
            raise TypeError("unexpected None")
        return real(self, meta, items, fmt)

    monkeypatch.setattr(FeedRenderer, "render", render)
    result = run_feeds(config, store, clock=fixed_clock(NOW))
    assert [(i.key, "TypeError" in i.reason) for i in result.failed] == [("columns.json", True)]
    assert (tmp_path / "feeds" / "columns.atom").exists()
    monkeypatch.setattr(FeedRenderer, "render", real)
    again = run_feeds(config, store, clock=fixed_clock(NOW))
    assert [i.key for i in again.items if i.outcome is Outcome.NEW] == ["columns.json"]


class _Hub(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        form = parse_qs(self.rfile.read(length).decode())
        self.server.pings.append(form)  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def hub() -> Iterator[tuple[str, list[dict[str, list[str]]]]]:
    with serve_handler(_Hub) as server:
        server.pings = []  # type: ignore[attr-defined]
        yield f"http://127.0.0.1:{server.server_address[1]}/hub", server.pings  # type: ignore[attr-defined]


def test_websub_hub_link_and_ping_after_a_rebuild(tmp_path: Path) -> None:
    with hub() as (hub_url, pings):
        config = make_config(tmp_path, websub_hub=hub_url, per_source=False, per_author=False)
        store = open_store(config)
        add(store, make_column(1))
        result = run_feeds(config, store, clock=fixed_clock(NOW))
        assert result.count(Outcome.SENT) == 3
        assert sorted(p["hub.url"][0] for p in pings) == sorted(
            f"{BASE_URL}/feeds/columns.{ext}" for ext in ("rss", "atom", "json"))
        assert all(p["hub.mode"] == ["publish"] for p in pings)
        for ext in ("rss", "atom"):
            parsed = feedparser.parse((tmp_path / f"feeds/columns.{ext}").read_bytes())
            assert {l.rel: l.href for l in parsed.feed.links}["hub"] == hub_url
        pings.clear()
        assert run_feeds(config, store, clock=fixed_clock(NOW)).items == ()
        assert pings == []  # nothing changed, nothing announced
        # A view count alone wakes nobody until the views refresh (6 h by default).
        add(store, make_column(1, views=777), now=NOW + timedelta(hours=1))
        assert run_feeds(config, store, clock=fixed_clock(NOW + timedelta(hours=1))).items == ()
        assert pings == []
        refreshed = run_feeds(config, store, clock=fixed_clock(NOW + timedelta(hours=6)))
        assert refreshed.count(Outcome.SENT) == 3 and len(pings) == 3


def test_unreachable_hub_is_reported_not_raised(tmp_path: Path) -> None:
    with hub() as (hub_url, _pings):
        pass  # closed again: nothing listens on that port now
    config = make_config(tmp_path, websub_hub=hub_url, per_source=False, per_author=False,
                         websub_timeout=2)
    store = open_store(config)
    add(store, make_column(1))
    result = run_feeds(config, store, clock=fixed_clock(NOW))
    assert len(result.failed) == 3
    assert all(item.key.startswith("websub ") for item in result.failed)
    assert (tmp_path / "feeds/columns.atom").exists()


def test_atomic_file_helpers(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "feed.atom"
    assert write_if_changed(target, b"one") is WriteOutcome.NEW
    inode = target.stat().st_ino
    assert write_if_changed(target, b"one") is WriteOutcome.SAME
    assert target.stat().st_ino == inode
    assert write_if_changed(target, b"two") is WriteOutcome.UPDATED
    assert target.read_bytes() == b"two" and target.stat().st_ino != inode  # replaced
    with pytest.raises(DeliveryError) as caught:
        write_atomic(tmp_path / "deep" / "feed.atom" / "below-a-file", b"x")
    assert "below-a-file" in str(caught.value)
    # A batch that is abandoned (an exception mid-build) leaves nothing behind.
    with pytest.raises(RuntimeError), FileBatch() as batch:
        batch.stage(tmp_path / "deep" / "other.rss", b"x")
        raise RuntimeError("crash")
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["feed.atom"]
