"""Digest HTML and text: RTL, dates, bylines, digits, escaping, tokens, size, segments."""

from __future__ import annotations

import html
import logging
import re
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from syndicate.errors import RenderError
from syndicate.render.bidi import RLM
from syndicate.render.digest import (
    SegmentRenderer,
    render_segment,
)
from syndicate.render.digest_model import (
    DigestContent,
    SubscriberTokens,
    build_content,
    segment_key,
)
from syndicate.render.digest_segment import encoded_size
from syndicate.render.digest_subject import more_articles

from .digest_render_helpers import NOW, TEMPLATES, make_columns, newsletter

TOKENS = SubscriberTokens(
    unsubscribe_url="https://news.example/unsubscribe/u.1.daily.abc?x=1&y=2",
    name="عائشة المري",
)


def content(**nl: object) -> DigestContent:
    columns = make_columns(6)
    return build_content(
        newsletter(**nl), columns[:4], sorted(columns, key=lambda c: -(c.views or 0)),
        issue_number=12, now=NOW, base_url="https://news.example/",
    )


@pytest.fixture(scope="module")
def rendered() -> tuple[str, str]:
    segment = render_segment(content(), templates_dirs=TEMPLATES)
    return segment.personalise(TOKENS)


def test_rtl_document_without_ltr_leaks_or_google_fonts(rendered: tuple[str, str]) -> None:
    page, _ = rendered
    assert re.search(r'<html[^>]*\blang="ar"[^>]*\bdir="rtl"', page)
    assert 'dir="auto"' not in page and 'lang="und"' not in page
    assert "direction:ltr" not in page.replace(" ", "")
    assert "text-align:left" not in page.replace(" ", "")
    assert "fonts.googleapis" not in page and "@import" not in page
    assert "Noto Naskh Arabic" in page
    assert page.count("direction:rtl") >= 10


def test_styles_inlined_once_and_media_queries_kept(rendered: tuple[str, str]) -> None:
    page, _ = rendered
    # mj-style inline="inline" rules end up on the elements (mjml-python leaves them).
    assert re.search(r'<a href="https://al-sharq\.example/opinion/1000"[^>]*style="[^"]*color:#1f2328', page)
    assert ".t a {" not in page and ".t a{" not in page
    # MJML's responsive columns and our mobile rules survive in <style>.
    styles = "".join(re.findall(r"<style[^>]*>(.*?)</style>", page, flags=re.DOTALL)).replace(" ", "")
    assert "@mediaonlyscreenand(min-width:480px)" in styles
    assert "@mediaonlyscreenand(max-width:480px)" in styles
    assert "h3{font-size:19px!important" in styles.replace("\n", "")
    assert ".mj-column-per-100" in styles


def test_items_bylines_both_dates_and_views(rendered: tuple[str, str]) -> None:
    page, text = rendered
    for title in ("دبلوماسية التحالفات كأداة للردع والحماية الأمنية", "القيم الثقافية والتغير الاجتماعي"):
        assert title in page and title in text
    assert "https://al-sharq.example/opinion/1000" in page
    assert "د. موضي مبارك ناصر البوعينين" in page
    assert "دكتوراه في العلاقات الدولية" in page
    # Sunday 14 September 2025 in Doha is 22 Rabi' al-Awwal 1447, both calendars shown.
    assert "٢٢ ربيع الأول ١٤٤٧ هـ الموافق ١٤ سبتمبر ٢٠٢٥ م" in page
    assert "٢٢ ربيع الأول ١٤٤٧ هـ الموافق ١٤ سبتمبر ٢٠٢٥ م" in text
    assert "المشاهدات: ٤١٤" in page and "٤١٤" in text
    assert "٥٬٤١٤" in page  # the most read, grouped with the Arabic thousands separator
    assert "الأكثر قراءة هذا الأسبوع" in page
    # A column with unknown views shows no count rather than "0".
    assert "المشاهدات: ٠" not in page
    assert "عائشة المري" in page and "إلغاء الاشتراك" in page


def test_latin_names_isolated_numbers_left_in_the_arabic_flow(rendered: tuple[str, str]) -> None:
    page, text = rendered
    assert re.search(r"<bdi[^>]*>Sara Lindqvist</bdi>", page)
    assert re.search(r"<bdi[^>]*>ChatGPT</bdi>", page)
    assert "الاقتصاد القطري بعد 2030" in page and "<bdi>2030</bdi>" not in page
    assert "\u2068Sara Lindqvist\u2069" in text
    assert "الاقتصاد القطري بعد 2030" in text


