"""A Saudi daily (Okaz / Al-Riyadh-like) with clean URLs: /opinion/2190456/<Arabic slug>.

JSON-LD as an @graph (Organization, WebSite, WebPage, BreadcrumbList, NewsArticle whose
author is an @id reference to a Person node with name and url only; the headline cut to
110 characters as some CMSs do), the Hijri date beside the Gregorian one and the time in
its own element, a "last updated" <time datetime> on edited columns, views behind an eye
icon with no word, lazy-loaded images, the author box an <aside> with credentials and
«عدد المقالات: N», a listing paginated by «التالي», a Google News sitemap in robots.txt.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from common import (
    GREG_MONTHS,
    HIJRI_MONTHS,
    Col,
    ampm_12,
    body,
    esc,
    group,
    local,
    pct,
    truth,
    weekday,
)

TZ = "Asia/Riyadh"
TODAY = local(TZ, 2025, 12, 7, 23, 0)
HIJRI_DECEMBER = {1: 10, 2: 11, 3: 12, 4: 13, 5: 14, 6: 15, 7: 16}  # day of Jumada II 1447
PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"

WRITERS = {
    "harbi": ("د. فهد بن سعد الحربي", 52, "أكاديمي وكاتب سعودي، أستاذ الاقتصاد بجامعة الملك سعود", 318),
    "otaibi": ("هيلة العتيبي", 118, "كاتبة ومستشارة في التخطيط الحضري", 96),
    "shehri": ("عبدالعزيز الشهري", 73, None, 1207),
    "qahtani": ("د. سارة القحطاني", 140, "استشارية طب الأسرة والمجتمع", 41),
}
LONG = ("الاقتصاد الوطني بين ضرورات التنويع ومتطلبات الاستدامة: قراءة في مؤشرات الربع الثالث "
        "وما تحمله من دلالات للقطاع الخاص والمنشآت الصغيرة والمتوسطة")


def _columns() -> list[Col]:
    rows = [
        ("2190456", "ساعة بلا هاتف", "qahtani", (7, 21, 30), 5, 12480, True),
        ("2190311", LONG, "harbi", (6, 23, 5), 2, 3215, False),
        ("2190187", "رصيف مظلل يكفي", "otaibi", (5, 8, 45), 4, 987, True),
        ("2190040", "الصيف الطويل", "shehri", (4, 0, 30), 6, 45310, False),
        ("2189902", "البيت الصغير العامر", "shehri", (3, 19, 0), 7, 2760, False),
        ("2189775", "من الجامعة إلى المصنع", "harbi", (2, 12, 10), 3, 1530, True),
    ]
    return [_col(*r) for r in rows]


def _col(key: str, title: str, who: str, when: tuple[int, int, int], topic: int, views: int,
         edited: bool) -> Col:
    name, wid, cred, count = WRITERS[who]
    slug = "-".join(title.replace(":", "").split()[:6])  # the CMS cuts long slugs
    return Col(key=key, slug=slug, title=title, author=name, author_slug=who, author_id=wid,
               credentials=cred, article_count=count,
               published=local(TZ, 2025, 12, when[0], when[1], when[2]), views=views,
               paragraphs=body(topic, title, "كثيرًا ما نسمع عن"), comments=int(edited))


def _older() -> list[Col]:
    return [_col("2189610", "الماء لا يعود", "otaibi", (1, 9, 0), 0, 800, False)]


def _path(c: Col) -> str:
    return f"/opinion/{c.key}/{c.slug}"


def _author(c: Col) -> str:
    return f"/author/{c.author_id}/{c.author_slug}"


def _greg(when: Any) -> str:
    return f"{when.day:02d} {GREG_MONTHS[when.month - 1]} {when.year}"


def _hijri(when: Any) -> str:
    return f"{HIJRI_DECEMBER.get(when.day, 10)} {HIJRI_MONTHS[5]} 1447هـ"


def _img(src: str, alt: str = "", cls: str = "") -> str:
    return (f'<img class="lazyload {cls}" src="{PIXEL}" data-src="{src}" '
            f'data-srcset="{src}?w=400 400w, {src}?w=800 800w" alt="{esc(alt)}">')


def _page(title: str, head: str, main: str) -> str:
    d = TODAY
    return f"""<!doctype html>
