"""Operators see future-dated columns: the collect table lists them with both dates."""

from __future__ import annotations

import pytest

from syndicate.cli.collect import print_collect_table
from syndicate.types import ItemResult, Outcome, StepResult

REASON = ("dated in the future (2026-02-15T09:30:00+00:00, read at 2026-02-13T04:00:00+00:00);"
          " kept and flagged, shown as first collected until then")


def test_table_lists_future_dated_columns_below_it(capsys: pytest.CaptureFixture[str]) -> None:
    result = StepResult(
        "collect:alsharq",
        (ItemResult("https://news.example/opinion/1", Outcome.NEW, ""),
         ItemResult("https://news.example/opinion/2", Outcome.NEW, REASON),
         ItemResult("https://news.example/opinion/3", Outcome.UNCHANGED, REASON)),
        (("pages_fetched", 3), ("new", 2), ("future_dated", 2)),
    )
    quiet = StepResult("collect:alraya", (), (("pages_fetched", 1),))
    print_collect_table([result, quiet])
    out = capsys.readouterr().out
    assert "alsharq: future-dated 2" in out
    lines = [line for line in out.splitlines() if "future-dated https://" in line]
    assert [line.split()[2].rstrip(":") for line in lines] == [
        "https://news.example/opinion/2", "https://news.example/opinion/3"]
    assert all("2026-02-15T09:30:00" in line and "read at 2026-02-13T04:00:00" in line
               for line in lines)
    assert "alraya: future-dated" not in out
