"""Claims and leases on a real SQLite store: a held row is left alone until its lease ends."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from syndicate.clock import fixed_clock
from syndicate.core.claims import wall_now
from syndicate.core.digest import run_digest
from syndicate.store import Store
from syndicate.types import Subscriber

from .delivery_helpers import NOW, read_maildir, seed_columns, write_config

ELSEWHERE = "other-host.example:4242:feedc0de"  # a sender on another machine


def _queued_issue(tmp_path: Path, subscribers: int) -> tuple[Store, int]:
    """An issue queued (by a run whose relay failed at once), nothing sent yet."""
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    seed_columns(store)
    for n in range(subscribers):
        store.subscribers.add(Subscriber(f"c{n}@example.org", "daily"), NOW)
    issue, created = store.digests.create_or_join_issue(
        "daily", watermark=None, cutoff=NOW, column_urls=("https://alwaha.example/opinion/1",),
        now=NOW)
    assert created and issue.id is not None
    store.digests.add_deliveries(
        issue.id, [(n + 1, f"<m{n}@alwaha.example>") for n in range(subscribers)], NOW)
    store.digests.mark_queued(issue)
    return store, issue.id


def test_rows_held_under_a_running_lease_are_left_to_their_holder(tmp_path: Path) -> None:
    store, issue_id = _queued_issue(tmp_path, 10)
    held = store.digests.claim_batch(issue_id, ELSEWHERE, 4,
                                     lease_until=wall_now() + timedelta(minutes=10), now=NOW,
                                     lease_now=wall_now())
    assert [d.subscriber_id for d in held] == [1, 2, 3, 4]
    # Nobody else can claim them, whatever batch size it asks for.
    again = store.digests.claim_batch(issue_id, "me:1:x", 100,
                                      lease_until=wall_now() + timedelta(minutes=10), now=NOW,
                                      lease_now=wall_now())
    assert [d.subscriber_id for d in again] == [5, 6, 7, 8, 9, 10]
    store.digests.settle(issue_id, "me:1:x", [], NOW)  # nothing: a no-op
    config = write_config(tmp_path)
    result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
    # Both holders are on other hosts with running leases: left alone.
    assert result.counter("held_elsewhere") == 10 and result.counter("sent") == 0
    assert "another run" in result.items[-1].reason


def test_a_lease_that_ran_out_is_claimed_and_resolved_against_the_outbox(tmp_path: Path) -> None:
    store, issue_id = _queued_issue(tmp_path, 6)
    # A sender on another host claimed three rows and vanished; its lease ran out.
    gone = store.digests.claim_batch(issue_id, ELSEWHERE, 3,
                                     lease_until=wall_now() - timedelta(seconds=1), now=NOW,
                                     lease_now=wall_now())
    assert len(gone) == 3
    config = write_config(tmp_path)
    result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
    assert result.counter("sent") == 6 and not result.failed, result
    assert store.digests.delivery_counts(issue_id) == {"sent": 6}
    assert len(read_maildir(tmp_path / "outbox")) == 6
    # Settling by the vanished owner afterwards changes nothing: the rows are not its own.
    from syndicate.store.deliveries import Settled
    store.digests.settle(issue_id, ELSEWHERE, [Settled(1, "pending", "late")], NOW)
    assert store.digests.delivery_counts(issue_id) == {"sent": 6}


def test_issue_creation_is_idempotent_per_newsletter_and_window(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    first, created = store.digests.create_or_join_issue(
        "daily", watermark=None, cutoff=NOW, column_urls=("u1",), now=NOW)
    # A second sender that read the same watermark (none) and picked its columns a
    # moment later joins the first one's issue instead of creating number 2.
    second, created_again = store.digests.create_or_join_issue(
        "daily", watermark=None, cutoff=NOW + timedelta(seconds=1), column_urls=("u1",),
        now=NOW + timedelta(seconds=1))
    assert created and not created_again and second.id == first.id
    store.digests.mark_queued(first)
    # The next window gets its own issue.
    third, created_third = store.digests.create_or_join_issue(
        "daily", watermark=NOW, cutoff=NOW + timedelta(days=1), column_urls=("u2",),
        now=NOW + timedelta(days=1))
    assert created_third and third.number == 2


def test_concurrent_claims_never_share_a_row_on_either_database(store_url: str) -> None:
    # Four senders claiming batches of seven at once from one issue of 100 rows, on
    # SQLite (one writer at a time) and PostgreSQL (FOR UPDATE SKIP LOCKED).
    from concurrent.futures import ThreadPoolExecutor  # only this test uses threads

    store = Store.open(store_url)
    try:
        ids = [store.subscribers.insert_if_absent(
            Subscriber(f"p{n}@example.org", "daily"), NOW)[0].id or 0 for n in range(100)]
        issue, _ = store.digests.create_or_join_issue(
            "daily", watermark=None, cutoff=NOW, column_urls=(), now=NOW)
        store.digests.add_deliveries(issue.id or 0, [(i, f"<{i}@x>") for i in ids], NOW)
        lease = wall_now() + timedelta(minutes=10)

        def sender(k: int) -> list[int]:
            got: list[int] = []
            while batch := store.digests.claim_batch(issue.id or 0, f"h:{k}:n", 7,
                                                     lease_until=lease, now=NOW,
                                                     lease_now=wall_now()):
                got.extend(d.subscriber_id for d in batch)
            return got

        with ThreadPoolExecutor(max_workers=4) as pool:
            taken = list(pool.map(sender, range(4)))
        every = [sid for got in taken for sid in got]
        assert sorted(every) == sorted(ids)  # each row claimed exactly once
        assert store.digests.holders(issue.id or 0, wall_now()) == {
            f"h:{k}:n": len(got) for k, got in enumerate(taken) if got}
    finally:
        store.close()


def test_a_stale_look_never_creates_a_second_issue_on_either_database(
        store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two `digest` runs at once: B looks for an issue (none yet), A creates issue 1, then
    B creates. B must join issue 1, not create issue 2 with the same columns (every
    subscriber would get the digest twice; seen once in six runs of
    test_delivery_concurrent). The interleaving is forced: B's look is the stale one."""
    store = Store.open(store_url)
    try:
        first, _ = store.digests.create_or_join_issue(
            "daily", watermark=None, cutoff=NOW, column_urls=("u1",), now=NOW)
        real_look = store.digests._issue_after
        calls = []

        def stale_first_look(newsletter: str, watermark: datetime | None) -> object:
            calls.append(newsletter)
            return None if len(calls) == 1 else real_look(newsletter, watermark)

        monkeypatch.setattr(store.digests, "_issue_after", stale_first_look)
        second, created = store.digests.create_or_join_issue(
            "daily", watermark=None, cutoff=NOW + timedelta(seconds=1), column_urls=("u1",),
            now=NOW + timedelta(seconds=1))
        assert not created and second.id == first.id
        assert [i.number for i in store.digests.issues("daily")] == [1]
    finally:
        store.close()


