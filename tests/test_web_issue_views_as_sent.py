"""An issue's web copy shows "most read" as the e-mail did, whatever the counts do next.

Found by the issue-13 acceptance audit: ``/issues/<id>/<n>`` (and its weekly copy)
rebuilt "most read" from today's view counts, so a column read a lot after the issue
went out jumped up the list and every count shown drifted from the e-mail's. A stable
URL shows the issue as sent: ranked and counted as of the issue's creation.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from syndicate.clock import fixed_clock
from syndicate.core.digest import run_digest
from syndicate.store import Store
from syndicate.types import Cadence, Subscriber
from syndicate.web.app import create_app

from . import delivery_helpers as mail
from .delivery_helpers import NOW

DAILY, WEEKLY = "daily@example.org", "weekly@example.org"
# A title or a view count, in document order: «مقال الرأي رقم 12» or «المشاهدات: ٣٠٠».
TOKEN = re.compile(r"مقال الرأي رقم (\d+)|المشاهدات: (?:<[^>]+>)?([0-9٠-٩٬,]+)")


def tokens(html: str) -> list[str]:
    """Titles and counts in order ("#12", "٣٠٠", …); a title repeated in a row (the
    e-mail links the lead's picture too) counts once."""
    out: list[str] = []
    for title, views in TOKEN.findall(html):
        token = f"#{title}" if title else views
        if not out or out[-1] != token:
            out.append(token)
    return out


def most_read(html: str) -> list[str]:
    return tokens(html.split("الأكثر قراءة", 1)[1])


def new_section(html: str) -> list[str]:
    body = html.split("الأكثر قراءة", 1)[0]
    return tokens(body[body.index("<body"):])  # not the <title> or the preheader


def test_issue_pages_keep_the_counts_the_mail_showed(tmp_path: Path) -> None:
    port = mail.free_port()
    base = f"http://127.0.0.1:{port}"
    config = mail.write_config(tmp_path, base_url=base)
    store = Store.open(config.store_url)
    store.subscribers.add(Subscriber(DAILY, "daily"), NOW)
    store.subscribers.add(Subscriber(WEEKLY, "daily", cadence=Cadence.WEEKLY), NOW)
    sent: set[str] = set()

    def collect(n: int, views: int | None, when: datetime, published: datetime) -> None:
        col = mail.column(n, mail.AUTHORS[n % 3], views=views, published=published)
        store.columns.upsert(col, dedupe_key=f"k{n}", seen_urls=(col.url,), now=when)

    def issue(days: int, views: dict[int, int | None]) -> dict[str, str]:
        when = NOW + timedelta(days=days)
        for n, count in views.items():
            collect(n, count, when, when - timedelta(hours=1))
        run_digest(config, store, "daily", clock=fixed_clock(when))
        new = {m["To"].addresses[0].addr_spec: m.get_body(("html",)).get_content()
               for m in mail.read_maildir(tmp_path / "outbox") if m["Message-ID"] not in sent}
        sent.update(m["Message-ID"] for m in mail.read_maildir(tmp_path / "outbox"))
        return new

    issue(0, {1: 900, 2: 800, 3: 700})  # issue 1, the welcome, to both
    second = issue(2, {10: 100, 11: 200, 12: 300})  # issue 2: the daily reader only
    third = issue(7, {20: 5000, 21: None})  # issue 3: the weekly reader's week
    daily_2, daily_3, weekly_3 = second[DAILY], third[DAILY], third[WEEKLY]
    assert most_read(daily_2)[:2] == ["#1", "٩٠٠"], most_read(daily_2)
    assert most_read(daily_3)[:2] == ["#12", "٣٠٠"], most_read(daily_3)
    assert most_read(weekly_3)[:2] == ["#20", "٥٬٠٠٠"], most_read(weekly_3)
    assert "#21" not in most_read(weekly_3)  # no count when the week was sent
    assert new_section(daily_2) == ["#12", "٣٠٠", "#11", "٢٠٠", "#10", "١٠٠"]

    # Later runs of collect: the least read columns are read a lot, one that had no
    # count gets one, and one is counted again just as it was.
    later = NOW + timedelta(days=8)
    collect(10, 90_000, later, NOW + timedelta(days=2) - timedelta(hours=1))
    collect(3, 80_000, later, NOW - timedelta(hours=1))
    collect(21, 70_000, later, NOW + timedelta(days=7) - timedelta(hours=1))
    collect(12, 300, later, NOW + timedelta(days=2) - timedelta(hours=1))

    app = create_app(config, store=store, clock=lambda: later)
    with mail.serve_app(app, port), httpx.Client(base_url=base, timeout=10) as client:
        for path, sent_html in (("/issues/daily/2", daily_2), ("/issues/daily/3", daily_3),
                                ("/issues/daily/3/weekly", weekly_3)):
            page = client.get(path)
            assert page.status_code == 200, path
            assert most_read(page.text) == most_read(sent_html), path
            assert new_section(page.text) == new_section(sent_html), path
    store.close()
