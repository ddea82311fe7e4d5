"""A site answering 429 + Retry-After above 1 request/s.

The collector must slow to the site's pace for the whole host (not only retry the URL
that was refused), still collect every column, and leave a host that keeps refusing
for the next run with one clear line in the collect table.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.cli.collect import print_collect_table
from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.core.collect import run_collect
from syndicate.store import Store
from syndicate.types import Outcome

from .collect_helpers import Site, serve
from .desk_sites import desk_config, write_desk

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def throttling(tmp_path: Path) -> Iterator[Site]:
    with serve(write_desk(tmp_path / "desk"), limit_per_s=1.0) as site:
        yield site


def _config(tmp_path: Path, site: Site, http: str = "") -> argparse.Namespace:
    path = tmp_path / "schedules.yaml"
    text = desk_config(site.base, sources=("raya", "watan"), http=http)
    path.write_text(text.replace("max_retry_wait_s: 0.05", "max_retry_wait_s: 5"),
                    encoding="utf-8")
    return argparse.Namespace(path=path)


def test_the_whole_host_slows_to_the_sites_pace_and_every_column_is_collected(
        tmp_path: Path, throttling: Site, capsys: pytest.CaptureFixture[str]) -> None:
    config = load(str(_config(tmp_path, throttling).path))
    store = Store.open(config.store_url)
    try:
        results = run_collect(config, store, clock=fixed_clock(NOW))
        failed = [i for r in results for i in r.failed]
        assert [i.reason for i in failed] == ["HTTP 404"], failed  # /watan/'s gone page
        assert store.columns.count() == 3  # raya's two and watan's one
    finally:
        store.close()
    with throttling.lock:
        statuses = [status for _, status in throttling.served]
        starts = list(throttling.starts)
    assert 429 in statuses
    first = statuses.index(429)
    after = starts[first:]
    rate = (len(after) - 1) / (after[-1] - after[0])
    # At most the site's limit (1/s) once it has said so, and hardly refused again.
    assert rate <= 1.05, (rate, statuses)
    assert statuses[first + 1:].count(429) <= 1, statuses
    print_collect_table(results)
    out = capsys.readouterr().out
    assert "raya: asked to slow down" in out and "(HTTP 429/503)" in out


def test_a_host_that_keeps_refusing_is_left_with_one_line(
        tmp_path: Path, throttling: Site, capsys: pytest.CaptureFixture[str]) -> None:
    throttling.limit_per_s = 0.01  # one request in 95 s: everything after robots.txt is 429
    args = _config(tmp_path, throttling,
                   http="  max_throttles: 2")
    config = load(str(args.path))
    store = Store.open(config.store_url)
    try:
        results = run_collect(config, store, clock=fixed_clock(NOW))
    finally:
        store.close()
    assert store is not None
    left = [i for r in results for i in r.items if i.outcome is Outcome.FAILED]
    assert left and all("left for this run" in i.reason for i in left)
    print_collect_table(results)
    out = capsys.readouterr().out
    host = throttling.base.removeprefix("http://")
    lines = [line for line in out.splitlines() if "left for this run" in line]
    assert len(lines) == 1, out
    assert host in lines[0] and "next run" in lines[0]
