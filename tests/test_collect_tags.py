"""Tags a page gives (article:tag, JSON-LD keywords) are kept as categories, beside its
section, so feeds can carry them as categories."""

from __future__ import annotations

from syndicate.sources.extract import FieldSelectors, extract_column, parse

PAGE = """<!DOCTYPE html><html><head>
<meta property="article:section" content="رأي">
<meta property="article:tag" content="الخليج">
<meta property="article:tag" content=" الدبلوماسية ">
<meta property="article:tag" content="رأي">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "ع",
 "keywords": "%s"}</script>
</head><body><h1>ع</h1><div class="b"><p>نص</p></div></body></html>"""


def draft_of(page: str) -> tuple[str, ...]:
    draft = extract_column(parse(page), url="https://paper.example/x",
                           final_url="https://paper.example/x", source="s",
                           fields=FieldSelectors(body=".b"), language="ar")
    return draft.categories


def test_article_tags_and_json_ld_keywords_become_categories() -> None:
    assert draft_of(PAGE % "قطر، الاقتصاد, الخليج") == (
        "رأي", "الخليج", "الدبلوماسية", "قطر", "الاقتصاد")


def test_keywords_as_a_list_and_limits() -> None:
    many = ", ".join(f"وسم {n}" for n in range(50))
    tags = draft_of(PAGE.replace('"%s"', '["أ", "ب", ""]'))
    assert tags == ("رأي", "الخليج", "الدبلوماسية", "أ", "ب")
    limited = draft_of(PAGE % many)
    assert len(limited) == 20 and all(len(tag) <= 100 for tag in limited)


def test_a_page_without_tags_keeps_its_section_only() -> None:
    bare = PAGE.split('<meta property="article:tag"')[0] + "</head><body></body></html>"
    assert draft_of(bare) == ("رأي",)
