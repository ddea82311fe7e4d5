"""An Egyptian daily in the manner of Al-Masry Al-Youm / Al-Ahram.

Columns live under the same /news/details/N pattern as the news (the listing's «الأكثر
قراءة» box links news with it), Arabic-Indic digits everywhere («الأحد ٢٦ أكتوبر ٢٠٢٥ -
١٢:٢٠ ص», «قراءة ١٬٢٠٠»), a partial JSON-LD NewsArticle (author's name only), an OpenGraph
title of the form «X يكتب: …», two older columns pasted as text with <br> instead of
paragraphs, and the week in which Cairo leaves summer time (+03:00 → +02:00 on 31 October).
No credentials and no article count are printed anywhere.
"""

from __future__ import annotations

import json
from typing import Any

from common import AR_INDIC, GREG_MONTHS, Col, ampm_12, body, esc, group, local, truth, weekday

TZ = "Africa/Cairo"
TODAY = local(TZ, 2025, 11, 4, 22, 0)

WRITERS = {
    "abdelrahim": ("محمود عبد الرحيم", 812),
    "sawy": ("د. منى الصاوي", 1460),
    "gammal": ("أحمد فؤاد الجمال", 395),
    "shennawy": ("نبيل الشناوي", 2071),
}


def ind(text: object) -> str:
    return str(text).translate(AR_INDIC)


def _columns() -> list[Col]:
    rows = [
        ("3412870", "حين تصبح الشاشة هي البيت", "sawy", (11, 4, 20, 15), 5, 1200),
        ("3411954", "الجامعة والمصنع.. فجوة لا تردمها اللجان", "abdelrahim", (11, 2, 11, 30), 3, 874),
        ("3410421", "صيف لا ينتهي", "shennawy", (10, 31, 21, 0), 6, 15320),
        ("3409876", "اقتصاد ما بعد الصدمة", "gammal", (10, 29, 22, 45), 2, 2431),
        ("3408990", "كتاب على كل رف", "sawy", (10, 27, 15, 5), 1, 96),
        ("3408102", "مهور تثقل الأعناق", "abdelrahim", (10, 26, 0, 20), 7, 3018),
    ]
    out: list[Col] = []
    for key, title, who, (m, d, hh, mm), topic, views in rows:
        name, wid = WRITERS[who]
        out.append(Col(key=key, slug=key, title=title, author=name, author_slug=who,
                       author_id=wid, credentials=None, article_count=None,
                       published=local(TZ, 2025, m, d, hh, mm), views=views,
                       paragraphs=body(topic, title, "لعل أول ما يخطر بالبال عند الحديث عن"),
                       comments=(3, 0, 11, 1, 0, 5)[len(out)]))
    return out


def _older() -> list[Col]:
    """Page 2 of the listing: older columns, not in the truth (a first run need not read them)."""
    name, wid = WRITERS["gammal"]
    return [Col(key=key, slug=key, title=title, author=name, author_slug="gammal", author_id=wid,
                credentials=None, article_count=None, published=local(TZ, 2025, 10, d, 20, 0),
                views=500, paragraphs=body(topic, title, "ليس جديدًا القول إن"))
            for key, title, d, topic in (("3407001", "مدينة للمشاة", 24, 4),
                                         ("3406100", "الماء قبل النفط", 22, 0))]


NEWS = [("3412901", "محافظ القاهرة يتفقد أعمال تطوير ميدان التحرير", 48210),
        ("3412777", "الأرصاد: طقس مائل للحرارة نهارًا على أغلب الأنحاء", 35122),
        ("3412650", "وزير التعليم يعلن ضوابط امتحانات نصف العام", 29870),
        ("3412433", "ارتفاع أسعار الذهب في ختام تعاملات اليوم", 22004)]


def _path(key: str) -> str:
    return f"/news/details/{key}"


def _editor(c: Col) -> str:
    return f"/editor/details/{c.author_id}"


