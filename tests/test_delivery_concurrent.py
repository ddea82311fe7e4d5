"""Two `syndicate digest` processes at once on one SQLite store: each subscriber once.

Real processes (the CLI), a real SQLite file and the Maildir outbox. Before delivery
rows were claimed, the second run sent most of the list again and, when both started
within milliseconds, died with an IntegrityError traceback creating the same issue.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import insert

from syndicate.store import Store, schema

from .delivery_helpers import NOW, seed_columns, write_config

SUBSCRIBERS = 3000
ROOT = Path(__file__).resolve().parents[1]


def _recipients(outbox: Path) -> collections.Counter[str]:
    """Recipient of every message in the outbox, read from its To line only (fast)."""
    seen: collections.Counter[str] = collections.Counter()
    for entry in os.scandir(outbox / "new"):
        with open(entry.path, "rb") as handle:
            for line in handle:
                if line.startswith(b"To: "):
                    seen[line.split(b"<")[-1].strip(b"<>\r\n ").decode()] += 1
                    break
    return seen


def _add_subscribers(store: Store, n: int) -> None:
    # One statement for thousands of rows; the repository's add() is one commit each.
    rows = [{"email": f"r{i:05d}@example.org", "newsletter": "daily", "name": None,
             "cadence": "daily", "followed_authors": "[]", "status": "active", "bounces": 0,
             "created_at": NOW, "confirmed_at": NOW} for i in range(n)]
    with store.engine.begin() as conn:
        conn.execute(insert(schema.subscribers), rows)


def _digest(config_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "syndicate.cli.main", "digest", "daily",
         "--config", str(config_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_two_digest_processes_at_once_send_each_subscriber_exactly_once(
    tmp_path: Path,
) -> None:
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    seed_columns(store)
    _add_subscribers(store, SUBSCRIBERS)
    store.close()

    runs = [_digest(tmp_path / "schedules.yaml") for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert "Traceback" not in err and "IntegrityError" not in err, err[-3000:]
        assert run.returncode == 0, (out[-2000:], err[-2000:])

    recipients = _recipients(tmp_path / "outbox")
    assert len(recipients) == SUBSCRIBERS  # nobody missed
    assert max(recipients.values()) == 1, recipients.most_common(3)  # nobody twice
    store = Store.open(config.store_url)
    try:
        issues = store.digests.issues("daily")
        assert len(issues) == 1  # one issue, joined by the second run
        assert store.digests.delivery_counts(issues[0].id or 0) == {"sent": SUBSCRIBERS}
    finally:
        store.close()
