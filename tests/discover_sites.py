"""Loopback test papers for `sources discover`, written from their ground truth.

Each builder writes a site's files under a folder (served by ``collect_helpers.serve``,
``http://HOST`` becoming the server's address) and returns the truth: per column path,
what a reader sees on the page. Layouts:

- gulf: an HTML listing and pages with classes only (no structured data), a masthead
  "today" date and a "اقرأ المزيد" box with other columns' dates and views, ads and a
  share bar inside the text, one listed page that answers 404;
- levant: Arabic-Indic digits, a date and a time in two spans («بتوقيت بيروت»),
  ``data-views`` beside rounded text, «١٬٤٠٢ مقال»;
- feedonly: the listing has no column links, only an RSS feed of teasers (bylines and
  RFC 822 dates in the feed), the pages give the text and the views;
- jsonld: pages whose every field is in JSON-LD (NewsArticle, Person);
- empty: a page with nothing to read.
"""

from __future__ import annotations

import html
import json
from dataclasses import astuple, dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote, unquote

WRITERS = [
    ("أحمد الكواري", "أستاذ العلاقات الدولية", 414, "ahmad"),
    ("مريم السليطي", "كاتبة وباحثة اجتماعية", 1402, "maryam"),
    ("خالد المهندي", "دكتوراه في الاقتصاد", 87, "khalid"),
]
TITLES = ["الخليج والتحالفات الجديدة", "أزمة المياه في المنطقة", "التعليم بعد الجائحة",
          "الطاقة المتجددة وفرص الاستثمار", "الإعلام العربي في زمن المنصات",
          "مستقبل المدن الذكية"]
PARAGRAPH = ("هذه فقرة من نص المقال تتناول الموضوع بالتحليل والنقد، وتعرض آراء الكاتب "
             "في ضوء الأحداث الأخيرة وما تعنيه للمنطقة وشعوبها. ")
AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
             "أكتوبر", "نوفمبر", "ديسمبر"]
LEVANT_MONTHS = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب",
                 "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass(frozen=True)
class Truth:
    path: str
    title: str
    author: str
    credentials: str | None
    article_count: int | None
    author_url: str | None
    published: datetime  # UTC
    views: int | None
    paragraphs: tuple[str, ...]


def _columns(prefix: str, zone: timezone, *, ext: str = ".html") -> list[Truth]:
    found = []
    for n, title in enumerate(TITLES):
        name, cred, count, slug = WRITERS[n % len(WRITERS)]
        local = datetime(2025, 9, 20 - n, 9 + n, 15 + n, tzinfo=zone)
        found.append(Truth(
            f"{prefix}{n + 1}{ext}", title, name, cred, count, f"/writers/{slug}",
            local.astimezone(UTC), 1200 + 37 * n,
            tuple(f"{PARAGRAPH}({k + 1}) {title}" for k in range(3))))
    return found


def _write(root: Path, path: str, text: str, encoding: str = "utf-8") -> None:
    file = root / unquote(path).lstrip("/")  # the server decodes the path it is asked
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(text.encode(encoding))


def _e(text: object) -> str:
    return html.escape(str(text))


def _twelve(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'ص' if moment.hour < 12 else 'م'}"


# -- gulf: classes only ------------------------------------------------------------

QATAR = timezone(timedelta(hours=3))