<html lang="ar" dir="rtl" prefix="og: https://ogp.me/ns#">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(title)}</title>
{head}
<link rel="preload" href="/static/fonts/frutiger-arabic.woff2" as="font" crossorigin>
<link rel="stylesheet" href="/static/css/app.4f9c2e1.css">
<script defer src="/static/js/lazysizes.min.js"></script>
<script async src="https://www.googletagmanager.com/gtm.js?id=GTM-KX8Q2Z"></script>
</head>
<body>
<div class="site-wrapper">
<header class="site-header">
  <div class="header-top"><div class="container">
    <span class="header-date">{weekday(d)} {_hijri(d)} - {_greg(d)}</span>
    <a class="header-epaper" href="/pdf">النسخة الورقية</a>
  </div></div>
  <div class="container header-main"><a class="brand" href="/">{_img("/static/img/logo.svg", "الصحيفة")}</a>
    <div class="ad ad-leaderboard" data-ad-unit="/22001/okaz/header"><span class="ad-label">إعلان</span></div></div>
  <nav class="main-nav"><div class="container"><ul>
    <li><a href="/">الرئيسية</a></li><li><a href="/news/local">محليات</a></li><li><a href="/news/politics">سياسة</a></li>
    <li><a href="/news/economy">اقتصاد</a></li><li><a href="/sports">رياضة</a></li><li class="is-active"><a href="/opinion">كتاب ومقالات</a></li>
    <li><a href="/culture">ثقافة وفن</a></li><li><a href="/videos">فيديو</a></li>
  </ul></div></nav>
</header>
<main class="container page-main">
{main}
</main>
<footer class="site-footer"><div class="container">
  <div class="footer-newsletter"><h4>النشرة البريدية</h4><form action="/newsletter" method="post"><input type="email" name="email" placeholder="بريدك الإلكتروني"><button>اشترك</button></form></div>
  <p>جميع الحقوق محفوظة © 2025</p>
</div></footer>
</div>
</body>
</html>
"""


def _sidebar(cols: list[Col]) -> str:
    top = sorted(cols, key=lambda c: -(c.views or 0))[:4]
    items = "\n".join(f"""    <li class="most-read__item"><a href="{_path(c)}">{esc(c.title)}</a>
      <span class="most-read__views"><svg class="icon icon-eye" aria-hidden="true"><use href="#eye"></use></svg> {group(c.views or 0)}</span></li>""" for c in top)
    return f"""<aside class="sidebar col-lg-4">
  <div class="ad ad-mpu" data-ad-unit="/22001/okaz/mpu"><span class="ad-label">إعلان</span></div>
  <section class="most-read"><h3 class="widget-title">الأكثر قراءة</h3><ol>
{items}
  </ol></section>
