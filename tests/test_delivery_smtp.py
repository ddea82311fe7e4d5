"""Digests through a real SMTP server (aiosmtpd on 127.0.0.1), parsed back message by message."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.config.newsletters import SmtpSettings
from syndicate.core.digest import run_digest
from syndicate.deliver.message import build_message
from syndicate.deliver.smtp import SmtpTransport
from syndicate.errors import DeliveryError, PermanentDeliveryError
from syndicate.store import Store
from syndicate.types import Outcome, Subscriber, SubscriberStatus

from .delivery_helpers import (
    AUTHORS,
    NOW,
    SinkHandler,
    free_port,
    parse,
    seed_columns,
    smtp_sink,
    write_config,
)

ARABIC_INDIC = re.compile("[٠-٩]")


def _subscribers(store: Store, n: int) -> list[Subscriber]:
    out = []
    for i in range(n):
        followed = ("sara-lindqvist",) if i % 3 == 0 else ()
        sub, _ = store.subscribers.add(
            Subscriber(f"reader{i}@example.org", "daily", name=f"قارئ {i}",
                       followed_authors=followed), NOW)
        out.append(sub)
    return out


@pytest.mark.parametrize("pipelining", [False, True], ids=["plain", "pipelining"])
def test_every_message_through_smtp_parses_back_right(tmp_path: Path, pipelining: bool) -> None:
    with smtp_sink(SinkHandler(pipelining=pipelining)) as (port, sink):
        config = write_config(tmp_path, transport="smtp", smtp_port=port)
        store = Store.open(config.store_url)
        columns = seed_columns(store)
        subs = _subscribers(store, 12)
        result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
        assert result.count(Outcome.SENT) == 12 and not result.failed, result
        assert len(sink.messages) == 12
    by_to = {str(m["To"].addresses[0].addr_spec): m for m in map(parse, sink.messages)}
    assert set(by_to) == {s.email for s in subs}
    message_ids = {m["Message-ID"] for m in by_to.values()}
    assert len(message_ids) == 12
    for sub in subs:
        msg = by_to[sub.email]
        # Structure and headers.
        assert msg.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
        assert msg["From"].addresses[0].display_name == "الواحة — مقالات الرأي"
        assert msg["Subject"].startswith("مقال الرأي")  # the lead headline first
        assert msg["Date"].datetime == NOW
        assert msg["Message-ID"].startswith(f"<digest.daily.1.{sub.id}.")
        assert "<daily.alwaha.example>" in msg["List-Id"]
        unsubscribe = re.search(r"<(http[^>]+)>", msg["List-Unsubscribe"])
        assert unsubscribe and "/unsubscribe/u." in unsubscribe.group(1)
        assert "mailto:unsubscribe@alwaha.example" in msg["List-Unsubscribe"]
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        html = msg.get_body(("html",)).get_content()
        text = msg.get_body(("plain",)).get_content()
        # RTL, in both parts.
        assert 'dir="rtl"' in html and 'lang="ar"' in html
        assert all(line.startswith("\u200f") for line in text.splitlines()
                   if any("\u0600" <= c <= "\u06ff" for c in line))
        # Both dates: Hijri with its era marker, Gregorian with its own.
        assert "هـ" in html and "الموافق" in html and "سبتمبر" in html and "ربيع الأول" in html
        assert "هـ" in text and "سبتمبر" in text
        # Bylines and view counts (Arabic-Indic digits for ar-QA) of what they follow.
        shown = [c for c in columns if c.url in html]
        assert shown
        for col in shown:
            assert col.author.name in html
            views = f"{col.views:,}".replace(",", "\u066c").translate(
                str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
            assert views in html and views in text
        if sub.followed_authors:
            assert {c.author.slug for c in columns if f'href="{c.url}"' in html.split(
                "الأكثر قراءة")[0]} <= {"sara-lindqvist"}
        else:
            assert all(c.url in html for c in columns)
        assert unsubscribe.group(1) in html and unsubscribe.group(1) in text
        assert (sub.name or "") in html
    assert result.counter("segments") == 2


def test_temporary_failures_are_retried_with_backoff(tmp_path: Path) -> None:
    with smtp_sink(SinkHandler(temporary_failures=2)) as (port, sink):
        config = write_config(tmp_path, transport="smtp", smtp_port=port)
        store = Store.open(config.store_url)
        seed_columns(store)
        _subscribers(store, 3)
        result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
        assert result.count(Outcome.SENT) == 3 and not result.failed
        assert len(sink.messages) == 3 and sink.temporary_failures == 0


def test_exhausted_retries_stay_queued_for_the_next_run(tmp_path: Path) -> None:
    with smtp_sink(SinkHandler(temporary_failures=3)) as (port, sink):
        # retries: 2 → 3 tries for the first message, all answered 451.
        config = write_config(tmp_path, transport="smtp", smtp_port=port)
        store = Store.open(config.store_url)
        seed_columns(store)
        _subscribers(store, 1)
        first = run_digest(config, store, "daily", clock=fixed_clock(NOW))
        assert first.items[0].outcome is Outcome.FAILED
        # 451 4.3.0 at DATA is about the relay, not the mailbox: nobody's fault.
        assert "451" in first.items[0].reason and "against nobody" in first.items[0].reason
        issue = store.digests.issues("daily")[0]
        assert store.digests.delivery_counts(issue.id or 0) == {"pending": 1}
        assert [d.attempts for d in store.digests.deliveries(issue.id or 0, ("pending",))] == [0]
        # Not again in the same minute: the relay gets a pause.
        assert not run_digest(config, store, "daily", clock=fixed_clock(NOW)).items
        later = NOW + timedelta(minutes=2)
        second = run_digest(config, store, "daily", clock=fixed_clock(later))
        assert second.count(Outcome.SENT) == 1 and len(sink.messages) == 1


def test_permanent_refusal_bounces_the_subscriber_at_the_limit(tmp_path: Path) -> None:
    from .delivery_helpers import column

    handler = SinkHandler(refuse={"reader1@example.org"})
    with smtp_sink(handler) as (port, sink):
        config = write_config(tmp_path, transport="smtp", smtp_port=port)  # bounce_limit: 2
        store = Store.open(config.store_url)
        seed_columns(store)
        subs = _subscribers(store, 3)
        first = run_digest(config, store, "daily", clock=fixed_clock(NOW))
        assert first.count(Outcome.SENT) == 2
        bounced = [i for i in first.failed if i.key == "reader1@example.org"]
        assert bounced and "550" in bounced[0].reason and "bounced" in bounced[0].reason
        after_one = store.subscribers.get_by_id(subs[1].id or 0)
        assert after_one is not None and after_one.bounces == 1
        assert after_one.status is SubscriberStatus.ACTIVE
        later = NOW + timedelta(days=1)
        col = column(50, AUTHORS[2], views=7, published=later)
        store.columns.upsert(col, dedupe_key="k50", seen_urls=(col.url,), now=later)
        second = run_digest(config, store, "daily", clock=fixed_clock(later))
        assert second.count(Outcome.SENT) == 2
        final = store.subscribers.get_by_id(subs[1].id or 0)
        assert final is not None and final.status is SubscriberStatus.BOUNCED
        assert len(sink.messages) == 4


@pytest.mark.parametrize("pipelining", [False, True], ids=["plain", "pipelining"])
def test_transport_classifies_replies_and_a_dead_relay(tmp_path: Path, pipelining: bool) -> None:
    def msg(to: str):  # type: ignore[no-untyped-def]
        return build_message(sender="W <w@alwaha.example>", to=to, to_name=None, subject="ع",
                             text="\u200fن", html="<p>ن</p>", message_id=f"<{to}@x.example>",
                             date=NOW)

    with smtp_sink(SinkHandler(refuse={"no@example.org"}, pipelining=pipelining)) as (port, sink):
        settings = SmtpSettings(host="127.0.0.1", port=port, security="none", retries=0,
                                retry_backoff_s=0, connections=2)
        transport = SmtpTransport(settings)
        try:
            transport.send(msg("yes@example.org"))
            with pytest.raises(PermanentDeliveryError) as refused:
                transport.send(msg("no@example.org"))
            assert refused.value.address == "no@example.org" and "550" in refused.value.reason
            transport.send(msg("again@example.org"))  # the connection survived the 550
            assert not transport.already_delivered("<yes@example.org@x.example>")
        finally:
            transport.close()
        assert len(sink.messages) == 2
    dead = SmtpTransport(SmtpSettings(host="127.0.0.1", port=free_port(), security="none",
                                      retries=1, retry_backoff_s=0, timeout_s=2))
    try:
        with pytest.raises(DeliveryError) as down:
            dead.send(msg("x@example.org"))
        assert not isinstance(down.value, PermanentDeliveryError)
    finally:
        dead.close()


def test_a_dead_relay_stops_the_run_and_keeps_everything_queued(tmp_path: Path) -> None:
    config = write_config(tmp_path, transport="smtp", smtp_port=free_port())  # nobody listens
    store = Store.open(config.store_url)
    seed_columns(store)
    _subscribers(store, 14)
    result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
    # Three relay failures in a row, then it stopped (those already on the pool finish);
    # nothing is counted against the subscribers.
    assert 3 <= result.counter("relay") < 14 and result.counter("temporary") == 0
    assert result.items[-1].key == "daily" and "relay failure" in result.items[-1].reason
    issue = store.digests.issues("daily")[0]
    assert store.digests.delivery_counts(issue.id or 0) == {"pending": 14}
    assert {d.attempts for d in store.digests.deliveries(issue.id or 0, ("pending",))} == {0}
    with smtp_sink() as (port, sink):
        revived = write_config(tmp_path, transport="smtp", smtp_port=port)
        again = run_digest(revived, store, "daily", clock=fixed_clock(NOW + timedelta(minutes=2)))
        assert again.counter("sent") == 14 and again.counter("resumed_issues") == 1
        assert len(sink.messages) == 14


@pytest.mark.parametrize("pipelining", [False, True], ids=["plain", "pipelining"])
def test_a_line_starting_with_a_dot_still_arrives_intact(tmp_path: Path, pipelining: bool) -> None:
    # Our own messages never have one (base64 bodies), so they skip aiosmtplib's
    # rewriting; anything else still goes through it and is dot-stuffed on the wire.
    from syndicate.deliver.message import MailMessage

    data = (b"From: w@alwaha.example\r\nTo: d@example.org\r\nSubject: dots\r\n\r\n"
            b".leading dot\r\n..two\r\nend\r\n")
    with smtp_sink(SinkHandler(pipelining=pipelining)) as (port, sink):
        transport = SmtpTransport(SmtpSettings(host="127.0.0.1", port=port, security="none"))
        try:
            transport.send(MailMessage("<d@x>", "w@alwaha.example", "d@example.org", data))
        finally:
            transport.close()
    assert sink.messages == [data]


@pytest.mark.parametrize("pipelining", [False, True], ids=["plain", "pipelining"])
def test_bare_line_feeds_of_a_foreign_message_become_crlf(tmp_path: Path, pipelining: bool) -> None:
    from syndicate.deliver.message import MailMessage

    data = b"From: w@alwaha.example\nTo: d@example.org\nSubject: lf\n\nline one\nline two\r"
    with smtp_sink(SinkHandler(pipelining=pipelining)) as (port, sink):
        transport = SmtpTransport(SmtpSettings(host="127.0.0.1", port=port, security="none"))
        try:
            transport.send(MailMessage("<lf@x>", "w@alwaha.example", "d@example.org", data))
        finally:
            transport.close()
    expected = (b"From: w@alwaha.example\r\nTo: d@example.org\r\nSubject: lf\r\n"
                b"\r\nline one\r\nline two\r\n")
    assert sink.messages == [expected]
