"""Writes the sample sites the collection tests serve on loopback (run it, commit both).

Four differently built (invented) newspapers:
- gulf/      listing pages + CSS selectors, Latin digits, ص/م, and every bad input;
- levant/    RSS + Atom feeds (dc:creator, media:statistics) whose pages carry
             Arabic-Indic digits, Levantine month names and a Hijri date;
- maghreb/   a Google News sitemap index; windows-1256 pages (charset in the header,
             in a <meta> only, or nowhere), Maghreb month names, JSON-LD/OpenGraph only;
- wp/        a WordPress REST API (two pages of posts) with the theme's view counts.
The expected columns are written by hand in ``expected.json`` beside them.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent


def write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


# -- gulf ------------------------------------------------------------------------

GULF_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>{title} | الخليج اليوم</title>
{canonical}
</head>
<body>
<div class="ad">مساحة إعلانية</div>
<aside class="writer">
<img class="writer-photo" src="/img/{slug}.png" alt="">
{author_html}
<p class="writer-bio">{bio}</p>
<p class="writer-count">مقالات <b>{count}</b></p>
</aside>
<article>
<h1 class="headline">{title}</h1>
{date_html}
{views_html}
{figure}
<div class="text">
{body}
<div class="ad">مساحة إعلانية</div>
<div class="share"><a href="https://twitter.example/share">مشاركة</a></div>
</div>
</article>
<section class="read-more"><h2>اقرأ المزيد</h2><span class="views">999</span></section>
</body>
</html>
"""


def gulf_page(*, slug: str, title: str, author: str | None, bio: str, count: str,
              date: str | None, views: str | None, body: str, canonical: str | None = None,
              image: str | None = None) -> str:
    return GULF_PAGE.format(
        title=title, slug=slug, bio=bio, count=count, body=body,
        canonical=f'<link rel="canonical" href="{canonical}">' if canonical else "",
        author_html=(f'<h3 class="writer-name"><a href="/writers/{slug}">{author}</a></h3>'
                     if author else ""),
        date_html=f'<p class="published">{date}</p>' if date else "",
        views_html=f'<span class="hits">{views}</span>' if views else "",
        figure=f'<figure class="lead"><img src="{image}" alt=""></figure>' if image else "",
    )


