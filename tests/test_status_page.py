"""`syndicate status` and the Arabic RTL status page, on a real store, a real server and headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.applications import Starlette

from syndicate.clock import fixed_clock
from syndicate.config import Config, load
from syndicate.health import gather
from syndicate.store import Store
from syndicate.types import Author, Column
from syndicate.web import status
from syndicate.web.context import WebContext
from tests.loopback import serve_app
from tests.scheduler_helpers import run_cli

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # Monday 10:00 in Doha

CONFIG = """\
timezone: Asia/Qatar
store: var/syndicate.db
site:
  title: الشرق — مقالات الرأي
sources:
  - name: alsharq
    kind: html
    title: الشرق
    start_urls: [http://127.0.0.1:9/opinion/]
    links: a.column
  - name: alraya
    kind: feed
    title: الراية
    url: http://127.0.0.1:9/feed.xml
newsletters:
  - id: daily
    title: النشرة اليومية
    sender: "الشرق <digest@example.org>"
jobs:
  - name: collect-alsharq
    run: collect
    every: 30m
    sources: [alsharq]
  - name: collect-alraya
    run: collect
    cron: "10 * * * *"
    sources: [alraya]
  - name: feeds
    run: feeds
    cron: "5,35 * * * *"
  - name: daily-digest
    run: digest
    newsletter: daily
    cron: "0 7 * * sun-thu"
  - name: ramadan-digest
    run: digest
    newsletter: daily
    cron: "0 20 * * *"
    paused: true
"""


@pytest.fixture
def installation(tmp_path: Path) -> Iterator[tuple[Config, Store]]:
    path = tmp_path / "schedules.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load(path)
    store = Store.open(config.store_url)
    author = Author(name="د. أحمد عبدالله", slug="ahmad-abdullah")
    for day in range(3):
        column = Column(
            url=f"http://127.0.0.1:9/opinion/{day}",
            source="alsharq",
            title=f"مقال رقم {day}",
            author=author,
            published=NOW - timedelta(days=day),
            body_html="<p>نص</p>",
            excerpt="نص",
            views=100 + day,
        )
        store.columns.upsert(column, dedupe_key=f"k{day}", seen_urls=(column.url,),
                             now=NOW - timedelta(hours=day))
    ok = store.jobs.start("collect-alsharq", NOW - timedelta(minutes=30))
    store.jobs.finish(ok, NOW - timedelta(minutes=29), outcome="ok", counts={"new": 3, "pages_fetched": 4})
    bad = store.jobs.start("collect-alraya", NOW - timedelta(minutes=50))
    store.jobs.finish(bad, NOW - timedelta(minutes=50), outcome="failed",
                      error="http://127.0.0.1:9/feed.xml: connection refused")
    feeds = store.jobs.start("feeds", NOW - timedelta(minutes=25))
    store.jobs.finish(feeds, NOW - timedelta(minutes=25), outcome="ok", counts={"unchanged": 4})
    (tmp_path / "feeds" / "authors").mkdir(parents=True)
    for name in ("columns.rss", "columns.atom", "authors/ahmad-abdullah.rss"):
        (tmp_path / "feeds" / name).write_text("<rss/>", encoding="utf-8")
    for folder, count in (("new", 3), ("cur", 1), ("tmp", 2)):
        (tmp_path / "outbox" / folder).mkdir(parents=True)
        for index in range(count):
            (tmp_path / "outbox" / folder / f"{index}.eml").write_text("x", encoding="utf-8")
    try:
        yield config, store
    finally:
        store.close()


def test_report_gathers_next_runs_last_runs_failures_health_and_files(
    installation: tuple[Config, Store],
) -> None:
    config, store = installation
    report = gather(config, store, NOW)
    jobs = {job.name: job for job in report.jobs}
    assert [t.isoformat() for t in jobs["daily-digest"].next_runs] == [
        "2026-12-01T07:00:00+03:00", "2026-12-02T07:00:00+03:00", "2026-12-03T07:00:00+03:00",
    ]
    assert jobs["ramadan-digest"].paused and jobs["ramadan-digest"].next_runs == ()
    assert jobs["collect-alsharq"].last is not None and jobs["collect-alsharq"].last.counts["new"] == 3
    assert jobs["daily-digest"].last is None
    assert [run.job for run in report.failures] == ["collect-alraya"]
    health = {source.name: source for source in report.sources}
    assert (health["alsharq"].state, health["alsharq"].columns) == ("ok", 3)
    assert health["alsharq"].last_collected == NOW
    assert (health["alraya"].state, health["alraya"].columns) == ("failing", 0)
    assert (report.feeds.files, report.outbox.new, report.outbox.cur) == (3, 3, 1)
    assert report.columns_total == 3


def test_status_command(installation: tuple[Config, Store]) -> None:
    config, _ = installation
    code, out, err = run_cli(["status", "--config", config.source_path])
    assert (code, err) == (0, "")
    assert "collect-alraya: failed http://127.0.0.1:9/feed.xml: connection refused" in out
    assert "outbox: 3 new, 1 read" in out and "feeds: 3 file(s)" in out
    assert "at 07:00, Sunday to Thursday (Asia/Qatar)" in out


def test_status_command_prints_errors_verbatim(installation: tuple[Config, Store]) -> None:
    # Error texts come from foreign servers and libraries: never rich markup.
    config, store = installation
    run = store.jobs.start("collect-alsharq", NOW - timedelta(minutes=5))
    store.jobs.finish(run, NOW - timedelta(minutes=5), outcome="failed",
                      error="http://127.0.0.1:9/[/opinion] answered [bold]500[/bold]")
    code, out, err = run_cli(["status", "--config", config.source_path])
    assert (code, err) == (0, "")
    table = out.replace("\n", "").replace("│", "").replace(" ", "")
    assert "http://127.0.0.1:9/[/opinion]answered[bold]500[/bold]" in table


@pytest.fixture
def server(installation: tuple[Config, Store]) -> Iterator[str]:
    config, store = installation
    context = WebContext(config=config, store=store, clock=fixed_clock(NOW))
    app = Starlette(routes=status.routes(context))
    with serve_app(app) as base:
        yield base


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read().decode("utf-8")


def test_status_page_is_arabic_rtl_html(server: str) -> None:
    code, kind, html = _get(f"{server}/status")
    assert code == 200 and kind.startswith("text/html")
    assert '<html lang="ar" dir="rtl">' in html and '<meta charset="utf-8">' in html
    for heading in ("المهام ومواعيدها القادمة", "الإخفاقات الأخيرة", "صحة المصادر", "آخر التشغيلات"):
        assert heading in html
    assert "<li>الثلاثاء ١ ديسمبر ٢٠٢٦، ٠٧:٠٠</li>" in html  # next daily digest, in Doha time
    assert "<bdi>http://127.0.0.1:9/feed.xml: connection refused</bdi>" in html
    assert "متعثّر" in html and "موقوفة مؤقتًا" in html and "المجدول متوقف" in html
    _, kind, body = _get(f"{server}/status.json")
    data = json.loads(body)
    assert kind.startswith("application/json")
    assert data["outbox"]["new"] == 3 and data["failures"][0]["job"] == "collect-alraya"


def test_status_page_in_headless_chromium(server: str, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is required (CI installs it): apt-get install -y chromium"
    fonts = subprocess.run(
        ["fc-list", ":lang=ar", "family"], check=False, capture_output=True, text=True
    )
    assert fonts.stdout.strip(), "no Arabic font: the page would show boxes (install fonts-noto-core)"
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars",
    ]
    shot = tmp_path / "status.png"
    subprocess.run(
        [chromium, *flags, f"--screenshot={shot}", "--window-size=1280,1500", f"{server}/status"],
        check=True, capture_output=True, timeout=90,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    dom = subprocess.run(
        [chromium, *flags, "--dump-dom", f"{server}/status"],
        check=True, capture_output=True, timeout=90, text=True,
    ).stdout
    assert 'dir="rtl"' in dom and "حالة التشغيل" in dom
    keep = Path(__file__).parent.parent / "var" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, keep / "status-page.png")  # for a human look; var/ is not committed


def test_page_reads_as_arabic_figures_and_counts_only_feed_files(
    installation: tuple[Config, Store], tmp_path: Path
) -> None:
    config, store = installation
    (tmp_path / "feeds" / ".gitkeep").write_text("", encoding="utf-8")
    report = gather(config, store, NOW)
    assert report.feeds.files == 3  # .gitkeep is not a feed
    page = status.render(report, config.site.title)
    # counts in words, not the programme's keys
    assert "جديدة ٣، صفحات مجلوبة ٤" in page and "pages_fetched" not in page
    # a middle dot beside Arabic-Indic digits reads as a zero ("٠٩:٠١ · الأوقات")
    digit = "[\u0660-\u0669]"
    visible = re.sub(r"<[^>]+>", "", page)
    assert not re.search(rf"{digit}\s*·|·\s*{digit}", visible)


def test_status_command_in_arabic(installation: tuple[Config, Store]) -> None:
    config, _ = installation
    code, out, _err = run_cli(["status", "--lang", "ar", "--config", config.source_path])
    assert code == 0
    assert "المهام" in out and "آخر التشغيلات" in out and "موقوفة مؤقتًا" in out
    assert "last runs" not in out and "paused" not in out


def _status_of(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return (response.status, {k.lower(): v for k, v in response.headers.items()},
                    response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return (error.code, {k.lower(): v for k, v in error.headers.items()},
                error.read().decode("utf-8"))


def test_status_page_is_for_this_machine_unless_a_token_is_set(
        installation: tuple[Config, Store], server: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Straight to `syndicate serve` on loopback: the operator on this machine.
    assert _status_of(f"{server}/status")[0] == 200
    # Through a reverse proxy (it adds forwarding headers): readers must not see it.
    for header in ({"X-Forwarded-For": "203.0.113.9"}, {"X-Real-IP": "203.0.113.9"},
                   {"X-Forwarded-Proto": "https"}):
        code, _headers, body = _status_of(f"{server}/status", header)
        assert code == 403 and '<html lang="ar" dir="rtl">' in body
        assert "site.status_token" in body and "collect-alraya" not in body
    code, _headers, body = _status_of(f"{server}/status.json", {"X-Forwarded-For": "203.0.113.9"})
    assert code == 403 and "error" in json.loads(body)

    # With a token configured, whoever presents it may look, from anywhere.
    config, store = installation
    path = Path(config.source_path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "site:\n", "site:\n  status_token: {env: SYNDICATE_TEST_STATUS_TOKEN}\n", 1),
        encoding="utf-8")
    monkeypatch.setenv("SYNDICATE_TEST_STATUS_TOKEN", "s3cret-operator-token")
    context = WebContext(config=load(path), store=store, clock=fixed_clock(NOW))
    with serve_app(Starlette(routes=status.routes(context))) as base:
        proxied = {"X-Forwarded-For": "203.0.113.9"}
        code, headers, _body = _status_of(f"{base}/status", proxied)
        assert code == 401 and headers["www-authenticate"] == "Bearer"
        assert _status_of(f"{base}/status", {**proxied, "Authorization": "Bearer nope"})[0] == 401
        code, _headers, body = _status_of(
            f"{base}/status", {**proxied, "Authorization": "Bearer s3cret-operator-token"})
        assert code == 200 and "collect-alraya" in body
        assert _status_of(f"{base}/status.json?token=s3cret-operator-token", proxied)[0] == 200