def _date(c: Col, *, clock: bool = True) -> str:
    d = c.published
    text = f"{weekday(d)} {d.day} {GREG_MONTHS[d.month - 1]} {d.year}"
    if clock:
        hm, half = ampm_12(d)
        text += f" - {hm} {half}"
    return ind(text)


HEAD = """<link rel="stylesheet" href="/content/css/main.min.css?v=3.4.11">
<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client=ca-pub-4812345678901234" crossorigin="anonymous"></script>
<script>var dataLayer = dataLayer || []; dataLayer.push({"section":"opinion","pageType":"article"});</script>"""


def _header() -> str:
    d = TODAY
    return f"""<header id="header">
  <div class="topHeader">
    <div class="container clearfix">
      <div class="todayDate">{ind(f"{weekday(d)} {d.day} {GREG_MONTHS[d.month - 1]} {d.year}")} | {ind("13")} جمادى الأولى {ind("1447")}</div>
      <div class="currency">الدولار: {ind("47.52")} جنيه</div>
      <ul class="socialTop"><li><a href="https://www.facebook.com/almasryalyoum" class="fb"></a></li><li><a href="https://x.com/AlMasryAlYoum" class="tw"></a></li></ul>
    </div>
  </div>
  <div class="container logoBar"><a href="/" class="logo"><img src="/content/images/logo.png" alt="المصري اليوم"></a>
    <div class="adTop"><ins class="adsbygoogle" data-ad-slot="1234567890"></ins><span class="adLabel">إعلان</span></div></div>
  <nav class="mainMenu"><div class="container"><ul>
    <li><a href="/">الرئيسية</a></li><li><a href="/section/index/3">أخبار</a></li><li><a href="/section/index/4">حوادث</a></li>
    <li><a href="/section/index/8">رياضة</a></li><li><a href="/section/index/9">اقتصاد</a></li><li class="active"><a href="/opinion">رأي</a></li>
    <li><a href="/section/index/12">فنون</a></li><li><a href="/section/index/35">منوعات</a></li><li><a href="/epaper">العدد الورقي</a></li>
  </ul></div></nav>
</header>"""


def _most_read() -> str:
    items = "\n".join(
        f'      <li><span class="num">{ind(i + 1)}</span><a href="{_path(k)}">{esc(t)}</a>'
        f'<span class="views">{ind(group(v, "٬"))}</span></li>'
        for i, (k, t, v) in enumerate(NEWS))
    return f"""<div class="mostRead box">
    <h3 class="boxTitle">الأكثر قراءة</h3>
    <ul>
{items}
    </ul>
  </div>"""


def _page(title: str, head: str, main: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc(title)}</title>
{head}
{HEAD}
</head>
<body>
{_header()}
<div class="container mainContent clearfix">
<div class="rightCol">
{main}
</div>
<div class="leftCol">
  <div class="adBox"><span class="adLabel">إعلان</span><ins class="adsbygoogle" data-ad-slot="9876543210"></ins></div>
  {_most_read()}
  <div class="newsletterBox box"><h3>النشرة البريدية</h3><p>اشترك ليصلك أهم الأخبار</p><form action="/newsletter"><input type="email" name="mail"><button>اشترك</button></form></div>
</div>
</div>
<footer id="footer"><div class="container"><p>جميع الحقوق محفوظة © {ind(2025)} المصري اليوم</p><ul><li><a href="/home/about">من نحن</a></li><li><a href="/home/contactus">اتصل بنا</a></li></ul></div></footer>
<script src="/content/js/jquery.min.js"></script><script src="/content/js/main.min.js?v=3.4.11"></script>
</body>
</html>
"""


def _column(c: Col, cols: list[Col], br_paragraphs: bool) -> str:
    url = "http://HOST" + _path(c.key)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "mainEntityOfPage": {"@type": "WebPage", "@id": url}, "headline": c.title,
          "description": c.paragraphs[0][:160], "image": [f"http://HOST/content/images/writers/{c.author_id}.jpg"],
          "datePublished": c.published.isoformat(), "dateModified": c.published.isoformat(),
          "author": {"@type": "Person", "name": c.author},
          "publisher": {"@type": "Organization", "name": "المصري اليوم",
                        "logo": {"@type": "ImageObject", "url": "http://HOST/content/images/logo.png"}}}
    head = f"""<meta name="description" content="{esc(c.paragraphs[0][:160])}">
