"""`syndicate worker` processes sharing one queued issue on a real PostgreSQL server.

Real parts only: the CLI in separate processes, the session's PostgreSQL, an aiosmtpd
sink on 127.0.0.1 that keeps (recipient, Message-ID) of every message it accepts.
An issue of 5,000 subscribers is drafted and queued with `digest --queue-only`; two or
four workers send it: every subscriber gets exactly one copy. A worker killed with
SIGKILL mid-send: another one finishes; nobody is missed, and the only duplicates are
deliveries of the killed worker's batch in hand, sent again with the same Message-ID.
"""

from __future__ import annotations

import collections
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from syndicate.store import Store, schema

from .delivery_helpers import NOW, seed_columns, smtp_sink, write_config
from .scheduler_helpers import wait_until

SUBSCRIBERS = 5000
ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SYNDICATE_SECRET": "one-key-for-every-host",
       "COLUMNS": "200"}


@dataclass
class Ledger:
    """aiosmtpd handler: accepts everything, keeps (recipient, Message-ID) only."""

    seen: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = bytes(envelope.original_content or envelope.content)
        head = data.split(b"\r\n\r\n", 1)[0]
        message_id = next((line.split(b":", 1)[1].strip().decode()
                           for line in head.split(b"\r\n")
                           if line.lower().startswith(b"message-id:")), "")
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.seen.append((recipient.lower(), message_id))
        return "250 Message accepted"

    def count(self) -> int:
        with self.lock:
            return len(self.seen)

    def copies(self) -> collections.Counter[str]:
        with self.lock:
            return collections.Counter(recipient for recipient, _ in self.seen)


@contextmanager
def ledger_sink() -> Iterator[tuple[int, Ledger]]:
    ledger = Ledger()
    with smtp_sink(ledger) as (port, _):
        yield port, ledger


def _queued_issue(tmp_path: Path, store_url: str, port: int, n: int = SUBSCRIBERS) -> Path:
    """schedules.yaml on ``store_url`` with SMTP to ``port``; an issue of ``n`` queued."""
    write_config(tmp_path, transport="smtp", smtp_port=port)
    path = tmp_path / "schedules.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("store: var/test.db", f"store: {store_url}")
    text = text.replace("SYNDICATE_TEST_SECRET_UNSET", "SYNDICATE_SECRET")
    path.write_text(text, encoding="utf-8")
    store = Store.open(store_url)
    try:
        seed_columns(store)
        rows = [{"email": f"r{i:05d}@example.org", "newsletter": "daily", "name": None,
                 "cadence": "daily", "followed_authors": "[]", "status": "active",
                 "bounces": 0, "created_at": NOW, "confirmed_at": NOW}
                for i in range(n)]
        with store.engine.begin() as conn:
            conn.execute(insert(schema.subscribers), rows)
    finally:
        store.close()
    done = subprocess.run(
        [sys.executable, "-m", "syndicate.cli.main", "digest", "daily", "--queue-only",
         "--config", str(path)],
        capture_output=True, text=True, env=ENV, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    store = Store.open(store_url)
    try:
        [issue] = store.digests.issues("daily")
        assert store.digests.delivery_counts(issue.id or 0) == {"pending": n}
    finally:
        store.close()
    return path


def _worker(path: Path, log: Path, *, once: bool = True) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "syndicate.cli.main", "worker", *(["--once"] if once else []),
             "--config", str(path)],
            stdout=out, stderr=subprocess.STDOUT, env=ENV,
        )


def _finish(workers: list[subprocess.Popen[bytes]], logs: list[Path]) -> None:
    for worker, log in zip(workers, logs, strict=True):
        code = worker.wait(timeout=600)
        text = log.read_text(encoding="utf-8", errors="replace")
        assert code in (0, -signal.SIGKILL), text[-3000:]
        assert "Traceback" not in text, text[-3000:]


