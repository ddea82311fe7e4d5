"""Annahar (Lebanon)-like: a custom CMS with Levantine month names and Beirut time.

Dates as «الأحد 2 تشرين الثاني 2025 | 09:55 بتوقيت بيروت» (+02:00 after 26 October, one hour
behind the operator's Asia/Qatar) with no ISO date anywhere on the page and no JSON-LD
article (OpenGraph only); URLs /arabic/opinion/<number>/<slug>; an RSS feed of the section
(announced by <link rel="alternate">) with teasers and RFC 822 dates; the writer's line
under the name («كاتب وأكاديمي لبناني»); a «إقرأ أيضاً» block and a newsletter box inside
the body; «الأكثر قراءة» with dates of other articles. No views and no article count.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from common import Col, body, esc, local, pct, truth, weekday

TZ = "Asia/Beirut"
TODAY = local(TZ, 2025, 11, 4, 21, 0)
LEVANT_MONTHS = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب",
                 "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول")

WRITERS = {
    "samir-haddad": ("سمير حداد", 2201, "كاتب وأكاديمي لبناني"),
    "rana-khoury": ("رنا الخوري", 2250, "صحافية متخصصة في الشؤون الاجتماعية"),
    "georges-nasr": ("جورج نصر", 1987, "خبير اقتصادي، أستاذ في الجامعة اللبنانية"),
    "hala-mansour": ("د. هالة منصور", 2311, None),
}


def _columns() -> list[Col]:
    rows = [
        ("20251104114512", "بيروت التي تمشي", "rana-khoury", (4, 11, 45), 4),
        ("20251103095533", "اقتصاد الصدمات المتتالية", "georges-nasr", (3, 9, 55), 2),
        ("20251102191020", "حين يهاجر الشباب", "samir-haddad", (2, 19, 10), 3),
        ("20251101083005", "مكتبة الحي", "hala-mansour", (1, 8, 30), 1),
        ("20251031172244", "مياه لبنان الضائعة", "samir-haddad", (31, 17, 22), 0),
        ("20251030120010", "عائلات على حافة التعب", "rana-khoury", (30, 12, 0), 7),
    ]
    return [_col(*r) for r in rows]


def _col(key: str, title: str, who: str, when: tuple[int, int, int], topic: int) -> Col:
    name, wid, cred = WRITERS[who]
    month = 11 if when[0] < 10 else 10
    return Col(key=key, slug="-".join(title.split()), title=title, author=name, author_slug=who,
               author_id=wid, credentials=cred, article_count=None,
               published=local(TZ, 2025, month, when[0], when[1], when[2]), views=None,
               paragraphs=body(topic, title, "نكتب اليوم عن"))


def _older() -> list[Col]:
    return [_col("20251028101500", "الصيف الذي لا يرحل", "georges-nasr", (28, 10, 15), 6)]


def _path(c: Col) -> str:
    return f"/arabic/opinion/{c.key}/{c.slug}"


def _writer(c: Col) -> str:
    return f"/arabic/author/{c.author_id}-{c.author_slug}"


def _date(c: Col) -> str:
    d = c.published
    return (f"{weekday(d)} {d.day} {LEVANT_MONTHS[d.month - 1]} {d.year} | "
            f"{d.hour:02d}:{d.minute:02d} بتوقيت بيروت")


def _short(c: Col) -> str:
    d = c.published
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def _page(title: str, head: str, main: str, aside: str) -> str:
    d = TODAY
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<title>{esc(title)}</title>
{head}
<link rel="alternate" type="application/rss+xml" title="النهار - مقالات" href="http://HOST/arabic/rss/opinion.xml">
<link href="/assets/dist/app.min.css?id=a71c3e" rel="stylesheet">
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
</head>
<body class="ar">
<header class="header">
  <div class="header__top container">
    <span class="header__date">{weekday(d)} {d.day} {LEVANT_MONTHS[d.month - 1]} {d.year}</span>
    <a class="header__subscribe btn" href="/arabic/subscribe">اشترك</a>
    <a class="header__login" href="/arabic/login">تسجيل الدخول</a>
  </div>
  <a class="header__logo" href="/arabic"><img src="/assets/img/logo-annahar.svg" alt="النهار"></a>
  <nav class="header__nav"><ul>
    <li><a href="/arabic/section/76-لبنان">لبنان</a></li><li><a href="/arabic/section/79-العالم-العربي">العالم العربي</a></li>
    <li><a href="/arabic/section/81-اقتصاد-وأعمال">اقتصاد وأعمال</a></li><li class="active"><a href="/arabic/opinion">مقالات</a></li>
    <li><a href="/arabic/section/90-ثقافة">ثقافة</a></li><li><a href="/arabic/section/95-رياضة">رياضة</a></li>
  </ul></nav>
</header>
<div class="ad ad--billboard"><div id="div-gpt-ad-billboard"></div></div>
<div class="container"><div class="row">
<div class="col-lg-8">
{main}
</div>
<div class="col-lg-4">{aside}</div>
</div></div>
<footer class="footer"><p>© {d.year} النهار. جميع الحقوق محفوظة.</p></footer>
</body>
</html>
"""


