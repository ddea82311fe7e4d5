"""The preference centre driven by a reader in headless Chromium, over real HTTP.

The digest's own preferences link is opened in Chromium (DevTools protocol over a
pipe, ``chromium_cdp.py``) against the real app under uvicorn on loopback; the reader
clicks radios and boxes with the mouse, picks a pause, and clicks the submit button.
The browser follows the 303 itself and the test reads what the page then says; the
subscriber's row and the next issues sent must show the change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from syndicate.store import Store
from syndicate.types import Cadence, Subscriber, SubscriberStatus
from syndicate.web.app import create_app

from .chromium_cdp import Browser, Response, browser
from .delivery_helpers import NOW, free_port, seed_columns, serve_app, write_config
from .test_web_preferences_flow import EMAIL, SECOND, add_columns, links, send

SAVED = "حُفظت تفضيلاتك، وتسري من العدد القادم."
SUBMIT = "#prefs button[type=submit]"


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The app on loopback (its clock movable) and a Chromium to read it with."""
    port = free_port()
    config = write_config(tmp_path, base_url=f"http://127.0.0.1:{port}",
                          newsletter_extra=SECOND)
    store = Store.open(config.store_url)
    seed_columns(store)
    store.subscribers.add(Subscriber(email=EMAIL, newsletter="daily", name="عائشة"), NOW)
    clock = {"now": NOW}
    with serve_app(create_app(config, store=store, clock=lambda: clock["now"]), port), \
            browser(tmp_path / "chromium-profile") as page:
        yield {"config": config, "store": store, "clock": clock, "page": page,
               "outbox": tmp_path / "outbox"}
    store.close()


def preferences_url(site: dict[str, Any]) -> str:
    """The preferences link of the first digest, as the reader's mail shows it."""
    (first,) = send(site, NOW)
    url = links(first)["تفضيلات الاشتراك"]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/preferences/p\.[\w.-]+", url), url
    return url


def checked(page: Browser, name: str) -> list[str]:
    values = page.evaluate(f"[...document.querySelectorAll('input[name={name}]:checked')]"
                           ".map(e => e.value)")
    return [str(v) for v in values]


def submit(page: Browser, url: str) -> None:
    """Click «حفظ التفضيلات»: one POST answered 303, then the GET it names, 200."""
    hops = page.click_and_load(SUBMIT)
    assert hops == [Response(url, 303, "POST"), Response(f"{url}?saved=1", 200, "GET")], hops
    assert page.evaluate("location.href") == f"{url}?saved=1"
    assert page.text("p.done[role=status]") == SAVED
    assert page.text("p.error") is None


def test_a_reader_chooses_weekly_two_authors_and_a_pause(site: dict[str, Any]) -> None:
    page, store = site["page"], site["store"]
    url = preferences_url(site)
    page.navigate(url)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert checked(page, "cadence") == ["daily"] and checked(page, "authors_mode") == ["all"]
    assert page.evaluate("document.querySelector('#pause').value") == "0"

    page.click("input[name=cadence][value=weekly]")
    page.click("input[name=authors_mode][value=chosen]")
    page.click("input[name=author][value=sara-lindqvist]")
    page.click("input[name=author][value=mariam-alkuwari]")
    assert page.choose("#pause", "3") == "٣ أسابيع"
    submit(page, url)

    # The page it lands on shows the choices as saved, and the pause.
    assert checked(page, "cadence") == ["weekly"] and checked(page, "authors_mode") == ["chosen"]
    assert sorted(checked(page, "author")) == ["mariam-alkuwari", "sara-lindqvist"]
    assert (page.text("#paused") or "").startswith("النشرة موقوفة حتى")
    assert page.evaluate("document.querySelector('#pause').value") == "keep"

    me = store.subscribers.get(EMAIL, "daily")
    assert me.cadence is Cadence.WEEKLY and me.status is SubscriberStatus.ACTIVE
    assert me.followed_authors == ("mariam-alkuwari", "sara-lindqvist")
    assert me.paused_until == NOW + timedelta(weeks=3)

    # Paused: the issues of the next three weeks go to nobody.
    for week in (1, 2):
        add_columns(site, NOW + timedelta(weeks=week), range(10 * week, 10 * week + 3))
        assert send(site, NOW + timedelta(weeks=week)) == []
    # Then the weekly edition, with the two followed authors' columns only.
    back = NOW + timedelta(weeks=3, days=1)
    add_columns(site, back, range(40, 46))
    (weekly,) = send(site, back)
    shown = re.sub(r"</?bdi>", "", weekly.get_body(("html",)).get_content())
    assert "طاب أسبوعك يا عائشة" in shown and "حصاد الأسبوع من" in shown
    new_columns = shown.split("الأكثر قراءة")[0]
    assert "Sara Lindqvist" in new_columns and "مريم الكواري" in new_columns
    assert "خالد المناعي" not in new_columns
    assert "الكتّاب الذين تتابعهم فقط" in shown


def test_changing_only_the_cadence_keeps_a_pause(site: dict[str, Any]) -> None:
    page, store = site["page"], site["store"]
    url = preferences_url(site)
    me = store.subscribers.get(EMAIL, "daily")
    assert me is not None and me.id is not None
    paused_until = NOW + timedelta(weeks=2)
    store.subscribers.set_preferences(me.id, cadence=Cadence.DAILY, followed_authors=(),
                                      paused_until=paused_until)
    site["clock"]["now"] = NOW + timedelta(days=3)
    page.navigate(url)
    assert (page.text("#paused") or "").startswith("النشرة موقوفة حتى")
    assert page.evaluate("document.querySelector('#pause').selectedOptions[0].textContent") \
        == "كما هي (موقوفة)"

    page.click("input[name=cadence][value=weekly]")
    submit(page, url)

    me = store.subscribers.get(EMAIL, "daily")
    assert me.cadence is Cadence.WEEKLY and me.followed_authors == ()
    assert me.paused_until == paused_until
    assert (page.text("#paused") or "").startswith("النشرة موقوفة حتى")
    during = NOW + timedelta(weeks=1, days=1)
    add_columns(site, during, range(10, 13))
    assert send(site, during) == []


