"""Echorouk (Algeria)-like, on Joomla 4.

Joomla as it ships: a category blog listing (`items-row`, `blogPost` microdata) paged with
?start=N («التالي» in `pagination-next`), the category's RSS at ?format=feed&type=rss,
SEF URLs /ar/opinion/<id>-<slug>.html, microdata instead of JSON-LD
(`itemtype="https://schema.org/Article"`, `itemprop="author"` Person with a name only,
«بقلم:» outside the name span), `<time datetime>` with +01:00 (Algiers), visible dates with
the Algerian month names («02 فيفري 2026», «31 جانفي 2026»), hits «عدد الزيارات: 1234»,
no author page link, no credentials, no article count.
"""

from __future__ import annotations

from typing import Any

from common import Col, body, esc, local, pct, truth, weekday

TZ = "Africa/Algiers"
TODAY = local(TZ, 2026, 2, 3, 20, 0)
ALGERIAN_MONTHS = ("جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر",
                   "أكتوبر", "نوفمبر", "ديسمبر")

WRITERS = {"boukhari": "محمد بوخاري", "hamidi": "د. سليمة حميدي", "zeroual": "رشيد زروال"}


def _columns() -> list[Col]:
    rows = [
        ("218845", "المدرسة والكتاب", "hamidi", (2, 3, 9, 15), 1, 1234),
        ("218790", "شبابنا والبطالة المقنعة", "zeroual", (2, 2, 18, 40), 3, 5621),
        ("218733", "حين تعطش المدن", "boukhari", (2, 1, 7, 5), 0, 870),
        ("218690", "الهاتف في البيت", "hamidi", (1, 31, 21, 30), 5, 15402),
        ("218641", "اقتصاد بلا نفط؟", "boukhari", (1, 30, 8, 0), 2, 3307),
        ("218600", "أعراس الديون", "zeroual", (1, 29, 12, 20), 7, 2210),
    ]
    return [_col(*r) for r in rows]


def _col(key: str, title: str, who: str, when: tuple[int, int, int, int], topic: int,
         views: int) -> Col:
    return Col(key=key, slug="-".join(title.replace("؟", "").split()), title=title,
               author=WRITERS[who], author_slug=who, author_id=0, credentials=None,
               article_count=None, published=local(TZ, 2026, *when), views=views,
               paragraphs=body(topic, title, "نتوقف في هذا العمود عند"))


def _older() -> list[Col]:
    return [_col("218555", "صيف الجنوب", "boukhari", (1, 27, 10, 0), 6, 900)]


def _path(c: Col) -> str:
    return f"/ar/opinion/{c.key}-{c.slug}.html"


def _shown(c: Col) -> str:
    d = c.published
    return f"{d.day:02d} {ALGERIAN_MONTHS[d.month - 1]} {d.year}"


def _page(title: str, head: str, main: str, body_class: str) -> str:
    d = TODAY
    return f"""<!DOCTYPE html>
<html lang="ar-dz" dir="rtl">
<head>
    <meta charset="utf-8">
	<meta name="viewport" content="width=device-width, initial-scale=1">
	<meta name="generator" content="Joomla! - Open Source Content Management">
	<title>{esc(title)}</title>
{head}
	<link href="/media/templates/site/cassiopeia/css/template-rtl.min.css?8a5c1d" rel="stylesheet">
	<script type="application/json" class="joomla-script-options new">{{"system.paths":{{"root":"","rootFull":"http:\\/\\/HOST\\/","base":""}}}}</script>
	<script src="/media/system/js/core.min.js?576eb5"></script>
</head>
<body class="site com_content wrapper-static view-{body_class} no-layout no-task">
	<header class="header container-header full-width">
		<div class="grid-child container-topbar"><div class="moduletable date-today">{weekday(d)} {d.day:02d} {ALGERIAN_MONTHS[d.month - 1]} {d.year}</div>
		<div class="moduletable weather">الجزائر 14°</div></div>
		<div class="grid-child"><div class="navbar-brand"><a class="brand-logo" href="/ar/"><img loading="eager" decoding="async" src="/images/logo-echorouk.png" alt="الشروق أونلاين" width="260" height="60"></a></div></div>
		<div class="grid-child container-nav">
			<ul class="mod-menu mod-list nav ">
<li class="nav-item item-101"><a href="/ar/">الرئيسية</a></li><li class="nav-item item-102"><a href="/ar/national">وطني</a></li><li class="nav-item item-103"><a href="/ar/world">دولي</a></li><li class="nav-item item-104"><a href="/ar/economy">اقتصاد</a></li><li class="nav-item item-105 current active"><a href="/ar/opinion" aria-current="page">أقلام</a></li><li class="nav-item item-106"><a href="/ar/sport">رياضة</a></li></ul>
		</div>
	</header>
	<div class="site-grid">
		<div class="grid-child container-banner"><div class="moduletable pub-banner"><span class="pub-label">إشهار</span><div id="gpt-banner-top"></div></div></div>
		<div class="grid-child container-component">
			<main>
{main}
			</main>
		</div>
		<div class="grid-child container-sidebar-right"><div class="sidebar-right card ">
			<h3 class="card-header ">الأكثر قراءة</h3>
			<div class="card-body"><ul class="mostread mod-list"><li itemscope itemtype="https://schema.org/Article"><a href="/ar/national/218850-تساقط-الثلوج-على-المرتفعات.html" itemprop="url"><span itemprop="name">تساقط الثلوج على المرتفعات</span></a></li><li itemscope itemtype="https://schema.org/Article"><a href="/ar/sport/218848-الخضر-يستعدون.html" itemprop="url"><span itemprop="name">الخضر يستعدون للتربص</span></a></li></ul></div>
		</div></div>
	</div>
	<footer class="container-footer footer full-width"><div class="grid-child"><div class="newsletter"><form action="/ar/newsletter" method="post"><input type="email" name="email" placeholder="بريدك الإلكتروني"><button>اشتراك</button></form></div>
	<p>© {d.year} الشروق أونلاين. جميع الحقوق محفوظة</p></div></footer>
</body>
</html>
"""


