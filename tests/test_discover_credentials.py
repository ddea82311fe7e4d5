"""Credentials on column pages without structured data: the line under the writer's
name in the author box, never another column's title from a «اقرأ المزيد» box, and
nothing for a writer who has none."""

from __future__ import annotations

from datetime import UTC, datetime

from syndicate.discover.authors import _credentials as author_credentials_candidates
from syndicate.discover.dom import parse
from syndicate.discover.fields import infer_block_fields
from syndicate.discover.infer import infer_fields
from syndicate.discover.sample import Sample, junk_words_in

NOW = datetime(2025, 9, 25, 12, tzinfo=UTC)
_TITLES = ("القيم الثقافية", "العالم بعد ويستفاليا", "المتقاعدون", "الماء أمن وطني")


def _page(n: int, writer: str, degree: str | None, role: str = "") -> Sample:
    line = (f'<ul class="writer-degree"><li>- {degree}</li></ul>' if degree else "")
    line += f'<p class="writer-role">{role}</p>' if role else ""
    cards = "".join(f'<div class="card"><h5 class="card-title"><a href="/opinion/{i}">{t}</a>'
                    f'</h5></div>' for i, t in enumerate(_TITLES) if i != n)
    html = (f'<html><body><div class="article-page"><div class="writer-box">'
            f'<div class="writer-info"><h2 class="writer-name"><a href="/writer/{n}">{writer}'
            f'</a></h2>{line}</div><div class="ad-container writer-ad"><span>مساحة إعلانية'
            f'</span></div></div><h1>{_TITLES[n]}</h1><div class="article-body"><p>'
            f'{"نص المقال " * 30}</p></div><section class="read-more-box"><h3>اقرأ المزيد</h3>'
            f'<div class="row">{cards}</div></section></div></body></html>')
    return Sample(f"https://x/opinion/{n}", parse(html), html)


def test_the_degree_line_is_chosen_not_a_related_columns_title() -> None:
    samples = [_page(0, "د. أحمد", "أستاذ علم الاجتماع"), _page(1, "خالد الجابر", None),
               _page(2, "م. نورة", "مهندسة بيئية"), _page(3, "سلطان", None)]
    inferred = infer_fields(samples, need={"author_credentials"}, now=NOW, tz="Asia/Qatar")
    assert inferred.selectors.get("author_credentials") == "ul.writer-degree"


def test_no_credentials_rather_than_a_value_shared_by_different_writers() -> None:
    # Every writer's box says the same thing: the site's, not the writer's.
    samples = [_page(n, w, None, role="كاتب في الشرق")
               for n, w in enumerate(("أحمد", "خالد", "نورة", "سلطان"))]
    inferred = infer_fields(samples, need={"author_credentials"}, now=NOW, tz="Asia/Qatar")
    assert "author_credentials" not in inferred.selectors


def _views_page(n: int, views: str) -> Sample:
    html = (f'<html><body><h1>عنوان {n}</h1><div class="article__meta"><span class="date-hijri">'
            f'1{n} جمادى الآخرة 1447هـ</span> <span class="article__views"><svg class="icon '
            f'icon-eye"></svg> {views}</span></div><div class="article-body"><p>'
            f'{"نص المقال " * 30}</p></div></body></html>')
    return Sample(f"https://x/opinion/{n}", parse(html), html)


def test_views_after_an_eye_icon_keep_their_bem_class_not_the_date_beside() -> None:
    # `article__views` is BEM, not a CSS-module hash (`Title_x__x3Kd9`).
    samples = [_views_page(n, v) for n, v in enumerate(("12,480", "3,215", "987"))]
    inferred = infer_fields(samples, need={"views"}, now=NOW, tz="Asia/Riyadh")
    assert inferred.selectors.get("views") == ".article__views"


