"""Several hosts, one scheduler: `syndicate run` twice on one PostgreSQL database.

Real processes, a real server: the second `run` waits as a standby; kill -9 of the
leader hands the jobs over; the ``job_fires`` ledger shows that no fire time ran twice.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from syndicate.store import Store
from syndicate.store.leader import KEEPALIVE_COUNT, KEEPALIVE_IDLE_S, KEEPALIVE_INTERVAL_S

from .scheduler_helpers import wait_until

ROOT = Path(__file__).resolve().parents[1]
TICK = "  - name: tick\n    run: feeds\n    every: 2s\n"


def _config(folder: Path, store_url: str) -> Path:
    path = folder / "schedules.yaml"
    path.write_text(f"timezone: Asia/Qatar\nstore: {store_url}\njobs:\n{TICK}", encoding="utf-8")
    return path


@contextmanager
def _run(path: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "syndicate.cli.main", "run", "--config", str(path),
             "--poll", "0.5"],
            cwd=path.parent, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "SYNDICATE_SECRET": "one-key-for-all"},
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=15)


def _owner(process: subprocess.Popen[bytes]) -> str:
    return f"{socket.gethostname()}:{process.pid}"


def _status_leader(path: Path, store: Store) -> str | None:
    from syndicate.config import load
    from syndicate.health import gather

    return gather(load(path), store, datetime.now(UTC)).scheduler_leader


def test_a_standby_takes_over_when_the_leader_is_killed_and_no_fire_time_runs_twice(
    tmp_path: Path, postgresql_url: str,
) -> None:
    path = _config(tmp_path, postgresql_url)
    store = Store.open(postgresql_url)
    with ExitStack() as stack:
        first = stack.enter_context(_run(path, tmp_path / "first.log"))
        assert wait_until(lambda: len(store.jobs.fires()) >= 1 or first.poll() is not None,
                          timeout=60)
        assert first.poll() is None, (tmp_path / "first.log").read_text()
        second = stack.enter_context(_run(path, tmp_path / "second.log"))
        assert wait_until(lambda: b'"standby"' in (tmp_path / "second.log").read_bytes(),
                          timeout=60), (tmp_path / "second.log").read_text()
        # The leader goes on alone: the standby runs nothing while the leader lives.
        assert wait_until(lambda: len(store.jobs.fires()) >= 3, timeout=30)
        leader, standby = _owner(first), _owner(second)
        assert {owner for _, _, owner in store.jobs.fires()} == {leader}
        assert _status_leader(path, store) == leader  # `syndicate status` on any host

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=15)
        killed_at = time.monotonic()
        assert wait_until(
            lambda: any(owner == standby for _, _, owner in store.jobs.fires()), timeout=30
        ), (tmp_path / "second.log").read_text()
        took_over_in = time.monotonic() - killed_at
        print(f"standby fired {took_over_in:.1f} s after the kill")  # docs/scaling.md
        assert _status_leader(path, store) == standby
        assert wait_until(
            lambda: sum(owner == standby for _, _, owner in store.jobs.fires()) >= 2, timeout=30
        )
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    fires = store.jobs.fires("tick")
    times = [fire_time for _, fire_time, _ in fires]
    assert len(times) == len(set(times))  # the primary key, and nothing got around it
    by_leader = [t for _, t, owner in fires if owner == leader]
    by_standby = [t for _, t, owner in fires if owner == standby]
    assert len(by_leader) + len(by_standby) == len(fires)
    assert max(by_leader) < min(by_standby)  # the standby never re-ran the leader's times
    # Each run recorded belongs to a fire time taken (the killed one may be unfinished).
    runs = [run for run in store.jobs.recent(limit=1000) if run.job == "tick"]
    assert len(runs) == len(fires)
    assert sum(run.outcome == "running" for run in runs) <= 1
    # kill -9 ends the leader's session at once: the standby's next poll takes over.
    assert took_over_in < 15, took_over_in
    store.close()


def test_the_power_loss_bound_in_the_docs_matches_the_keepalives() -> None:
    """docs/scaling.md states how long a standby waits when the leader's host vanishes."""
    bound = KEEPALIVE_IDLE_S + KEEPALIVE_INTERVAL_S * KEEPALIVE_COUNT
    text = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    assert f"{bound} s" in text
