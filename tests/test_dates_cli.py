"""The `syndicate date` subcommand, through its own register()/run() contract."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from syndicate.cli import date as date_cli
from syndicate.errors import DateParseError


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    parser = argparse.ArgumentParser(prog="syndicate")
    date_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["date", *argv])
    assert args.handler(args) == 0
    return capsys.readouterr().out


def test_default_is_full_gregorian_in_doha(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["2025-09-13T23:30:00Z"], capsys) == "الأحد، ١٤ سبتمبر ٢٠٢٥\n"


def test_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(
        [
            "2025-09-14T12:05:09Z",
            "--locale=ar_MA",
            "--calendar=hijri",
            "--style=short",
            "--digits=arab",
            "--tz=Europe/London",
            "--time=medium",
        ],
        capsys,
    )
    assert out == "٢٢\u200f/٣\u200f/١٤٤٧ هـ، ١٣:٠٥:٠٩\n"


def test_combined_with_adjustment(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(["2025-09-14", "--calendar=combined", "--hijri-adjustment=-1"], capsys)
    assert out == "الأحد ٢١ ربيع الأول ١٤٤٧ هـ الموافق ١٤ سبتمبر ٢٠٢٥ م\n"


def test_errors_are_syndicate_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(DateParseError):
        _run(["not-a-date"], capsys)


def test_the_day_is_taken_in_the_config_timezone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "schedules.yaml"
    config.write_text("timezone: America/New_York\n", encoding="utf-8")
    # 02:00 UTC on the 14th is still the 13th in New York (but the 14th in Doha)
    assert _run(["2025-09-14T02:00:00Z", "--config", str(config)], capsys) == "السبت، ١٣ سبتمبر ٢٠٢٥\n"
    assert _run(["2025-09-14T02:00:00Z", "--config", str(config), "--tz", "Asia/Qatar"],
                capsys) == "الأحد، ١٤ سبتمبر ٢٠٢٥\n"


def test_time_with_the_combined_form_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _run(["2025-09-14T02:00:00Z", "--calendar", "combined", "--time", "short"], capsys)
    assert "--time does not apply" in capsys.readouterr().err
