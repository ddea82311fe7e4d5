"""Hespress (Morocco)-like WordPress site: the section «كتاب وآراء» at /opinions/.

WordPress as it is usually hardened: the REST API is announced (<link rel="https://api.w.org/">
and a Link header), posts and categories answer, but the users route is switched off, so the
embedded author is an error object and the byline is only on the page. Dates as Morocco
writes them («الأحد 14 شتنبر 2025 - 15:05», +01:00), French and Arabic class names, a
category feed with teasers only, visitors' comments with their own dates, related posts.
No views, credentials or article count are printed.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from common import MAGHREB_MONTHS, Col, body, esc, local, pct, truth, weekday

TZ = "Africa/Casablanca"
TODAY = local(TZ, 2025, 9, 16, 21, 0)
OPINIONS = 7

WRITERS = {
    "benali": ("عبد الله بنعلي", 41),
    "idrissi": ("سعيد الإدريسي", 57),
    "amrani": ("خديجة العمراني", 63),
    "tazi": ("محمد التازي", 88),
}


def _columns() -> list[Col]:
    rows = [
        ("1510233", "المدرسة العمومية ورهان القراءة", "amrani", (16, 18, 40), 1, 12),
        ("1509871", "الماء بين الندرة والتبذير", "benali", (15, 9, 15), 0, 4),
        ("1509402", "أي نموذج تنموي لما بعد الأزمة؟", "tazi", (14, 15, 5), 2, 27),
        ("1508995", "الشباب وسوق الشغل: الحلقة المفقودة", "idrissi", (13, 22, 30), 3, 0),
        ("1508410", "حين تلتهم الإسمنت ساحات أحيائنا", "benali", (12, 11, 0), 4, 8),
        ("1507862", "أطفالنا والشاشات", "amrani", (11, 7, 45), 5, 3),
    ]
    return [_col(*row) for row in rows]


def _col(key: str, title: str, who: str, when: tuple[int, int, int], topic: int, comments: int,
         day_month: int = 9) -> Col:
    name, wid = WRITERS[who]
    slug = "-".join(title.replace("؟", "").replace(":", "").split()) + f"-{key}"
    return Col(key=key, slug=slug, title=title, author=name, author_slug=who, author_id=wid,
               credentials=None, article_count=None,
               published=local(TZ, 2025, day_month, when[0], when[1], when[2]), views=None,
               paragraphs=body(topic, title, "يطرح موضوع"), comments=comments)


def _older() -> list[Col]:
    return [_col("1507001", "المناخ يطرق أبوابنا", "tazi", (9, 10, 0), 6, 2),
            _col("1506420", "تكاليف الزواج وأحلام الشباب", "idrissi", (8, 16, 20), 7, 1)]


def _path(c: Col) -> str:
    return f"/{c.slug}.html"


def _link(c: Col) -> str:
    return f"http://HOST{pct(_path(c), lower=True)}"


def _author(c: Col) -> str:
    return f"/author/{c.author_slug}/"


def _date(when: Any) -> str:
    return (f"{weekday(when)} {when.day} {MAGHREB_MONTHS[when.month - 1]} {when.year} - "
            f"{when.hour:02d}:{when.minute:02d}")


HEAD = """<meta name="generator" content="WordPress 6.6.2">
<link rel="https://api.w.org/" href="http://HOST/wp-json/">
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="http://HOST/xmlrpc.php?rsd">
<link rel="alternate" type="application/rss+xml" title="هسبريس &raquo; الخلاصة" href="http://HOST/feed/">
<link rel="stylesheet" id="hespress-style-css" href="http://HOST/wp-content/themes/hespress/assets/css/style.min.css?ver=2.9.4" media="all">
<script src="http://HOST/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>"""


