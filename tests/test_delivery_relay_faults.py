"""A misconfigured relay is never the subscribers' fault (real aiosmtpd on 127.0.0.1).

Before: a relay answering ``554 5.7.1 Relay access denied`` to every RCPT (or ``530``
to MAIL FROM) counted a bounce for every subscriber of every issue, and after
``bounce_limit`` issues the whole list was ``bounced``.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.core.digest import run_digest
from syndicate.deliver.replies import Stage, classify
from syndicate.errors import DeliveryError, PermanentDeliveryError, RelayError
from syndicate.store import Store
from syndicate.types import Subscriber, SubscriberStatus

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


def _list(store: Store, n: int) -> list[Subscriber]:
    subs = []
    for i in range(n):
        sub, _ = store.subscribers.add(
            Subscriber(f"reader{i}@{DOMAINS[i % len(DOMAINS)]}", "daily"), NOW)
        subs.append(sub)
    return subs


def _new_column(store: Store, day: int) -> None:
    at = NOW + timedelta(days=day)
    col = column(100 + day, AUTHORS[day % 3], views=5, published=at)
    store.columns.upsert(col, dedupe_key=f"d{day}", seen_urls=(col.url,), now=at)


@pytest.mark.parametrize("relay", [
    MisconfiguredRelay(rcpt_reply="554 5.7.1 <ADDR>: Relay access denied"),
    MisconfiguredRelay(mail_reply="530 5.7.0 Authentication required"),
    # The same refusal for everyone, whatever its code claims.
    MisconfiguredRelay(rcpt_reply="550 5.0.0 <ADDR>: Unrouteable address"),
    MisconfiguredRelay(rcpt_reply="554 5.7.1 <ADDR>: Relay access denied", pipelining=True),
    MisconfiguredRelay(mail_reply="530 5.7.0 Authentication required", pipelining=True),
    MisconfiguredRelay(rcpt_reply="550 5.0.0 <ADDR>: Unrouteable address", pipelining=True),
], ids=["relay-denied", "auth-required", "alike-refusals", "relay-denied-pipelining",
        "auth-required-pipelining", "alike-refusals-pipelining"])
def test_a_misconfigured_relay_bounces_nobody_over_three_issues(
    tmp_path: Path, relay: MisconfiguredRelay
) -> None:
    with smtp_sink(relay) as (port, _):
        config = write_config(tmp_path, transport="smtp", smtp_port=port)  # bounce_limit: 2
        store = Store.open(config.store_url)
        seed_columns(store)
        subs = _list(store, 60)
        for day in range(3):  # three issues, as in the report
            if day:
                _new_column(store, day)
            result = run_digest(config, store, "daily",
                                clock=fixed_clock(NOW + timedelta(days=day, minutes=1)))
            stop = result.items[-1]
            assert stop.key == "daily" and "relay failure" in stop.reason, result.items[-3:]
            assert "\n" not in stop.reason and result.counter("bounced") == 0
        after = store.subscribers.list("daily")
        assert [s.bounces for s in after] == [0] * len(subs)
        assert {s.status for s in after} == {SubscriberStatus.ACTIVE}
        # Everything stays queued for a run once the relay is fixed.
        for issue in store.digests.issues("daily"):
            counts = store.digests.delivery_counts(issue.id or 0)
            assert set(counts) == {"pending"}, counts
        assert not relay.messages


def test_the_cli_says_relay_failure_in_one_line_and_exits_1(tmp_path: Path) -> None:
    with smtp_sink(MisconfiguredRelay(rcpt_reply="554 5.7.1 Relay access denied")) as (
            port, _):
        config = write_config(tmp_path, transport="smtp", smtp_port=port)
        store = Store.open(config.store_url)
        seed_columns(store)
        _list(store, 10)
        store.close()
        run = subprocess.run(
            [sys.executable, "-m", "syndicate.cli.main", "digest", "daily", "--config",
             str(tmp_path / "schedules.yaml")],
            capture_output=True, text=True, timeout=120, check=False,
            env={"COLUMNS": "300", "PATH": "/usr/bin:/bin"},
        )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stdout.splitlines() if "relay failure, stopped" in line]
    assert len(lines) == 1 and "554 5.7.1 Relay access denied" in lines[0], run.stdout


def test_real_bounces_still_count_and_do_not_reset_the_ratio_breaker(tmp_path: Path) -> None:
    # Eight recipients are refused for real (different mailboxes, one domain), the
    # rest are delivered: bounces counted, the run is not stopped.
    refused = {f"reader{i}@example.org" for i in range(0, 40, 5)}
    relay = MisconfiguredRelay(rcpt_reply="550 5.1.1 <ADDR>: user unknown",
                               refuse_only=refused, pipelining=True)
    with smtp_sink(relay) as (port, _):
        config = write_config(tmp_path, transport="smtp", smtp_port=port)
        store = Store.open(config.store_url)
        seed_columns(store)
        _list(store, 40)
        result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
        assert result.counter("bounced") == len(refused) and result.counter("sent") == 32
        assert not any("stopped" in i.reason for i in result.items)
        bounced = {s.email for s in store.subscribers.list("daily") if s.bounces == 1}
        assert bounced == refused


def test_many_recipients_failing_trip_the_ratio_breaker(tmp_path: Path) -> None:
    # Every recipient answered 451 4.2.2 (each its own temporary trouble, on a retry
    # schedule): after 50 outcomes that are all failures the run stops.
    relay = MisconfiguredRelay()
    with smtp_sink(relay) as (port, _):
        config = write_config(tmp_path, transport="smtp", smtp_port=port)
        store = Store.open(config.store_url)
        seed_columns(store)
        subs = _list(store, 200)
        relay.defer = {s.email for s in subs}
        result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
        assert 50 <= result.counter("temporary") <= 128  # two batches in flight at most
        assert "of the last" in result.items[-1].reason and "stopped" in result.items[-1].reason


@pytest.mark.parametrize(("stage", "code", "text", "kind"), [
    (Stage.RCPT, 550, "5.1.1 <a@x.example>: user unknown", PermanentDeliveryError),
    (Stage.RCPT, 554, "5.7.1 <a@x.example>: Relay access denied", RelayError),
    (Stage.RCPT, 550, "relaying denied", RelayError),
    (Stage.RCPT, 452, "4.2.2 mailbox full", DeliveryError),
    (Stage.MAIL, 530, "5.7.0 Authentication required", RelayError),
    (Stage.MAIL, 553, "5.1.8 sender address rejected", RelayError),
    (Stage.AUTH, 535, "5.7.8 bad credentials", RelayError),
    (Stage.DATA, 550, "5.2.1 mailbox disabled", PermanentDeliveryError),
    (Stage.DATA, 554, "5.6.0 message content rejected", DeliveryError),
    (Stage.DATA, 451, "4.3.0 try again later", RelayError),
    (Stage.CONNECT, 421, "4.3.2 service not available", RelayError),
    (Stage.CONNECT, None, "ConnectionRefusedError", RelayError),
])
def test_replies_are_classified_by_whose_fault_they_are(
    stage: Stage, code: int | None, text: str, kind: type[DeliveryError]
) -> None:
    error = classify("a@x.example", stage, code, text)
    assert type(error) is kind, error