def test_a_byline_in_the_articles_own_header_is_not_the_pages_masthead() -> None:
    # WordPress themes put the byline in <article><header class="entry-header">.
    pages = []
    for n, writer in enumerate(("خديجة العمراني", "عبد الله بنعلي", "محمد التازي")):
        html = (f'<html><body><header class="site-header"><a href="/">الرئيسية</a></header>'
                f'<article><header class="entry-header"><h1>عنوان {n}</h1><span class='
                f'"auteur-chronique"><a href="/author/{n}/" rel="author">{writer}</a></span>'
                f'</header><div class="article-content"><p>{"نص المقال " * 30}</p></div>'
                f'</article><footer><a class="author" href="/about">فريق التحرير</a></footer>'
                f'</body></html>')
        pages.append(Sample(f"https://x/{n}.html", parse(html), html))
    inferred = infer_fields(pages, need={"author"}, now=NOW, tz="Africa/Casablanca")
    assert inferred.selectors.get("author") == ".auteur-chronique a"


def test_a_listed_columns_title_on_the_authors_page_is_not_a_credential() -> None:
    html = ('<html><body><h1 class="page-title">خديجة العمراني</h1><div class="card">'
            '<h3 class="card-title"><a href="/1.html">المدرسة العمومية</a></h3></div>'
            '</body></html>')
    assert author_credentials_candidates(Sample("https://x/author/a/", parse(html), html)) == []


def _legacy_page(n: int, title: str) -> Sample:
    # No h1: the title is in a span, the <title> is «SITE :: TITLE»; the body is pasted
    # from Word, every paragraph and the empty spacer being p.MsoNormal.
    html = (f'<html><head><title>\n الوطن أون لاين :: {title}\n</title></head><body>'
            f'<span class="Logo">الوطن أون لاين</span><span class="ArticleTitle">{title}'
            f'</span><div class="ArticleBody"><p class="MsoNormal"><span>{"نص المقال " * 30}'
            f'</span></p><p class="MsoNormal"><span><o:p>&nbsp;</o:p></span></p>'
            f'<p class="MsoNormal"><span>{"فقرة ثانية " * 20}</span></p></div></body></html>')
    return Sample(f"https://x/Details.aspx?id={n}", parse(html), html)


def test_a_legacy_page_without_h1_keeps_its_title_span_and_its_word_paragraphs() -> None:
    samples = [_legacy_page(n, t) for n, t in enumerate(("عطش المدن", "تكاليف الفرح", "حرارة"))]
    inferred = infer_fields(samples, need={"title", "body"}, now=NOW, tz="Asia/Riyadh")
    assert inferred.selectors.get("title") == ".ArticleTitle"
    assert inferred.selectors.get("body") == ".ArticleBody"
    assert "p.MsoNormal" not in inferred.remove


def test_a_read_also_box_spelled_with_hamza_below_is_removed_from_the_body() -> None:
    samples = []
    for n in range(3):
        html = (f'<html><body><h1>عنوان {n}</h1><div class="article__body"><p>'
                f'{"نص المقال " * 30}</p><div class="box"><span>إقرأ أيضاً</span><a href="/o/{n}">'
                f'عمود آخر</a></div><p>{"فقرة ثانية " * 20}</p></div></body></html>')
        samples.append(Sample(f"https://x/o/{n + 10}", parse(html), html))
    inferred = infer_fields(samples, need={"body"}, now=NOW, tz="Asia/Beirut")
    assert inferred.selectors.get("body") == ".article__body"
    assert ".box" in inferred.remove


def test_the_sites_logo_is_not_every_writers_photo() -> None:
    samples = []
    for n, writer in enumerate(("عبدالله المطيري", "د. نورة الشهري", "سعد الغامدي")):
        html = (f'<html><body><table><tr><td><img src="/Images/logo.gif"></td><td><a '
                f'class="WriterName" href="Writer.aspx?id={n}">{writer}</a></td></tr></table>'
                f'<h1>عنوان {n}</h1><div class="ArticleBody"><p>{"نص المقال " * 30}</p></div>'
                f'</body></html>')
        samples.append(Sample(f"https://x/Details.aspx?id={n}", parse(html), html))
    inferred = infer_fields(samples, need={"author_image"}, now=NOW, tz="Asia/Riyadh")
    assert "author_image" not in inferred.selectors