def _page(title: str, head: str, main: str, body_class: str) -> str:
    d = TODAY
    return f"""<!DOCTYPE html>
<html dir="rtl" lang="ar">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{head}
{HEAD}
</head>
<body class="{body_class} rtl">
<header class="site-header">
  <div class="top-header"><div class="container">
    <span class="date-jour">{weekday(d)} {d.day} {MAGHREB_MONTHS[d.month - 1]} {d.year}</span>
    <span class="meteo">الرباط 27°</span>
    <a class="lang-switch" href="https://fr.hespress.example/">Français</a> <a class="lang-switch" href="https://en.hespress.example/">English</a>
  </div></div>
  <div class="container"><a class="logo" href="http://HOST/"><img src="http://HOST/wp-content/themes/hespress/assets/img/logo.svg" alt="هسبريس"></a></div>
  <nav class="menu-principal"><div class="container"><ul id="menu-main" class="nav">
    <li class="menu-item"><a href="http://HOST/">الرئيسية</a></li>
    <li class="menu-item"><a href="http://HOST/politique/">سياسة</a></li>
    <li class="menu-item"><a href="http://HOST/economie/">اقتصاد</a></li>
    <li class="menu-item"><a href="http://HOST/societe/">مجتمع</a></li>
    <li class="menu-item current-menu-item"><a href="http://HOST/opinions/">كتاب وآراء</a></li>
    <li class="menu-item"><a href="http://HOST/sport/">رياضة</a></li>
    <li class="menu-item"><a href="http://HOST/videos/">فيديو</a></li>
  </ul></div></nav>
</header>
<div class="bloc-pub pub-header"><span>إعلان</span><div id="gpt-ad-header"></div></div>
<main id="main" class="site-main"><div class="container"><div class="row">
{main}
</div></div></main>
<footer class="site-footer"><div class="container">
  <div class="newsletter"><h4>النشرة الإخبارية</h4><form action="http://HOST/newsletter/"><input type="email" name="email" placeholder="بريدك الإلكتروني"><button type="submit">اشترك</button></form></div>
  <p class="copyright">© هسبريس 2025 — جميع الحقوق محفوظة</p>
</div></footer>
<script src="http://HOST/wp-content/themes/hespress/assets/js/app.min.js?ver=2.9.4"></script>
</body>
</html>
"""


def _card(c: Col) -> str:
    return f"""<div class="col-12 col-sm-6 col-lg-4 mb-4">
  <div class="card card-post overlay">
    <a href="{_link(c)}" class="stretched-link" title="{esc(c.title)}"></a>
    <div class="ratio ratio-16x9"><img width="800" height="450" src="http://HOST/wp-content/uploads/2025/09/{c.key}-800x450.jpg" class="wp-post-image" alt="" loading="lazy"></div>
    <div class="card-img-overlay">
      <span class="cat badge">كتاب وآراء</span>
      <h3 class="card-title">{esc(c.title)}</h3>
      <small class="text-muted time">{_date(c.published)}</small>
    </div>
  </div>
</div>"""


