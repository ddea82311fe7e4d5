"""`syndicate collect` on the desk: a config with sources and no jobs, a table whose
URLs read as Arabic and fit the terminal, failed transfers counted, and a print copy
reported as a duplicate of the column it copies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from syndicate.cli.collect import shown_url
from syndicate.cli.main import main

from .collect_helpers import Site, serve
from .desk_sites import GONE, PRINT_COPY, desk_config, write_desk


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Site]:
    with serve(write_desk(tmp_path / "desk")) as site:
        yield site


def test_collect_with_sources_and_no_jobs_prints_a_readable_table(
        tmp_path: Path, desk: Site, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text(desk_config(desk.base, sources=("raya", "watan")), encoding="utf-8")
    assert "jobs" not in path.read_text()
    assert main(["collect", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    # The page that is gone: decoded, shortened in the middle, not %D9%85%D9%82….
    assert "%D9" not in out
    gone = next(line for line in out.splitlines() if "HTTP 404" in line)
    assert "watan/opinion/مقال-محذوف" in gone and "…" in gone
    assert gone.split(": error ")[1].split(": HTTP 404")[0] == shown_url(desk.url(GONE))
    # Failed transfers count with the pages fetched: listing, column, and the 404.
    watan = next(line for line in out.splitlines() if re.match(r"\W*watan\b", line))
    assert [int(n) for n in re.findall(r"\d+", watan)][:1] == [3]
    # The print copy is a duplicate of the column it copies.
    duplicate = next(line for line in out.splitlines() if "duplicate" in line)
    assert PRINT_COPY in duplicate and duplicate.rstrip().endswith("/raya/opinion/campus.html")


def test_shown_url_keeps_both_ends() -> None:
    url = "https://news.example/%D9%85%D9%82%D8%A7%D9%84/" + "x" * 100 + "/end.html"
    shown = shown_url(url, width=40)
    assert len(shown) == 40 and shown.startswith("https://news.example/مقال/")
    assert shown.endswith("/end.html") and "…" in shown
    assert shown_url("https://xn--mgbh0fb.example/a") == "https://مثال.example/a"
