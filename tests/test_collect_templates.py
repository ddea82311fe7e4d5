"""Selector expressiveness on a paper with two page templates (modern and legacy).

Modern pages print the date and the time in two spans (one field from several
elements, joined in order) and some carry ``<time datetime>`` (``@attr`` per
alternative in a selector list); legacy pages are read with their own field set,
chosen by a ``match:`` selector.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.core.collect import run_collect
from syndicate.errors import ConfigError
from syndicate.store import Store

from .collect_helpers import Site, serve

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)
BODY = "<p>نص المقال كاملًا كما نشرته الصحيفة في صفحتها.</p>"

MODERN = """<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"></head>
<body class="modern"><article><h1 class="title">{title}</h1>
<div class="byline"><a class="writer" href="/writers/{slug}">{author}</a></div>
<div class="dateline">{dateline}</div>
<div class="content">{body}</div></article></body></html>
"""
LEGACY = """<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"></head>
<body><table class="legacy-article"><tr><td><font class="hd">{title}</font></td></tr>
<tr><td class="kateb">{author}</td></tr><tr><td class="tarikh">{date}</td></tr>
<tr><td class="nass">{body}</td></tr></table></body></html>
"""
PAGES = {
    # date and time in two spans
    "split.html": MODERN.format(
        title="التاريخ في سطرين", slug="huda", author="هدى الخاطر", body=BODY,
        dateline='<span class="greg">20 سبتمبر 2025</span> <span class="clock">09:30</span>'),
    # a <time datetime> first: the attribute of the first alternative
    "timed.html": MODERN.format(
        title="وقت الآلة", slug="huda", author="هدى الخاطر", body=BODY,
        dateline='<time class="published" datetime="2025-09-21T07:15:00+03:00">الأحد</time>'),
    # no <time>: the text of the second alternative
    "plain.html": MODERN.format(
        title="تاريخ بالكلمات", slug="huda", author="هدى الخاطر", body=BODY,
        dateline='<span class="date">22 سبتمبر 2025</span>'),
    "legacy.html": LEGACY.format(title="من الأرشيف القديم", author="سالم النعيمي",
                                 date="2025-09-19 06:00", body=BODY),
}

CONFIG = """
store: syndicate.db
http: {{min_delay_s: 0, allow_private_addresses: true, retries: 0}}
sources:
  - name: paper
    kind: html
    start_urls: ["{base}/index.html"]
    links: a.col
    fields:
      title: h1.title
      author: .byline .writer
      author_url: .byline .writer@href
      published: {published}
      body: .content
      templates:
        - match: table.legacy-article
          title: font.hd
          author: td.kateb
          published: td.tarikh
          body: td.nass
"""


@pytest.fixture
def paper(tmp_path: Path) -> Iterator[Site]:
    root = tmp_path / "paper"
    root.mkdir()
    links = "".join(f'<a class="col" href="/{name}">x</a>' for name in PAGES)
    (root / "index.html").write_text(f"<html><body>{links}</body></html>", encoding="utf-8")
    for name, html in PAGES.items():
        (root / name).write_text(html, encoding="utf-8")
    with serve(root) as site:
        yield site


def test_joined_fields_attr_alternatives_and_templates(tmp_path: Path, paper: Site) -> None:
    # The date from <time datetime>, else the dated span, else the Gregorian span;
    # then the clock span, joined in order.
    spec = ("[\"time.published@datetime, .dateline .date, .dateline .greg\", "
            "\".dateline .clock\"]")
    path = tmp_path / "schedules.yaml"
    path.write_text(CONFIG.format(base=paper.base, published=spec), encoding="utf-8")
    config = load(str(path))
    store = Store.open(config.store_url)
    try:
        (result,) = run_collect(config, store, clock=fixed_clock(NOW))
        assert not result.failed and result.counter("skipped") == 0, result
        columns = {c.url.rsplit("/", 1)[1]: c for c in store.columns.list()}
    finally:
        store.close()
    # "20 سبتمبر 2025" + "09:30", joined in order, in Doha time.
    assert columns["split.html"].published == datetime(2025, 9, 20, 6, 30, tzinfo=UTC)
    assert columns["timed.html"].published == datetime(2025, 9, 21, 4, 15, tzinfo=UTC)
    assert columns["plain.html"].published == datetime(2025, 9, 21, 21, 0, tzinfo=UTC)
    legacy = columns["legacy.html"]
    assert (legacy.title, legacy.author.name) == ("من الأرشيف القديم", "سالم النعيمي")
    assert legacy.published == datetime(2025, 9, 19, 3, 0, tzinfo=UTC)
    assert legacy.body_html == BODY
    assert columns["split.html"].author.key == "writers-huda"


def test_a_bad_alternative_is_named_at_load(tmp_path: Path, paper: Site) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text(CONFIG.format(base=paper.base, published='"time@datetime, ]]bad"'),
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(str(path))
    assert "]]bad" in str(caught.value) and "published" in str(caught.value)
