"""The feeds settings this lane adds are checked at load, each problem at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.config import load
from syndicate.errors import ConfigError

YAML = """\
site: {base_url: 'http://127.0.0.1:8080', title: الشرق}
sources:
  - {name: alsharq, kind: html, start_urls: ['https://news.example/opinion/'], links: a.column}
feeds:
  views_refresh: %s
  icon: %s
  source_icons:
    alsharq: {icon: brand/sharq.png}
    alshark: {logo: https://x.example/logo.png}
"""


def problems(tmp_path: Path, views: str, icon: str) -> list[str]:
    path = tmp_path / "schedules.yaml"
    path.write_text(YAML % (views, icon), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(str(path))
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


def test_bad_views_refresh_icon_and_unknown_source_are_reported_together(
        tmp_path: Path) -> None:
    found = problems(tmp_path, "often", "javascript:alert(1)")
    assert any(line.startswith("5: ") and "not a duration" in line for line in found), found
    assert any(line.startswith("6: ") and "image file" in line for line in found), found
    assert any(line.startswith("9: ") and "unknown source 'alshark'" in line
               and "alsharq" in line for line in found), found


def test_views_refresh_zero_and_durations(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    for value, seconds in (("0", 0), ("'0'", 0), ("90m", 5400), ("1d", 86400)):
        path.write_text((YAML % (value, "brand/icon.png")).replace(
            "    alshark: {logo: https://x.example/logo.png}\n", ""), encoding="utf-8")
        assert load(str(path)).feeds.views_refresh_period.total_seconds() == seconds
