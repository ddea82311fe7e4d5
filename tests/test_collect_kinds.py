"""A source kind is one module: its model and its collector, registered in one call.

The kind below lives in this test file and nothing else in syndicate knows it: the
configuration validates ``kind: listed`` entries with its model (problems with their
line), and the core collects them with its collector into the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.config import sources as config_sources
from syndicate.config.sources import Location, source_kinds
from syndicate.core import Syndicate
from syndicate.errors import ConfigError
from syndicate.sources import Found, SourceBase, kinds, source_kind
from syndicate.sources.http import Fetcher
from syndicate.types import ColumnDraft

NOW = datetime(2025, 9, 20, 9, 0, tzinfo=UTC)


class ListedSource(SourceBase):
    """A JSON list of columns, each with url, title, author, date and text."""

    kind: Literal["listed"]
    url: Location
    newest_first: bool = False

    def addresses(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [(("url",), self.url)]


def collect_listed(
    source: ListedSource, fetcher: Fetcher, locations: Sequence[str]
) -> Iterator[Found]:
    page = fetcher.fetch(locations[0], expect="json")
    items = json.loads(page.text)
    for item in reversed(items) if source.newest_first else items:
        yield Found(item["url"], draft=ColumnDraft(
            source=source.name, url=item["url"], canonical_url=item["url"], title=item["title"],
            author_name=item["author"], author_credentials=None, author_article_count=None,
            author_url=None, author_image_url=None, published_text=item["date"],
            views_text=None, body_html=f"<p>{item['text']}</p>", language=source.language))
    yield Found(locations[0], page=page, listing=True)


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registers the kind for one test; the registries are as before afterwards."""
    monkeypatch.setattr(config_sources, "_MODELS", dict(config_sources._MODELS))
    monkeypatch.setattr(config_sources, "_ADAPTER", [])
    monkeypatch.setattr(kinds, "_COLLECTORS", dict(kinds._COLLECTORS))
    source_kind(ListedSource)(collect_listed)


def _write(tmp_path: Path, source: str) -> Path:
    columns = [
        {"url": "https://paper.example/c/1", "title": "الماء أولاً", "author": "عائشة المري",
         "date": "2025-09-18T08:00:00+03:00", "text": "نص العمود الأول عن الماء في الخليج."},
        {"url": "https://paper.example/c/2", "title": "مدن الملح", "author": "خالد الكواري",
         "date": "2025-09-19T08:00:00+03:00", "text": "نص العمود الثاني عن المدن."},
    ]
    (tmp_path / "columns.json").write_text(json.dumps(columns), encoding="utf-8")
    path = tmp_path / "schedules.yaml"
    path.write_text(f"store: db.sqlite\nsources:\n{source}", encoding="utf-8")
    return path


def test_a_kind_declared_in_one_module_is_validated_and_collected(
        listed: None, tmp_path: Path) -> None:
    config = load(_write(tmp_path, "  - name: tabs\n    kind: listed\n    url: columns.json\n"
                                   "    newest_first: true\n"))
    assert isinstance(config.sources[0], ListedSource)
    with Syndicate(config, clock=fixed_clock(NOW)) as syndicate:
        [result] = syndicate.collect()
        assert result.counter("new") == 2, result
        titles = sorted(c.title for c in syndicate.store.columns.list())
    assert titles == ["الماء أولاً", "مدن الملح"]


def test_a_registered_kind_reports_its_own_keys_with_their_line(
        listed: None, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(_write(tmp_path, "  - name: tabs\n    kind: listed\n    url: columns.json\n"
                              "    newest_frist: true\n"))
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (6, 5)
    assert "newest_frist" in problem.message and "newest_first" in problem.message


def test_an_unknown_kind_names_every_registered_one(listed: None, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(_write(tmp_path, "  - name: tabs\n    kind: listd\n    url: columns.json\n"))
    [problem] = caught.value.problems
    assert "unknown source kind 'listd' (did you mean 'listed'?)" in problem.message
    with pytest.raises(ConfigError) as caught:
        load(_write(tmp_path, "  - name: tabs\n    kind: gopher\n    url: columns.json\n"))
    [problem] = caught.value.problems
    assert "(use one of " in problem.message and "listed" in problem.message.split("(use")[1]


def test_the_registries_are_as_before_outside_the_fixture() -> None:
    assert "listed" not in source_kinds()
    assert set(source_kinds()) >= {"html", "feed", "sitemap", "wordpress"}
