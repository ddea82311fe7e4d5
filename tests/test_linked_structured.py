"""Structured data read through extruct: JSON-LD, microdata and OpenGraph, schema.org
mapped generously (issue 18, item 4 of the report)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.core.collect import run_collect
from syndicate.sources.extract import FieldSelectors, extract_column, parse
from syndicate.sources.structured import read_structured
from syndicate.store import Store

from .collect_helpers import serve
from .linked_sites import write_files

URL = "https://portal.example/opinion/2025/09/water"
NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)


def page(*blocks: object, head: str = "", body: str = "") -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{b if isinstance(b, str) else json.dumps(b)}'
        "</script>" for b in blocks)
    return (f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8">{head}{scripts}'
            f"</head><body>{body}</body></html>")


def article(**extra: object) -> dict[str, object]:
    return {"@context": "https://schema.org", "@type": "OpinionNewsArticle",
            "headline": "الماء أولاً", "datePublished": "2025-09-20T09:00:00+03:00",
            "author": {"@type": "Person", "name": "سلمى الهاجري"},
            "articleBody": "نص المقال.", **extra}


def draft_of(html: str):  # type: ignore[no-untyped-def]
    return extract_column(parse(html), url=URL, final_url=URL, source="portal",
                          fields=FieldSelectors(), language="ar", html=html)


def counter(action: object, count: object = 6120) -> dict[str, object]:
    return {"@type": "InteractionCounter", "interactionType": action,
            "userInteractionCount": count}


@pytest.mark.parametrize("action", [
    "http://schema.org/ReadAction",
    "https://schema.org/ReadAction",
    "ReadAction",
    "schema:ReadAction",
    {"@type": "ReadAction"},  # an object with a type and no name: read as no views before
    {"@type": "https://schema.org/ViewAction"},
    {"@id": "https://schema.org/ReadAction"},
    [{"@type": "ReadAction"}],
])
def test_every_spelling_of_interaction_type_gives_the_views(action: object) -> None:
    stats = [counter({"@type": "LikeAction"}, 5), counter(action)]
    assert draft_of(page(article(interactionStatistic=stats))).views_text == "6120"


@pytest.mark.parametrize(("count", "text"), [(6120, "6120"), ("6120", "6120"),
                                             ("6,120", "6,120"), (6120.0, "6120")])
def test_user_interaction_count_as_number_or_string(count: object, text: str) -> None:
    stats = counter("ReadAction", count)
    assert draft_of(page(article(interactionStatistic=stats))).views_text == text


def test_graph_with_references_and_several_authors() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": URL, "name": "صفحة"},
        {"@type": "Person", "@id": "#salma", "name": "سلمى الهاجري",
         "jobTitle": "مهندسة مياه", "url": "/authors/salma-alhajri"},
        {"@type": "Person", "@id": "#omar", "name": "عمر الكواري"},
        {"@type": ["NewsArticle"], "headline": "الماء أولاً",
         "datePublished": "2025-09-20T09:00:00+03:00",
         "author": [{"@id": "#salma"}, {"@id": "#omar"}, "ليلى"],
         "mainEntityOfPage": {"@id": URL}},
    ]}
    draft = draft_of(page(graph))
    assert draft.author_name == "سلمى الهاجري"
    assert draft.author_credentials == "مهندسة مياه"
    assert draft.author_url == "https://portal.example/authors/salma-alhajri"
    assert draft.coauthors == ("عمر الكواري", "ليلى")
    assert draft.canonical_url == URL


def test_a_broken_block_is_skipped_with_a_log_line_and_the_good_one_read(
        caplog: pytest.LogCaptureFixture) -> None:
    broken = '{"@type": "NewsArticle", "headline": "x",, }'
    html = page(broken, article(interactionStatistic=counter({"@type": "ReadAction"})))
    with caplog.at_level(logging.WARNING, logger="syndicate.sources.structured"):
        draft = draft_of(html)
    assert draft.title == "الماء أولاً" and draft.views_text == "6120"
    assert any("JSON-LD block 1 is not valid JSON" in r.getMessage() and URL in r.getMessage()
               for r in caplog.records)


def test_microdata_is_read_like_json_ld() -> None:
    body = f"""<article itemscope itemtype="https://schema.org/NewsArticle">
