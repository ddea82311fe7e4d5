"""The footer's «موقع الصحيفة» link goes to the newspaper or nowhere.

Found by the issue-13 acceptance audit: without ``site.home_url`` the link fell back
to ``base_url``, which is syndicate's own server and redirects to the feed list —
the very complaint of issue 13 ("«الموقع» goes to base_url … not the newspaper").
A link labelled "the newspaper's site" that is not the newspaper's site is left out.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from syndicate.bundled import bundled_templates_dir
from syndicate.page_templates import render_searched
from syndicate.render.bidi import bdi_html
from syndicate.render.digest import render_segment
from syndicate.render.digest_model import DigestContent, SubscriberTokens, build_content
from syndicate.render.digest_segment import safe_url

from .digest_render_helpers import NOW, TEMPLATES, make_columns, newsletter

TOKENS = SubscriberTokens(
    unsubscribe_url="https://news.example/unsubscribe/u.7.daily.abc",
    preferences_url="https://news.example/preferences/p.7.daily.abc",
)
SITE = "موقع الصحيفة"


def content(home_url: str) -> DigestContent:
    return build_content(newsletter(), make_columns(3), [], issue_number=4, now=NOW,
                         base_url="https://news.example/", home_url=home_url)


def _bdi(value: object) -> Markup:
    return Markup(bdi_html(str(value)))


def issue_page(content: DigestContent) -> str:
    """The web copy (``/issues/<id>/<number>``) as ``syndicate serve`` renders it."""
    return render_searched((str(bundled_templates_dir()),), "issue.html.j2",
                           {"bdi": _bdi, "safe_url": safe_url}, site_title="الشرق",
                           content=content)


def test_without_home_url_no_link_claims_to_be_the_newspaper() -> None:
    bare = content("")
    page, text = render_segment(bare, templates_dirs=TEMPLATES).personalise(TOKENS)
    assert SITE not in page and SITE not in text
    assert SITE not in issue_page(bare)
    # The rest of the footer is still there.
    assert "تفضيلات الاشتراك" in page and "إلغاء الاشتراك" in text


def test_with_home_url_every_footer_links_the_newspaper() -> None:
    paper = content("https://al-sharq.example/")
    page, text = render_segment(paper, templates_dirs=TEMPLATES).personalise(TOKENS)
    link = rf'<a href="https://al-sharq.example/"[^>]*>{SITE}</a>'
    assert re.search(link, page)
    assert re.search(link, issue_page(paper))
    assert f"{SITE}:\nhttps://al-sharq.example/\n" in text
