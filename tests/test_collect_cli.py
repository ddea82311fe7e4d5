"""`syndicate collect` on the bundled sample site (file:// URLs, a relative start URL)."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from syndicate.cli.collect import run
from syndicate.config import load
from syndicate.core.collect import locate, source_locations
from syndicate.store import Store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "site"

CONFIG = """
store: var/syndicate.db
sources:
  - name: alwaha
    kind: html
    start_urls: [examples/site/opinion/index.html]
    links: a.column-link
    next_page: a.next-page
    max_pages: 3
    fields:
      title: h1.article-title
      author: .author-name
      author_credentials: .author-credentials
      author_article_count: .author-articles .count
      author_url: a.author-link@href
      author_image: img.author-photo@src
      published: .article-date
      views: .article-views
      body: .article-body
      image: figure.article-image img@src
      remove: [.ad, .share]
"""


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples" / "site")
    path = tmp_path / "schedules.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_relative_start_urls_resolve_against_the_config_folder(config_path: Path) -> None:
    config = load(str(config_path))
    start = (config_path.parent / "examples/site/opinion/index.html").as_uri()
    assert source_locations(config, config.sources[0]) == [start]
    assert locate(config, "https://paper.example/x") == "https://paper.example/x"


def test_collect_prints_a_table_and_a_second_run_adds_nothing(
        config_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(config=str(config_path), sources=[])
    assert run(args) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if "pages fetched" in line)
    assert all(word in header for word in ("304s", "new", "updated", "skipped", "errors"))
    row = next(line for line in out.splitlines() if "alwaha" in line and "│" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    # 2 listing pages + 16 column pages; 15 new; the broken page skipped.
    assert cells == ["alwaha", "18", "0", "0", "15", "0", "1", "0"]
    assert "alwaha: skipped " in out and "broken-gulf-ports-logistics.html" in out
    assert "truncated HTML" in out

    store = Store.open(load(str(config_path)).store_url)
    try:
        columns = store.columns.list(source="alwaha")
        assert len(columns) == 15 and len({c.author.slug for c in columns}) == 6
        assert {c.author.key for c in columns} == {
            "mariam-alkuwari", "khalid-almannai", "noura-alsulaiti", "yousef-alhajri",
            "sara-lindqvist", "ahmed-albinali"}
        assert all(c.url.startswith("https://alwaha.example/opinion/") for c in columns)
        city = next(c for c in columns if c.url.endswith("city-heat-trees"))
        assert city.views is None
        family = next(c for c in columns if c.url.endswith("family-dinner-table"))
        assert family.views == 1052
    finally:
        store.close()

    assert run(args) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "alwaha" in line and "│" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    # Both listing pages answer 304; the 15 stored columns, published months ago, are
    # not asked about again so soon (http.revalidate_days); the broken page, remembered
    # with its failure, is asked conditionally: a 304, skipped again without a download.
    assert cells == ["alwaha", "0", "3", "15", "0", "0", "1", "0"]