<h1 itemprop="headline">الماء أولاً</h1>
<span itemprop="author" itemscope itemtype="https://schema.org/Person">
 <span itemprop="name">سلمى الهاجري</span><span itemprop="jobTitle">مهندسة</span></span>
<meta itemprop="datePublished" content="2025-09-20T09:00:00+03:00">
<div itemprop="interactionStatistic" itemscope itemtype="https://schema.org/InteractionCounter">
 <link itemprop="interactionType" href="https://schema.org/ReadAction">
 <meta itemprop="userInteractionCount" content="6120"></div>
<link itemprop="mainEntityOfPage" href="{URL}">
<div itemprop="articleBody">نص</div></article>"""
    draft = draft_of(page(body=body))
    assert (draft.title, draft.author_name, draft.author_credentials, draft.views_text) == (
        "الماء أولاً", "سلمى الهاجري", "مهندسة", "6120")
    assert draft.published_text == "2025-09-20T09:00:00+03:00"


def test_opengraph_through_extruct() -> None:
    head = ('<meta property="og:title" content="عنوان  OG"><meta property="og:url" '
            f'content="{URL}?utm_source=x"><meta property="og:image" content="/i.jpg">'
            '<meta property="article:published_time" content="2025-09-20T10:00:00+03:00">')
    draft = draft_of(page(head=head))
    assert draft.title == "عنوان OG"
    assert draft.canonical_url == URL
    assert draft.image_url == "https://portal.example/i.jpg"
    assert draft.published_text == "2025-09-20T10:00:00+03:00"


def test_profile_page_person_and_articles_written() -> None:
    from syndicate.sources.structured import articles_written

    profile = {"@context": "https://schema.org", "@type": "ProfilePage",
               "mainEntity": {"@type": "Person", "name": "سلمى",
                              "agentInteractionStatistic": {
                                  "@type": "InteractionCounter",
                                  "interactionType": "https://schema.org/WriteAction",
                                  "userInteractionCount": 1042}}}
    person = read_structured(page(profile), url=URL).person()
    assert person["name"] == "سلمى" and articles_written(person) == "1042"


def test_a_page_without_structured_markup_is_not_parsed_again() -> None:
    assert read_structured("<html><body><p>x</p></body></html>", url=URL).items == ()


FORMS: list[object] = ["http://schema.org/ReadAction", "https://schema.org/ReadAction",
                       "ReadAction", {"@type": "ReadAction"}]


def test_a_json_ld_only_portal_on_loopback(tmp_path: Path,
                                           caplog: pytest.LogCaptureFixture) -> None:
    """Column pages that carry their metadata only as JSON-LD, one per spelling of
    interactionType, each with a broken block before the good one."""
    files = {"index.html": "<html><body>" + "".join(
        f'<a class="c" href="/col/{n}.html">{n}</a>' for n in range(len(FORMS))) + "</body></html>"}
    for n, form in enumerate(FORMS):
        files[f"col/{n}.html"] = page('{"@type": "NewsArticle", broken', {
            **article(headline=f"مقال {n}", articleBody=f"نص المقال رقم {n}.",
                      interactionStatistic=counter(form, str(6120 + n)),
                      author=[{"@type": "Person", "name": "سلمى الهاجري"},
                              {"@type": "Person", "name": "عمر الكواري"}]),
            "mainEntityOfPage": f"http://HOST/col/{n}.html"})
    root = write_files(tmp_path / "portal", files)
    with serve(root) as site:
        path = tmp_path / "schedules.yaml"
        path.write_text(f"""store: syndicate.db
http: {{min_delay_s: 0, retries: 0, allow_private_addresses: true}}
sources:
  - name: portal
    kind: html
    start_urls: ["{site.url('/index.html')}"]
    links: a.c
""", encoding="utf-8")
        config = load(str(path))
        store = Store.open(config.store_url)
        try:
            with caplog.at_level(logging.WARNING, logger="syndicate.sources.structured"):
                result = run_collect(config, store, clock=fixed_clock(NOW))[0]
            assert result.counter("new") == len(FORMS)
            for n in range(len(FORMS)):
                column = store.columns.get(site.url(f"/col/{n}.html"))
                assert column is not None and column.views == 6120 + n, FORMS[n]
                assert column.byline == "سلمى الهاجري و عمر الكواري"
        finally:
            store.close()
    broken = [r for r in caplog.records if "JSON-LD block 1 is not valid JSON" in r.getMessage()]
    assert len(broken) == len(FORMS)