def _most_read(cols: list[Col]) -> str:
    items = "".join(f'<li><a href="{_path(c)}"><h4>{esc(c.title)}</h4></a><span class="date">{_short(c)}</span></li>'
                    for c in cols[-3:])
    return (f'<div class="most-read"><h3 class="title">الأكثر قراءة</h3><ol>{items}</ol></div>'
            '<div class="ad ad--mpu"><div id="div-gpt-ad-mpu"></div></div>')


def _column(c: Col, cols: list[Col]) -> str:
    url = "http://HOST" + pct(_path(c))
    head = f"""<link rel="canonical" href="{url}">
<meta name="description" content="{esc(c.paragraphs[0][:150])}">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(c.title)}">
<meta property="og:description" content="{esc(c.paragraphs[0][:150])}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="http://HOST/Uploads/authors/{c.author_id}.jpg">
<meta property="og:site_name" content="النهار">
<meta name="twitter:card" content="summary_large_image">"""
    others = [x for x in cols if x is not c][:2]
    paragraphs = [f"<p>{esc(p)}</p>" for p in c.paragraphs]
    paragraphs.insert(2, '<div class="read-also"><span class="read-also__label">إقرأ أيضاً</span>' + "".join(
        f'<a href="{_path(x)}">{esc(x.title)}</a>' for x in others) + "</div>")
    paragraphs.insert(4, '<div class="newsletter-inline"><h5>النشرة اليومية</h5><p>اشترك ليصلك أبرز ما '
                         'ينشر في النهار</p><a class="btn" href="/arabic/newsletter">اشترك الآن</a></div>')
    cred = f'<div class="author__bio">{esc(c.credentials)}</div>' if c.credentials else ""
    main = f"""<article class="article article--opinion" data-id="{c.key}">
  <div class="article__section"><a href="/arabic/opinion">مقالات</a></div>
  <h1 class="article__title">{esc(c.title)}</h1>
  <div class="author">
    <a class="author__img" href="{_writer(c)}"><img src="/Uploads/authors/{c.author_id}.jpg" alt=""></a>
    <div class="author__info">
      <a class="author__name" href="{_writer(c)}">{esc(c.author)}</a>
      {cred}
    </div>
  </div>
  <div class="article__date">{_date(c)}</div>
  <div class="share"><a href="https://www.facebook.com/sharer/sharer.php?u={url}" class="share__fb">Facebook</a><a href="https://x.com/intent/tweet?url={url}" class="share__x">X</a><a href="https://wa.me/?text={url}" class="share__wa">WhatsApp</a></div>
  <div class="article__body">
    {chr(10).join(paragraphs)}
  </div>
  <div class="article__disclaimer">المقالات المنشورة تعبّر عن رأي كتّابها ولا تعبّر بالضرورة عن رأي "النهار".</div>
  <div class="article__tags"><a href="/arabic/tag/لبنان">#لبنان</a></div>
</article>"""
    return _page(f"{c.title} | النهار", head, main, _most_read(cols))


