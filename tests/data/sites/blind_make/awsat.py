"""Asharq Al-Awsat (London)-like, on a headless CMS rendered by Next.js.

What a modern React front end sends: CSS-module class names with build hashes
(`ArticleHeader_title__x3Kd9`, different per component, the same on every page of one
build), a `__NEXT_DATA__` JSON script with the page's props, next/image `<img srcset>`
through /_next/image, URLs /الرأي/<id>-<slug>, JSON-LD NewsArticle with `author` as an
array of Person (name + url) and datePublished from JavaScript's toISOString ("….000Z"),
the visible date with no time («الأربعاء - 14 جمادى الأولى 1447 هـ - 05 نوفمبر 2025 مـ»),
a listing whose recent items say «منذ 5 ساعات», a writer card with a one-line bio for
some writers. London time (GMT in November). No views, no article count.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from common import GREG_MONTHS, HIJRI_MONTHS, Col, body, esc, local, pct, truth, weekday

TZ = "Europe/London"
TODAY = local(TZ, 2025, 11, 5, 18, 0)
HIJRI_NOV = {d: d + 9 for d in range(1, 21)}  # 1 Nov 2025 = 10 Jumada I 1447

WRITERS = {
    "tariq-alhomayed": ("طارق الحميد", 4021, "كاتب وصحافي سعودي"),
    "mamoun-fandy": ("مأمون فندي", 3110, None),
    "amal-abdelaziz": ("أمل عبد العزيز الهزاني", 5533, "أكاديمية سعودية، أستاذة في جامعة الملك سعود"),
}
BUILD = "8fKq2"  # the Next.js build id; CSS-module hashes change with every deploy


def _columns() -> list[Col]:
    rows = [
        ("5208491", "مدن للمشاة لا للسيارات", "amal-abdelaziz", (5, 0, 12), 4),
        ("5208310", "عن الماء والسياسة", "tariq-alhomayed", (4, 20, 30), 0),
        ("5208122", "الاقتصاد في زمن الصدمات", "mamoun-fandy", (4, 6, 0), 2),
        ("5207954", "جيل الشاشات", "amal-abdelaziz", (3, 19, 45), 5),
        ("5207801", "القراءة مقاومة", "mamoun-fandy", (3, 7, 15), 1),
        ("5207660", "صيف بلا نهاية", "tariq-alhomayed", (2, 21, 0), 6),
    ]
    return [_col(*r) for r in rows]


def _col(key: str, title: str, who: str, when: tuple[int, int, int], topic: int) -> Col:
    name, wid, cred = WRITERS[who]
    return Col(key=key, slug="-".join(title.split()), title=title, author=name, author_slug=who,
               author_id=wid, credentials=cred, article_count=None,
               published=local(TZ, 2025, 11, when[0], when[1], when[2]), views=None,
               paragraphs=body(topic, title, "يستحق التأمل في"))


def _path(c: Col) -> str:
    return f"/الرأي/{c.key}-{c.slug}"


def _writer(c: Col) -> str:
    return f"/كتاب/{c.author_id}-{c.author_slug}"


def _iso(c: Col) -> str:
    return str(c.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"))


def _shown(c: Col) -> str:
    d = c.published
    return (f"{weekday(d)} - {HIJRI_NOV[d.day]} {HIJRI_MONTHS[4]} 1447 هـ - "
            f"{d.day:02d} {GREG_MONTHS[d.month - 1]} {d.year} مـ")


def _ago(c: Col) -> str:
    hours = int((TODAY - c.published).total_seconds() // 3600)
    return f"منذ {hours} ساعات" if hours < 24 else _shown(c)


def _img(src: str, alt: str, cls: str) -> str:
    url = pct(src)
    return (f'<img alt="{esc(alt)}" loading="lazy" width="80" height="80" decoding="async" '
            f'data-nimg="1" class="{cls}" style="color:transparent" '
            f'srcset="/_next/image?url={url}&amp;w=96&amp;q=75 1x, /_next/image?url={url}&amp;w=256&amp;q=75 2x" '
            f'src="/_next/image?url={url}&amp;w=256&amp;q=75">')


def _page(title: str, head: str, main: str, props: dict[str, Any], route: str) -> str:
    data = {"props": {"pageProps": props, "__N_SSG": True}, "page": route,
            "query": {}, "buildId": BUILD, "isFallback": False, "gsp": True, "locale": "ar"}
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charSet="utf-8"/><meta name="viewport" content="width=device-width"/><title>{esc(title)}</title>{head}<link rel="preload" href="/_next/static/media/a34f9d1faa5f3315-s.p.woff2" as="font" type="font/woff2" crossorigin="anonymous"/><link rel="stylesheet" href="/_next/static/css/5d1c0b2f7e8a.css" data-n-g=""/><noscript data-n-css=""></noscript><script defer="" nomodule="" src="/_next/static/chunks/polyfills-78c92fac7aa8fdd8.js"></script><script src="/_next/static/chunks/webpack-59c5c889f52620d6.js" defer=""></script><script src="/_next/static/chunks/main-0ea0a7b4c1f5e3d2.js" defer=""></script><script src="/_next/static/{BUILD}/_buildManifest.js" defer=""></script></head><body><div id="__next"><header class="Header_header__Wq3zP"><div class="Header_top__v7Ty1"><span class="Header_date__K2pLm">{_shown_today()}</span></div><a class="Header_logo__1xQ2a" href="/"><svg aria-label="الشرق الأوسط" class="Header_logoSvg__9KfcP"></svg></a><nav class="Nav_nav__3GxYb"><a class="Nav_link__QpL2o" href="/العالم-العربي">العالم العربي</a><a class="Nav_link__QpL2o" href="/شؤون-إقليمية">شؤون إقليمية</a><a class="Nav_link__QpL2o" href="/الاقتصاد">الاقتصاد</a><a class="Nav_link__QpL2o Nav_active__Zz81c" href="/الرأي">الرأي</a><a class="Nav_link__QpL2o" href="/ثقافة-وفنون">ثقافة وفنون</a><a class="Nav_link__QpL2o" href="/رياضة">رياضة</a></nav></header><div class="Ad_slot__4hGtE Ad_leaderboard__Bn0yR" id="ad-top"><span class="Ad_label__c1Q9s">إعلان</span></div><main class="Layout_main__hT5Ld">{main}</main><footer class="Footer_footer__pL0mX"><form class="Newsletter_form__Ww1Zq"><label class="Newsletter_label__X2ZbT">اشترك في النشرة البريدية</label><input type="email" class="Newsletter_input__Sd8Ut" placeholder="بريدك الإلكتروني"/><button class="Newsletter_button__7Hk2s">اشترك</button></form><p class="Footer_copy__Aq1ve">© 2025 الشرق الأوسط</p></footer></div><script id="__NEXT_DATA__" type="application/json">{json.dumps(data, ensure_ascii=False)}</script></body></html>
"""