def _column(c: Col, cols: list[Col]) -> str:
    link = _link(c)
    d = c.published
    paragraphs = [f"<p>{esc(p)}</p>" for p in c.paragraphs]
    paragraphs.insert(2, '<div class="bloc-pub pub-article"><span>إعلان</span><div id="gpt-ad-inread"></div></div>')
    paragraphs.append("<p>&nbsp;</p>")
    others = [x for x in cols if x is not c][:3]
    comments = "\n".join(f"""    <li class="comment"><div class="comment-author">زائر {n + 1}</div>
      <div class="comment-date">{_date(d.replace(hour=min(d.hour + n + 1, 23)))}</div>
      <div class="comment-text"><p>مقال في الصميم، شكرا للكاتب.</p></div>
      <div class="comment-vote"><span class="up">{n * 3 + 2}</span><span class="down">{n}</span></div></li>"""
                         for n in range(min(c.comments, 3)))
    head = f"""<link rel="canonical" href="{link}">
<link rel="shortlink" href="http://HOST/?p={c.key}">
<link rel="alternate" title="JSON" type="application/json" href="http://HOST/wp-json/wp/v2/posts/{c.key}">
<link rel="alternate" type="application/rss+xml" title="هسبريس &raquo; {esc(c.title)} موجز التعليقات" href="{link}/feed/">
<meta property="og:locale" content="ar_AR">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(c.title)}">
<meta property="og:url" content="{link}">
<meta property="og:site_name" content="هسبريس">
<meta property="article:section" content="كتاب وآراء">
<meta property="article:published_time" content="{d.isoformat()}">
<meta property="og:image" content="http://HOST/wp-content/uploads/2025/09/{c.key}.jpg">"""
    main = f"""<div class="col-12 col-lg-8">
<article id="post-{c.key}" class="post-{c.key} post type-post status-publish format-standard has-post-thumbnail category-opinions">
  <div class="breadcrumbs"><a href="http://HOST/">هسبريس</a> <span>»</span> <a href="http://HOST/opinions/">كتاب وآراء</a></div>
  <header class="entry-header">
    <h1 class="post-title">{esc(c.title)}</h1>
    <div class="meta-chronique d-flex">
      <span class="auteur-chronique author"><img src="http://HOST/wp-content/uploads/auteurs/{c.author_slug}.jpg" class="avatar" alt="" width="40" height="40"> <a href="http://HOST{_author(c)}" title="مقالات {esc(c.author)}" rel="author">{esc(c.author)}</a></span>
      <span class="date-post date-publication">{_date(d)}</span>
      <a class="nb-comments" href="#comments"><i class="hesp-comment"></i> {c.comments}</a>
    </div>
  </header>
  <div class="partage share-links"><a class="fb" href="https://www.facebook.com/sharer.php?u={link}">facebook</a><a class="tw" href="https://twitter.com/share?url={link}">X</a><a class="wa" href="https://wa.me/?text={link}">whatsapp</a><a class="print" href="javascript:window.print()">طباعة</a></div>
  <figure class="post-thumbnail"><img width="1200" height="675" src="http://HOST/wp-content/uploads/2025/09/{c.key}.jpg" class="attachment-full wp-post-image" alt="" decoding="async"><figcaption class="legende">صورة: أرشيف هسبريس</figcaption></figure>
  <div class="article-content contenu-article">
    {chr(10).join(paragraphs)}
  </div>
  <div class="box-tags"><span>الكلمات المفتاحية</span> <a href="http://HOST/tag/%d8%b1%d8%a3%d9%8a/" rel="tag" class="tag_post_tag">رأي</a></div>
</article>
<section class="related-posts"><h2 class="section-title">مقالات ذات صلة</h2><div class="row">
{chr(10).join(_card(x) for x in others)}
</div></section>
<section id="comments" class="comments-area"><h3 class="comments-title">تعليقات الزوار ({c.comments})</h3>
  <ol class="comment-list">
{comments}
  </ol>
</section>
</div>
<aside class="col-12 col-lg-4 sidebar"><div class="bloc-pub pub-sidebar"><span>إعلان</span><div id="gpt-ad-sidebar"></div></div>
<div class="widget les-plus-lus"><h3 class="widget-title">الأكثر قراءة</h3><ul>{"".join(f'<li><a href="{_link(x)}">{esc(x.title)}</a></li>' for x in cols[:4])}</ul></div></aside>"""
    return _page(f"{c.title} | هسبريس", head, main,
                 f"wp-singular post-template-default single single-post postid-{c.key} single-format-standard")