@pytest.mark.parametrize("workers", [2, 4])
def test_workers_share_one_issue_and_each_subscriber_gets_one_copy(
    tmp_path: Path, postgresql_url: str, workers: int,
) -> None:
    with ledger_sink() as (port, ledger):
        path = _queued_issue(tmp_path, postgresql_url, port)
        logs = [tmp_path / f"worker{n}.log" for n in range(workers)]
        running = [_worker(path, log) for log in logs]
        _finish(running, logs)
        copies = ledger.copies()
    assert len(copies) == SUBSCRIBERS  # nobody missed
    assert max(copies.values()) == 1, copies.most_common(3)  # nobody twice
    store = Store.open(postgresql_url)
    try:
        [issue] = store.digests.issues("daily")
        assert store.digests.delivery_counts(issue.id or 0) == {"sent": SUBSCRIBERS}
        # The work was shared: more than one worker claimed batches (each logs its passes).
        busy = [log for log in logs if "worker pass" in log.read_text(encoding="utf-8")]
        assert len(busy) >= 2, [log.read_text(encoding="utf-8")[-500:] for log in logs]
    finally:
        store.close()


def test_a_worker_killed_mid_send_leaves_only_its_batch_in_doubt(
    tmp_path: Path, postgresql_url: str,
) -> None:
    with ledger_sink() as (port, ledger):
        path = _queued_issue(tmp_path, postgresql_url, port)
        logs = [tmp_path / "victim.log", tmp_path / "survivor.log"]
        victim, survivor = _worker(path, logs[0]), _worker(path, logs[1])
        assert wait_until(lambda: ledger.count() >= SUBSCRIBERS // 4, timeout=300)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        # What the victim held when it died: its claimed batch, still "sending".
        store = Store.open(postgresql_url)
        d = schema.deliveries.c
        with store.engine.connect() as conn:
            held = {row.subscriber_id: row.message_id for row in conn.execute(
                select(d.subscriber_id, d.message_id).where(
                    (d.state == "sending") & d.owner.like(f"{socket.gethostname()}:{victim.pid}:%")))}
            emails = {row.id: row.email for row in conn.execute(
                select(schema.subscribers.c.id, schema.subscribers.c.email))}
        _finish([victim, survivor], logs)
        # The survivor may have finished before the victim's batch was free: one more.
        finisher_log = tmp_path / "finisher.log"
        _finish([_worker(path, finisher_log)], [finisher_log])
        seen = list(ledger.seen)
        copies = ledger.copies()
    assert held, "the victim held no batch when killed"
    assert len(copies) == SUBSCRIBERS  # nobody missed
    twice = {recipient for recipient, n in copies.items() if n > 1}
    assert max(copies.values()) <= 2
    assert twice <= {emails[sid] for sid in held}, sorted(twice)[:5]
    for recipient in twice:  # a duplicate is the same message, resent
        ids = {message_id for r, message_id in seen if r == recipient}
        assert ids == {held[next(s for s, e in emails.items() if e == recipient)]}
    try:
        [issue] = store.digests.issues("daily")
        assert store.digests.delivery_counts(issue.id or 0) == {"sent": SUBSCRIBERS}
    finally:
        store.close()


def test_sigterm_stops_a_worker_between_batches_with_nothing_in_doubt(
    tmp_path: Path, store_url: str,
) -> None:
    """On SQLite and PostgreSQL: a worker told to stop settles what it holds and exits."""
    n = 1500
    with ledger_sink() as (port, ledger):
        path = _queued_issue(tmp_path, store_url, port, n)
        log = tmp_path / "worker.log"
        worker = _worker(path, log, once=False)  # would wait for more work forever
        assert wait_until(lambda: ledger.count() >= 200, timeout=300), log.read_text()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0, log.read_text()[-3000:]
        store = Store.open(store_url)
        try:
            [issue] = store.digests.issues("daily")
            counts = store.digests.delivery_counts(issue.id or 0)
            assert set(counts) <= {"sent", "pending"} and counts.get("pending"), counts
            assert counts["sent"] == ledger.count()  # what left is recorded, nothing more
        finally:
            store.close()
        finisher = tmp_path / "finisher.log"
        _finish([_worker(path, finisher)], [finisher])
        copies = ledger.copies()
    assert len(copies) == n and max(copies.values()) == 1