def _column(c: Col) -> str:
    url = "http://HOST" + pct(_path(c))
    head = f"""	<meta name="author" content="{esc(c.author)}">
	<meta name="description" content="{esc(c.paragraphs[0][:150])}">
	<link href="{url}" rel="canonical">
	<meta property="og:title" content="{esc(c.title)}">
	<meta property="og:type" content="article">
	<meta property="og:url" content="{url}">"""
    paragraphs = [f"<p>{esc(p)}</p>" for p in c.paragraphs]
    paragraphs.insert(2, '<div class="moduletable pub-article"><span class="pub-label">إشهار</span><div id="gpt-inarticle"></div></div>')
    paragraphs.append("<p>&nbsp;</p>")
    main = f"""				<div id="system-message-container" aria-live="polite"></div>
				<div class="com-content-article item-page" itemscope itemtype="https://schema.org/Article">
	<meta itemprop="inLanguage" content="ar-DZ">
	<div class="page-header">
		<h1 itemprop="headline">{esc(c.title)}</h1>
	</div>
			<dl class="article-info text-muted">
			<dt class="article-info-term">التفاصيل</dt>
			<dd class="createdby" itemprop="author" itemscope itemtype="https://schema.org/Person">
	<span class="icon-user icon-fw" aria-hidden="true"></span>
	بقلم: <span itemprop="name">{esc(c.author)}</span>	</dd>
			<dd class="category-name">
	<span class="icon-folder-open icon-fw" aria-hidden="true"></span>						الفئة: <a href="/ar/opinion" itemprop="genre">أقلام</a>	</dd>
			<dd class="published">
	<span class="icon-calendar icon-fw" aria-hidden="true"></span>
	<time datetime="{c.published.isoformat()}" itemprop="datePublished">
		نشر في: {_shown(c)}	</time>
</dd>
			<dd class="hits">
	<span class="icon-eye icon-fw" aria-hidden="true"></span>
	<meta itemprop="interactionCount" content="UserPageVisits:{c.views}">
	عدد الزيارات: {c.views}</dd>
			</dl>
	<div class="social-share"><a href="https://www.facebook.com/sharer.php?u={url}">فيسبوك</a> <a href="https://twitter.com/share?url={url}">تويتر</a></div>
	<div itemprop="articleBody" class="com-content-article__body">
		{chr(10).join(paragraphs)}
	</div>
	<ul class="tags list-inline"><li class="list-inline-item tag-12 tag-list0"><a href="/ar/tags/opinion" class="btn btn-sm btn-info">رأي</a></li></ul>
	<nav class="pagenavigation" aria-label="تنقل الصفحة"><span class="pagination ms-0"><a class="btn btn-sm btn-secondary previous" href="/ar/opinion" rel="prev">السابق</a></span></nav>
	<div class="comments-count">التعليقات (<span>{len(c.title) % 7}</span>)</div>
</div>"""
    return _page(f"{c.title} - الشروق أونلاين", head, main, "article")


