"""Old issues never block new ones: 20 recipients answering 451 forever (real aiosmtpd).

Before: each run first finished the earlier issue, whose only leftovers were the
twenty deferred recipients; ten temporary failures in a row stopped the run before
the next issue was created, so the 185 healthy subscribers got nothing for days.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from syndicate.clock import fixed_clock
from syndicate.core.digest import run_digest
from syndicate.store import Store
from syndicate.types import Subscriber

from .delivery_helpers import (
    AUTHORS,
    DOMAINS,
    NOW,
    MisconfiguredRelay,
    column,
    seed_columns,
    smtp_sink,
    write_config,
)

DAYS = 6


def test_twenty_full_mailboxes_never_hold_up_the_next_issue(tmp_path: Path) -> None:
    relay = MisconfiguredRelay(pipelining=True)  # 451 to RCPT read from a pipelined batch
    with smtp_sink(relay) as (port, _):
        config = write_config(tmp_path, transport="smtp", smtp_port=port)  # max_attempts: 5
        store = Store.open(config.store_url)
        seed_columns(store)
        subs = [store.subscribers.add(Subscriber(f"r{i}@{DOMAINS[i % 5]}", "daily"), NOW)[0]
                for i in range(205)]
        relay.defer = {s.email for i, s in enumerate(subs) if i % 10 == 3 and i < 200}  # 20, spread
        assert len(relay.defer) == 20
        for day in range(DAYS):
            at = NOW + timedelta(days=day, minutes=1)
            if day:
                col = column(200 + day, AUTHORS[day % 3], views=3, published=at)
                store.columns.upsert(col, dedupe_key=f"n{day}", seen_urls=(col.url,), now=at)
            result = run_digest(config, store, "daily", clock=fixed_clock(at))
            issues = store.digests.issues("daily")
            assert len(issues) == day + 1, (day, result.items[-3:])  # created on time
            newest = issues[0]
            counts = store.digests.delivery_counts(newest.id or 0)
            assert counts.get("sent") == 185, (day, counts)  # the healthy ones, this run
            assert not any("stopped" in i.reason for i in result.items), result.items[-3:]
        # Retries of each earlier issue went on, after the new issue, and are bounded:
        # five attempts (a day apart here), then given up.
        first = store.digests.issues("daily")[-1]
        assert store.digests.delivery_counts(first.id or 0) == {"sent": 185, "failed": 20}
        gave_up = list(store.digests.deliveries(first.id or 0, ("failed",)))
        assert {d.attempts for d in gave_up} == {5}
        assert all("gave up after 5 attempts" in (d.error or "") for d in gave_up)
        assert all(s.bounces == 0 for s in store.subscribers.list("daily"))
