"""Issue 13: subject and preheader, footer, hygiene, photos (golden where it matters).

Golden strings are what a subscriber sees: the subject in the inbox list, the
preheader snippet, the footer's lines. Contrast is computed from the inlined colours
(WCAG 2 relative luminance), font sizes from the inlined styles.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from syndicate.render.bidi import RLM
from syndicate.render.digest import render_segment
from syndicate.render.digest_model import DigestContent, SubscriberTokens, build_content
from syndicate.render.digest_subject import PREHEADER_PADDING, heading_for
from syndicate.types import Author

from .digest_render_helpers import EXCERPT, NOW, TEMPLATES, make_columns, newsletter

TOKENS = SubscriberTokens(
    unsubscribe_url="https://news.example/unsubscribe/u.7.daily.abc",
    preferences_url="https://news.example/preferences/p.7.daily.abc",
    name="عائشة المري",
)
POSTAL = "ص.ب. ٣٤٨٨، الدوحة، قطر"


def content(count: int = 4, issue: int = 12, **nl: object) -> DigestContent:
    columns = make_columns(6)
    nl.setdefault("postal_address", POSTAL)
    return build_content(
        newsletter(**nl), columns[:count], sorted(columns, key=lambda c: -(c.views or 0)),
        issue_number=issue, now=NOW, base_url="https://news.example/",
        home_url="https://al-sharq.example/",
    )


# -- subject and preheader ---------------------------------------------------------


def test_subject_starts_with_the_lead_headline_and_fits() -> None:
    # 48 characters of headline: " و٣ مقالات أخرى" would pass 60, so it goes.
    assert heading_for(content()).subject == "دبلوماسية التحالفات كأداة للردع والحماية الأمنية"
    # One more column fits beside a short headline.
    two = build_content(newsletter(), make_columns(4)[1:3], [], issue_number=5, now=NOW,
                        base_url="https://news.example")
    assert heading_for(two).subject == "القيم الثقافية والتغير الاجتماعي ومقال آخر"


def test_long_headline_is_cut_at_a_word() -> None:
    long_title = "الخليج والعالم: " + "قراءة في التحولات الاقتصادية والسياسية " * 3
    columns = [replace(c, title=long_title) for c in make_columns(2)]
    built = build_content(newsletter(), columns, [], issue_number=5, now=NOW,
                          base_url="https://news.example")
    subject = heading_for(built).subject
    assert subject == "الخليج والعالم: قراءة في التحولات الاقتصادية والسياسية…"
    assert len(subject) <= 60


def test_default_preheader_adds_authors_and_the_lead_excerpt() -> None:
    heading = heading_for(content())
    assert heading.preheader == (
        "بقلم د. موضي مبارك ناصر البوعينين، Sara Lindqvist وخالد المناعي. في ظل التحولات "
        "الأمنية الأخيرة التي شهدتها المنطقة عاد إلى الواجهة مجددًا سؤال جوهري…"
    )
    assert heading.subject not in heading.preheader


# Bylines as Gulf papers print them: titles, "bin", family names of several words.
LONG_NAMES = ("د. موضي مبارك ناصر البوعينين", "أ.د. عبدالرحمن بن عبدالعزيز آل ثاني",
              "خالد بن محمد بن عبدالله المناعي", "د. مريم بنت جاسم الكواري")


def long_bylines(edition: str = "daily", issue: int = 12) -> DigestContent:
    columns = [replace(c, author=Author(name=LONG_NAMES[i % 4], slug=f"writer-{i % 4}"))
               for i, c in enumerate(make_columns(6))]
    return build_content(newsletter(edition=edition), columns, columns, issue_number=issue,
                         now=NOW, base_url="https://news.example/")


def names_shown(listed: str) -> tuple[list[str], str]:
    """The whole names ``listed`` starts with (joined as Arabic lists them: «، », « و»)
    and what follows the last of them."""
    names: list[str] = []
    while name := next((n for n in LONG_NAMES if listed.startswith(n)), None):
        names.append(name)
        listed = listed[len(name):]
        sep = next((s for s in ("، ", " و") if listed.startswith(s)), None)
        if sep is None or listed.startswith(" وغيرهم"):
            break
        listed = listed[len(sep):]
    return names, listed


def test_weekly_preheader_states_the_week_briefly_and_never_cuts_a_name() -> None:
    """The weekly's snippet spent ~105 of its 150 characters on the two-calendar range
    and then cut a name in the middle («بقلم خالد المناعي، د. موضي مبارك ناصر…»). The
    subject's masthead states both calendars; the snippet gives the week in one and
    then as many whole names as fit."""
    heading = heading_for(long_bylines("weekly"))
    assert heading.preheader == (
        "حصاد الأسبوع من ١٦ ربيع الأول ١٤٤٧ هـ إلى ٢٢ ربيع الأول ١٤٤٧ هـ. بقلم "
        "د. موضي مبارك ناصر البوعينين، أ.د. عبدالرحمن بن عبدالعزيز آل ثاني وغيرهم."
    )
    gregorian = build_content(newsletter(edition="weekly", calendar="gregorian"),
                              make_columns(3), [], issue_number=7, now=NOW,
                              base_url="https://news.example/")
    assert heading_for(gregorian).preheader.startswith(
        "حصاد الأسبوع من ٨ سبتمبر ٢٠٢٥ إلى ١٤ سبتمبر ٢٠٢٥ م. بقلم")


@pytest.mark.parametrize("edition, issue", [("weekly", 12), ("daily", 12), ("daily", 1)])
def test_preheader_names_are_whole_and_words_uncut(edition: str, issue: int) -> None:
    content = long_bylines(edition, issue)
    for preheader in (heading_for(content).preheader,
                      heading_for(replace(content, frame=replace(
                          content.frame, preheader_template="{{ title }} — {{ authors }}: "
                          "{{ excerpt }}"))).preheader):
        assert len(preheader) <= 150
        listed = preheader.split("بقلم ", 1)[-1].split(" — ", 1)[-1]
        names, after = names_shown(listed)
        # Whole names only, then the list's end: never "…" inside or after a name.
        assert names and after.startswith((" وغيرهم.", " وغيرهم:", ".", ":")), preheader
        if preheader.endswith("…"):  # cut in the excerpt, before a whole word of it
            assert preheader[:-1].split()[-1] in EXCERPT.split(), preheader
        # The last word is a whole word of the excerpt or of the names, then "…" or ".".
        last = preheader.rstrip(".…").split()[-1]
        assert last in (EXCERPT + " " + " ".join(LONG_NAMES)).split() + ["وغيرهم"], preheader


def test_operator_templates_for_subject_and_preheader() -> None:
    custom = content(subject="{{ lead }} | العدد {{ number }}",
                     preheader="{{ count }} مقالات، {{ date }}")
    heading = heading_for(custom)
    assert heading.subject == "دبلوماسية التحالفات كأداة للردع والحماية الأمنية | العدد ١٢"
    assert heading.preheader == "4 مقالات، الأحد ٢٢ ربيع الأول ١٤٤٧ هـ الموافق ١٤ سبتمبر ٢٠٢٥ م"


def test_bad_subject_template_is_refused_at_load() -> None:
    with pytest.raises(ValueError, match="subject"):
        newsletter(subject="{{ lead ")


def test_preheader_is_padded_in_the_html_and_the_title_is_the_subject() -> None:
    page, _ = render_segment(content(), templates_dirs=TEMPLATES).personalise(TOKENS)
    preview = re.search(r'<div style="display:none[^>]*>(.*?)</div>', page, re.DOTALL)
    assert preview is not None
    hidden = preview.group(1)
    assert hidden.startswith("بقلم د. موضي")
    assert PREHEADER_PADDING[:40] in hidden.replace("&zwnj;", "\u200c").replace("&nbsp;", "\u00a0")
    assert "<title>دبلوماسية التحالفات كأداة للردع والحماية الأمنية</title>" in page


# -- footer ------------------------------------------------------------------------


def visible_lines(page: str) -> list[str]:
    footer = page[page.index('class="foot-sec'):]
    blocks = re.findall(r"<div[^>]*>(.*?)</div>", footer, re.DOTALL)
    text = [re.sub(r"<[^>]+>", "", b).strip() for b in blocks]
    return [t for t in dict.fromkeys(text) if t]


def test_footer_golden() -> None:
    page, text = render_segment(content(), templates_dirs=TEMPLATES).personalise(TOKENS)
    assert visible_lines(page) == [
        "وصلتك هذه الرسالة لأنك مشترك في نشرة «نشرة الشرق اليومية».",
        "تفضيلات الاشتراك | اقرأ العدد في المتصفح | موقع الصحيفة | إلغاء الاشتراك",
        f"المرسل: الشرق (digest@al-sharq.example)، {POSTAL}",
    ]
    links = {label: href for href, label in re.findall(
        r'<a href="([^"]+)"[^>]*>(تفضيلات الاشتراك|اقرأ العدد في المتصفح|موقع الصحيفة|إلغاء الاشتراك)</a>',
        page)}
    assert links == {
        "تفضيلات الاشتراك": TOKENS.preferences_url,
        "اقرأ العدد في المتصفح": "https://news.example/issues/daily/12",
        "موقع الصحيفة": "https://al-sharq.example/",
        "إلغاء الاشتراك": TOKENS.unsubscribe_url,
    }
    tail = text[text.index("\n-- \n"):].split("\n")
    assert tail == [
        "", "-- ",
        f"{RLM}وصلتك هذه الرسالة لأنك مشترك في نشرة «نشرة الشرق اليومية».",
        f"{RLM}تفضيلات الاشتراك:", TOKENS.preferences_url,
        f"{RLM}موقع الصحيفة:", "https://al-sharq.example/",
        f"{RLM}إلغاء الاشتراك:", TOKENS.unsubscribe_url,
        f"{RLM}المرسل: الشرق (\u2068digest@al-sharq.example\u2069)، {POSTAL}",
        "",
    ]


def test_filtered_digest_says_whom_you_follow() -> None:
    filtered = content().for_authors(["sara-lindqvist", "khalid-almannai"])
    page, text = render_segment(filtered, templates_dirs=TEMPLATES).personalise(TOKENS)
    expected = ("تصلك فيها مقالات الكتّاب الذين تتابعهم فقط، ومنهم في هذا العدد: "
                "Sara Lindqvist وخالد المناعي.")  # as Arabic lists names, and as the preheader does
    assert expected in re.sub(r"</?bdi>", "", page)
    assert expected.replace("Sara Lindqvist", "\u2068Sara Lindqvist\u2069") in text
    assert "تتابعهم" not in render_segment(content(), templates_dirs=TEMPLATES).personalise(
        TOKENS)[0]


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_footer_and_small_text_contrast_and_size() -> None:
    page, _ = render_segment(content(), templates_dirs=TEMPLATES).personalise(TOKENS)
    footer = page[page.index("وصلتك هذه الرسالة") - 600:]
    background = "#efe9df"
    colours = set(re.findall(r"(?<![-\w])color:(#[0-9a-fA-F]{3,6})", footer))
    assert colours, footer[:500]
    for colour in colours:
        assert contrast(colour, background) >= 4.5, (colour, contrast(colour, background))
    # Grey meta text on white and on the "most read" band.
    for colour in set(re.findall(r'class="[^"]*\b[md]\b[^"]*"[^>]*style="[^"]*color:(#[0-9a-f]{6})', page)):
        assert contrast(colour, "#faf7f2") >= 4.5, colour


def test_dark_palette_keeps_contrast() -> None:
    page, _ = render_segment(content(), templates_dirs=TEMPLATES).personalise(TOKENS)
    start = page.index("prefers-color-scheme: dark")
    dark = page[start:page.index("</style>", start)]
    backgrounds = set(re.findall(r"background(?:-color)?:\s*(#[0-9a-f]{6})", dark))
    texts = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-f]{3,6})", dark))
    assert len(backgrounds) >= 4 and len(texts) >= 3
    masthead = "#5c0e25"
    for fg in texts:
        for bg in backgrounds:
            assert contrast(fg, bg) >= 4.5 or (bg == masthead and fg != "#fff"), (fg, bg)
    assert contrast("#fff", masthead) >= 4.5


# -- hygiene -----------------------------------------------------------------------


def test_doctype_color_scheme_and_headings() -> None:
    page, _ = render_segment(content(), templates_dirs=TEMPLATES).personalise(TOKENS)
    assert page.lower().startswith("<!doctype html>")
    assert '<meta name="color-scheme" content="light dark">' in page
    assert '<meta name="supported-color-schemes" content="light dark">' in page
    assert "prefers-color-scheme: dark" in page
    assert len(re.findall(r"<h1\b", page)) == 1
    assert re.search(r"<h1[^>]*>نشرة الشرق اليومية</h1>", page)
    assert re.findall(r"<h2[^>]*>([^<]+)</h2>", page) == ["مقالات جديدة", "الأكثر قراءة هذا الأسبوع"]
    assert len(re.findall(r"<h3\b", page)) == len(content().items)


def test_no_text_under_14px() -> None:
    page, _ = render_segment(content(), templates_dirs=TEMPLATES).personalise(TOKENS)
    body = page[page.index("<body"):]
    # MJML's own hidden preheader (display:none) and Outlook spacer cells
    # (font-size:0px / 1px around empty line boxes) hold no text.
    body = re.sub(r'<div style="display:none[^>]*>.*?</div>', "", body, flags=re.DOTALL)
    sizes = [int(s) for s in re.findall(r"font-size:\s*(\d+)px", body)]
    spacers = re.findall(r'font-size:[01]px[^>]*>(?:&nbsp;|\s|<[^>]+>)*?<', body)
    assert sizes and min(s for s in sizes if s > 1) >= 14, sorted(set(sizes))
    assert len(spacers) == sizes.count(0) + sizes.count(1), spacers


def test_photos_keep_a_fixed_square_box() -> None:
    columns = [replace(c, author=replace(c.author, image_url=f"https://al-sharq.example/{i}.jpg"))
               for i, c in enumerate(make_columns(3))]
    built = build_content(newsletter(), columns, [], issue_number=3, now=NOW,
                          base_url="https://n.example")
    page, _ = render_segment(built, templates_dirs=TEMPLATES).personalise(TOKENS)
    photos = re.findall(r"<img [^>]*class=\"av\"[^>]*>", page)
    assert len(photos) == 3
    for img in photos:
        assert 'width="60"' in img and 'height="60"' in img, img
        style = re.search(r'style="([^"]*)"', img).group(1).replace(" ", "")
        assert "height:60px" in style and "width:60px" in style and "object-fit:cover" in style
        assert "height:auto" not in style, img
    styles = "".join(re.findall(r"<style[^>]*>(.*?)</style>", page, re.DOTALL)).replace(" ", "")
    assert ".ph,.bd{display:block!important;width:100%!important" in styles.replace("\n", "")


def test_lead_images_when_the_newsletter_asks() -> None:
    columns = [replace(c, image_url=f"https://al-sharq.example/lead/{i}.jpg")
               for i, c in enumerate(make_columns(2))]
    plain = build_content(newsletter(), columns, [], issue_number=3, now=NOW,
                          base_url="https://n.example")
    with_lead = build_content(newsletter(images="lead"), columns, [], issue_number=3, now=NOW,
                              base_url="https://n.example")
    assert "lead/0.jpg" not in render_segment(plain, templates_dirs=TEMPLATES).personalise(TOKENS)[0]
    page, _ = render_segment(with_lead, templates_dirs=TEMPLATES).personalise(TOKENS)
    leads = re.findall(r'<img [^>]*class="lead"[^>]*>', page)
    assert len(leads) == 2 and "lead/0.jpg" in leads[0]
    assert all("height:auto" in img for img in leads)  # its own aspect, scaled to the width