def _listing(cols: list[Col], start: int) -> str:
    items = "\n".join(f"""			<div class="com-content-category-blog__item blog-item" itemprop="blogPost" itemscope itemtype="https://schema.org/BlogPosting">
				<div class="item-content">
					<div class="page-header"><h2 itemprop="name"><a href="{_path(c)}" itemprop="url">{esc(c.title)}</a></h2></div>
					<dl class="article-info text-muted"><dd class="createdby" itemprop="author" itemscope itemtype="https://schema.org/Person">بقلم: <span itemprop="name">{esc(c.author)}</span></dd>
					<dd class="published"><time datetime="{c.published.isoformat()}" itemprop="datePublished">نشر في: {_shown(c)}</time></dd></dl>
					<p>{esc(c.paragraphs[0][:120])}…</p>
					<p class="readmore"><a class="btn btn-secondary" href="{_path(c)}" aria-label="اقرأ المزيد: {esc(c.title)}">اقرأ المزيد &hellip;</a></p>
				</div>
			</div>""" for c in cols)
    nav = ('<div class="com-content-category-blog__navigation w-100"><nav class="pagination__wrapper" aria-label="ترقيم الصفحات"><ul class="pagination ms-0 mb-4">'
           '<li class="disabled page-item"><span class="page-link">البداية</span></li>'
           '<li class="active page-item"><span aria-current="true" class="page-link">1</span></li>'
           '<li class="page-item"><a aria-label="انتقل إلى الصفحة 2" href="/ar/opinion?start=6" class="page-link">2</a></li>'
           '<li class="page-item pagination-next"><a aria-label="انتقل إلى الصفحة التالية" href="/ar/opinion?start=6" class="page-link">التالي</a></li>'
           "</ul></nav></div>") if start == 0 else ""
    head = ('	<link href="/ar/opinion?format=feed&amp;type=rss" rel="alternate" type="application/rss+xml" title="RSS 2.0">\n'
            '	<link href="/ar/opinion?format=feed&amp;type=atom" rel="alternate" type="application/atom+xml" title="Atom 1.0">')
    main = f"""				<div class="com-content-category-blog blog" itemscope itemtype="https://schema.org/Blog">
		<h1>أقلام</h1>
		<div class="com-content-category-blog__items blog-items">
{items}
		</div>
		{nav}
	</div>"""
    return _page("أقلام - الشروق أونلاين", head, main, "category")


def _rss(cols: list[Col]) -> str:
    items = "\n".join(f"""		<item>
			<title>{esc(c.title)}</title>
			<link>http://HOST{pct(_path(c))}</link>
			<guid isPermaLink="true">http://HOST{pct(_path(c))}</guid>
			<description><![CDATA[<p>{c.paragraphs[0][:120]}…</p>]]></description>
			<author>{esc(c.author)}</author>
			<category>أقلام</category>
			<pubDate>{c.published.strftime("%a, %d %b %Y %H:%M:%S %z")}</pubDate>
		</item>""" for c in cols)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!-- generator="Joomla! - Open Source Content Management" -->
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
	<channel>
		<title>أقلام - الشروق أونلاين</title>
		<description><![CDATA[أقلام]]></description>
		<link>http://HOST/ar/opinion</link>
		<lastBuildDate>{TODAY.strftime("%a, %d %b %Y %H:%M:%S %z")}</lastBuildDate>
		<generator>Joomla! - Open Source Content Management</generator>
		<atom:link rel="self" type="application/rss+xml" href="http://HOST/ar/opinion?format=feed&amp;type=rss"/>
		<language>ar-dz</language>
{items}
	</channel>
</rss>
"""


def build() -> tuple[dict[str, Any], dict[str, Any]]:
    cols, older = _columns(), _older()
    files: dict[str, Any] = {
        "robots.txt": "User-agent: *\nDisallow: /administrator/\nDisallow: /api/\nDisallow: /bin/\n"
                      "Disallow: /cache/\nDisallow: /cli/\nDisallow: /components/\n"
                      "Disallow: /includes/\nDisallow: /installation/\nDisallow: /language/\n"
                      "Disallow: /layouts/\nDisallow: /libraries/\nDisallow: /logs/\n"
                      "Disallow: /modules/\nDisallow: /plugins/\nDisallow: /tmp/\n",
        "ar/opinion/index.html": _listing(cols, 0),
        "ar/opinion/start=6.html": _listing(older, 6),
        "ar/opinion/format=feed_type=rss.xml": _rss(cols + older),
    }
    for c in cols + older:
        files[_path(c).lstrip("/")] = _column(c)
    data = truth(cols, {c.key: pct(_path(c)) for c in cols}, {}.fromkeys([c.key for c in cols]),
                 listing="/ar/opinion", older=[pct(_path(c)) for c in older], timezone=TZ,
                 now=TODAY.isoformat(), lacks=["credentials", "article_count", "author_url"],
                 model="Echorouk (Algeria)-like Joomla 4: category blog with ?start= pages, "
                       "RSS at ?format=feed&type=rss, microdata Article/Person (no JSON-LD), "
                       "«بقلم:» outside the name, Algerian months «فيفري/جانفي», hits views")
    return files, data