<link rel="canonical" href="{url}">
<link rel="amphtml" href="http://HOST/amp/news/details/{c.key}">
<meta property="og:site_name" content="المصري اليوم">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(c.author)} يكتب: {esc(c.title)}">
<meta property="og:description" content="{esc(c.paragraphs[0][:160])}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="http://HOST/content/images/writers/{c.author_id}.jpg">
<meta property="article:section" content="رأي">
<meta name="twitter:card" content="summary_large_image">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>"""
    if br_paragraphs:
        story = "<div class=\"NewsStory\" id=\"NewsStory\">\n" + "<br><br>\n".join(
            esc(p) for p in c.paragraphs) + "<br>&nbsp;\n</div>"
    else:
        parts = [f"<p>{esc(p)}</p>" for p in c.paragraphs]
        parts.insert(2, '<div class="inlineAd"><span class="adLabel">إعلان</span>'
                        '<ins class="adsbygoogle" data-ad-slot="5555"></ins></div>')
        others = [x for x in cols if x is not c][:2]
        parts.insert(1, '<div class="relatedInline"><strong>اقرأ أيضًا</strong><ul>' + "".join(
            f'<li><a href="{_path(x.key)}">{esc(x.title)}</a></li>' for x in others)
            + "</ul></div>")
        parts.append("<p>&nbsp;</p>")
        story = '<div class="NewsStory" id="NewsStory">\n' + "\n".join(parts) + "\n</div>"
    same = [x for x in cols if x.author == c.author and x is not c]
    more = "\n".join(f'<li><a href="{_path(x.key)}">{esc(x.title)}</a><span class="date">'
                     f"{_date(x, clock=False)}</span></li>" for x in same)
    editor = _editor(c)
    main = f"""<div class="article opinionArticle">
  <div class="breadcrumb"><a href="/">الرئيسية</a> &gt; <a href="/opinion">رأي</a></div>
  <div class="writerBox clearfix">
    <a href="{editor}" class="writerImg"><img src="/content/images/writers/{c.author_id}.jpg" alt="{esc(c.author)}"></a>
    <div class="writerData"><a href="{editor}" class="writerName">{esc(c.author)}</a>
    <a href="{editor}" class="allArticles">جميع مقالات الكاتب</a></div>
  </div>
  <h1 class="articleTitle">{esc(c.title)}</h1>
  <div class="articleInfo">
    <span class="pubDate">{_date(c)}</span>
    <span class="views"><i class="icon-eye"></i> قراءة {ind(group(c.views or 0, "٬"))}</span>
    <span class="comments"><i class="icon-comment"></i> {ind(c.comments)} تعليق</span>
  </div>
  <div class="shareBar"><span>شارك</span><a class="fb" href="https://www.facebook.com/sharer/sharer.php?u={url}">فيسبوك</a><a class="tw" href="https://x.com/intent/post?url={url}">إكس</a><a class="wa" href="whatsapp://send?text={url}">واتساب</a><a class="tg" href="https://t.me/share/url?url={url}">تليجرام</a></div>
  {story}
  <div class="tags"><span>الكلمات المفتاحية</span><a href="/tags/رأي">رأي</a><a href="/tags/{esc(c.author)}">{esc(c.author)}</a></div>
  <div class="followUs">تابع المصري اليوم على <a href="https://news.google.com/publications/CAAqBwgKMJ">جوجل نيوز</a></div>
  <div class="moreWriter box"><h3 class="boxTitle">مقالات أخرى للكاتب</h3><ul>{more}</ul></div>
  <div class="commentsBox"><h3>التعليقات ({ind(c.comments)})</h3><div class="fb-comments" data-href="{url}"></div></div>
