"""A fixed clock for every command: `--now ISO` (before or after the command) or
$SYNDICATE_NOW. Collecting "as of" an instant dates the collection then and judges
future dates against it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.cli.main import main
from syndicate.clock import utc_now
from syndicate.config import load
from syndicate.store import Store

from .collect_helpers import Site, serve
from .desk_sites import desk_config, write_desk

AS_OF = "2025-09-23T00:00:00+03:00"
INSTANT = datetime(2025, 9, 22, 21, 0, tzinfo=UTC)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Site]:
    with serve(write_desk(tmp_path / "desk")) as site:
        yield site


def _columns(path: Path) -> dict[str, tuple[datetime | None, bool]]:
    store = Store.open(load(str(path)).store_url)
    try:
        return {c.title: (c.collected_at, c.future_dated) for c in store.columns.list()}
    finally:
        store.close()


@pytest.mark.parametrize("how", ["before", "after", "environment"])
def test_collect_as_of_an_instant(tmp_path: Path, desk: Site, how: str,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text(desk_config(desk.base, sources=("sharq",)), encoding="utf-8")
    argv = ["collect", "--config", str(path)]
    if how == "before":
        argv = ["--now", AS_OF, *argv]
    elif how == "after":
        argv = [*argv, "--now", AS_OF]
    else:
        monkeypatch.setenv("SYNDICATE_NOW", AS_OF)
    assert main(argv) == 0
    columns = _columns(path)
    assert {collected for collected, _ in columns.values()} == {INSTANT}
    # 23 September 08:00 in Doha is after the instant: future-dated as of then.
    assert columns["ذكريات الفصل الأول"][1] is True
    assert columns["صحة القلب في الصيف"][1] is False
    assert utc_now() != INSTANT  # pinned for the command only


def test_a_bad_instant_is_one_clear_error(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text("store: s.db\n", encoding="utf-8")
    assert main(["--now", "next tuesday", "status", "--config", str(path)]) == 1
    assert "--now: 'next tuesday' is not an ISO 8601 date" in capsys.readouterr().err
