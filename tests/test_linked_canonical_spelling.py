"""A canonical URL that is the page's own address spelt otherwise (percent-encoded Arabic
against the listing's raw Arabic, an upper-case host, the default port) is the page
itself: read once, stored once, never reported as a duplicate of itself.

Found out of sample (an Al-Sharq-like paper: raw-Arabic hrefs, percent-encoded
canonicals): every column was fetched twice and reported as "duplicate of" itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from syndicate.clock import fixed_clock
from syndicate.core.canonical import Relation, decide, hosts_of
from syndicate.core.collect import run_collect
from syndicate.store import Store
from syndicate.text.urls import same_address

from .collect_helpers import serve
from .linked_sites import write_config, write_files

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)
SLUGS = ["دبلوماسية-التحالفات", "الماء-أمن-وطني"]


def _page(title: str, canonical: str) -> str:
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{title}</title><link rel="canonical" href="{canonical}"></head><body>
<article><h1>{title}</h1><p class="writer">أحمد الكواري</p>
<p class="date">14 سبتمبر 2025 , 03:05ص</p>
<div class="body"><p>نص المقال: {title}.</p></div></article></body></html>"""


SOURCE = """
  - name: sharq
    kind: html
    timezone: Asia/Qatar
    start_urls: ["{base}/opinion/index.html"]
    links: a.col
    fields: {{title: h1, author: .writer, published: .date, body: .body}}
"""


@pytest.mark.parametrize(("page", "canonical"), [
    ("https://al-sharq.example/opinion/مقال", "https://al-sharq.example/opinion/%D9%85%D9%82%D8%A7%D9%84"),
    ("https://al-sharq.example/opinion/%d9%85", "https://al-sharq.example/opinion/%D9%85"),
    ("https://Al-Sharq.example:443/a?b=ج", "https://al-sharq.example/a?b=%D8%AC"),
    ("http://al-sharq.example:80/a", "http://al-sharq.example/a"),
])
def test_the_same_address_spelt_otherwise_is_the_page_itself(page: str, canonical: str) -> None:
    assert same_address(page, canonical)
    hosts = {"sharq": hosts_of(["https://al-sharq.example/opinion/"])}
    assert decide(page_url=page, canonical=canonical, source="sharq",
                  hosts=hosts).relation is Relation.OWN


@pytest.mark.parametrize(("page", "other"), [
    ("https://al-sharq.example/opinion/a", "https://al-sharq.example/amp/opinion/a"),
    ("https://al-sharq.example/a%2Fb", "https://al-sharq.example/a/b"),  # %2F is not a /
    ("https://al-sharq.example/a?x=1", "https://al-sharq.example/a?x=2"),
    ("http://al-sharq.example/a", "https://al-sharq.example/a"),
    ("https://al-sharq.example:8443/a", "https://al-sharq.example/a"),
])
def test_other_addresses_stay_other(page: str, other: str) -> None:
    assert not same_address(page, other)


def test_a_raw_arabic_link_to_a_percent_encoded_canonical_is_read_once(tmp_path: Path) -> None:
    files = {f"opinion/{slug}.html": _page(slug.replace("-", " "), "http://HOST/opinion/"
                                           + quote(slug) + ".html") for slug in SLUGS}
    # Each column linked twice, as such listings do: the title raw, "read more" encoded.
    files["opinion/index.html"] = "<html><body>" + "".join(
        f'<a class="col" href="/opinion/{slug}.html">{slug}</a>'
        f'<a class="col" href="/opinion/{quote(slug)}.html">اقرأ المزيد</a>'
        for slug in SLUGS) + "</body></html>"
    root = write_files(tmp_path / "site", files)
    with serve(root) as site:
        for path in files:  # the canonical names the server's own address
            target = root / path
            target.write_text(target.read_text(encoding="utf-8").replace("http://HOST", site.base),
                              encoding="utf-8")
        config = write_config(tmp_path, SOURCE.format(base=site.base))
        store = Store.open(config.store_url)
        try:
            (result,) = run_collect(config, store, clock=fixed_clock(NOW))
            stored = store.columns.list()
        finally:
            store.close()
        asked = [unquote(path) for path in site.paths()]
    for slug in SLUGS:
        assert asked.count(f"/opinion/{slug}.html") == 1, asked
    assert len(stored) == len(SLUGS)
    assert not [item for item in result.items if "duplicate" in item.reason], result.items
    assert dict(result.counters or ())["duplicates"] == 0
