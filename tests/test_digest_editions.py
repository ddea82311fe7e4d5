"""Issue 13 item 5: the weekly and the first issue are editions of their own."""

from __future__ import annotations

import re
from pathlib import Path

from syndicate.render.digest import render_segment
from syndicate.render.digest_model import DigestContent, SubscriberTokens, build_content
from syndicate.render.digest_subject import heading_for

from .digest_render_helpers import NOW, TEMPLATES, make_columns, newsletter

TOKENS = SubscriberTokens(unsubscribe_url="https://n.example/u/1", name="عائشة")


def visible(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def weekly(**nl: object) -> DigestContent:
    columns = make_columns(6)
    ranked = sorted(columns, key=lambda c: -(c.views or 0))
    return build_content(newsletter(edition="weekly", **nl), columns, ranked, issue_number=7,
                         now=NOW, base_url="https://n.example")


def test_weekly_states_its_week_in_both_calendars() -> None:
    content = weekly(calendar="hijri")  # the range is in both, whatever `calendar` says
    assert content.edition == "weekly"
    assert content.period_text == (
        "من ١٦ ربيع الأول ١٤٤٧ هـ إلى ٢٢ ربيع الأول ١٤٤٧ هـ "
        "(من ٨ سبتمبر ٢٠٢٥ إلى ١٤ سبتمبر ٢٠٢٥ م)"
    )
    page, text = render_segment(content, templates_dirs=TEMPLATES).personalise(TOKENS)
    assert "حصاد الأسبوع " + content.period_text in visible(page)
    assert "حصاد الأسبوع " + content.period_text in text


def test_weekly_most_read_ranks_the_whole_week_including_this_issue() -> None:
    content = weekly()
    # Every column of the week is new in a weekly; the ranking still lists them.
    assert {i.url for i in content.most_read_items} <= {i.url for i in content.new_items}
    assert [i.views_text for i in content.most_read_items] == ["٥٬٤١٤", "٤٬٤١٤", "٣٬٤١٤",
                                                               "١٬٤١٤", "٤١٤"]
    daily = build_content(newsletter(), make_columns(6), make_columns(6), issue_number=7,
                          now=NOW, base_url="https://n.example")
    assert not daily.most_read_items  # a daily never repeats its new columns there
    page, _ = render_segment(content, templates_dirs=TEMPLATES).personalise(TOKENS)
    assert "الأكثر قراءة هذا الأسبوع" in page


def test_weekly_greeting_and_headings() -> None:
    page, text = render_segment(weekly(), templates_dirs=TEMPLATES).personalise(TOKENS)
    shown = visible(page)
    assert "طاب أسبوعك يا عائشة،" in shown
    assert "إليك حصاد الأسبوع من مقالات الرأي" in shown
    assert "منذ عددنا السابق" not in shown and "منذ عددنا السابق" not in text
    assert re.findall(r"<h2[^>]*>([^<]+)</h2>", page)[0] == "مقالات الأسبوع"
    assert heading_for(weekly()).preheader.startswith("حصاد الأسبوع من ١٦ ربيع الأول")


def test_first_issue_welcomes_with_at_most_max_items() -> None:
    columns = make_columns(6)
    first = build_content(newsletter(max_items=3), columns, [], issue_number=1, now=NOW,
                          base_url="https://n.example")
    assert first.edition == "welcome" and len(first.new_items) == 3
    page, text = render_segment(first, templates_dirs=TEMPLATES).personalise(TOKENS)
    shown = visible(page)
    assert "أهلًا بك يا عائشة،" in shown
    assert "هذا عددك الأول" in shown and "هذا عددك الأول" in text
    assert re.findall(r"<h2[^>]*>([^<]+)</h2>", page)[0] == "أحدث المقالات لتبدأ بها"
    assert "منذ عددنا السابق" not in shown
    assert heading_for(first).preheader.startswith("أهلًا بك في «نشرة الشرق اليومية»")


def test_through_a_run_first_issue_welcomes_then_weekly_subscribers_get_the_weekly(
        tmp_path: Path) -> None:
    from datetime import timedelta

    from syndicate.clock import fixed_clock
    from syndicate.core.digest import run_digest
    from syndicate.store import Store
    from syndicate.types import Cadence, Subscriber

    from .delivery_helpers import AUTHORS, column, read_maildir, seed_columns, write_config
    from .delivery_helpers import NOW as SEND_NOW

    config = write_config(tmp_path, newsletter_extra="    max_items: 4\n")
    store = Store.open(config.store_url)
    seed_columns(store, count=6)
    store.subscribers.add(Subscriber("daily@example.org", "daily", name="منى"), SEND_NOW)
    store.subscribers.add(Subscriber("weekly@example.org", "daily", name="حمد",
                                     cadence=Cadence.WEEKLY), SEND_NOW)
    run_digest(config, store, "daily", clock=fixed_clock(SEND_NOW))
    first = read_maildir(tmp_path / "outbox")
    assert len(first) == 2
    for message in first:
        html = message.get_body(("html",)).get_content()
        assert "أحدث المقالات لتبدأ بها" in html and "هذا عددك الأول" in html
        assert html.count('<h3 class="t"') == 4  # max_items of the backlog, no more
    later = SEND_NOW + timedelta(days=8)
    for n in range(40, 43):
        col = column(n, AUTHORS[n % 3], views=50 * n, published=later - timedelta(hours=1))
        store.columns.upsert(col, dedupe_key=f"k{n}", seen_urls=(col.url,), now=later)
    run_digest(config, store, "daily", clock=fixed_clock(later))
    second = {m["To"].addresses[0].addr_spec: m for m in read_maildir(tmp_path / "outbox")
              if m["Message-ID"] not in {f["Message-ID"] for f in first}}
    weekly_html = second["weekly@example.org"].get_body(("html",)).get_content()
    daily_html = second["daily@example.org"].get_body(("html",)).get_content()
    assert "طاب أسبوعك" in weekly_html and "حصاد الأسبوع من" in weekly_html
    assert "مقالات الأسبوع" in weekly_html
    assert "طاب أسبوعك" not in daily_html and "مقالات جديدة" in daily_html
    store.close()