</aside>"""


def _column(c: Col, cols: list[Col]) -> str:
    url = "http://HOST" + pct(_path(c))
    person = f"http://HOST{_author(c)}#person"
    modified = c.published + timedelta(hours=13, minutes=7) if c.comments else c.published
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsMediaOrganization", "@id": "http://HOST/#organization", "name": "عكاظ",
         "url": "http://HOST/", "logo": {"@type": "ImageObject", "url": "http://HOST/static/img/logo.png"}},
        {"@type": "WebSite", "@id": "http://HOST/#website", "url": "http://HOST/", "name": "عكاظ",
         "publisher": {"@id": "http://HOST/#organization"}, "inLanguage": "ar"},
        {"@type": "WebPage", "@id": url, "url": url, "name": c.title[:110],
         "isPartOf": {"@id": "http://HOST/#website"}, "breadcrumb": {"@id": url + "#breadcrumb"}},
        {"@type": "BreadcrumbList", "@id": url + "#breadcrumb", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "الرئيسية", "item": "http://HOST/"},
            {"@type": "ListItem", "position": 2, "name": "كتاب ومقالات", "item": "http://HOST/opinion"},
            {"@type": "ListItem", "position": 3, "name": c.title[:110]}]},
        {"@type": "NewsArticle", "@id": url + "#article", "headline": c.title[:107] + "..."
         if len(c.title) > 110 else c.title, "articleSection": "كتاب ومقالات",
         "datePublished": c.published.isoformat(), "dateModified": modified.isoformat(),
         "author": {"@id": person}, "publisher": {"@id": "http://HOST/#organization"},
         "mainEntityOfPage": {"@id": url}, "inLanguage": "ar",
         "image": {"@type": "ImageObject", "url": f"http://HOST/uploads/authors/{c.author_id}.jpg"}},
        {"@type": "Person", "@id": person, "name": c.author, "url": "http://HOST" + pct(_author(c))},
    ]}
    head = f"""<meta name="description" content="{esc(c.paragraphs[0][:155])}">
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(c.title)}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="http://HOST/uploads/authors/{c.author_id}.jpg">
<meta property="og:site_name" content="عكاظ">
<meta name="twitter:card" content="summary">
<script type="application/ld+json">{json.dumps(graph, ensure_ascii=False)}</script>"""
    clock, half = ampm_12(c.published)
    updated = (f'<span class="article-updated">آخر تحديث: <time datetime="{modified.isoformat()}">'
               f"{_greg(modified)} {ampm_12(modified)[0]} {ampm_12(modified)[1]}</time></span>"
               if c.comments else "")
    paragraphs = [f"<p>{esc(p)}</p>" for p in c.paragraphs]
    paragraphs.insert(3, '<div class="ad ad-inarticle" data-ad-unit="/22001/okaz/inread">'
                         '<span class="ad-label">إعلان</span></div>')
    cred = f'<p class="author-box__bio">{esc(c.credentials)}</p>' if c.credentials else ""
    related = [x for x in cols if x is not c][:3]
    rel = "\n".join(f"""      <article class="card card--related"><a href="{_path(x)}">{_img(f"/uploads/authors/{x.author_id}.jpg", x.author)}
        <h4 class="card__title">{esc(x.title)}</h4></a><span class="card__author">{esc(x.author)}</span>
        <time class="card__date" datetime="{x.published.isoformat()}">{_greg(x.published)}</time></article>""" for x in related)
    main = f"""<div class="row">
<div class="col-lg-8">
<article class="article article--opinion">
  <nav class="breadcrumb"><a href="/">الرئيسية</a> / <a href="/opinion">كتاب ومقالات</a></nav>
  <h1 class="article__title">{esc(c.title)}</h1>
  <div class="article__meta">
    <div class="article__date"><span class="date-hijri">{_hijri(c.published)}</span> <span class="date-greg">{_greg(c.published)}</span> <span class="date-time">{clock} {half}</span></div>
    <span class="article__views"><svg class="icon icon-eye" aria-hidden="true"><use href="#eye"></use></svg> {group(c.views or 0)}</span>
    {updated}
  </div>
  <aside class="author-box">
    <a href="{_author(c)}" class="author-box__photo">{_img(f"/uploads/authors/{c.author_id}.jpg", c.author)}</a>
    <div class="author-box__info">
      <a href="{_author(c)}" class="author-box__name">{esc(c.author)}</a>
      {cred}
      <span class="author-box__count">عدد المقالات: {c.article_count}</span>
      <a href="https://x.com/{c.author_slug}_sa" class="author-box__x" rel="nofollow">@{c.author_slug}_sa</a>
    </div>
  </aside>
  <div class="share"><button class="share__btn" data-net="x">X</button><button class="share__btn" data-net="whatsapp">واتساب</button><button class="share__btn" data-net="copy">نسخ</button></div>
  <div class="article__body">
    {chr(10).join(paragraphs)}
    <p>&nbsp;</p>
  </div>
  <div class="article__tags"><a href="/tags/{pct('رأي')}">#رأي</a></div>
