"""Source settings are checked at load: a broken selector is a FILE:LINE:COL error."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.config import load
from syndicate.errors import ConfigError
from syndicate.sources import SourceBase


def test_unreadable_selectors_are_reported_with_their_place(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text("""sources:
  - name: x
    kind: html
    start_urls: [http://a.example/]
    links: "a.col["
    fields:
      title: "h1 >>> b"
      published: "time@datetime"
      remove: [".ad", "::nope"]
""", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(str(path))
    lines = str(caught.value).splitlines()
    assert lines == [
        f"{path}:5:12: sources[0].links: not a CSS selector lexbor can read: 'a.col['",
        f"{path}:7:14: sources[0].fields.title: not a CSS selector lexbor can read: 'h1 >>> b'",
        f"{path}:9:7: sources[0].fields.remove: not a CSS selector lexbor can read: '::nope'",
    ]


def test_good_selectors_and_http_settings_load(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text("""http:
  backoff_s: 0.5
  max_retry_wait_s: 10
sources:
  - name: x
    kind: html
    start_urls: [http://a.example/]
    links: "ul.list > li a[href*='/opinion/']"
    fields:
      published: "time.date@datetime"
      remove: [".ad", "div.share"]
""", encoding="utf-8")
    config = load(str(path))
    assert config.http.backoff_s == 0.5 and config.http.max_retry_wait_s == 10
    source = config.sources[0]
    assert isinstance(source, SourceBase)
    assert source.fields.published == "time.date@datetime"