def _listing(cols: list[Col], page: int) -> str:
    nav = ('<nav class="navigation pagination" aria-label="المقالات"><div class="nav-links">'
           + ('<span aria-current="page" class="page-numbers current">1</span>'
              '<a class="page-numbers" href="http://HOST/opinions/page/2/">2</a>'
              '<a class="next page-numbers" href="http://HOST/opinions/page/2/">التالي »</a>'
              if page == 1 else
              '<a class="prev page-numbers" href="http://HOST/opinions/">« السابق</a>'
              '<a class="page-numbers" href="http://HOST/opinions/">1</a>'
              '<span aria-current="page" class="page-numbers current">2</span>')
           + "</div></nav>")
    head = (f'<link rel="canonical" href="http://HOST/opinions/{"" if page == 1 else "page/2/"}">\n'
            '<link rel="alternate" type="application/rss+xml" title="هسبريس &raquo; كتاب وآراء '
            'تصنيف الخلاصة" href="http://HOST/opinions/feed/">\n'
            f'<link rel="alternate" title="JSON" type="application/json" href="http://HOST/wp-json/wp/v2/categories/{OPINIONS}">')
    main = f"""<div class="col-12">
<h1 class="page-title">كتاب وآراء</h1>
<div class="row list-posts">
{chr(10).join(_card(c) for c in cols)}
</div>
{nav}
</div>"""
    return _page("كتاب وآراء | هسبريس", head, main, "archive category category-opinions category-7")


def _author_page(c: Col, cols: list[Col]) -> str:
    main = f"""<div class="col-12"><h1 class="page-title">{esc(c.author)}</h1>
<div class="row list-posts">{"".join(_card(x) for x in cols if x.author == c.author)}</div></div>"""
    return _page(f"{c.author} | هسبريس", "", main, "archive author")


