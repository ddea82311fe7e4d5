"""The text/plain part line by line, as a subscriber's plain-text client shows it.

Found by the issue-13 acceptance audit, reading the text part of real digests: the
byline and the date ran together on one line ("…العلاقات الدوليةالأحد ٢٢ ربيع الأول"),
a link with Arabic in its path was printed raw and marked right-to-left (an RTL
client right-aligns it and reorders its segments), and the "first published at"
link sat inside an Arabic line between isolates instead of on a line of its own.
"""

from __future__ import annotations

from dataclasses import replace

from syndicate.render.bidi import FSI, PDI, RLM
from syndicate.render.digest import render_segment
from syndicate.render.digest_model import SubscriberTokens, build_content
from syndicate.render.plaintext import finish_text
from syndicate.text.urls import ascii_url

from .digest_render_helpers import NOW, TEMPLATES, make_columns, newsletter

TOKENS = SubscriberTokens(
    unsubscribe_url="https://news.example/unsubscribe/u.7.daily.abc",
    preferences_url="https://news.example/preferences/p.7.daily.abc",
    name="عائشة المري",
)
ARABIC_PATH = "https://al-sharq.example/opinion/2025/09/14/دبلوماسية-التحالفات"
ARABIC_PATH_ASCII = ("https://al-sharq.example/opinion/2025/09/14/"
                     "%D8%AF%D8%A8%D9%84%D9%88%D9%85%D8%A7%D8%B3%D9%8A%D8%A9-"
                     "%D8%A7%D9%84%D8%AA%D8%AD%D8%A7%D9%84%D9%81%D8%A7%D8%AA")
ORIGINAL = "https://other.example/مقال/1?ref=الشرق"
ORIGINAL_ASCII = "https://other.example/%D9%85%D9%82%D8%A7%D9%84/1?ref=%D8%A7%D9%84%D8%B4%D8%B1%D9%82"


def text_lines(**column_changes: object) -> list[str]:
    columns = make_columns(3)
    columns[0] = replace(columns[0], **column_changes)  # type: ignore[arg-type]
    content = build_content(newsletter(), columns, [], issue_number=3, now=NOW,
                            base_url="https://news.example/")
    _, text = render_segment(content, templates_dirs=TEMPLATES).personalise(TOKENS)
    return text.rstrip("\n").split("\n")


def test_byline_and_date_are_lines_of_their_own() -> None:
    lines = text_lines()
    # Khalid has no credentials, Dr. Moudi has: each byline ends its line.
    assert RLM + "خالد المناعي" in lines
    assert RLM + "د. موضي مبارك ناصر البوعينين — دكتوراه في العلاقات الدولية" in lines
    dated = [line for line in lines if "سبتمبر" in line and "هـ" in line]
    assert dated, lines
    assert not any("المناعي" in line or "البوعينين" in line or FSI + "Sara" in line
                   for line in dated[1:]), dated  # the first is the masthead's date


def test_links_with_arabic_are_ascii_and_unmarked() -> None:
    lines = text_lines(url=ARABIC_PATH)
    assert ARABIC_PATH_ASCII in lines
    assert not any(ARABIC_PATH in line for line in lines)


def test_first_published_link_stands_alone() -> None:
    lines = text_lines(original_url=ORIGINAL)
    assert ORIGINAL_ASCII in lines
    assert not any(FSI + "https://other.example" in line for line in lines)
    assert RLM + "نُشر أولاً في:" in lines


def test_no_line_that_starts_with_a_link_is_marked_or_isolated() -> None:
    lines = text_lines(url=ARABIC_PATH, original_url=ORIGINAL)
    for line in lines:
        bare = line.lstrip(RLM + FSI)
        if bare.startswith(("http://", "https://", "mailto:")):
            assert line == bare and PDI not in line, repr(line)
            assert line.isascii(), repr(line)


def test_ascii_url_keeps_escapes_and_encodes_hosts() -> None:
    assert ascii_url("https://al-sharq.example/a%20b?q=1") == "https://al-sharq.example/a%20b?q=1"
    assert ascii_url("https://مثال.قطر:8080/مقال") == (
        "https://xn--mgbh0fb.xn--wgbl6a:8080/%D9%85%D9%82%D8%A7%D9%84")


def test_a_raw_link_line_from_an_operator_template_stays_unmarked() -> None:
    text = finish_text("مرحبًا\nhttps://al-sharq.example/مقال\n--\n")
    assert text.split("\n")[:3] == [RLM + "مرحبًا", "https://al-sharq.example/مقال", "-- "]