def test_text_part_arabic_lines_right_to_left_urls_plain(rendered: tuple[str, str]) -> None:
    _, text = rendered
    lines = text.rstrip("\n").split("\n")
    assert len(lines) > 30
    arabic = re.compile("[\u0600-\u06ff]")
    assert all(line.startswith(RLM) for line in lines if arabic.search(line))
    assert not any(line.startswith(RLM) for line in lines if not arabic.search(line))
    # Links stand alone on their line, whole and unmarked, for clients that linkify.
    assert "https://al-sharq.example/opinion/1000" in lines
    assert TOKENS.unsubscribe_url in lines
    assert "" in lines  # blank lines stay empty
    assert "-- " in lines  # the signature separator, exactly
    assert "SYN" not in text


@pytest.mark.parametrize(
    ("calendar", "present", "absent"),
    [
        ("hijri", "ربيع الأول ١٤٤٧ هـ", "سبتمبر"),
        ("gregorian", "١٤ سبتمبر ٢٠٢٥", "ربيع الأول"),
    ],
)
def test_calendar_setting(calendar: str, present: str, absent: str) -> None:
    page, text = render_segment(
        content(calendar=calendar), templates_dirs=TEMPLATES
    ).personalise(TOKENS)
    assert present in page and present in text
    assert absent not in page and absent not in text


def test_latin_digits_when_the_newsletter_says_so() -> None:
    page, text = render_segment(
        content(digits="latn"), templates_dirs=TEMPLATES
    ).personalise(TOKENS)
    assert "المشاهدات: 414" in page and "<bdi>414</bdi>" not in page
    assert "٤١٤" not in page and "المشاهدات: 414" in text
    assert "14 سبتمبر 2025" in html.unescape(re.sub(r"<[^>]+>", "", page))


def test_hostile_titles_are_escaped() -> None:
    columns = make_columns(2, title_prefix='<script>alert("x")</script><img src=x onerror=alert(1)> ')
    evil = build_content(newsletter(), columns, [], issue_number=1, now=NOW, base_url="https://n.example")
    segment = render_segment(evil, templates_dirs=TEMPLATES)
    page, text = segment.personalise(TOKENS)
    assert "<script" not in page and "<img src=x" not in page
    assert "&lt;<bdi" in page  # shown as text, not markup
    assert "onerror" in page  # as text…
    unquoted = re.sub(r'"[^"]*"|\'[^\']*\'', '""', page)  # attribute values are text
    assert not re.search(r"<[^>]*\sonerror=", unquoted)  # …never as an attribute
    # Plain text is not HTML: shown as is (with its Latin runs isolated).
    assert "<script>" in text.replace("\u2068", "").replace("\u2069", "")


def test_token_substitution_is_escaped_per_part() -> None:
    segment = render_segment(content(), templates_dirs=TEMPLATES)
    tokens = SubscriberTokens(
        unsubscribe_url='https://news.example/u?a=1&b="><script>x</script>',
        name='Ahmed <b onclick="x">\nBCC: evil@example.org',
    )
    page, text = segment.personalise(tokens)
    assert "<b onclick" not in page and "&lt;b onclick=&quot;x&quot;&gt;" in page
    assert 'href="https://news.example/u?a=1&amp;b=&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in page
    assert "<script>x" not in page
    # The name cannot break a text line out of its right-to-left mark.
    assert "\nBCC" not in text
    assert f"{RLM}مرحبًا \u2068Ahmed\u2069 <\u2068b onclick" in text
    assert "\u2068Ahmed\u2069 <\u2068b onclick" in text
    # No sentinel survives, in either part.
    assert "SYN" not in page and "SYN" not in text


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "/relative", ""])
def test_unsafe_unsubscribe_urls_are_refused(url: str) -> None:
    segment = render_segment(content(), templates_dirs=TEMPLATES)
    with pytest.raises(RenderError):
        segment.personalise(SubscriberTokens(unsubscribe_url=url))


def test_unknown_name_gets_a_generic_greeting() -> None:
    segment = render_segment(content(), templates_dirs=TEMPLATES)
    page, text = segment.personalise(SubscriberTokens(unsubscribe_url="https://n.example/u/1"))
    assert "قارئنا العزيز" in page and "قارئنا العزيز" in text


def test_personalise_is_cheap_and_does_not_touch_the_render() -> None:
    segment = render_segment(content(), templates_dirs=TEMPLATES)
    a = segment.personalise(SubscriberTokens(unsubscribe_url="https://n.example/u/1", name="أ"))
    b = segment.personalise(SubscriberTokens(unsubscribe_url="https://n.example/u/2", name="ب"))
    assert a[0] != b[0]
    assert a[0].replace("/u/1", "/u/2").replace(">أ<", ">ب<") == b[0]