</div>"""
    return _page(f"{c.title} | المصري اليوم", head, main)


def _listing(cols: list[Col], page: int, next_page: int | None) -> str:
    items = "\n".join(f"""  <div class="opinionItem clearfix">
    <a href="{_editor(c)}" class="writerImg"><img src="/content/images/writers/{c.author_id}.jpg" alt="{esc(c.author)}"></a>
    <div class="data">
      <a href="{_editor(c)}" class="writerName">{esc(c.author)}</a>
      <h3><a href="{_path(c.key)}">{esc(c.title)}</a></h3>
      <span class="time">{_date(c, clock=False)}</span>
    </div>
  </div>""" for c in cols) or '  <p class="noResults">لا توجد مقالات</p>'
    pages = "".join(f'<li class="active"><span>{ind(n)}</span></li>' if n == page
                    else f'<li><a href="/opinion?page={n}">{ind(n)}</a></li>' for n in (1, 2))
    if next_page:
        pages += f'<li><a class="next" href="/opinion?page={next_page}">التالي</a></li>'
    main = f"""<h1 class="sectionTitle">مقالات الرأي</h1>
<div class="opinionList">
{items}
</div>
<ul class="pagination">{pages}</ul>"""
    head = '<link rel="canonical" href="http://HOST/opinion">'
    return _page("مقالات الرأي | المصري اليوم", head, main)


def _news(key: str, title: str) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
          "datePublished": "2025-11-04T18:40:00+02:00",
          "author": {"@type": "Person", "name": "كتب: محمد السيد"}}
    head = (f'<link rel="canonical" href="http://HOST{_path(key)}">\n'
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
    main = f"""<div class="article newsArticle">
  <h1 class="articleTitle">{esc(title)}</h1>
  <div class="articleInfo"><span class="author">كتب: محمد السيد</span><span class="pubDate">{ind("الثلاثاء 4 نوفمبر 2025 - 06:40 م")}</span></div>
  <div class="NewsStory" id="NewsStory"><p>{esc(title)}، وذلك في إطار متابعة الأجهزة المعنية لتنفيذ الخطة المعلنة.</p></div>
</div>"""
    return _page(f"{title} | المصري اليوم", head, main)


def _editor_page(c: Col, cols: list[Col]) -> str:
    mine = "\n".join(f'<li><a href="{_path(x.key)}">{esc(x.title)}</a> <span class="time">'
                     f"{_date(x, clock=False)}</span></li>" for x in cols if x.author == c.author)
    main = f"""<div class="editorPage"><img src="/content/images/writers/{c.author_id}.jpg" alt="">
<h1>{esc(c.author)}</h1><ul class="editorArticles">{mine}</ul></div>"""
    return _page(f"{c.author} | المصري اليوم", "", main)


def build() -> tuple[dict[str, str], dict[str, Any]]:
    cols, older = _columns(), _older()
    files = {
        "robots.txt": "User-agent: *\nDisallow: /search/\nDisallow: /amp/\nCrawl-delay: 1\n",
        "opinion/index.html": _listing(cols, 1, 2),
        "opinion/page=2.html": _listing(older, 2, 3),
        "opinion/page=3.html": _listing([], 3, None),
    }
    everyone = cols + older
    for i, c in enumerate(everyone):
        files[_path(c.key).lstrip("/") + "/index.html"] = _column(c, everyone, i in (4, 5))
        files[_editor(c).lstrip("/") + "/index.html"] = _editor_page(c, everyone)
    for key, title, _ in NEWS:
        files[_path(key).lstrip("/") + "/index.html"] = _news(key, title)
    data = truth(cols, {c.key: _path(c.key) for c in cols}, {c.key: _editor(c) for c in cols},
                 listing="/opinion", older=[_path(c.key) for c in older], timezone=TZ, now=TODAY.isoformat(),
                 lacks=["credentials", "article_count"],
                 model="Egyptian daily (Al-Masry Al-Youm-like): Arabic-Indic digits, views "
                       "«قراءة ١٬٢٠٠», partial JSON-LD, og:title «X يكتب: …», <br> bodies, "
                       "Cairo leaving summer time, news and columns under one URL pattern")
    return files, data
