"""kill -9 in the middle of a send, three times, then finish: nobody twice, nobody lost.

The sender runs in a real subprocess, paced by ``delivery.rate_per_s`` so the test
can watch the Maildir fill and SIGKILL it part-way; each restart resumes the same
issue and resolves rows left in ``sending`` against the outbox.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from syndicate.deliver.maildir import MaildirTransport
from syndicate.store import Store
from syndicate.types import Subscriber

from .delivery_helpers import NOW, read_maildir, seed_columns, write_config

SUBSCRIBERS = 200
CHILD = """
import sys
from datetime import datetime
from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.core.digest import run_digest
from syndicate.deliver.maildir import MaildirTransport
from syndicate.store import Store
config = load(sys.argv[1])
store = Store.open(config.store_url)
result = run_digest(config, store, "daily", clock=fixed_clock(datetime.fromisoformat(sys.argv[2])))
print("sent", result.counter("sent"), "recovered", result.counter("recovered"))
"""


def _outbox_count(path: Path) -> int:
    try:
        return len(os.listdir(path / "new"))
    except FileNotFoundError:
        return 0


def _start(config_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(config_path), NOW.isoformat()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[1],
    )


def test_kill_minus_nine_mid_send_then_resume_sends_each_exactly_once(tmp_path: Path) -> None:
    config = write_config(tmp_path, extra_delivery="  rate_per_s: 100\n")
    store = Store.open(config.store_url)
    seed_columns(store)
    for n in range(SUBSCRIBERS):
        store.subscribers.add(Subscriber(f"r{n:04d}@example.org", "daily"), NOW)
    outbox = tmp_path / "outbox"
    kills = handed_over = 0
    for threshold in (20, 80, 140):
        child = _start(tmp_path / "schedules.yaml")
        deadline = time.monotonic() + 60
        while _outbox_count(outbox) < threshold and time.monotonic() < deadline:
            if child.poll() is not None:
                raise AssertionError(child.communicate())
            time.sleep(0.005)
        if child.poll() is not None:
            raise AssertionError(("finished before it could be killed", child.communicate()))
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=10)  # reaps it and closes its pipes
        assert child.returncode == -signal.SIGKILL
        kills += 1
        assert _outbox_count(outbox) < SUBSCRIBERS
        # The interesting window: rows still "sending" whose message did reach the outbox.
        issue = store.digests.issues("daily")[0]
        in_doubt = list(store.digests.deliveries(issue.id or 0, ("sending",)))
        handed_over += sum(1 for d in in_doubt
                           if MaildirTransport(outbox).already_delivered(d.message_id))
    issue = store.digests.issues("daily")[0]
    counts = store.digests.delivery_counts(issue.id or 0)
    assert counts.get("pending", 0) + counts.get("sending", 0) > 0, counts

    final = _start(tmp_path / "schedules.yaml")
    _, err = final.communicate(timeout=120)
    assert final.returncode == 0, err[-2000:]

    messages = read_maildir(outbox)
    recipients = collections.Counter(str(m["To"].addresses[0].addr_spec) for m in messages)
    assert len(recipients) == SUBSCRIBERS  # nobody lost
    assert max(recipients.values()) == 1, recipients.most_common(3)  # nobody twice
    assert len({m["Message-ID"] for m in messages}) == SUBSCRIBERS
    assert store.digests.delivery_counts(issue.id or 0) == {"sent": SUBSCRIBERS}
    assert len(store.digests.issues("daily")) == 1  # resumed, never re-created
    assert kills == 3
    # Thresholds fall inside 64-row chunks, so every kill left such rows behind, and the
    # next run recognised them instead of sending them again.
    assert handed_over > 0