def _listing(cols: list[Col], more: bool) -> str:
    items = "\n".join(f"""  <div class="opinion-item">
    <a class="opinion-item__author" href="{_writer(c)}"><img src="/Uploads/authors/{c.author_id}.jpg" alt=""><span>{esc(c.author)}</span></a>
    <a class="opinion-item__title" href="{_path(c)}"><h3>{esc(c.title)}</h3></a>
    <span class="opinion-item__date">{_short(c)}</span>
  </div>""" for c in cols)
    load = ('<button class="load-more" data-url="/arabic/ajax/opinion?offset=6">المزيد</button>'
            if more else "")
    main = f"""<h1 class="section-title">مقالات</h1>
<div class="opinion-list">
{items}
</div>
{load}"""
    return _page("مقالات | النهار", '<link rel="canonical" href="http://HOST/arabic/opinion">',
                 main, _most_read(cols))


def _author_page(c: Col, cols: list[Col]) -> str:
    items = "".join(f'<li><a href="{_path(x)}">{esc(x.title)}</a></li>'
                    for x in cols if x.author == c.author)
    cred = f"<p>{esc(c.credentials)}</p>" if c.credentials else ""
    return _page(f"{c.author} | النهار", "",
                 f"<div class=\"author-page\"><h1>{esc(c.author)}</h1>{cred}<ul>{items}</ul></div>", "")


def _rss(cols: list[Col]) -> str:
    items = "\n".join(f"""    <item>
      <title><![CDATA[{c.title}]]></title>
      <link>http://HOST{pct(_path(c))}</link>
      <guid isPermaLink="true">http://HOST{pct(_path(c))}</guid>
      <description><![CDATA[{c.paragraphs[0][:140]}...]]></description>
      <pubDate>{c.published.strftime("%a, %d %b %Y %H:%M:%S %z")}</pubDate>
      <author>{esc(c.author)}</author>
      <category>مقالات</category>
    </item>""" for c in cols)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>النهار - مقالات</title>
    <link>http://HOST/arabic/opinion</link>
    <description>مقالات النهار</description>
    <language>ar</language>
    <lastBuildDate>{TODAY.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")}</lastBuildDate>
{items}
  </channel>
</rss>
"""


def build() -> tuple[dict[str, str], dict[str, Any]]:
    cols, older = _columns(), _older()
    everyone = cols + older
    files = {
        "robots.txt": "User-agent: *\nDisallow: /arabic/search\nDisallow: /arabic/ajax/\n"
                      "Disallow: /arabic/login\n",
        "arabic/opinion/index.html": _listing(cols, True),
        "arabic/rss/opinion.xml": _rss(everyone),
    }
    for c in everyone:
        files[_path(c).lstrip("/") + "/index.html"] = _column(c, everyone)
        files[_writer(c).lstrip("/") + "/index.html"] = _author_page(c, everyone)
    data = truth(cols, {c.key: pct(_path(c)) for c in cols}, {c.key: pct(_writer(c)) for c in cols},
                 listing="/arabic/opinion", older=[pct(_path(c)) for c in older], timezone=TZ,
                 now=TODAY.isoformat(), lacks=["article_count", "views"],
                 model="Annahar (Lebanon)-like custom CMS: «2 تشرين الثاني 2025 | 09:55 بتوقيت "
                       "بيروت» (+02:00), no ISO date or JSON-LD on the page, a section RSS "
                       "feed with teasers, credentials under the name, read-also and "
                       "newsletter boxes inside the body")
    return files, data