def test_a_microdata_body_with_an_ishhar_ad_inside_gets_a_selector_and_remove() -> None:
    # Echorouk-like (Joomla): itemprop="articleBody" holds a Maghreb «إشهار» ad slot, so
    # the structured body alone would keep the ad label as a paragraph.
    samples = []
    for n in range(3):
        html = (f'<html><body><h1>عنوان {n}</h1><div itemprop="articleBody" class="art__body">'
                f'<p>{"نص المقال " * 30}</p><div class="moduletable pub-article"><span>'
                f'إشهار</span></div><p>{"فقرة ثانية " * 20}</p></div></body></html>')
        samples.append(Sample(f"https://x/o/{n + 10}", parse(html), html))
    fields, _origins = infer_block_fields(samples, now=NOW, tz="Africa/Algiers")
    assert fields.get("body") in ('[itemprop="articleBody"]', ".art__body")
    assert {".pub-article", ".moduletable"} & set(fields.get("remove", []))


def test_the_ad_label_ishhar_is_junk_in_any_hamza_spelling() -> None:
    assert junk_words_in("إشهار") and junk_words_in("اشهار") and junk_words_in("أشهار")


def _next_js_page(n: int, writer: str, bio: str) -> str:
    return (f'<html><body><nav class="Nav_nav__3GxYb"><a class="Nav_link__QpL2o" href="/a">'
            f'العالم العربي</a><a class="Nav_link__QpL2o" href="/b">الاقتصاد</a></nav>'
            f'<main><article class="Article_article__Yb2Xr"><h1 class="ArticleHeader_title__x3Kd9">'
            f'عنوان {n}</h1><div class="WriterCard_card__7bVnM"><div class="WriterCard_info__0aLrT">'
            f'<a class="WriterCard_name__Lq9Wc" href="/w/{n}">{writer}</a>'
            f'<p class="WriterCard_bio__Tg5pQ">{bio}</p></div></div>'
            f'<div class="ArticleBody_body__c2HvT"><p class="ArticleBody_paragraph__n5Xw2">'
            f'{"نص المقال " * 30}</p><div class="Ad_slot__4hGtE"><span class="Ad_label__c1Q9s">'
            f'إعلان</span></div><p class="ArticleBody_paragraph__n5Xw2">{"فقرة ثانية " * 20}</p>'
            f'</div></article></main></body></html>')


def test_css_module_classes_give_selectors_on_their_stable_prefix() -> None:
    # Next.js (Asharq Al-Awsat-like): `ArticleBody_body__c2HvT`, the hash changes with
    # every build, so the selector keeps the `ArticleBody_body__` prefix, not `div`.
    samples = []
    for n, (writer, bio) in enumerate((("طارق الحميد", "كاتب وصحافي سعودي"),
                                       ("أمل عبد العزيز", "أكاديمية سعودية"),
                                       ("مأمون فندي", "أستاذ العلوم السياسية"))):
        html = _next_js_page(n, writer, bio)
        samples.append(Sample(f"https://x/o/{n + 10}", parse(html), html))
    inferred = infer_fields(samples, need={"body", "author_credentials"}, now=NOW,
                            tz="Asia/Riyadh")
    assert inferred.selectors.get("body") == '[class*="ArticleBody_body__"]'
    assert inferred.selectors.get("author_credentials") == 'p[class*="WriterCard_bio__"]'
    assert '[class*="Ad_slot__"]' in inferred.remove
    for sample in samples:  # the collector's engine (lexbor) reads them
        assert sample.tree.css_first(str(inferred.selectors["body"])) is not None
