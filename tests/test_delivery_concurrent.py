"""Two senders at once on one SQLite store (`digest` twice, or `digest` and the scheduled
job run by hand with `run-job`): each subscriber gets the digest once.

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

import pytest
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


JOB = """jobs:
  - name: daily-digest
    run: digest
    newsletter: daily
    cron: "0 7 * * *"
"""


def _digest(config_path: Path, command: tuple[str, ...] = ("digest", "daily")) -> (
        subprocess.Popen[str]):
    return subprocess.Popen(
        [sys.executable, "-m", "syndicate.cli.main", *command, "--config", str(config_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.mark.parametrize("second", [("digest", "daily"), ("run-job", "daily-digest")],
                         ids=["digest+digest", "digest+run-job"])
def test_two_digest_processes_at_once_send_each_subscriber_exactly_once(
    tmp_path: Path, second: tuple[str, ...]
) -> None:
    config = write_config(tmp_path)
    with open(tmp_path / "schedules.yaml", "a", encoding="utf-8") as yaml:
        yaml.write(JOB)  # the job the scheduler would run, for `run-job`
    store = Store.open(config.store_url)
    seed_columns(store)
    _add_subscribers(store, SUBSCRIBERS)
    store.close()

    runs = [_digest(tmp_path / "schedules.yaml"), _digest(tmp_path / "schedules.yaml", second)]
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