def _shown_today() -> str:
    d = TODAY
    return f"{weekday(d)} - {HIJRI_NOV[d.day]} {HIJRI_MONTHS[4]} 1447 هـ - {d.day:02d} {GREG_MONTHS[d.month - 1]} {d.year} مـ"


def _column(c: Col, cols: list[Col]) -> str:
    url = "http://HOST" + pct(_path(c))
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": c.title,
          "datePublished": _iso(c), "dateModified": _iso(c),
          "author": [{"@type": "Person", "name": c.author, "url": "http://HOST" + pct(_writer(c))}],
          "publisher": {"@type": "Organization", "name": "الشرق الأوسط",
                        "logo": {"@type": "ImageObject", "url": "http://HOST/logo.png"}},
          "mainEntityOfPage": {"@type": "WebPage", "@id": url}, "articleSection": "الرأي",
          "inLanguage": "ar"}
    head = (f'<meta name="description" content="{esc(c.paragraphs[0][:150])}"/>'
            f'<link rel="canonical" href="{url}"/><meta property="og:title" content="{esc(c.title)}"/>'
            f'<meta property="og:type" content="article"/><meta property="og:url" content="{url}"/>'
            f'<meta property="og:site_name" content="الشرق الأوسط"/><meta name="twitter:card" content="summary_large_image"/>'
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
    paragraphs = "".join(f'<p class="ArticleBody_paragraph__n5Xw2">{esc(p)}</p>' for p in c.paragraphs[:2])
    paragraphs += '<div class="Ad_slot__4hGtE Ad_inArticle__u8Lk1" id="ad-inarticle"><span class="Ad_label__c1Q9s">إعلان</span></div>'
    paragraphs += "".join(f'<p class="ArticleBody_paragraph__n5Xw2">{esc(p)}</p>' for p in c.paragraphs[2:])
    bio = f'<p class="WriterCard_bio__Tg5pQ">{esc(c.credentials)}</p>' if c.credentials else ""
    more = "".join(f'<li class="MoreFromWriter_item__Jm2xW"><a href="{_path(x)}">{esc(x.title)}</a><span class="MoreFromWriter_date__pD8sC">{_shown(x)}</span></li>'
                   for x in cols if x.author == c.author and x is not c)
    main = (f'<article class="Article_article__Yb2Xr"><div class="ArticleHeader_header__mK0sZ">'
            f'<a class="ArticleHeader_section__Hh1Rv" href="/الرأي">الرأي</a>'
            f'<h1 class="ArticleHeader_title__x3Kd9">{esc(c.title)}</h1>'
            f'<div class="ArticleHeader_date__fQ7wN">{_shown(c)}</div></div>'
            f'<div class="WriterCard_card__7bVnM"><a class="WriterCard_photo__gY2xE" href="{_writer(c)}">{_img(f"/uploads/writers/{c.author_id}.jpg", c.author, "WriterCard_img__Zp4Kd")}</a>'
            f'<div class="WriterCard_info__0aLrT"><a class="WriterCard_name__Lq9Wc" href="{_writer(c)}">{esc(c.author)}</a>{bio}</div></div>'
            f'<div class="Share_bar__sR2mY"><button class="Share_btn__Vd3a1" aria-label="فيسبوك"></button><button class="Share_btn__Vd3a1" aria-label="إكس"></button><button class="Share_btn__Vd3a1" aria-label="واتساب"></button></div>'
            f'<div class="ArticleBody_body__c2HvT">{paragraphs}</div>'
            f'<ul class="Tags_list__6tQkM"><li><a href="/tags/مقالات-الرأي">مقالات الرأي</a></li></ul></article>'
            f'<section class="MoreFromWriter_box__Qe4gH"><h3 class="MoreFromWriter_title__vB6yU">المزيد من مقالات الكاتب</h3><ul>{more}</ul></section>')
    props = {"article": {"id": int(c.key), "title": c.title, "publishedAt": _iso(c),
                         "writer": {"id": c.author_id, "name": c.author}, "section": "الرأي"}}
    return _page(f"{c.title} | الشرق الأوسط", head, main, props, "/[section]/[slug]")


def _listing(cols: list[Col]) -> str:
    cards = "".join(f'<div class="OpinionCard_card__Rr8Lm"><a class="OpinionCard_writer__d0FkS" href="{_writer(c)}">'
                    f'{_img(f"/uploads/writers/{c.author_id}.jpg", c.author, "OpinionCard_img__Pb6cT")}'
                    f'<span class="OpinionCard_name__Vv2Qk">{esc(c.author)}</span></a>'
                    f'<a class="OpinionCard_title__Hs3eJ" href="{_path(c)}">{esc(c.title)}</a>'
                    f'<span class="OpinionCard_date__Kq0wP">{_ago(c)}</span></div>' for c in cols)
    main = (f'<h1 class="Section_title__Ty6bN">الرأي</h1><div class="OpinionGrid_grid__A1bZx">{cards}</div>'
            '<button class="LoadMore_button__Xk3pQ" type="button">تحميل المزيد</button>')
    props = {"section": "الرأي", "articles": [{"id": int(c.key), "title": c.title} for c in cols],
             "nextCursor": "eyJvZmZzZXQiOjZ9"}
    return _page("الرأي | الشرق الأوسط", '<link rel="canonical" href="http://HOST/%D8%A7%D9%84%D8%B1%D8%A3%D9%8A"/>',
                 main, props, "/[section]")


def _writer_page(c: Col, cols: list[Col]) -> str:
    items = "".join(f'<li><a href="{_path(x)}">{esc(x.title)}</a></li>' for x in cols if x.author == c.author)
    bio = f'<p class="WriterPage_bio__J3sYq">{esc(c.credentials)}</p>' if c.credentials else ""
    return _page(f"{c.author} | الشرق الأوسط", "",
                 f'<section class="WriterPage_page__N8gVr"><h1 class="WriterPage_name__Ux2Lt">{esc(c.author)}</h1>{bio}<ul>{items}</ul></section>',
                 {"writer": {"id": c.author_id, "name": c.author}}, "/كتاب/[slug]")


def build() -> tuple[dict[str, Any], dict[str, Any]]:
    cols = _columns()
    files: dict[str, Any] = {
        "robots.txt": "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /_next/data/\n"
                      "Disallow: /search\n",
        "الرأي/index.html": _listing(cols),
    }
    for c in cols:
        files[_path(c).lstrip("/") + "/index.html"] = _column(c, cols)
        files[_writer(c).lstrip("/") + "/index.html"] = _writer_page(c, cols)
    data = truth(cols, {c.key: pct(_path(c)) for c in cols}, {c.key: pct(_writer(c)) for c in cols},
                 listing=pct("/الرأي"), older=[], timezone=TZ, now=TODAY.isoformat(),
                 lacks=["article_count", "views"],
                 model="Asharq Al-Awsat (London)-like Next.js front end: hashed CSS-module "
                       "classes, __NEXT_DATA__, next/image, JSON-LD author array, "
                       "toISOString dates, Hijri + Gregorian date without time, «منذ N ساعات»")
    return files, data