</article>
<section class="related"><h3 class="section-title">مقالات ذات صلة</h3><div class="related__grid">
{rel}
</div></section>
</div>
{_sidebar(cols)}
</div>"""
    return _page(f"{c.title} – عكاظ", head, main)


def _listing(cols: list[Col], page: int) -> str:
    cards = "\n".join(f"""  <article class="opinion-card">
    <a class="opinion-card__photo" href="{_author(c)}">{_img(f"/uploads/authors/{c.author_id}.jpg", c.author)}</a>
    <div class="opinion-card__body">
      <a class="opinion-card__author" href="{_author(c)}">{esc(c.author)}</a>
      <h2 class="opinion-card__title"><a href="{_path(c)}">{esc(c.title)}</a></h2>
      <time class="opinion-card__date" datetime="{c.published.date().isoformat()}">{_greg(c.published)}</time>
    </div>
  </article>""" for c in cols)
    pager = ('<nav class="pager"><a class="pager__next" href="/opinion?page=2" rel="next">التالي</a></nav>'
             if page == 1 else
             '<nav class="pager"><a class="pager__prev" href="/opinion" rel="prev">السابق</a></nav>')
    main = f"""<div class="row"><div class="col-lg-8">
<h1 class="section-title">كتاب ومقالات</h1>
<div class="opinion-list">
{cards}
</div>
{pager}
</div>
{_sidebar(cols)}
</div>"""
    return _page("كتاب ومقالات – عكاظ", '<link rel="canonical" href="http://HOST/opinion">', main)


def _author_page(c: Col, cols: list[Col]) -> str:
    items = "".join(f'<li><a href="{_path(x)}">{esc(x.title)}</a></li>'
                    for x in cols if x.author == c.author)
    cred = f"<p>{esc(c.credentials)}</p>" if c.credentials else ""
    main = f"""<section class="author-page"><h1>{esc(c.author)}</h1>{cred}<ul>{items}</ul></section>"""
    return _page(f"{c.author} – عكاظ", "", main)


def _sitemap(cols: list[Col]) -> str:
    news = [("/news/local/2190470/أمطار-على-منطقة-مكة", "أمطار على منطقة مكة", "2025-12-07T22:10:00+03:00")]
    rows = [(pct(_path(c)), c.title, c.published.isoformat()) for c in cols] + \
        [(pct(p), t, d) for p, t, d in news]
    urls = "\n".join(f"""  <url><loc>http://HOST{p}</loc><news:news><news:publication><news:name>عكاظ</news:name><news:language>ar</news:language></news:publication>
    <news:publication_date>{d}</news:publication_date><news:title>{esc(t)}</news:title></news:news></url>""" for p, t, d in rows)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}
</urlset>
"""


def build() -> tuple[dict[str, str], dict[str, Any]]:
    cols, older = _columns(), _older()
    everyone = cols + older
    files = {
        "robots.txt": "User-agent: *\nDisallow: /search\nDisallow: /api/\n\n"
                      "User-agent: GPTBot\nDisallow: /\n\nSitemap: http://HOST/sitemaps/news.xml\n",
        "opinion/index.html": _listing(cols, 1),
        "opinion/page=2.html": _listing(older, 2),
        "sitemaps/news.xml": _sitemap(cols),
    }
    for c in everyone:
        files[_path(c).lstrip("/") + "/index.html"] = _column(c, everyone)
        files[_author(c).lstrip("/") + "/index.html"] = _author_page(c, everyone)
    data = truth(cols, {c.key: pct(_path(c)) for c in cols}, {c.key: pct(_author(c)) for c in cols},
                 listing="/opinion", older=[pct(_path(c)) for c in older], timezone=TZ, now=TODAY.isoformat(), lacks=[],
                 model="Saudi daily (Okaz-like): clean URLs, JSON-LD @graph with a Person by "
                       "@id, Hijri + Gregorian + time in three spans, «آخر تحديث» <time>, views "
                       "behind an icon, lazy images, <aside> author box, «التالي» pagination")
    return files, data