def gulf() -> None:
    root = HERE / "gulf"
    write(root / "robots.txt", "User-agent: *\nDisallow: /private/\n")
    columns = {
        "alliances": gulf_page(
            slug="hind-almarri", title="دبلوماسية الشراكات درعٌ للدول الصغيرة",
            author="د. هند سالم المري", bio="- دكتوراه في العلاقات الدولية", count="414",
            date="14 سبتمبر 2025 , 03:05ص", views="1,234",
            canonical="/opinion/columns/alliances.html", image="../../img/cover-alliances.jpg",
            body="<p>تحتاج الدول الصغيرة إلى شبكة من الشراكات المتوازنة تحمي قرارها المستقل.</p>\n"
                 "<p>فالشراكة الذكية تردع من غير تصعيد، وتمنح الدبلوماسية أدوات ضغط هادئة.</p>"),
        "water": gulf_page(
            slug="ali-alkubaisi", title="الماء قبل النفط", author="علي حسن الكبيسي",
            bio="كاتب في شؤون البيئة", count="1,032", date="15 سبتمبر 2025 , 11:45م",
            views="1.2 ألف", canonical="/opinion/columns/water.html",
            body='<p onclick="steal()">لن تصمد مدننا بلا مخزون مائي استراتيجي.'
                 '<script>alert("x")</script></p>\n'
                 '<p>اقرأ <a href="javascript:alert(1)">هنا</a> و<a href="../about.html">عن الكاتب</a>'
                 ' <img src="../../img/chart.png" alt="رسم"></p>'),
        "future": gulf_page(
            slug="ali-alkubaisi", title="عام الماء المقبل", author="علي حسن الكبيسي",
            bio="كاتب في شؤون البيئة", count="1,033", date="1 ديسمبر 2025 , 08:00ص",
            views="12K", canonical="/opinion/columns/future.html",
            body="<p>مقال نشر بتاريخ لاحق لتاريخ الجمع، فيُحفظ ويُعلَّم.</p>"),
        "relative": gulf_page(
            slug="hind-almarri", title="ما بعد القمة", author="د. هند سالم المري",
            bio="- دكتوراه في العلاقات الدولية", count="415", date="منذ ساعتين", views=None,
            canonical="/opinion/columns/relative.html",
            body="<p>انتهت القمة، وبدأ العمل الحقيقي في تفاصيل التنفيذ.</p>"),
        "no-date": gulf_page(
            slug="ali-alkubaisi", title="مقال بلا تاريخ", author="علي حسن الكبيسي",
            bio="", count="1", date=None, views="5", body="<p>نص.</p>"),
        "no-author": gulf_page(
            slug="unknown", title="مقال بلا كاتب", author=None, bio="", count="",
            date="14 سبتمبر 2025 , 10:00ص", views="7", body="<p>نص بلا توقيع.</p>"),
        # The same column as "alliances", printed under a second URL.
        "alliances-print": gulf_page(
            slug="hind-almarri", title="دبلوماسية الشراكات درعٌ للدول الصغيرة",
            author="د. هند سالم المري", bio="- دكتوراه في العلاقات الدولية", count="414",
            date="14 سبتمبر 2025 , 03:05ص", views="1,234",
            canonical="/opinion/columns/alliances.html", image="../../img/cover-alliances.jpg",
            body="<p>تحتاج الدول الصغيرة إلى شبكة من الشراكات المتوازنة تحمي قرارها المستقل.</p>\n"
                 "<p>فالشراكة الذكية تردع من غير تصعيد، وتمنح الدبلوماسية أدوات ضغط هادئة.</p>"),
        # Not linked anywhere: reached only through a redirect (/bad/moved-column).
        "no-canonical": gulf_page(
            slug="mona-alkhater", title="عمود بلا رابط أصلي", author="منى يوسف الخاطر",
            bio="أديبة وكاتبة", count="24", date="19 سبتمبر 2025 , 09:00ص", views="10",
            body="<p>صفحة بلا رابط أصلي.</p>"),
        "older": gulf_page(
            slug="mona-alkhater", title="المكتبات العامة من جديد", author="منى يوسف الخاطر",
            bio="أديبة وكاتبة", count="٢٣", date="الخميس 18 سبتمبر 2025 - 05:30 مساءً",
            views="٣ آلاف", canonical="/opinion/columns/older.html",
            body="<p>المكتبة العامة بيت ثانٍ للقارئ، ومساحة لقاء للحي كله.</p>"),
    }
    for name, page in columns.items():
        write(root / "opinion" / "columns" / f"{name}.html", page)
    truncated = columns["alliances"].replace("alliances.html", "truncated.html")
    write(root / "opinion" / "columns" / "truncated.html", truncated[: len(truncated) // 2])
    write(root / "private" / "secret.html", gulf_page(
        slug="x", title="سري", author="س", bio="", count="1", date="14 سبتمبر 2025 , 03:05ص",
        views="1", body="<p>لا يُجمع.</p>"))
    links = [
        "columns/alliances.html", "columns/water.html", "columns/future.html",
        "columns/relative.html", "columns/no-date.html", "columns/no-author.html",
        "columns/truncated.html", "/bad/empty", "/bad/big", "columns/missing.html",
        "/bad/500", "/bad/slow", "/bad/loop-a", "/bad/report.pdf", "/private/secret.html",
        "http://localhost:{port}/opinion/columns/offsite.html",
        "columns/alliances-print.html?utm_source=x#top", "javascript:void(0)",
    ]
    items = "\n".join(f'<li><a class="col" href="{href}">عمود</a></li>' for href in links)
    write(root / "opinion" / "index.html",
          f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>مقالات</title>'
          f'</head><body><ul>\n{items}\n</ul>'
          f'<a class="next" href="page-2.html">التالي</a></body></html>\n')
    # The same site without the bad links: a second collection of it is all 304s.
    clean = "\n".join(f'<li><a class="col" href="columns/{name}.html">عمود</a></li>'
                      for name in ("alliances", "water", "relative"))
    write(root / "opinion" / "clean.html",
          f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>مقالات</title>'
          f'</head><body><ul>\n{clean}\n</ul>'
          f'<a class="next" href="page-2.html">التالي</a></body></html>\n')
    write(root / "opinion" / "page-2.html",
          '<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>مقالات 2</title>'
          '</head><body><ul><li><a class="col" href="columns/older.html">عمود</a></li>'
          '<li><a class="col" href="columns/alliances.html">عمود</a></li></ul>'
          '<a class="next" href="clean.html">الأولى</a></body></html>\n')


# -- levant ----------------------------------------------------------------------

LEVANT_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{canonical}">
<meta property="og:title" content="{title}">
</head><body>
<header>جريدة الشام الجديد</header>
<div class="post">
<h1>{title}</h1>
<div class="meta"><span class="date">{date}</span> {views}</div>
<div class="bio">{bio}</div>
<div class="content">{body}</div>
</div>
</body></html>
"""


def levant() -> None:
    root = HERE / "levant"
    write(root / "robots.txt", "User-agent: *\nAllow: /\n")
    pages = {
        "1": {"title": "بيروت تستعيد مقاهيها", "date": "الاثنين ٢٢ أيلول ٢٠٢٥ ١٥:٣٠ - ٢٩ ربيع الأول ١٤٤٧ هـ",
                  "views": '<span class="views">١٬٢٣٤ مشاهدة</span>', "bio": "روائي وصحافي",
                  "body": "<p>عادت المقاهي القديمة إلى شارع الحمرا، ومعها نقاشات لا تنتهي.</p>"},
        "2": {"title": "ذاكرة الحجر في حلب", "date": "٢٩ ربيع الأول ١٤٤٧ هـ",
                  "views": '<span class="views">٣ آلاف مشاهدة</span>', "bio": "مهندسة معمارية",
                  "body": "<p>الحجر يحفظ ما تنساه الخرائط، والترميم قراءة ثانية للمدينة.</p>"},
        "3": {"title": "عمّان والمطر الأول", "date": "", "views": "", "bio": "",
                  "body": "<p>في المطر الأول تتغير المدينة، ويتذكر الناس أسماء الأودية.</p>"},
        "4": {"title": "رسالة المحرر", "date": "الخميس ٢٥ أيلول ٢٠٢٥ ٠٩:٠٠", "views": "", "bio": "",
                  "body": "<p>نرحب بقرائنا في الموسم الجديد من صفحة الرأي.</p>"},
    }
    for name, page in pages.items():
        write(root / "columns" / f"{name}.html",
              LEVANT_PAGE.format(canonical=f"/columns/{name}.html", **page))
    rss = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>الشام الجديد - رأي</title><link>/</link><description>رأي</description>
<item><title>بيروت تستعيد مقاهيها</title><link>/columns/1.html</link>
<dc:creator>سامر نقولا حداد</dc:creator><description>&lt;p&gt;عادت المقاهي القديمة إلى شارع الحمرا.&lt;/p&gt;</description></item>
<item><title>ذاكرة الحجر في حلب</title><link>/columns/2.html</link>
<dc:creator>د. ريم الأتاسي</dc:creator><description>&lt;p&gt;الحجر يحفظ ما تنساه الخرائط.&lt;/p&gt;</description></item>
<item><title>عمّان والمطر الأول</title><link>/columns/3.html</link>
<dc:creator>ليلى عبد الرحمن</dc:creator><pubDate>Tue, 23 Sep 2025 06:15:00 +0000</pubDate>
<media:community><media:statistics views="250"/></media:community>
<category>مجتمع</category>
<description>&lt;p&gt;في المطر الأول تتغير المدينة.&lt;/p&gt;</description></item>
<item><title>رسالة المحرر</title><link>/columns/4.html</link>
<description>&lt;p&gt;نرحب بقرائنا.&lt;/p&gt;</description></item>
<item><title>رابط خارجي</title><link>http://localhost:1/elsewhere.html</link><dc:creator>س</dc:creator></item>
</channel></rss>
"""
    write(root / "feed.xml", rss)
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">
<title>الشام الجديد - زوايا</title><id>urn:levant:atom</id><updated>2025-09-24T10:00:00+03:00</updated>
<entry><title>زاوية الأربعاء: الخبز والملح</title><id>urn:levant:5</id>
<link rel="alternate" href="http://HOST/columns/5.html"/>
<author><name>نزار قبّاني الصغير</name></author>
<published>2025-09-24T10:00:00+03:00</published><updated>2025-09-24T10:00:00+03:00</updated>
<content type="html">&lt;p&gt;الخبز والملح عهدٌ بين الجيران لا يُنقض.&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</content>
</entry>
</feed>
"""
    write(root / "atom.xml", atom)


# -- maghreb (windows-1256) --------------------------------------------------------

MAGHREB_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>{meta}<title>{title} - المغرب الجديد</title>
<meta property="og:title" content="{title}">
<meta property="og:url" content="{canonical}">
<meta property="og:image" content="/media/{slug}.jpg">
<script type="application/ld+json">{ld}</script>
</head><body>
<div class="chronique-header"><h1>{title}</h1><span class="date">{date}</span>
<span class="vues">{views}</span></div>
<div class="chronique">{body}<div class="pub">إشهار</div></div>
</body></html>
"""


def maghreb() -> None:
    root = HERE / "maghreb"
    write(root / "robots.txt", "User-agent: *\nDisallow: /admin/\n")
    pages = {
        # charset only in the HTTP header (see _headers.json)
        "chroniques/sahara-light": {
            "meta": "", "title": "ضوء الصحراء", "date": "12 شتنبر 2025 - 10:00", "views": "1.5 ألف",
            "author": {"@type": "Person", "name": "يوسف العلوي", "jobTitle": "كاتب وباحث"},
            "body": "<p>في الصحراء يتعلم المرء أن الضوء لغة، وأن الظل وطن مؤقت.</p>"},
        # charset only in a <meta>
        "chroniques/tunis-cafe": {
            "meta": '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">',
            "title": "مقهى في تونس العتيقة", "date": "03 جانفي 2025 على الساعة 18:20", "views": "2 مليون",
            "author": {"@type": "Person", "name": "آمنة بن سالم"},
            "body": "<p>في المدينة العتيقة مقهى يعرف زبائنه بأسمائهم، ويحفظ قهوتهم.</p>"},
        # no declaration anywhere: detected
        "chroniques/algiers-sea": {
            "meta": "", "title": "الجزائر تطل على البحر", "date": "7 أوت 2025", "views": "",
            "author": {"@type": "Person", "name": "كريم بوزيد", "description": "شاعر"},
            "body": "<p>البحر في الجزائر ليس منظرًا، بل جار قديم يزور المدينة كل صباح، "
                 "ويترك على نوافذها ملحًا وحكايات. والناس هنا يقرؤون الموج كما يقرؤون الصحف.</p>"},
        "sport/derby": {
            "meta": "", "title": "الديربي", "date": "1 شتنبر 2025", "views": "", "author": {"name": "س"},
            "body": "<p>رياضة.</p>"},
    }
    for path, page in pages.items():
        slug = path.rsplit("/", 1)[-1]
        ld = json.dumps({"@context": "https://schema.org", "@type": "OpinionNewsArticle",
                         "headline": page["title"], "author": page["author"],
                         "articleSection": "أعمدة"}, ensure_ascii=False)
        html = MAGHREB_PAGE.format(canonical=f"/{path}.html", slug=slug, ld=ld,
                                   **{k: v for k, v in page.items() if k != "author"})
        write(root / f"{path}.html", html, encoding="cp1256")
    write(root / "_headers.json", json.dumps({
        "/chroniques/sahara-light.html": {"Content-Type": "text/html; charset=windows-1256"},
        "/chroniques/tunis-cafe.html": {"Content-Type": "text/html"},
        "/chroniques/algiers-sea.html": {"Content-Type": "text/html"},
    }, indent=1))
    write(root / "sitemap_index.xml", """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://HOST/news-sitemap.xml</loc></sitemap>
</sitemapindex>
""")
    write(root / "news-sitemap.xml", """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://HOST/chroniques/sahara-light.html</loc>
 <news:news><news:publication><news:name>المغرب الجديد</news:name><news:language>ar</news:language></news:publication>
 <news:title>ضوء الصحراء</news:title></news:news></url>
<url><loc>http://HOST/chroniques/tunis-cafe.html</loc></url>
<url><loc>http://HOST/chroniques/algiers-sea.html</loc>
 <news:news><news:publication><news:name>المغرب الجديد</news:name><news:language>ar</news:language></news:publication>
 <news:publication_date>2025-08-07T08:30:00+01:00</news:publication_date>
 <news:title>الجزائر تطل على البحر</news:title></news:news></url>
<url><loc>http://HOST/sport/derby.html</loc></url>
</urlset>
""")


# -- wordpress -----------------------------------------------------------------------

def wp_post(n: int, slug: str, title: str, date_gmt: str, author: dict[str, object],
            body: str, media: str | None, categories: list[str]) -> dict[str, object]:
    embedded: dict[str, object] = {
        "author": [author],
        "wp:term": [[{"taxonomy": "category", "name": c} for c in categories],
                    [{"taxonomy": "post_tag", "name": "وسم"}]],
    }
    if media:
        embedded["wp:featuredmedia"] = [{"source_url": media}]
    return {
        "id": n, "link": f"http://HOST/2025/09/{slug}/", "date": "2025-09-20T10:00:00",
        "date_gmt": date_gmt, "title": {"rendered": title},
        "content": {"rendered": body}, "_embedded": embedded,
    }


def wordpress() -> None:
    root = HERE / "wp"
    write(root / "robots.txt", "User-agent: *\nDisallow: /wp-admin/\n")
    author1 = {"id": 2, "name": "فهد ناصر العتيبي", "description": "كاتب كويتي",
               "link": "http://HOST/author/fahad-alotaibi/",
               "avatar_urls": {"24": "http://HOST/av/24.png", "96": "http://HOST/av/96.png"}}
    author2: dict[str, object] = {"code": "rest_user_cannot_view", "message": "hidden"}
    posts = [
        wp_post(11, "sea-and-city", "البحر والمدينة &#8211; حكاية الكويت",
                "2025-09-20T07:00:00", author1,
                "<p>بُنيت الكويت على البحر، ومنه تعلّمت الصبر والتجارة.</p>",
                "http://HOST/media/sea.jpg", ["رأي", "مجتمع"]),
        wp_post(12, "old-souq", "السوق القديم", "2025-09-21T18:30:00", author1,
                "<p>في السوق القديم تُباع الحكايات مع التمر والبهارات.</p>", None, ["رأي"]),
        wp_post(13, "hidden-author", "مقال بكاتب محجوب", "2025-09-22T05:00:00", author2,
                "<p>نص مقال بكاتب لا تظهره الواجهة.</p>", None, ["رأي"]),
    ]
    write(root / "wp-json" / "posts-1.json", json.dumps(posts[:2], ensure_ascii=False, indent=1))
    write(root / "wp-json" / "posts-2.json", json.dumps(posts[2:], ensure_ascii=False, indent=1))
    for slug, views in (("sea-and-city", "12K"), ("old-souq", "٨٧٦"), ("hidden-author", "")):
        views_html = f'<span class="post-views">{views}</span>' if views else ""
        write(root / "2025" / "09" / slug / "index.html",
              f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>{slug}</title>'
              f'</head><body><article>{views_html}<p>النص</p></article></body></html>\n')


if __name__ == "__main__":
    gulf()
    levant()
    maghreb()
    wordpress()