def build_gulf(root: Path) -> list[Truth]:
    truth = _columns("/opinion/articles/", QATAR)
    cards = [
        f'<div class="card"><h3><a class="card-title" href="{t.path}">{_e(t.title)}</a></h3>'
        f'<a class="card-writer" href="{t.author_url}">{_e(t.author)}</a></div>'
        for t in truth]
    # A listed page that is gone, among the first five: a sample that does not read.
    cards.insert(1, '<div class="card"><h3><a class="card-title" '
                    'href="/opinion/articles/gone.html">مقال محذوف لم يعد موجودا</a></h3></div>')
    _write(root, "/opinion/index.html", f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>مقالات الرأي | الشرق</title></head><body>
<header><nav><a href="/">الرئيسية</a><a href="/news/">أخبار</a><a href="/opinion/">رأي</a>
<a href="/sport/">رياضة</a></nav><span class="today">الثلاثاء 23 سبتمبر 2025</span></header>
<main><div class="cards">{"".join(cards)}</div>
<a class="next-page" href="/opinion/page-2.html">التالي</a></main>
<footer><a href="/about.html">من نحن</a><a href="/contact.html">اتصل بنا</a></footer>
</body></html>""")
    _write(root, "/opinion/page-2.html", """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>رأي</title></head><body><div class="cards"></div></body></html>""")
    for n, t in enumerate(truth):
        other = truth[(n + 1) % len(truth)]
        local = t.published.astimezone(QATAR)
        body = "".join(f"<p>{_e(p)}</p>" + ('<div class="ad-slot">مساحة إعلانية</div>'
                                            if k == 0 else "")
                       for k, p in enumerate(t.paragraphs))
        _write(root, t.path, f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>{_e(t.title)} | الشرق</title></head><body>
<header><div class="masthead"><span class="today-date">الثلاثاء 23 سبتمبر 2025</span></div>
<nav><a href="/">الرئيسية</a><a href="/opinion/">رأي</a></nav></header>
<main><article class="post">
<h1 class="post-title">{_e(t.title)}</h1>
<div class="writer-box"><img class="writer-photo" src="/img/{t.author_url.rsplit('/', 1)[1]}.jpg" alt="">
<a class="writer-name" href="{t.author_url}">{_e(t.author)}</a>
<span class="writer-bio">{_e(t.credentials)}</span>
<span class="writer-count">مقالات {t.article_count}</span></div>
<div class="post-meta"><span class="post-date">{local.day} {AR_MONTHS[local.month - 1]} {local.year} - {_twelve(local)}</span>
<span class="post-views">{t.views:,} مشاهدة</span></div>
<div class="post-body">{body}<div class="share-bar"><a href="https://twitter.com/share">تويتر</a></div>
<p>&nbsp;</p></div>
</article>
<section class="more-articles"><h3>اقرأ المزيد</h3><div class="item">
<a href="{other.path}">{_e(other.title)}</a><span class="post-date">1 يناير 2025</span>
<span class="post-views">5 مشاهدة</span></div></section></main>
<footer><a href="/about.html">من نحن</a></footer></body></html>""")
    return truth


# -- levant: Arabic-Indic digits, two spans, data-views ------------------------------

BEIRUT_SEPT = timezone(timedelta(hours=3))  # Asia/Beirut in September (summer time)


def build_levant(root: Path) -> list[Truth]:
    # Arabic slugs, percent-encoded in the links.
    truth = [Truth(f"/ar/opinion/{quote(f'مقال-{n + 1}')}.html", *astuple(t)[1:])
             for n, t in enumerate(_columns("/ar/opinion/", BEIRUT_SEPT))]
    items = "".join(f'<li class="entry"><a href="{t.path}">{_e(t.title)}</a></li>' for t in truth)
    _write(root, "/ar/opinion/index.html", f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>آراء - النهار</title></head><body>
<div class="topbar"><a href="/ar/">الصفحة الرئيسية</a><a href="/ar/politics/">سياسة</a></div>
<ul class="opinion-list">{items}</ul></body></html>""")
    for t in truth:
        local = t.published.astimezone(BEIRUT_SEPT)
        day = f"{local.day} {LEVANT_MONTHS[local.month - 1]} {local.year}".translate(INDIC)
        clock = f"{local.hour:02d}:{local.minute:02d}".translate(INDIC)
        rounded = f"{(t.views or 0) / 1000:.1f}".replace(".", "٫").translate(INDIC) + " ألف"
        count = f"{t.article_count or 0:,}".replace(",", "٬").translate(INDIC)
        body = "".join(f"<p>{_e(p)}</p>" for p in t.paragraphs)
        _write(root, t.path, f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>{_e(t.title)} - النهار</title>
<meta property="og:title" content="{_e(t.title)}"></head><body>
<div class="topbar"><span class="clock">{day}</span></div>
<div class="article">
<h1>{_e(t.title)}</h1>
<div class="byline"><a class="author-link" href="{t.author_url}">{_e(t.author)}</a>
<p class="author-job">{_e(t.credentials)}</p><span class="author-articles">{count} مقال</span></div>
<div class="date-line"><span class="d">{day}</span> | <span class="t">{clock}</span> بتوقيت بيروت</div>
<span class="views" data-views="{t.views}">{rounded} قراءة</span>
<div class="article-text">{body}<div class="social-share">شارك</div></div>
</div></body></html>""")
    return truth


# -- feed only: RSS teasers, pages for the rest -----------------------------------------