def test_unsubscribing_from_the_page(site: dict[str, Any]) -> None:
    page, store = site["page"], site["store"]
    url = preferences_url(site)
    page.navigate(url)
    hops = page.click_and_load("#leave button[type=submit]")
    assert hops == [Response(url, 200, "POST")], hops
    assert page.text("p.done[role=status]") == \
        "ألغيت اشتراكك، ولن تصلك «نشرة الواحة اليومية» بعد الآن."
    assert page.evaluate("document.forms.length") == 0  # nothing left to post
    assert store.subscribers.get(EMAIL, "daily").status is SubscriberStatus.UNSUBSCRIBED
    later = NOW + timedelta(days=1)
    add_columns(site, later, range(10, 13))
    assert send(site, later) == []


def test_a_reader_who_left_is_told_so_and_nothing_is_saved(site: dict[str, Any]) -> None:
    """Found while driving the page: once unsubscribed (here by the mail client's
    one-click button, the page still open in a tab), saving said «حُفظت تفضيلاتك،
    وتسري من العدد القادم» although no issue would ever come; opening the digest's
    link again showed the whole form as if nothing had happened."""
    page, store = site["page"], site["store"]
    url = preferences_url(site)
    page.navigate(url)
    me = store.subscribers.get(EMAIL, "daily")
    assert me is not None and me.id is not None
    store.subscribers.set_status(me.id, SubscriberStatus.UNSUBSCRIBED, NOW)
    page.click("input[name=cadence][value=weekly]")
    hops = page.click_and_load(SUBMIT)
    assert hops == [Response(url, 400, "POST")], hops
    assert page.text("p.done") is None
    assert page.text("p.error") == "اشتراكك في هذه النشرة ملغًى، فلم يُحفظ شيء."
    assert store.subscribers.get(EMAIL, "daily").cadence is Cadence.DAILY
    # The digest's link, opened again: the page says where things stand, with the way
    # back (the subscribe page and its confirmation mail), and no form to save.
    page.navigate(url)
    assert page.text("#not-subscribed") == (
        "لست مشتركًا في «نشرة الواحة اليومية»، فلا تصلك أعدادها. "
        "إن غيرت رأيك فيمكنك الاشتراك من جديد.")
    assert page.evaluate("document.querySelector('#not-subscribed a').pathname") == "/subscribe"
    assert page.evaluate("document.querySelector('#prefs')") is None


def test_ticking_authors_is_choosing_them(site: dict[str, Any]) -> None:
    """Found while driving the page: a reader who follows every author ticks the two
    they want and saves, without first selecting «الكتّاب الذين أختارهم فقط»; the page
    said «حُفظت تفضيلاتك» and dropped the ticks (the radio still said «كل الكتّاب»)."""
    page, store = site["page"], site["store"]
    url = preferences_url(site)
    page.navigate(url)
    page.click("input[name=author][value=sara-lindqvist]")
    page.click("input[name=author][value=khalid-almannai]")
    submit(page, url)
    me = store.subscribers.get(EMAIL, "daily")
    assert me.followed_authors == ("khalid-almannai", "sara-lindqvist")
    assert checked(page, "authors_mode") == ["chosen"]
    assert sorted(checked(page, "author")) == ["khalid-almannai", "sara-lindqvist"]
    # Going back to every author: the radio alone, the boxes left as they are.
    page.click("input[name=authors_mode][value=all]")
    submit(page, url)
    assert store.subscribers.get(EMAIL, "daily").followed_authors == ()
    assert checked(page, "authors_mode") == ["all"] and checked(page, "author") == []


def test_a_refused_form_keeps_what_the_reader_chose(site: dict[str, Any]) -> None:
    """Found while driving the page: «الكتّاب الذين أختارهم فقط» with no author ticked
    is refused (400), and the page came back with the stored choices instead of the
    reader's, so ticking an author and saving again silently dropped the weekly cadence
    and the pause they had picked."""
    page, store = site["page"], site["store"]
    url = preferences_url(site)
    page.navigate(url)
    page.click("input[name=cadence][value=weekly]")
    page.click("input[name=authors_mode][value=chosen]")
    page.choose("#pause", "2")
    page.click("input[name=newsletter][value=weekly]")
    assert page.click_and_load(SUBMIT) == [Response(url, 400, "POST")]
    assert page.text("p.error") == "اختر كاتبًا واحدًا على الأقل، أو اختر «كل الكتّاب»."
    assert checked(page, "cadence") == ["weekly"] and checked(page, "authors_mode") == ["chosen"]
    assert page.evaluate("document.querySelector('#pause').value") == "2"
    assert checked(page, "newsletter") == ["weekly"]
    assert store.subscribers.get(EMAIL, "daily").cadence is Cadence.DAILY  # nothing saved
    page.click("input[name=author][value=sara-lindqvist]")
    submit(page, url)
    me = store.subscribers.get(EMAIL, "daily")
    assert me.cadence is Cadence.WEEKLY and me.followed_authors == ("sara-lindqvist",)
    assert me.paused_until == NOW + timedelta(weeks=2)
    assert store.subscribers.get(EMAIL, "weekly").status is SubscriberStatus.ACTIVE