def _claim_work_per_delivery(tmp_path: Path, subscribers: int) -> float:
    """SQLite work of the claiming SELECTs of one whole digest run, per delivery.

    Work in tens of virtual-machine instructions (SQLite's progress handler calls back
    every ten), not seconds: the same on any machine and under any load.
    """
    from sqlalchemy import event

    store, _issue_id = _queued_issue(tmp_path, subscribers)
    tens = 0

    def counted() -> int:
        nonlocal tens
        tens += 1
        return 0  # go on

    def watch(_conn: object, cursor: Any, statement: str, *_args: object) -> None:
        claiming = (statement.lstrip().startswith("SELECT") and "FROM deliveries" in statement
                    and "LIMIT" in statement)
        cursor.connection.set_progress_handler(counted if claiming else None, 10)

    event.listen(store.engine, "before_cursor_execute", watch)
    result = run_digest(write_config(tmp_path), store, "daily", clock=fixed_clock(NOW))
    assert result.counter("sent") == subscribers
    store.close()
    return tens / subscribers


def test_claiming_the_last_batch_costs_what_the_first_did(tmp_path: Path) -> None:
    """Each claim resumes after the last one: it does not walk past every row already
    sent. Claiming from the issue's first row each time made a run quadratic in its
    subscribers (at 200,000, more CPU in the claims than in everything else)."""
    (tmp_path / "small").mkdir()
    (tmp_path / "big").mkdir()
    small = _claim_work_per_delivery(tmp_path / "small", 256)
    big = _claim_work_per_delivery(tmp_path / "big", 2048)
    # Linear work: the same per delivery at 8x the subscribers (it was 3x at these
    # sizes, and 16x at 10,000 subscribers).
    assert big < 1.5 * small, (small, big)
