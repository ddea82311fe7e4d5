"""Column links on a listing page are grouped by URL shape, clean URLs included."""

from __future__ import annotations

import pytest

from syndicate.discover.dom import in_boilerplate, parse
from syndicate.discover.listing import infer_links, url_shape


@pytest.mark.parametrize(("path", "shape"), [
    ("/opinion/2025/09/14/%D9%85%D9%82%D8%A7%D9%84/", ("opinion", "#", "#", "#", "*")),
    ("/opinion/2025/09/13/other-slug/", ("opinion", "#", "#", "#", "*")),
    ("/opinion/12345", ("opinion", "*")),
    ("/opinion/articles/3.html", ("opinion", "articles", "*")),
    ("/ar/opinion/%D9%85%D9%82%D8%A7%D9%84-1.html", ("ar", "opinion", "*")),
    ("/", ()),
    # Drupal: the date first, then the slug, then the section's folders.
    ("/2025-10-06/%D8%AD%D8%AF%D9%8A%D9%82%D8%A9/opinion/views", ("#", "*", "*", "*")),
])
def test_url_shape_keeps_folders_and_frees_numbers_and_the_slug(path: str,
                                                              shape: tuple[str, ...]) -> None:
    assert url_shape(path) == shape


def test_legacy_query_urls_group_by_script_and_parameter_names() -> None:
    assert url_shape("/article.php", "id=123&cat=4") == ("article.php", "?cat&id")
    items = "".join(f'<li><a class="t" href="/article.php?id={n}">عنوان مقال رقم {n} طويل</a>'
                    f'</li>' for n in range(120, 125))
    found = infer_links(parse(f'<ul class="list">{items}</ul><a class="t" '
                              'href="/article.php?cat=5">رأي</a>'),
                        "https://old.example/article.php?cat=5")
    assert found is not None
    assert found[1] == [f"https://old.example/article.php?id={n}" for n in range(120, 125)]


def test_dated_clean_urls_group_as_one_section_not_the_writers_links() -> None:
    cards = "".join(
        f'<div class="card"><a class="card-title" href="/opinion/2025/09/{20 - n}/slug-{n}/">'
        f'عنوان مقال طويل بعض الشيء رقم {n}</a><a class="card-writer" '
        f'href="/writers/w{n % 2}">كاتب</a></div>' for n in range(5))
    found = infer_links(parse(f"<html><body><main>{cards}</main></body></html>"),
                        "https://paper.example/opinion/")
    assert found is not None
    selector, links = found
    assert selector == "a.card-title"
    assert links[0] == "https://paper.example/opinion/2025/09/20/slug-0/"
    assert len(links) == 5


def test_drupal_views_rows_give_the_title_links_not_the_writer_field() -> None:
    # Both links sit in a `.field-content`; only the title's field says so.
    rows = "".join(
        f'<div class="views-row"><div class="views-field views-field-field-writer"><div '
        f'class="field-content"><a href="/writers/w{n % 2}">كاتب {n % 2}</a></div></div><div '
        f'class="views-field views-field-title"><span class="field-content"><a href='
        f'"/2025-10-0{6 - n}/slug-{n}/opinion/views">عنوان مقال طويل بعض الشيء {n}</a></span>'
        f'</div></div>' for n in range(5))
    found = infer_links(parse(f"<html><body><main>{rows}</main></body></html>"),
                        "https://paper.example/opinion/views")
    assert found is not None
    selector, links = found
    assert selector == ".views-field-title a"
    assert len(links) == 5 and all("/writers/" not in link for link in links)


@pytest.mark.parametrize(("names", "boilerplate"), [
    ("comments", True), ("comment-list", True), ("commentlist", True), ("comment", True),
    ("commentary", False), ("section-commentary", False)])
def test_comments_are_boilerplate_but_commentary_is_not(names: str, boilerplate: bool) -> None:
    tree = parse(f'<div class="{names}"><p><span class="x">نص</span></p></div>')
    node = tree.css_first("span.x")
    assert node is not None
    assert in_boilerplate(node) is boilerplate