def build_feedonly(root: Path) -> list[Truth]:
    truth = _columns("/columns/", QATAR)
    items = "".join(f"""<item><title>{_e(t.title)}</title><link>http://HOST{t.path}</link>
<dc:creator>{_e(t.author)}</dc:creator>
<pubDate>{t.published.astimezone(QATAR).strftime('%a, %d %b %Y %H:%M:%S +0300')}</pubDate>
<description>{_e(t.paragraphs[0][:90])}…</description></item>""" for t in truth)
    _write(root, "/rss.xml", f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>مقالات</title><link>http://HOST/columns/</link><description>رأي</description>
{items}</channel></rss>""")
    _write(root, "/columns/index.html", """<!DOCTYPE html><html lang="ar"><head>
<meta charset="utf-8"><title>مقالات</title>
<link rel="alternate" type="application/rss+xml" href="/rss.xml" title="RSS"></head>
<body><div id="app">يتم التحميل…</div><script src="/app.js"></script></body></html>""")
    for t in truth:
        body = "".join(f"<p>{_e(p)}</p>" for p in t.paragraphs)
        _write(root, t.path, f"""<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8">
<title>{_e(t.title)}</title></head><body>
<h1 class="headline">{_e(t.title)}</h1>
<div class="reads">{t.views} قراءة</div>
<div class="content">{body}</div></body></html>""")
    return [Truth(t.path, t.title, t.author, None, None, None, t.published, t.views,
                  t.paragraphs) for t in truth]


# -- JSON-LD only ---------------------------------------------------------------------


def build_jsonld(root: Path) -> list[Truth]:
    truth = _columns("/analysis/", QATAR)
    links = "".join(f'<div class="teaser"><a class="teaser-link" href="{t.path}">'
                    f'{_e(t.title)}</a></div>' for t in truth)
    _write(root, "/analysis/index.html", f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>تحليلات</title></head><body><section class="teasers">{links}</section></body></html>""")
    for t in truth:
        data = {
            "@context": "https://schema.org", "@type": "OpinionNewsArticle",
            "headline": t.title,
            "datePublished": t.published.astimezone(QATAR).isoformat(),
            "author": {"@type": "Person", "name": t.author, "jobTitle": t.credentials,
                       "url": f"http://HOST{t.author_url}"},
            "articleBody": "\n".join(t.paragraphs),
            "interactionStatistic": {"@type": "InteractionCounter",
                                     "interactionType": "https://schema.org/ReadAction",
                                     "userInteractionCount": t.views},
        }
        _write(root, t.path, f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{_e(t.title)}</title>
<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>
</head><body><div id="root"></div></body></html>""")
    return [Truth(t.path, t.title, t.author, t.credentials, None, t.author_url, t.published,
                  t.views, t.paragraphs) for t in truth]


def build_empty(root: Path) -> list[Truth]:
    _write(root, "/opinion/index.html", """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>قريبا</title></head><body><p>الموقع قيد الإنشاء</p></body></html>""")
    return []


BUILDERS = {"gulf": build_gulf, "levant": build_levant, "feedonly": build_feedonly,
            "jsonld": build_jsonld, "empty": build_empty}
START = {"gulf": "/opinion/", "levant": "/ar/opinion/", "feedonly": "/columns/",
         "jsonld": "/analysis/", "empty": "/opinion/"}


# -- Maghreb: a news sitemap named in robots.txt, windows-1256 pages ----------------------

CASABLANCA = timezone(timedelta(hours=1))
MAGHREB_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر",
                  "أكتوبر", "نونبر", "دجنبر"]


def build_maghreb(root: Path) -> list[Truth]:
    truth = _columns("/chroniques/", CASABLANCA)
    _write(root, "/robots.txt", "User-agent: *\nDisallow: /admin/\n"
                                "Sitemap: http://HOST/sitemap_index.xml\n")
    _write(root, "/sitemap_index.xml", """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://HOST/news-sitemap.xml</loc></sitemap></sitemapindex>""")
    urls = "".join(f"""<url><loc>http://HOST{t.path}</loc><news:news><news:publication>
<news:name>المغربية</news:name><news:language>ar</news:language></news:publication>
<news:publication_date>{t.published.astimezone(CASABLANCA).isoformat()}</news:publication_date>
<news:title>{_e(t.title)}</news:title></news:news></url>""" for t in truth)
    urls += """<url><loc>http://HOST/sport/derby.html</loc><news:news><news:publication>
<news:name>المغربية</news:name><news:language>ar</news:language></news:publication>
<news:publication_date>2025-09-19T20:00:00+01:00</news:publication_date>
<news:title>الديربي</news:title></news:news></url>"""
    _write(root, "/news-sitemap.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>""")
    _write(root, "/chroniques/index.html", """<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>أعمدة</title></head><body><div id="liste"></div></body></html>""")
    headers = {}
    for t in truth:
        local = t.published.astimezone(CASABLANCA)
        body = "".join(f"<p>{_e(p)}</p>" + ('<div class="pub">إعلان</div>' if k == 1 else "")
                       for k, p in enumerate(t.paragraphs))
        _write(root, t.path, f"""<!DOCTYPE html><html lang="ar"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">
<title>{_e(t.title)} - المغربية</title></head><body>
<h1 class="titre">{_e(t.title)}</h1>
<div class="signature"><span class="auteur-nom">{_e(t.author)}</span>
<span class="fonction">{_e(t.credentials)}</span></div>
<div class="date">{local.day} {MAGHREB_MONTHS[local.month - 1]} {local.year} - {local.hour:02d}:{local.minute:02d}</div>
<span class="vues">{t.views} مشاهدة</span>
<div class="chronique">{body}</div></body></html>""", encoding="cp1256")
        headers[t.path] = {"Content-Type": "text/html"}
    _write(root, "/_headers.json", json.dumps(headers))
    return [Truth(t.path, t.title, t.author, t.credentials, None, None, t.published, t.views,
                  t.paragraphs) for t in truth]


BUILDERS["maghreb"] = build_maghreb
START["maghreb"] = "/chroniques/"


# -- WordPress: the REST API announced by the section page, its category -------------------

KUWAIT = timezone(timedelta(hours=3))


def build_wp(root: Path) -> list[Truth]:
    base = _columns("/2025/09/column-", KUWAIT, ext="/")
    truth = [Truth(t.path, t.title, t.author, t.credentials, None,
                   f"/author/{t.author_url.rsplit('/', 1)[1] if t.author_url else ''}/",
                   t.published, t.views, t.paragraphs) for t in base]
    posts = [{
        "id": 100 + n, "link": f"http://HOST{t.path}",
        "date": t.published.astimezone(KUWAIT).replace(tzinfo=None).isoformat(),
        "date_gmt": t.published.replace(tzinfo=None).isoformat(),
        "title": {"rendered": _e(t.title)},
        "content": {"rendered": "".join(f"<p>{_e(p)}</p>" for p in t.paragraphs)},
        "_embedded": {"author": [{"id": 1 + n % 3, "name": t.author,
                                  "description": t.credentials,
                                  "link": f"http://HOST{t.author_url}"}]},
    } for n, t in enumerate(truth)]
    _write(root, "/wp-json/posts-1.json", json.dumps(posts, ensure_ascii=False))
    _write(root, "/wp-json/categories.json", json.dumps([{"id": 7, "slug": "opinion",
                                                           "name": "رأي"}]))
    links = "".join(f'<h2 class="entry-title"><a href="{t.path}">{_e(t.title)}</a></h2>'
                    for t in truth)
    _write(root, "/category/opinion/index.html", f"""<!DOCTYPE html><html lang="ar"><head>
<meta charset="utf-8"><title>رأي – القبس</title>
<link rel="https://api.w.org/" href="http://HOST/wp-json/">
<link rel="alternate" type="application/rss+xml" href="http://HOST/category/opinion/feed/">
</head><body>{links}</body></html>""")
    for t in truth:
        _write(root, f"{t.path}index.html", f"""<!DOCTYPE html><html lang="ar"><head>
<meta charset="utf-8"><title>{_e(t.title)} – القبس</title></head><body>
<h1 class="entry-title">{_e(t.title)}</h1>
<span class="post-views">{t.views} مشاهدة</span>
<div class="entry-content">{"".join(f"<p>{_e(p)}</p>" for p in t.paragraphs)}</div>
</body></html>""")
    return truth


BUILDERS["wp"] = build_wp
START["wp"] = "/category/opinion/"


# -- two templates: modern pages and legacy table pages in one section ------------------------


def build_twotemplates(root: Path) -> list[Truth]:
    truth = build_gulf(root)
    for n in (1, 3):  # two of the first five samples are legacy pages
        t = truth[n]
        local = t.published.astimezone(QATAR)
        _write(root, t.path, f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>{_e(t.title)} | الشرق</title></head><body>
<header><span class="today-date">الثلاثاء 23 سبتمبر 2025</span></header>
<table class="legacy-article">
<tr><td><font class="headline">{_e(t.title)}</font></td></tr>
<tr><td class="writer">{_e(t.author)}</td></tr>
<tr><td class="writer-job">{_e(t.credentials)}</td></tr>
<tr><td class="pubdate">{local.day} {AR_MONTHS[local.month - 1]} {local.year} {_twelve(local)}</td></tr>
<tr><td class="hits">{t.views} قراءة</td></tr>
<tr><td class="article-text">{"".join(f"<p>{_e(p)}</p>" for p in t.paragraphs)}</td></tr>
</table></body></html>""")
    return [t if n not in (1, 3) else Truth(t.path, t.title, t.author, t.credentials, None, None,
                                            t.published, t.views, t.paragraphs)
            for n, t in enumerate(truth)]


BUILDERS["twotemplates"] = build_twotemplates
START["twotemplates"] = "/opinion/"


# -- WordPress announced only by the HTTP `Link:` header (no <link> in the HTML) ----------


_API_LINK = '<link rel="https://api.w.org/" href="http://HOST/wp-json/">\n'


def _wp_without_api_link(root: Path, instead: str) -> list[Truth]:
    """The WordPress paper whose category page has ``instead`` of its API <link>."""
    truth = build_wp(root)
    listing = root / "category" / "opinion" / "index.html"
    page = listing.read_text(encoding="utf-8").replace(_API_LINK, instead)
    assert "api.w.org" not in page
    listing.write_text(page, encoding="utf-8")
    return truth


def build_wplink(root: Path) -> list[Truth]:
    truth = _wp_without_api_link(root, "")
    # As WordPress sends it: the API root, and the category's own JSON (another rel).
    # `http://HOST` is rewritten by the test once the server's port is known.
    _write(root, "/_headers.json", json.dumps({"/category/opinion/": {
        "Link": '<http://HOST/wp-json/>; rel="https://api.w.org/", '
                '<http://HOST/wp-json/wp/v2/categories/7>; rel="alternate"; '
                'type="application/json"'}}))
    return truth


BUILDERS["wplink"] = build_wplink
START["wplink"] = "/category/opinion/"


# -- WordPress not announced at all: its theme's /wp-content/ gives it away --------------


def build_wpplain(root: Path) -> list[Truth]:
    return _wp_without_api_link(
        root, '<link rel="stylesheet" href="/wp-content/themes/qabas/style.css">\n')


BUILDERS["wpplain"] = build_wpplain
START["wpplain"] = "/category/opinion/"


# -- portal: date and time in two spans beside an update date; bylines on author pages ------

AUTHOR_PAGE_COUNTS = {"ahmad": 414, "maryam": 1402, "khalid": 87}


def build_portal(root: Path) -> list[Truth]:
    base = _columns("/opinion/maqal-", QATAR)
    truth = [Truth(t.path, t.title, t.author, t.credentials, t.article_count,
                   f"/kuttab/{(t.author_url or '').rsplit('/', 1)[1]}/", t.published, t.views,
                   t.paragraphs) for t in base]
    cards = "".join(f'<article class="story"><a class="story-link" href="{t.path}">'
                    f'{_e(t.title)}</a></article>' for t in truth)
    _write(root, "/opinion/index.html", f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>مقالات الرأي - الوطن</title></head><body>
<header><nav><a href="/">الرئيسية</a><a href="/opinion/">رأي</a></nav></header>
<main class="stories">{cards}</main></body></html>""")
    for t in truth:
        local = t.published.astimezone(QATAR)
        updated = local + timedelta(days=1, hours=2)
        body = "".join(f"<p>{_e(p)}</p>" for p in t.paragraphs)
        # The info line's own text reads as the *update* date: only the two spans give
        # the publication's day and time.
        _write(root, t.path, f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>{_e(t.title)} - الوطن</title></head><body>
<main><h1 class="headline">{_e(t.title)}</h1>
<div class="article-info">
<span class="last-update">آخر تحديث: {updated.day} {AR_MONTHS[updated.month - 1]} {updated.year} - {_twelve(updated)}</span>
<a class="by" href="{t.author_url}">{_e(t.author)}</a>
<span class="label">نشر في</span> <span class="pub-date">{local.day} {AR_MONTHS[local.month - 1]} {local.year}</span>
<span class="pub-time">{_twelve(local)}</span>
<span class="views-count">{t.views:,} مشاهدة</span></div>
<div class="story-body">{body}</div></main></body></html>""")
    for name, cred, count, slug in WRITERS:
        _write(root, f"/kuttab/{slug}/index.html", f"""<!DOCTYPE html><html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>{_e(name)} - الوطن</title></head><body>
<header><nav><a href="/">الرئيسية</a><a href="/opinion/">رأي</a></nav></header>
<main><div class="profile"><img class="profile-photo" src="/img/kuttab/{slug}.jpg" alt="{_e(name)}">
<h1 class="profile-name">{_e(name)}</h1>
<p class="profile-title">{_e(cred)}</p>
<span class="profile-stats">عدد المقالات: {count}</span>
<div class="profile-about">{_e(name)} كاتب في صفحة الرأي منذ سنوات، يكتب عن السياسة والمجتمع
والاقتصاد في المنطقة، وله مؤلفات عدة في هذه الشؤون.</div></div>
<ul class="profile-articles"><li><a href="/opinion/maqal-1.html">{_e(TITLES[0])}</a></li></ul>
</main></body></html>""")
    return truth


BUILDERS["portal"] = build_portal
START["portal"] = "/opinion/"


# -- clean URLs: no extension, dated folders with Arabic slugs, or bare numbers --------------


def build_cleanurls(root: Path) -> list[Truth]:
    """The Gulf paper at /opinion/2025/09/DD/<Arabic slug, percent-encoded>/: every column
    in a folder of its own (its day), as WordPress-style permalinks are."""
    gulf = build_gulf(root)
    truth = []
    for t in gulf:
        local = t.published.astimezone(QATAR)
        clean = (f"/opinion/{local.year}/{local.month:02d}/{local.day:02d}/"
                 f"{quote(t.title.replace(' ', '-'))}/")
        _move(root, t.path, clean)
        truth.append(Truth(clean, *astuple(t)[1:]))
        _relink(root, t.path, clean)
    return truth


def build_numeric(root: Path) -> list[Truth]:
    """The Gulf paper at /opinion/12345: no extension, no trailing slash."""
    gulf = build_gulf(root)
    truth = []
    headers = {}
    for n, t in enumerate(gulf):
        clean = f"/opinion/{48213 - 7 * n}"
        _move(root, t.path, clean)
        truth.append(Truth(clean, *astuple(t)[1:]))
        _relink(root, t.path, clean)
        headers[clean] = {"Content-Type": "text/html; charset=utf-8"}
    _write(root, "/_headers.json", json.dumps(headers))
    return truth


def _move(root: Path, old: str, new: str) -> None:
    text = (root / old.lstrip("/")).read_text(encoding="utf-8")
    (root / old.lstrip("/")).unlink()
    _write(root, new + ("index.html" if new.endswith("/") else ""), text)


def _relink(root: Path, old: str, new: str) -> None:
    """Every page's links to ``old`` now point at ``new``."""
    for page in root.rglob("*"):
        if page.is_file() and page.suffix in ("", ".html"):
            text = page.read_text(encoding="utf-8")
            if f'href="{old}"' in text:
                page.write_text(text.replace(f'href="{old}"', f'href="{new}"'),
                                encoding="utf-8")


BUILDERS["cleanurls"] = build_cleanurls
START["cleanurls"] = "/opinion/"
BUILDERS["numeric"] = build_numeric
START["numeric"] = "/opinion/"


# -- id + slug URLs, JSON-LD @graph with an @id author, a truncated headline ----------------

HIJRI_SEPT = "ربيع الأول ١٤٤٧"


def _idslug_pages(root: Path, *, sitemap: bool) -> list[Truth]:
    """Columns at /opinion/{id}/{Arabic slug}: the listing at /opinion (no slash) whose
    cards link the column and the writer with one bare ``a`` each; pages whose JSON-LD
    ``@graph`` names the author by an ``@id`` (name only: the page links the writer's
    /editor/details/N), with a headline cut at 110 characters (the h1 has it whole),
    Hijri + Gregorian + time in three spans and an «آخر تحديث» <time datetime>."""
    base = _columns("/opinion/", QATAR)
    truth = []
    writer_ids = {slug: 11 + n for n, (*_rest, slug) in enumerate(WRITERS)}
    for n, t in enumerate(base):
        long_title = t.title + " — قراءة في التحولات الإقليمية وما تعنيه للسياسات العامة في دول " \
                               "الخليج والمشرق خلال العقد المقبل"
        slug = (t.author_url or "").rsplit("/", 1)[1]
        truth.append(Truth(f"/opinion/{48213 - 7 * n}/{quote(t.title.replace(' ', '-'))}",
                           long_title, t.author, t.credentials, t.article_count,
                           f"/editor/details/{writer_ids[slug]}", t.published, t.views,
                           t.paragraphs))
    cards = "".join(f'<div class="card"><h3><a href="{t.path}">{_e(t.title)}</a></h3>'
                    f'<a href="{t.author_url}">{_e(t.author)}</a></div>' for t in truth)
    _write(root, "/opinion/index.html", f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>رأي | الشرق</title></head><body>
<header><nav><a href="/">الرئيسية</a><a href="/opinion">رأي</a></nav></header>
<main class="cards">{cards}<a class="pager" href="/opinion?page=2">التالي</a></main>
</body></html>""")
    headers = {"/opinion": {"Content-Type": "text/html; charset=utf-8"}}
    for n, t in enumerate(truth):
        local = t.published.astimezone(QATAR)
        updated = local + timedelta(hours=5)
        graph = {"@context": "https://schema.org", "@graph": [
            {"@type": "Organization", "@id": "http://HOST/#org", "name": "الشرق"},
            {"@type": "WebSite", "@id": "http://HOST/#site", "name": "الشرق"},
            {"@type": "WebPage", "@id": f"http://HOST{t.path}#page", "name": t.title[:110]},
            {"@type": "BreadcrumbList", "itemListElement": []},
            {"@type": "NewsArticle", "headline": t.title[:107] + "...",
             "datePublished": local.isoformat(), "author": {"@id": "http://HOST/#writer"},
             "publisher": {"@id": "http://HOST/#org"}},
            {"@type": "Person", "@id": "http://HOST/#writer", "name": t.author}]}
        edited = (f'<time class="updated" datetime="{updated.isoformat()}">آخر تحديث '
                  f'{_twelve(updated)}</time>' if n % 2 else "")
        body = "".join(f"<p>{_e(p)}</p>" for p in t.paragraphs)
        _write(root, t.path, f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>{_e(t.title[:60])} | الشرق</title>
<script type="application/ld+json">{json.dumps(graph, ensure_ascii=False)}</script>
</head><body><main><article>
<h1 class="article-title">{_e(t.title)}</h1>
<aside class="author-box"><a class="writerName" href="{t.author_url}">{_e(t.author)}</a>
<img class="lazy" data-src="/img/w{n}.jpg" src="/img/blank.gif" alt="">
<span class="author-title">{_e(t.credentials)}</span>
<span class="author-stats">عدد المقالات: {t.article_count}</span></aside>
<div class="dates"><span class="hijri-date">{local.day - 1 + 0} {HIJRI_SEPT}</span>
<span class="greg-date">{local.day} {AR_MONTHS[local.month - 1]} {local.year}</span>
<span class="time">{_twelve(local)}</span>{edited}</div>
<span class="stat"><i class="icon-eye"></i> {t.views:,}</span>
<div class="article-body">{body}</div></article></main></body></html>""")
        headers[t.path] = {"Content-Type": "text/html; charset=utf-8"}
    if sitemap:
        _write(root, "/robots.txt", "User-agent: *\nDisallow: /private/\n"
                                    "Sitemap: http://HOST/sitemaps/news.xml\n")
        urls = "".join(f"""<url><loc>http://HOST{t.path}</loc><news:news><news:publication>
<news:name>الشرق</news:name><news:language>ar</news:language></news:publication>
<news:publication_date>{t.published.astimezone(QATAR).isoformat()}</news:publication_date>
<news:title>{_e(t.title)}</news:title></news:news></url>""" for t in truth)
        _write(root, "/sitemaps/news.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>""")
    _write(root, "/_headers.json", json.dumps(headers))
    return truth


def build_idslug(root: Path) -> list[Truth]:
    return _idslug_pages(root, sitemap=False)


def build_idslugmap(root: Path) -> list[Truth]:
    return _idslug_pages(root, sitemap=True)


BUILDERS["idslug"] = build_idslug
START["idslug"] = "/opinion"
BUILDERS["idslugmap"] = build_idslugmap
START["idslugmap"] = "/opinion"


# -- credentials as a bulleted list item under the name; the name twice -------------------


def _degree_pages(root: Path, *, as_list: bool) -> list[Truth]:
    """Al-Sharq-like pages: the writer's name above the h1 and again in the writer box,
    the credentials in ``<ul class="writer-degree"><li>- …</li></ul>`` (or a
    ``<p class="writer-degree">``), an ad slot, then «مقالات» and the count in two spans."""
    truth = _columns("/opinion/articles/", QATAR)
    items = "".join(f'<li class="item"><a class="item-link" href="{t.path}">{_e(t.title)}</a></li>'
                    for t in truth)
    _write(root, "/opinion/index.html", f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>كتاب وآراء | الشرق</title></head><body>
<ul class="articles-list">{items}</ul></body></html>""")
    for t in truth:
        local = t.published.astimezone(QATAR)
        degree = (f'<ul class="writer-degree"><li>- {_e(t.credentials)}</li></ul>' if as_list
                  else f'<p class="writer-degree">{_e(t.credentials)}</p>')
        body = "".join(f"<p>{_e(p)}</p>" for p in t.paragraphs)
        _write(root, t.path, f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>{_e(t.title)} | الشرق</title></head><body>
<div class="article-top"><a class="top-writer" href="{t.author_url}">{_e(t.author)}</a></div>
<h1 class="article-title">{_e(t.title)}</h1>
<div class="writer-info"><img class="writer-img" src="/img{t.author_url}.jpg" alt="">
<a class="writerName" href="{t.author_url}">{_e(t.author)}</a>
{degree}
<div class="ad-slot">مساحة إعلانية</div>
<div class="writer-articles"><span>مقالات</span> / <span>{t.article_count}</span></div></div>
<div class="article-date">{local.day} {AR_MONTHS[local.month - 1]} {local.year} - {_twelve(local)}</div>
<div class="article-views">{t.views:,} مشاهدة</div>
<div class="article-content">{body}</div></body></html>""")
    return truth


BUILDERS["degree"] = lambda root: _degree_pages(root, as_list=True)
START["degree"] = "/opinion/"
BUILDERS["degreep"] = lambda root: _degree_pages(root, as_list=False)
START["degreep"] = "/opinion/"


# -- hardened WordPress: no users route, a category page not under /category/ --------------

MOROCCO_MONTHS = MAGHREB_MONTHS
_AR_DAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]


def build_wphard(root: Path) -> list[Truth]:
    """WordPress whose users route is off (``_embedded.author`` is an error object), whose
    opinion category lives at /rubrique/chroniques/ and is announced only by the page's
    ``<link rel="alternate" type="application/json" href=".../categories/7">``; the
    unfiltered posts route mixes in news posts. Post pages carry the byline
    (``.auteur-chronique a[rel=author]``), «الأحد 14 شتنبر 2025 - 15:05», visitors'
    comments with their own dates and related posts with theirs."""
    base = _columns("/2025/09/chronique-", CASABLANCA, ext="/")
    truth = [Truth(t.path, t.title, t.author, None, None,
                   f"/auteur/{(t.author_url or '').rsplit('/', 1)[1]}/", t.published, t.views,
                   t.paragraphs) for t in base]
    hidden = [{"code": "rest_no_route", "message": "No route was found",
               "data": {"status": 404}}]

    def post(n: int, t: Truth, category: int) -> dict[str, object]:
        return {"id": 500 + n, "link": f"http://HOST{t.path}", "categories": [category],
                "date": t.published.astimezone(CASABLANCA).replace(tzinfo=None).isoformat(),
                "date_gmt": t.published.replace(tzinfo=None).isoformat(),
                "title": {"rendered": _e(t.title)},
                "content": {"rendered": "".join(f"<p>{_e(p)}</p>" for p in t.paragraphs)},
                "_embedded": {"author": hidden}}

    news = [Truth(f"/2025/09/akhbar-{n}/", f"خبر رقم {n}", "", None, None, None,
                  datetime(2025, 9, 21, 8, n, tzinfo=UTC), None, ("نص الخبر",))
            for n in range(1, 4)]
    opinion = [post(n, t, 7) for n, t in enumerate(truth)]
    _write(root, "/wp-json/posts-1.json", json.dumps(
        [post(90 + n, t, 3) for n, t in enumerate(news)] + opinion, ensure_ascii=False))
    _write(root, "/wp-json/posts-cat7-1.json", json.dumps(opinion, ensure_ascii=False))
    _write(root, "/wp-json/wp/v2/categories/7.json", json.dumps({
        "id": 7, "slug": "chroniques", "name": "أعمدة",
        "link": "http://HOST/rubrique/chroniques/"}, ensure_ascii=False))
    links = "".join(f'<h2 class="entry-title"><a href="{t.path}">{_e(t.title)}</a></h2>'
                    for t in truth)
    _write(root, "/rubrique/chroniques/index.html", f"""<!DOCTYPE html><html lang="ar"><head>
<meta charset="utf-8"><title>أعمدة – هسبريس</title>
<link rel="https://api.w.org/" href="http://HOST/wp-json/">
<link rel="alternate" type="application/json" href="http://HOST/wp-json/wp/v2/categories/7">
</head><body>{links}</body></html>""")
    for n, t in enumerate(truth):
        local = t.published.astimezone(CASABLANCA)
        when = (f"{_AR_DAYS[local.weekday()]} {local.day} {MOROCCO_MONTHS[local.month - 1]} "
                f"{local.year} - {local.hour:02d}:{local.minute:02d}")
        other = truth[(n + 1) % len(truth)]
        _write(root, f"{t.path}index.html", f"""<!DOCTYPE html><html lang="ar"><head>
<meta charset="utf-8"><title>{_e(t.title)} – هسبريس</title></head><body>
<h1 class="entry-title">{_e(t.title)}</h1>
<div class="auteur-chronique"><a rel="author" href="{t.author_url}">{_e(t.author)}</a></div>
<span class="date-post">{when}</span>
<span class="post-views">{t.views} مشاهدة</span>
<div class="entry-content">{"".join(f"<p>{_e(p)}</p>" for p in t.paragraphs)}</div>
<section class="related-posts"><h3>مقالات ذات صلة</h3><a href="{other.path}">{_e(other.title)}</a>
<span class="date-post">الاثنين 1 شتنبر 2025 - 10:00</span></section>
<ol class="comments"><li class="comment"><span class="comment-author">زائر</span>
<span class="comment-date">الاثنين {15 + n} شتنبر 2025 - 2{n}:00</span><p>تعليق</p></li></ol>
</body></html>""")
    return truth


BUILDERS["wphard"] = build_wphard
START["wphard"] = "/rubrique/chroniques/"


def build_wphardbylink(root: Path) -> list[Truth]:
    """wphard without the archive's own JSON link: the category is the one whose
    ``link`` is the listing's address."""
    truth = build_wphard(root)
    listing = root / "rubrique" / "chroniques" / "index.html"
    page = listing.read_text(encoding="utf-8")
    page = page.replace('<link rel="alternate" type="application/json" '
                        'href="http://HOST/wp-json/wp/v2/categories/7">\n', "")
    assert "categories/7" not in page
    listing.write_text(page, encoding="utf-8")
    _write(root, "/wp-json/categories.json", json.dumps([
        {"id": 3, "slug": "akhbar", "link": "http://HOST/rubrique/akhbar/"},
        {"id": 7, "slug": "chroniques", "link": "http://HOST/rubrique/chroniques/"}]))
    return truth


BUILDERS["wphardbylink"] = build_wphardbylink
START["wphardbylink"] = "/rubrique/chroniques/"
