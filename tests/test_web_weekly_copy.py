"""A weekly subscriber's "view in browser" opens the week they were sent.

Found by the issue-13 acceptance audit: a subscriber on the weekly cadence of a daily
newsletter gets a harvest of several daily issues, but its "view in browser" link
(and the "N more articles in the browser version" link of a trimmed digest) opened
the last *daily* issue: one day's columns, not the week their e-mail showed.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import httpx

from syndicate.clock import fixed_clock
from syndicate.core.digest import run_digest
from syndicate.store import Store
from syndicate.types import Cadence, Subscriber
from syndicate.web.app import create_app

from . import delivery_helpers as mail
from .delivery_helpers import NOW


def titles(html: str) -> set[str]:
    return set(re.findall(r"مقال الرأي رقم \d+: الخليج والطاقة", html))


def test_weekly_digest_links_the_week_on_the_web(tmp_path: Path) -> None:
    port = mail.free_port()
    base = f"http://127.0.0.1:{port}"
    config = mail.write_config(tmp_path, base_url=base)
    store = Store.open(config.store_url)
    mail.seed_columns(store, count=2)
    store.subscribers.add(Subscriber("daily@example.org", "daily"), NOW)
    store.subscribers.add(Subscriber("weekly@example.org", "daily", cadence=Cadence.WEEKLY), NOW)
    sent: set[str] = set()

    def issue(days: int, numbers: range) -> dict[str, str]:
        when = NOW + timedelta(days=days)
        for n in numbers:
            col = mail.column(n, mail.AUTHORS[n % 3], views=10 * n, published=when - timedelta(hours=1))
            store.columns.upsert(col, dedupe_key=f"k{n}", seen_urls=(col.url,), now=when)
        run_digest(config, store, "daily", clock=fixed_clock(when))
        new = {m["To"].addresses[0].addr_spec: m.get_body(("html",)).get_content()
               for m in mail.read_maildir(tmp_path / "outbox") if m["Message-ID"] not in sent}
        sent.update(m["Message-ID"] for m in mail.read_maildir(tmp_path / "outbox"))
        return new

    issue(0, range(0))  # issue 1, the welcome, to both
    issue(2, range(10, 12))  # issue 2: the daily reader only
    week = issue(7, range(20, 22))  # issue 3: the weekly reader gets issues 2 and 3
    weekly_html = week["weekly@example.org"]
    assert "طاب أسبوعك" in weekly_html
    in_mail = titles(weekly_html.split("الأكثر قراءة")[0])
    assert len(in_mail) == 4, in_mail
    (link,) = set(re.findall(r'<a href="([^"]+)"[^>]*>اقرأ (?:هذا )?العدد في المتصفح</a>',
                             weekly_html))
    with mail.serve_app(create_app(config, store=store, clock=lambda: NOW + timedelta(days=7)), port), \
            httpx.Client(timeout=10) as client:
        page = client.get(link)
        assert page.status_code == 200
        assert titles(page.text.split("الأكثر قراءة")[0]) == in_mail, link
        assert "مقالات الأسبوع" in page.text and "حصاد الأسبوع من" in page.text
        assert link == f"{base}/issues/daily/3/weekly"
        assert client.get(f"{base}/issues/daily/4/weekly").status_code == 404
        # The daily reader's link still opens the daily issue alone.
        (daily_link,) = set(re.findall(
            r'<a href="([^"]+)"[^>]*>اقرأ (?:هذا )?العدد في المتصفح</a>',
            week["daily@example.org"]))
        assert daily_link == f"{base}/issues/daily/3"
        assert titles(client.get(daily_link).text.split("الأكثر قراءة")[0]) == {
            "مقال الرأي رقم 20: الخليج والطاقة", "مقال الرأي رقم 21: الخليج والطاقة"}
    store.close()