def _rfc822(when: Any) -> str:
    return str(when.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000"))


def _feed(cols: list[Col]) -> str:
    items = "\n".join(f"""	<item>
		<title>{esc(c.title)}</title>
		<link>{_link(c)}</link>
		<comments>{_link(c)}#respond</comments>
		<dc:creator><![CDATA[{c.author}]]></dc:creator>
		<pubDate>{_rfc822(c.published)}</pubDate>
		<category><![CDATA[كتاب وآراء]]></category>
		<guid isPermaLink="false">http://HOST/?p={c.key}</guid>
		<description><![CDATA[{c.paragraphs[0][:120]} [&#8230;]]]></description>
		<slash:comments>{c.comments}</slash:comments>
	</item>""" for c in cols)
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel>
	<title>كتاب وآراء &#8211; هسبريس</title>
	<atom:link href="http://HOST/opinions/feed/" rel="self" type="application/rss+xml" />
	<link>http://HOST/opinions/</link>
	<description>جريدة إلكترونية مغربية</description>
	<lastBuildDate>{_rfc822(cols[0].published)}</lastBuildDate>
	<language>ar</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<generator>https://wordpress.org/?v=6.6.2</generator>
{items}
</channel>
</rss>
"""


def _post(c: Col, category: int = OPINIONS) -> dict[str, Any]:
    utc = c.published.astimezone(UTC)
    content = "\n".join(f"<p>{esc(p)}</p>" for p in c.paragraphs) + "\n<p>&nbsp;</p>\n"
    return {
        "id": int(c.key), "date": c.published.strftime("%Y-%m-%dT%H:%M:%S"),
        "date_gmt": utc.strftime("%Y-%m-%dT%H:%M:%S"), "guid": {"rendered": f"http://HOST/?p={c.key}"},
        "modified": c.published.strftime("%Y-%m-%dT%H:%M:%S"),
        "modified_gmt": utc.strftime("%Y-%m-%dT%H:%M:%S"),
        "slug": pct(c.slug, lower=True), "status": "publish", "type": "post", "link": _link(c),
        "title": {"rendered": esc(c.title)},
        "content": {"rendered": content, "protected": False},
        "excerpt": {"rendered": f"<p>{esc(c.paragraphs[0][:120])} [&hellip;]</p>\n", "protected": False},
        "author": c.author_id, "featured_media": int(c.key) + 1, "comment_status": "open",
        "ping_status": "closed", "sticky": False, "template": "", "format": "standard",
        "meta": {"footnotes": ""}, "categories": [category], "tags": [212],
        "class_list": [f"post-{c.key}", "post", "type-post", "status-publish", "format-standard",
                       "has-post-thumbnail", "hentry", "category-opinions"],
        "_links": {"self": [{"href": f"http://HOST/wp-json/wp/v2/posts/{c.key}"}],
                   "author": [{"embeddable": True, "href": f"http://HOST/wp-json/wp/v2/users/{c.author_id}"}],
                   "wp:term": [{"taxonomy": "category", "embeddable": True,
                                "href": f"http://HOST/wp-json/wp/v2/categories?post={c.key}"}]},
        "_embedded": {
            "author": [{"code": "rest_no_route",
                        "message": "لم يتم العثور على مسار يتوافق مع URL وطريقة الطلب.",
                        "data": {"status": 404}}],
            "wp:featuredmedia": [{"id": int(c.key) + 1, "source_url":
                                  f"http://HOST/wp-content/uploads/2025/09/{c.key}.jpg"}],
            "wp:term": [[{"id": category, "link": "http://HOST/opinions/", "name": "كتاب وآراء",
                          "slug": "opinions", "taxonomy": "category"}]]},
    }


NEWS = [("1510301", "الحكومة تصادق على مشروع قانون المالية", 5),
        ("1510288", "أمطار رعدية مرتقبة بعدد من مناطق المملكة", 3),
        ("1510150", "الوداد يتعادل أمام الرجاء في الديربي", 9)]


def build() -> tuple[dict[str, str], dict[str, Any]]:
    cols, older = _columns(), _older()
    opinions = cols + older
    files: dict[str, str] = {
        "robots.txt": "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
                      "Disallow: /?s=\nDisallow: /search/\n",
        "opinions/index.html": _listing(cols, 1),
        "opinions/page/2/index.html": _listing(older, 2),
        "opinions/feed/index.xml": _feed(opinions),
        "_headers.json": json.dumps({"*": {"Link": '<http://HOST/wp-json/>; rel="https://api.w.org/"'}}),
    }
    for c in opinions:
        files[c.slug + ".html"] = _column(c, opinions)
        files[_author(c).lstrip("/") + "index.html"] = _author_page(c, opinions)
    posts = []
    news_cols = {}
    for key, title, cat in NEWS:
        n = _col(key, title, "tazi", (16, 20, 0), 2, 0)
        news_cols[key] = n
        files[n.slug + ".html"] = _column(n, [n])
        posts.append(_post(n, cat) | {"_embedded": {"author": [], "wp:term": [[{
            "id": cat, "name": "مجتمع", "slug": "societe", "taxonomy": "category"}]]}})
    posts += [_post(c) for c in opinions]
    posts.sort(key=lambda p: str(p["date_gmt"]), reverse=True)
    categories = [
        {"id": 3, "count": 15210, "description": "", "link": "http://HOST/societe/", "name": "مجتمع",
         "slug": "societe", "taxonomy": "category", "parent": 0},
        {"id": 5, "count": 9120, "description": "", "link": "http://HOST/politique/", "name": "سياسة",
         "slug": "politique", "taxonomy": "category", "parent": 0},
        {"id": OPINIONS, "count": 6402, "description": "", "link": "http://HOST/opinions/",
         "name": "كتاب وآراء", "slug": "opinions", "taxonomy": "category", "parent": 0},
        {"id": 9, "count": 11877, "description": "", "link": "http://HOST/sport/", "name": "رياضة",
         "slug": "sport", "taxonomy": "category", "parent": 0},
    ]
    files["wp-api.json"] = json.dumps({"posts": posts, "categories": categories},
                                      ensure_ascii=False, indent=1)
    data = truth(cols, {c.key: pct(_path(c), lower=True) for c in cols},
                 {c.key: _author(c) for c in cols},
                 listing="/opinions/", older=[pct(_path(c), lower=True) for c in older],
                 timezone=TZ, now=TODAY.isoformat(),
                 lacks=["credentials", "article_count", "views"],
                 model="Hespress (Morocco)-like WordPress: REST API announced but users "
                       "hidden, «الأحد 14 شتنبر 2025 - 15:05», teaser-only category feed, "
                       "visitors' comments with dates, French/Arabic classes")
    return files, data
