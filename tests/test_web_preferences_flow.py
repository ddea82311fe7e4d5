"""Preference centre and web issues over real HTTP (uvicorn on loopback, httpx client).

From a digest in the Maildir to its links: the preference page changes what the
*next* issue brings (followed authors, pause, cadence, other newsletters); the
"view in browser" link opens the issue with nobody's name or token in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest

from syndicate.clock import fixed_clock
from syndicate.core.digest import run_digest
from syndicate.store import Store
from syndicate.types import Cadence, Subscriber, SubscriberStatus
from syndicate.web.app import create_app

from .delivery_helpers import (
    AUTHORS,
    NOW,
    column,
    free_port,
    read_maildir,
    seed_columns,
    serve_app,
    write_config,
)

SECOND = """    postal_address: "ص.ب. ٣٤٨٨، الدوحة، قطر"
  - id: weekly
    title: الواحة — حصاد الأسبوع
    sender: "الواحة <weekly@alwaha.example>"
    edition: weekly
"""
EMAIL = "aisha@example.org"


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[dict[str, Any]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = write_config(tmp_path, base_url=base, newsletter_extra=SECOND)
    store = Store.open(config.store_url)
    seed_columns(store)
    store.subscribers.add(Subscriber(email=EMAIL, newsletter="daily", name="عائشة"), NOW)
    clock = {"now": NOW}
    with serve_app(create_app(config, store=store, clock=lambda: clock["now"]), port), \
            httpx.Client(base_url=base, timeout=10) as client:
        yield {"config": config, "store": store, "client": client, "clock": clock,
               "outbox": tmp_path / "outbox"}
    store.close()


def send(site: dict[str, Any], when: Any) -> list[EmailMessage]:
    site["clock"]["now"] = when
    outbox = site["outbox"]
    before = {m["Message-ID"] for m in read_maildir(outbox)} if outbox.exists() else set()
    result = run_digest(site["config"], site["store"], "daily", clock=fixed_clock(when))
    assert not result.failed, result
    return [m for m in read_maildir(outbox) if m["Message-ID"] not in before]


def links(message: EmailMessage) -> dict[str, str]:
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    found = {label: href for href, label in re.findall(
        r'<a href="([^"]+)"[^>]*>(تفضيلات الاشتراك|اقرأ العدد في المتصفح)</a>', html)}
    # The text part carries the same preferences link on its own line.
    assert found["تفضيلات الاشتراك"] in text.splitlines()
    return found


def add_columns(site: dict[str, Any], when: Any, numbers: range) -> None:
    for n in numbers:
        col = column(n, AUTHORS[n % 3], views=100 * n, published=when - timedelta(hours=1))
        site["store"].columns.upsert(col, dedupe_key=f"k{n}", seen_urls=(col.url,), now=when)


def test_preferences_page_changes_the_next_issue(site: dict[str, Any]) -> None:
    client, store = site["client"], site["store"]
    (first,) = send(site, NOW)
    url = links(first)["تفضيلات الاشتراك"]
    assert "/preferences/p." in url
    page = client.get(url)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.text.lower().startswith("<!doctype html>")
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "تفضيلات اشتراكك في «نشرة الواحة اليومية»" in page.text
    # Every author of the paper, with the paper's name and the photo when there is one.
    for author in AUTHORS:
        assert author.name in page.text.replace("<bdi>", "").replace("</bdi>", "")
    assert 'src="https://alwaha.example/img/khalid.jpg"' in page.text
    assert page.text.count('class="papers"') == 3 and ">alwaha<" in page.text
    assert "الواحة — حصاد الأسبوع" in page.text  # the other newsletter

    answer = client.post(url, data={"do": "save", "cadence": "daily", "authors_mode": "chosen",
                                    "author": ["sara-lindqvist", "not-an-author"],
                                    "pause_weeks": "0", "newsletter": ["weekly"]},
                         follow_redirects=True)
    assert answer.status_code == 200 and "حُفظت تفضيلاتك" in answer.text
    me = store.subscribers.get(EMAIL, "daily")
    assert me.followed_authors == ("sara-lindqvist",) and me.cadence is Cadence.DAILY
    other = store.subscribers.get(EMAIL, "weekly")
    assert other is not None and other.status is SubscriberStatus.ACTIVE

    later = NOW + timedelta(days=1)
    add_columns(site, later, range(10, 16))
    (second,) = send(site, later)
    html = second.get_body(("html",)).get_content()
    shown = re.sub(r"</?bdi>", "", html)
    assert "Sara Lindqvist" in shown and "خالد المناعي" not in shown.split("الأكثر قراءة")[0]
    assert "تصلك فيها مقالات الكتّاب الذين تتابعهم فقط، ومنهم في هذا العدد: Sara Lindqvist" in shown


def test_pause_skips_issues_until_it_ends(site: dict[str, Any]) -> None:
    client, store = site["client"], site["store"]
    (first,) = send(site, NOW)
    url = links(first)["تفضيلات الاشتراك"]
    client.post(url, data={"do": "save", "cadence": "daily", "authors_mode": "all",
                           "pause_weeks": "2"})
    me = store.subscribers.get(EMAIL, "daily")
    assert me.paused_until == NOW + timedelta(weeks=2)
    assert "النشرة موقوفة حتى" in client.get(url).text
    in_a_week = NOW + timedelta(weeks=1)
    add_columns(site, in_a_week, range(20, 23))
    assert send(site, in_a_week) == []
    after = NOW + timedelta(weeks=2, days=1)
    add_columns(site, after, range(30, 33))
    (back,) = send(site, after)
    assert back["To"].addresses[0].addr_spec == EMAIL


def test_bad_form_and_bad_tokens(site: dict[str, Any]) -> None:
    client, store = site["client"], site["store"]
    (first,) = send(site, NOW)
    url = links(first)["تفضيلات الاشتراك"]
    bad = client.post(url, data={"do": "save", "cadence": "daily", "authors_mode": "chosen",
                                 "pause_weeks": "0"})
    assert bad.status_code == 400 and "اختر كاتبًا واحدًا على الأقل" in bad.text
    assert client.post(url, data={"pause_weeks": "99"}).status_code == 400
    tampered = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    assert client.get(tampered).status_code == 400
    unsubscribe_token = re.search(r"/unsubscribe/([^\s>]+)",
                                  first["List-Unsubscribe"]).group(1)  # type: ignore[union-attr]
    wrong_purpose = client.get(f"/preferences/{unsubscribe_token}")
    assert wrong_purpose.status_code == 400 and "الرابط غير صالح" in wrong_purpose.text
    assert store.subscribers.get(EMAIL, "daily").status is SubscriberStatus.ACTIVE
    left = client.post(url, data={"do": "unsubscribe"})
    assert left.status_code == 200 and "ألغيت اشتراكك" in left.text
    assert store.subscribers.get(EMAIL, "daily").status is SubscriberStatus.UNSUBSCRIBED


def test_view_in_browser_opens_the_issue_without_personal_data(site: dict[str, Any]) -> None:
    client = site["client"]
    (first,) = send(site, NOW)
    url = links(first)["اقرأ العدد في المتصفح"]
    assert url.endswith("/issues/daily/1")
    page = client.get(url)
    assert page.status_code == 200 and page.headers["cache-control"].startswith("public")
    assert page.text.lower().startswith("<!doctype html>") and 'dir="rtl"' in page.text
    assert "مقال الرأي رقم 1: الخليج والطاقة" in page.text
    assert "العدد ١" in page.text and "أحدث المقالات لتبدأ بها" in page.text
    for private in (EMAIL, "عائشة", "/preferences/", "/unsubscribe/"):
        assert private not in page.text
    assert re.findall(r"<h1\b", page.text) == ["<h1"] and "<h2>" in page.text
    index = client.get("/issues/daily/")
    assert index.status_code == 200 and 'href="/issues/daily/1"' in index.text
    assert client.get("/issues/daily/2").status_code == 404
    assert client.get("/issues/nope/").status_code == 404
    assert client.get("/issues/weekly/").status_code == 200  # known, nothing sent yet


def browser_form(page: str) -> dict[str, Any]:
    """What a browser posts for the save form untouched: checked radios and boxes, and
    each select's selected option, else its first (HTML's rule)."""
    form = page[page.index('<form method="post"'):page.index("</form>")]
    data: dict[str, Any] = {"do": "save"}
    for name, value in re.findall(r'<input type="radio" name="(\w+)" value="([^"]*)" checked',
                                  form):
        data[name] = value
    authors = re.findall(r'<input type="checkbox" name="author" value="([^"]*)" checked', form)
    if authors:
        data["author"] = authors
    select = form[form.index('name="pause_weeks"'):form.index("</select>")]
    options = re.findall(r'<option value="([^"]*)"( selected)?>', select)
    data["pause_weeks"] = next((v for v, chosen in options if chosen), options[0][0])
    return data


def test_saving_another_change_keeps_a_pause(site: dict[str, Any]) -> None:
    """Found by the issue-13 audit: while paused, the pause menu showed its first option
    («بلا إيقاف») because none was selected, so saving any other change (the cadence,
    the authors) silently lifted the pause."""
    client, store = site["client"], site["store"]
    (first,) = send(site, NOW)
    url = links(first)["تفضيلات الاشتراك"]
    client.post(url, data={"do": "save", "cadence": "daily", "authors_mode": "all",
                           "pause_weeks": "3"})
    paused = store.subscribers.get(EMAIL, "daily").paused_until
    assert paused == NOW + timedelta(weeks=3)
    site["clock"]["now"] = NOW + timedelta(days=2)
    form = browser_form(client.get(url).text)
    form["cadence"] = "weekly"  # the one thing the reader changes
    assert client.post(url, data=form).status_code == 303
    me = store.subscribers.get(EMAIL, "daily")
    assert me.cadence is Cadence.WEEKLY and me.paused_until == paused
    # Choosing «بلا إيقاف» still resumes at once.
    form["pause_weeks"] = "0"
    client.post(url, data=form)
    assert store.subscribers.get(EMAIL, "daily").paused_until is None
