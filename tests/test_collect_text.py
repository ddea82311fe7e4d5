"""Counts, comparison keys, extraction fallbacks and normalisation refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from syndicate.errors import ExtractError
from syndicate.normalise import author_slug, normalise
from syndicate.sources.base import merge
from syndicate.sources.extract import (
    FieldSelectors,
    extract_column,
    extract_links,
    extract_next,
    parse,
)
from syndicate.sources.page_values import clean_url, looks_truncated
from syndicate.text.folding import dedupe_key, fold
from syndicate.text.numbers import parse_count
from syndicate.types import ColumnDraft

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "count"), [
    ("1,234", 1234), ("١٬٢٣٤", 1234), ("1.2 ألف", 1200), ("٣ آلاف", 3000),
    ("2 مليون", 2_000_000), ("12K", 12_000), ("12k views", 12_000), ("414", 414),
    ("مشاهدات: 93", 93), ("٢٫٥ مليون", 2_500_000), ("1,5 ألف", 1500), ("ألف", 1000),
    ("۱۲۳", 123), ("0", 0), ("1\u00a0234", 1234), ("3.4M", 3_400_000), ("1 مليار", 10**9),
])
def test_counts(text: str, count: int) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize("text", [None, "", "   ", "مشاهدات", "n/a"])
def test_missing_count_is_unknown_not_zero(text: str | None) -> None:
    assert parse_count(text) is None


def test_dedupe_key_folds_spelling_variants() -> None:
    a = dedupe_key("د. موضي مبارك", "دبلوماسيـــة التَّحالفات كأداةٍ للردع")
    b = dedupe_key("موضى مبارك", "دبلوماسية التحالفات كاداة للردع!")
    assert a == b
    assert fold("إلى المدرسة") == fold("الى المدرسه")
    assert fold("عام ٢٠٢٥") == "عام 2025"
    assert dedupe_key("علي", "الماء") != dedupe_key("علي", "النفط")


def test_author_slug_prefers_the_sites_own() -> None:
    assert author_slug("د. مريم الكواري", "file:///x/opinion/authors/mariam-alkuwari.html") \
        == "mariam-alkuwari"
    assert author_slug("فهد", "https://kw.example/author/fahad-alotaibi/") == "fahad-alotaibi"
    # A numeric id is the paper's own identity for the person: the path keeps it.
    assert author_slug("علي حسن", "https://x.example/writers/1234") == "writers-1234"
    assert author_slug("علي حسن", None) == "aly-hsn"
    # Without a page, the name as printed, title included: two people, two keys.
    assert author_slug("د. علي حسن", None) == "d-aly-hsn"


PAGE = """<!DOCTYPE html><html><head>
<base href="https://paper.example/opinion/">
<link rel="canonical" href="/opinion/2025/09/col?utm_source=tw#x">
<meta property="og:title" content="عنوان من OpenGraph">
<meta property="og:image" content="/img/og.jpg">
<meta property="article:published_time" content="2025-09-20T10:00:00+03:00">
<meta property="article:author" content="https://facebook.example/someone">
<meta property="article:section" content="رأي">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebPage", "name": "page"},
 {"@type": ["NewsArticle"], "headline": "عنوان من JSON-LD",
  "author": [{"@type": "Person", "name": "سلمى", "jobTitle": "كاتبة",
              "url": "/authors/salma-x", "image": {"url": "/a/salma.png"}}],
  "datePublished": "2025-09-20T09:00:00+03:00",
  "interactionStatistic": [{"@type": "InteractionCounter",
     "interactionType": {"@type": "LikeAction"}, "userInteractionCount": 5},
    {"@type": "InteractionCounter", "interactionType": "http://schema.org/ReadAction",
     "userInteractionCount": "4321"}]}]}</script>
