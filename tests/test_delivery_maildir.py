"""Digests into the Maildir outbox: one per subscriber, segments, cadence, crash recovery."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from syndicate.clock import fixed_clock
from syndicate.core.digest import run_digest
from syndicate.deliver.maildir import MaildirTransport
from syndicate.deliver.message import build_message
from syndicate.store import Store
from syndicate.types import Cadence, Outcome, Subscriber, SubscriberStatus

from .delivery_helpers import AUTHORS, NOW, read_maildir, seed_columns, write_config


def _store(tmp_path: Path):  # type: ignore[no-untyped-def]
    config = write_config(tmp_path)
    return config, Store.open(config.store_url)


def _add(store: Store, email: str, **kw: object) -> Subscriber:
    sub, _ = store.subscribers.add(Subscriber(email, "daily", **kw), NOW)  # type: ignore[arg-type]
    return sub


def test_maildir_write_is_atomic_and_found_by_message_id(tmp_path: Path) -> None:
    transport = MaildirTransport(tmp_path / "box")
    msg = build_message(sender="W <w@alwaha.example>", to="r@example.org", to_name=None,
                        subject="ع", text="\u200fن", html="<p>ن</p>",
                        message_id="<m1@alwaha.example>", date=NOW)
    transport.send(msg)
    assert os.listdir(tmp_path / "box" / "tmp") == []
    assert len(os.listdir(tmp_path / "box" / "new")) == 1
    fresh = MaildirTransport(tmp_path / "box")  # a new process after a crash
    assert fresh.already_delivered("<m1@alwaha.example>")
    assert not fresh.already_delivered("<m2@alwaha.example>")
    # A mail client moving it to cur/ with flags does not hide it.
    name = os.listdir(tmp_path / "box" / "new")[0]
    os.rename(tmp_path / "box" / "new" / name, tmp_path / "box" / "cur" / f"{name}:2,S")
    assert MaildirTransport(tmp_path / "box").already_delivered("<m1@alwaha.example>")


def test_one_digest_per_active_subscriber_then_nothing_new(tmp_path: Path) -> None:
    config, store = _store(tmp_path)
    seed_columns(store)
    _add(store, "all@example.org", name="عائشة")
    _add(store, "sara@example.org", followed_authors=("sara-lindqvist",))
    _add(store, "gone@example.org", status=SubscriberStatus.UNSUBSCRIBED)
    _add(store, "nobody@example.org", followed_authors=("someone-silent",))
    result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
    assert result.step == "digest:daily"
    assert result.count(Outcome.SENT) == 2 and not result.failed
    assert result.counter("segments") == 2  # two different contents, one render each
    messages = {str(m["To"].addresses[0].addr_spec): m for m in read_maildir(tmp_path / "outbox")}
    assert set(messages) == {"all@example.org", "sara@example.org"}
    everyone = messages["all@example.org"].get_body(("html",)).get_content()
    narrowed = messages["sara@example.org"].get_body(("html",)).get_content()
    assert everyone.count("https://alwaha.example/opinion/") > narrowed.count(
        "https://alwaha.example/opinion/")
    assert "Sara Lindqvist" in narrowed and "خالد المناعي" not in narrowed.split("الأكثر")[0]
    assert "عائشة" in everyone
    issue = store.digests.issues("daily")[0]
    assert store.digests.delivery_counts(issue.id or 0) == {"sent": 2}
    assert store.digests.cutoff("daily") == NOW

    again = run_digest(config, store, "daily", clock=fixed_clock(NOW + timedelta(hours=1)))
    assert again.count(Outcome.SENT) == 0
    assert [i.outcome for i in again.items] == [Outcome.UNCHANGED]
    assert len(read_maildir(tmp_path / "outbox")) == 2


def test_only_columns_collected_after_the_cutoff_go_out(tmp_path: Path) -> None:
    config, store = _store(tmp_path)
    seed_columns(store)
    _add(store, "a@example.org")
    run_digest(config, store, "daily", clock=fixed_clock(NOW))
    later = NOW + timedelta(days=1)
    from .delivery_helpers import column

    fresh = column(99, AUTHORS[0], views=5, published=later - timedelta(hours=1))
    store.columns.upsert(fresh, dedupe_key="k99", seen_urls=(fresh.url,), now=later)
    result = run_digest(config, store, "daily", clock=fixed_clock(later))
    assert result.count(Outcome.SENT) == 1
    issue = store.digests.issues("daily")[0]
    assert issue.number == 2 and issue.column_urls == (fresh.url,)


def test_crash_leftovers_are_resolved_against_the_maildir(tmp_path: Path) -> None:
    """The state a kill -9 leaves: rows in ``sending``, one of them already in the outbox."""
    config, store = _store(tmp_path)
    seed_columns(store)
    subs = [_add(store, f"r{n}@example.org") for n in range(4)]
    issue = store.digests.create_issue("daily", NOW, tuple(
        c.url for c in store.columns.list()), NOW)
    assert issue.id is not None
    from syndicate.deliver.message import message_id

    ids = {s.id: message_id("digest", "daily", issue.number, s.id, domain="alwaha.example")
           for s in subs}
    store.digests.add_deliveries(issue.id, list(ids.items()), NOW)  # type: ignore[arg-type]
    store.digests.mark_queued(issue)
    # r0: handed over, then the process died before recording "sent".
    delivered = subs[0]
    MaildirTransport(tmp_path / "outbox").send(build_message(
        sender="W <digest@alwaha.example>", to=delivered.email, to_name=None, subject="x",
        text="\u200fx", html="<p>x</p>", message_id=ids[delivered.id], date=NOW))
    store.digests.set_delivery_state(issue.id, delivered.id or 0, "sending", NOW,
                                     count_attempt=True)
    # r1: marked sending, died before the file reached new/.
    store.digests.set_delivery_state(issue.id, subs[1].id or 0, "sending", NOW,
                                     count_attempt=True)
    result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
    assert result.counter("recovered") == 1 and result.counter("sent") == 3
    recipients = sorted(str(m["To"].addresses[0].addr_spec) for m in read_maildir(
        tmp_path / "outbox"))
    assert recipients == sorted(s.email for s in subs)  # nobody twice, nobody lost
    assert store.digests.delivery_counts(issue.id) == {"sent": 4}


def test_seed_import_never_reactivates_and_weekly_waits_a_week(tmp_path: Path) -> None:
    seed = tmp_path / "seed.csv"
    seed.write_text(
        "email,name,newsletter,cadence,authors\n"
        "d@example.org,يومي,daily,daily,\n"
        "w@example.org,أسبوعي,daily,weekly,\n"
        "other@example.org,,weekly,daily,\n"
        "not-an-address,,daily,daily,\n",
        encoding="utf-8",
    )
    config = write_config(tmp_path, seed=seed)
    store = Store.open(config.store_url)
    seed_columns(store)
    first = run_digest(config, store, "daily", clock=fixed_clock(NOW))
    assert first.counter("seeded") == 2
    assert any(i.key.endswith(":5") and i.outcome is Outcome.SKIPPED for i in first.items)
    assert first.count(Outcome.SENT) == 2
    d = store.subscribers.get("d@example.org", "daily")
    assert d is not None and d.id is not None
    store.subscribers.set_status(d.id, SubscriberStatus.UNSUBSCRIBED, NOW)

    from .delivery_helpers import column

    for day in (1, 2):
        when = NOW + timedelta(days=day)
        c = column(100 + day, AUTHORS[1], views=None, published=when)
        store.columns.upsert(c, dedupe_key=f"d{day}", seen_urls=(c.url,), now=when)
        result = run_digest(config, store, "daily", clock=fixed_clock(when))
        # d unsubscribed (the seed does not bring them back); w is weekly: not due yet.
        assert result.count(Outcome.SENT) == 0, result
    assert store.subscribers.get("d@example.org", "daily").status is SubscriberStatus.UNSUBSCRIBED  # type: ignore[union-attr]
    week = NOW + timedelta(days=7)
    c = column(200, AUTHORS[2], views=None, published=week)
    store.columns.upsert(c, dedupe_key="w", seen_urls=(c.url,), now=week)
    weekly = run_digest(config, store, "daily", clock=fixed_clock(week))
    assert [i.key for i in weekly.items if i.outcome is Outcome.SENT] == ["w@example.org"]
    newest = max(read_maildir(tmp_path / "outbox"), key=lambda m: m["Date"].datetime)
    html = newest.get_body(("html",)).get_content()
    # The week's catch-up: every column of the issues they were not due for.
    for n in (101, 102, 200):
        assert f"https://alwaha.example/opinion/{n}" in html
    assert store.subscribers.get("w@example.org", "daily").cadence is Cadence.WEEKLY  # type: ignore[union-attr]


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    seed = tmp_path / "seed.csv"
    seed.write_text("email,authors\nseed@example.org,sara-lindqvist\n", encoding="utf-8")
    config = write_config(tmp_path, seed=seed)
    store = Store.open(config.store_url)
    seed_columns(store)
    _add(store, "a@example.org")
    result = run_digest(config, store, "daily", clock=fixed_clock(NOW), dry_run=True)
    assert result.counter("would_seed") == 1
    assert result.counter("would_send") == 2 and result.counter("segments") == 2
    assert store.digests.issues("daily") == [] and store.digests.cutoff("daily") is None
    assert store.subscribers.get("seed@example.org", "daily") is None
    assert not (tmp_path / "outbox").exists() or read_maildir(tmp_path / "outbox") == []
