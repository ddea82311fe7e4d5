"""A column dated in the future, in a digest sent to a real Maildir: never tomorrow's date.

The column goes through the real repository (as collect stores it: stated date plus
the flag) and the real ``run_digest``; the message is parsed back from the outbox.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from syndicate.clock import fixed_clock
from syndicate.core.digest import run_digest
from syndicate.render.digest_model import build_content, format_when, locale_digits
from syndicate.store import Store
from syndicate.types import Outcome, Subscriber

from .delivery_helpers import AUTHORS, NOW, column, read_maildir, seed_columns, write_config

STATED = NOW + timedelta(days=2, hours=5, minutes=30)  # Tuesday 16 September, 12:30 Doha
COLLECTED = NOW - timedelta(hours=5)  # first read the evening before the digest
FUTURE_N = 99


def test_digest_dates_and_orders_a_future_column_by_its_first_collection(
        tmp_path: Path) -> None:
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    try:
        future = column(FUTURE_N, AUTHORS[1], views=50, published=STATED)
        future = future.__class__(**{**future.__dict__, "future_dated": True})
        store.columns.upsert(future, dedupe_key="future", seen_urls=(future.url,),
                             now=COLLECTED)
        seed_columns(store)  # six columns published NOW-2h … NOW-12h, collected at NOW
        store.subscribers.add(Subscriber("reader@example.org", "daily", name="عائشة"), NOW)
        result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
        assert result.count(Outcome.SENT) == 1 and not result.failed
    finally:
        store.close()

    newsletter = config.newsletter("daily")
    digits = locale_digits(newsletter)
    shown = format_when(COLLECTED, newsletter, digits, config.timezone)
    stated = format_when(STATED, newsletter, digits, config.timezone)
    assert shown != stated  # different days, so the assertions below can tell them apart

    (message,) = read_maildir(tmp_path / "outbox")
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert future.url in html and future.url in text
    assert stated not in html and stated not in text  # tomorrow's date is printed nowhere
    # The text part's item for the column (title, byline, date…) carries the shown date.
    (block,) = [b for b in text.split("اقرأ المقال كاملًا:") if f"رقم {FUTURE_N}:" in b
                and "مقال الرأي" in b]
    assert shown in block
    assert shown in html
    # Ordered by the shown date: after the columns published NOW-2h and NOW-4h, before
    # NOW-6h (its first collection was NOW-5h), not on top.
    for part in (html, text):
        at = [part.index(f"https://alwaha.example/opinion/{n}") for n in (1, 2, FUTURE_N, 3)]
        assert at == sorted(at)


def test_build_content_shows_the_stated_date_once_it_has_arrived(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    newsletter = config.newsletter("daily")
    digits = locale_digits(newsletter)
    store = Store.open(config.store_url)
    try:
        future = column(FUTURE_N, AUTHORS[1], views=50, published=STATED)
        store.columns.upsert(future, dedupe_key="future", seen_urls=(future.url,),
                             now=COLLECTED)
        (stored,) = store.columns.list()
    finally:
        store.close()
    for when, expected in ((NOW, COLLECTED), (STATED - timedelta(minutes=1), COLLECTED),
                           (STATED, STATED), (STATED + timedelta(days=1), STATED)):
        content = build_content(newsletter, [stored], [], issue_number=1, now=when,
                                base_url=config.site.base_url, tz=config.timezone)
        (item,) = content.new_items
        assert item.dates_text == format_when(expected, newsletter, digits, config.timezone)