<script type="application/ld+json">{ broken json </script>
</head><body>
<h1 class="t">عنوان من الصفحة</h1>
<time class="d" datetime="2025-09-20T08:00:00+03:00">السبت</time>
<div class="b"><p>نص <a href="../more.html">المزيد</a></p><div class="ad">إعلان</div>
<img data-src="pic.jpg"></div>
</body></html>"""


def test_selectors_first_then_json_ld_then_opengraph() -> None:
    tree = parse(PAGE)
    fields = FieldSelectors(title="h1.t", published="time.d@datetime", body=".b",
                            remove=[".ad"])
    draft = extract_column(tree, url="https://paper.example/x", final_url="https://paper.example/x",
                           source="s", fields=fields, language="ar")
    assert draft.title == "عنوان من الصفحة"  # selector
    assert draft.published_text == "2025-09-20T08:00:00+03:00"  # selector@attribute
    assert draft.author_name == "سلمى"  # JSON-LD (the article:author URL is not a name)
    assert draft.author_credentials == "كاتبة"
    assert draft.author_url == "https://paper.example/authors/salma-x"
    assert draft.author_image_url == "https://paper.example/a/salma.png"
    assert draft.views_text == "4321"  # ReadAction, not LikeAction
    assert draft.canonical_url == "https://paper.example/opinion/2025/09/col"
    assert draft.image_url == "https://paper.example/img/og.jpg"  # OpenGraph
    assert draft.categories == ("رأي",)
    assert draft.body_html is not None
    assert "إعلان" not in draft.body_html
    assert 'href="https://paper.example/more.html"' in draft.body_html  # against <base>
    assert 'src="https://paper.example/opinion/pic.jpg"' in draft.body_html  # lazy image
    bare = extract_column(tree, url="u", final_url="https://paper.example/x", source="s",
                          fields=FieldSelectors(), language="ar")
    assert bare.title == "عنوان من JSON-LD"
    assert bare.published_text == "2025-09-20T09:00:00+03:00"
    no_ld = parse(PAGE.split('<script type="application/ld+json">{"@context"')[0] + "</head></html>")
    og = extract_column(no_ld, url="u", final_url="https://paper.example/x", source="s",
                        fields=FieldSelectors(), language="ar")
    assert og.title == "عنوان من OpenGraph"
    assert og.published_text == "2025-09-20T10:00:00+03:00"
    assert og.author_name is None and og.views_text is None


def test_links_next_page_and_truncation() -> None:
    tree = parse('<html><body><a class="c" href="a.html#top">1</a><div class="c">'
                 '<a href="/b.html?utm_medium=x&id=2">2</a></div><a class="c" href="a.html">3</a>'
                 '<a class="c" href="javascript:void(0)">4</a><a class="c" href="mailto:x@y">5</a>'
                 '<a class="n" href="?page=2">next</a></body></html>')
    links = extract_links(tree, page_url="https://p.example/op/", selector=".c")
    assert links == ["https://p.example/op/a.html", "https://p.example/b.html?id=2"]
    assert extract_next(tree, page_url="https://p.example/op/", selector=".n") \
        == "https://p.example/op/?page=2"
    assert clean_url("https://p.example/a?fbclid=1&x=2#f") == "https://p.example/a?x=2"
    assert looks_truncated("<html><body><div class='author-arti")
    assert not looks_truncated("<html><body></body></html>\n")


def draft(**changes: object) -> ColumnDraft:
    base: dict[str, object] = {
        "source": "s", "url": "https://p.example/c", "canonical_url": None, "title": "عنوان",
        "author_name": "كاتب", "author_credentials": "- باحث", "author_article_count": "١٬٠٣٢",
        "author_url": None, "author_image_url": None, "published_text": "14 سبتمبر 2025 , 03:05ص",
        "views_text": "ألف", "body_html": "<p>نص</p><script>x()</script>"}
    base.update(changes)
    return ColumnDraft(**base)  # type: ignore[arg-type]


def test_normalise_builds_a_clean_column() -> None:
    done = normalise(draft(), timezone="Asia/Qatar", now=NOW)
    column = done.column
    assert column.url == "https://p.example/c"
    assert column.published == datetime(2025, 9, 14, 0, 5, tzinfo=UTC)
    assert column.body_html == "<p>نص</p>"
    assert column.author.credentials == "باحث" and column.author.article_count == 1032
    assert column.views == 1000 and not column.future_dated and done.warnings == ()
    assert done.dedupe_key == dedupe_key("كاتب", "عنوان")


@pytest.mark.parametrize(("changes", "reason"), [
    ({"title": "  "}, "no title"),
    ({"author_name": None}, "no author"),
    ({"published_text": None}, "no publication date"),
    ({"published_text": "قريبًا إن شاء الله"}, "unreadable date"),
    ({"body_html": "<script>x()</script>"}, "no column text"),
    ({"url": "javascript:alert(1)"}, "no web URL"),
])
def test_normalise_refusals_name_the_reason(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(ExtractError, match=reason) as caught:
        normalise(draft(**changes), timezone="Asia/Qatar", now=NOW)
    assert caught.value.url == draft(**changes).url  # the reason names the page


def test_default_author_future_flag_and_bad_views() -> None:
    done = normalise(draft(author_name=None, published_text="1 ديسمبر 2025 , 08:00ص",
                           views_text="كثير"),
                     timezone="Asia/Qatar", now=NOW, default_author="أسرة التحرير")
    assert done.column.author.name == "أسرة التحرير"
    assert done.column.future_dated
    assert done.column.views is None
    assert any("future" in w for w in done.warnings)
    assert any("unreadable view count" in w for w in done.warnings)


def test_a_source_hijri_adjustment_reads_its_hijri_only_dates() -> None:
    # A paper following local sighting prints 22 Rabi' al-Awwal one day before the table.
    hijri_only = draft(published_text="الأحد ٢٢ ربيع الأول ١٤٤٧ هـ")
    table = normalise(hijri_only, timezone="Asia/Qatar", now=NOW).column.published
    sighted = normalise(hijri_only, timezone="Asia/Qatar", now=NOW,
                        hijri_adjustment=1).column.published
    assert table == datetime(2025, 9, 13, 21, 0, tzinfo=UTC)  # 14 Sep, 00:00 in Doha
    assert sighted == table - timedelta(days=1)


def test_unsafe_urls_do_not_reach_the_column() -> None:
    done = normalise(draft(image_url="javascript:alert(1)", author_url="data:text/html,x",
                           author_image_url="https://p.example/a.png",
                           canonical_url="vbscript:x"),
                     timezone="Asia/Qatar", now=NOW)
    assert done.column.url == "https://p.example/c"
    assert done.column.image_url is None and done.column.author.url is None
    assert done.column.author.image_url == "https://p.example/a.png"


def test_merge_fills_gaps_only() -> None:
    primary = draft(views_text=None, author_credentials=None)
    filler = draft(url="https://p.example/other", title="آخر", views_text="5",
                   author_credentials="شاعر", canonical_url="https://p.example/canon")
    merged = merge(primary, filler)
    assert merged.title == "عنوان" and merged.url == "https://p.example/c"
    assert merged.views_text == "5" and merged.author_credentials == "شاعر"
    assert merged.canonical_url == "https://p.example/canon"