def test_subject_is_the_lead_headline() -> None:
    segment = render_segment(content(), templates_dirs=TEMPLATES)
    assert segment.subject == "دبلوماسية التحالفات كأداة للردع والحماية الأمنية"
    assert "\n" not in segment.subject
    assert more_articles(1, "arab") == " ومقال آخر"
    assert more_articles(2, "arab") == " ومقالان آخران"
    assert more_articles(14, "arab") == " و١٤ مقالًا آخر"
    assert more_articles(103, "latn") == " و103 مقالات أخرى"


class _Records(logging.Handler):
    """Collects records on our own logger: the CLI's logging set-up stops propagation."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_over_gmail_budget_trims_items_and_warns() -> None:
    full = content(max_items=20)
    normal = render_segment(full, templates_dirs=TEMPLATES)
    assert normal.trimmed == 0 and not normal.over_budget
    budget = normal.encoded_bytes - 6000 + 2048  # must lose a few items' worth
    logger = logging.getLogger("syndicate.render.digest")
    records = _Records()
    logger.addHandler(records)
    try:
        small = render_segment(full, templates_dirs=TEMPLATES, max_html_bytes=budget)
    finally:
        logger.removeHandler(records)
    assert small.trimmed > 0 and not small.over_budget
    assert small.encoded_bytes <= budget - 2048
    assert len(small.content.most_read_items) < len(full.most_read_items)
    assert small.content.new_items  # the news goes last, and never entirely
    assert any("Gmail" in r.getMessage() for r in records.records)
    page, _ = small.personalise(TOKENS)
    assert "من المقالات الأخرى في نسخة المتصفح" in page


def test_budget_counts_the_transfer_encoding() -> None:
    segment = render_segment(content(), templates_dirs=TEMPLATES)
    page, _ = segment.personalise(TOKENS)
    utf8 = len(page.encode())
    assert encoded_size(page, "base64") > utf8 * 4 // 3
    assert encoded_size(page, "quoted-printable") > utf8
    # The estimate is what the email package really produces for the body.
    for cte in ("base64", "quoted-printable"):
        message = EmailMessage(policy=SMTP)
        message.set_content(page, subtype="html", cte=cte)
        body = message.as_bytes().split(b"\r\n\r\n", 1)[1]
        assert abs(len(body) - encoded_size(page, cte)) <= 4, cte
    assert segment.transfer_encoding == "base64"
    assert segment.encoded_bytes == encoded_size(
        "".join(segment.html_parts[::2]) + "".join(
            f"SYN{'0' * 16}{name}" for name in segment.html_parts[1::2]
        ),
        "base64",
    )


def test_segments_shared_by_equal_content() -> None:
    base = content()
    renderer = SegmentRenderer(TEMPLATES)
    follows_moudi = base.for_authors(["moudi-albuainain"])
    follows_moudi_and_absent = base.for_authors(["moudi-albuainain", "nobody-this-issue"])
    assert follows_moudi == follows_moudi_and_absent
    assert segment_key(follows_moudi) == segment_key(follows_moudi_and_absent)
    assert segment_key(follows_moudi) != segment_key(base)
    first = renderer.segment(follows_moudi)
    assert renderer.segment(follows_moudi_and_absent) is first
    assert renderer.segment(base) is not first
    assert renderer.renders == 2
    assert all(i.author_slug == "moudi-albuainain" for i in follows_moudi.new_items)
    # "Most read" is the newspaper's, whoever one follows.
    assert follows_moudi.most_read_items == base.most_read_items


def test_operator_templates_dir_wins(tmp_path: Path) -> None:
    bundled = TEMPLATES[0]
    mjml = (bundled / "digest.mjml.j2").read_text(encoding="utf-8")
    (tmp_path / "digest.mjml.j2").write_text(
        mjml.replace("مقالات جديدة", "جديد كتّابنا").replace(
            "إلغاء الاشتراك</a>",
            'إلغاء الاشتراك</a> · <a href="{{ tokens.preferences_url }}">إدارة الاشتراك</a>',
        ),
        encoding="utf-8",
    )
    segment = render_segment(content(), templates_dirs=(tmp_path, bundled))
    page, text = segment.personalise(TOKENS)
    assert "جديد كتّابنا" in page
    # Operators may link a preferences page; without one it is the unsubscribe page.
    assert re.search(f'href="{re.escape(html.escape(TOKENS.unsubscribe_url))}"[^>]*>إدارة', page)
    page, _ = segment.personalise(SubscriberTokens(
        unsubscribe_url="https://n.example/u/1", preferences_url="https://n.example/p/1"))
    assert re.search(r'href="https://n\.example/p/1"[^>]*>إدارة الاشتراك', page)
    assert "مقالات جديدة" in text  # the text template still comes from the bundle


def test_broken_operator_template_is_a_render_error(tmp_path: Path) -> None:
    undefined, unclosed = tmp_path / "undefined", tmp_path / "unclosed"
    undefined.mkdir()
    unclosed.mkdir()
    (undefined / "digest.mjml.j2").write_text("<mjml><mj-body>{{ content.nope }}", "utf-8")
    with pytest.raises(RenderError, match="digest.mjml.j2"):
        render_segment(content(), templates_dirs=(undefined, *TEMPLATES))
    (unclosed / "digest.mjml.j2").write_text("<mjml><mj-body><mj-section>", "utf-8")
    with pytest.raises(RenderError, match="MJML"):
        render_segment(content(), templates_dirs=(unclosed, *TEMPLATES))


def test_sections_follow_the_newsletter() -> None:
    only_new = content(sections=["new"])
    assert not only_new.most_read_items
    page, _ = render_segment(only_new, templates_dirs=TEMPLATES).personalise(TOKENS)
    assert "الأكثر قراءة" not in page
    # A column of this issue is not repeated under "most read".
    both = content()
    assert not {i.url for i in both.new_items} & {i.url for i in both.most_read_items}


def test_photos_and_profile_links_only_from_the_web() -> None:
    from dataclasses import replace

    columns = [
        replace(c, author=replace(c.author, image_url=url, url=url))
        for c, url in zip(make_columns(3), ("file:///site/images/a.svg", "javascript:alert(1)",
                                             "https://al-sharq.example/a.jpg"), strict=True)
    ]
    built = build_content(newsletter(), columns, [], issue_number=3, now=NOW,
                          base_url="https://n.example")
    assert [i.author_image_url for i in built.new_items] == [
        None, None, "https://al-sharq.example/a.jpg"]
    page, _ = render_segment(built, templates_dirs=TEMPLATES).personalise(TOKENS)
    assert "file://" not in page and "javascript:" not in page
    assert page.count("<img") == 1


def test_operator_template_without_text_twin_uses_the_default_text(tmp_path: Path) -> None:
    mjml = (TEMPLATES[0] / "digest.mjml.j2").read_text(encoding="utf-8")
    (tmp_path / "weekly.mjml.j2").write_text(mjml.replace("مقالات جديدة", "هذا الأسبوع"), "utf-8")
    segment = render_segment(content(), templates_dirs=(tmp_path, *TEMPLATES),
                             template="weekly.mjml.j2")
    page, text = segment.personalise(TOKENS)
    assert "هذا الأسبوع" in page and "== مقالات جديدة ==" in text
    (tmp_path / "weekly.txt.j2").write_text("{{ content.newsletter_title }} أسبوعي\n", "utf-8")
    _, text = render_segment(content(), templates_dirs=(tmp_path, *TEMPLATES),
                             template="weekly.mjml.j2").personalise(TOKENS)
    assert text == f"{RLM}نشرة الشرق اليومية أسبوعي\n"


def test_segment_cache_is_bounded() -> None:
    base = content()
    renderer = SegmentRenderer(TEMPLATES, max_segments=2)
    a, b, c = (base.for_authors([slug]) for slug in
               ("moudi-albuainain", "sara-lindqvist", "khalid-almannai"))
    first = renderer.segment(a)
    renderer.segment(b)
    assert renderer.segment(a) is first  # still cached, now most recently used
    renderer.segment(c)  # evicts b, the least recently used
    assert renderer.segment(a) is first
    assert renderer.renders == 3
    renderer.segment(b)
    assert renderer.renders == 4


def test_no_middle_dot_beside_arabic_indic_digits(rendered: tuple[str, str]) -> None:
    # "العدد ١ · الاثنين" reads as "العدد ١٠ الاثنين": the Arabic-Indic zero is a dot too.
    page, text = rendered
    visible = re.sub(r"<[^>]+>", "", page)
    digit = "[\u0660-\u0669\u06f0-\u06f9]"
    near = re.compile(rf"{digit}[\s\u2068\u2069\u200f]*·|·[\s\u2068\u2069\u200f]*{digit}")
    assert not near.findall(visible), near.findall(visible)
    assert not near.findall(text), near.findall(text)
    assert "العدد ١٢،" in visible and "العدد ١٢،" in text
    # nor before the view count ("← · المشاهدات" reads as "٠ المشاهدات")
    assert "· المشاهدات" not in visible
