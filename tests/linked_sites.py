"""Loopback test sites for pages a column links to (issue 18), written into a folder the
test serves with ``collect_helpers.serve``:

- ``blog``: a blog platform (served on a second loopback host, 127.0.0.2) whose post
  pages show only the author's name, linked to an author page holding credentials,
  the article count (in words and digits, next to the year the author joined), a bio
  and a photo; one author page says it only as JSON-LD (ProfilePage);
- ``saudi``: a daily whose listing and feed link each column's AMP twin before the
  regular page; AMP pages carry no article count;
- ``copies``: a paper reprinting a column of ``saudi`` (canonical names the original)
  with its own byline, date and views, and one whose original is on no configured host.

``http://HOST`` in a file becomes the serving site's own address; ``{saudi}`` and
``{blog}`` are filled in by the writers below.
"""

from __future__ import annotations

import json
from pathlib import Path

from syndicate.config import Config, load

HTTP = """store: syndicate.db
http:
  user_agent: "syndicate-tests/1.0"
  timeout_s: 2
  retries: 0
  min_delay_s: 0
  allow_private_addresses: true
"""


def write_config(folder: Path, sources: str, extra: str = "") -> Config:
    """schedules.yaml in ``folder``: loopback-friendly http settings, ``extra`` top-level
    keys, then ``sources`` (YAML list items)."""
    path = folder / "schedules.yaml"
    path.write_text(f"{HTTP}{extra}\nsources:{sources}", encoding="utf-8")
    return load(str(path))


def write_files(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


# -- the blog platform -------------------------------------------------------------

def _post(title: str, author: str, handle: str, date: str, views: str, *,
          credentials: str = "") -> str:
    own = f'<p class="role">{credentials}</p>' if credentials else ""
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{title}</title></head><body>
<article><h1>{title}</h1>
<p class="byline"><a href="/u/{handle}.html">{author}</a></p>{own}
<time datetime="{date}">{date}</time> <span class="views">{views}</span>
<div class="post-body"><p>نص التدوينة: {title}. الماء حياة والمدن تحتاج إلى تخطيط.</p></div>
</article></body></html>"""


def _profile(name: str, role: str, count: str, bio: str, photo: str) -> str:
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{name}</title></head><body>
<section class="profile"><img class="avatar" src="{photo}" alt="">
<h1 class="who">{name}</h1><p class="role">{role}</p>
<p class="stats"><span class="count">{count}</span></p>
<div class="bio"><p>{bio}</p></div></section></body></html>"""


def blog(root: Path) -> Path:
    profile_ld = {
        "@context": "https://schema.org", "@type": "ProfilePage",
        "mainEntity": {
            "@type": "Person", "name": "يوسف الدوسري", "jobTitle": "باحث في الاقتصاد",
            "description": "يكتب عن الطاقة والأسواق.", "image": "/img/yousef.jpg",
            "agentInteractionStatistic": {
                "@type": "InteractionCounter", "interactionType": "https://schema.org/WriteAction",
                "userInteractionCount": "184"}},
    }
    return write_files(root, {
        "robots.txt": "User-agent: *\nDisallow: /drafts/\n",
        "index.html": """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<a class="post" href="/posts/water.html">1</a><a class="post" href="/posts/rivers.html">2</a>
<a class="post" href="/posts/heat.html">3</a><a class="post" href="/posts/energy.html">4</a>
</body></html>""",
        "posts/water.html": _post("الماء أولاً", "سلمى الهاجري", "salma-alhajri",
                                  "2025-09-24T08:00:00+03:00", "1٬204"),
        "posts/rivers.html": _post("أنهار المدن", "سلمى الهاجري", "salma-alhajri",
                                   "2025-09-23T08:00:00+03:00", "311"),
        # This post names its author's role itself: the post's own value wins.
        "posts/heat.html": _post("حرّ المدن", "نورة المري", "noura-almarri",
                                 "2025-09-22T08:00:00+03:00", "87",
                                 credentials="كاتبة ضيفة"),
        "posts/energy.html": _post("الطاقة بعد النفط", "يوسف الدوسري", "yousef-aldosari",
                                   "2025-09-21T08:00:00+03:00", "45"),
        "u/salma-alhajri.html": _profile(
            "سلمى الهاجري", "مهندسة مياه وناشطة في شؤون البيئة",
            "انضمت عام ٢٠١٤ · لها ٣١ مقالاً", "تكتب عن <b>الماء</b> والمدن.<script>x()</script>",
            "/img/salma.jpg"),
        "u/noura-almarri.html": _profile(
            "نورة المري", "أستاذة التخطيط العمراني", "لها ١٬٠٤٢ مقالة",
            "تدرّس التخطيط في جامعة قطر.", "/img/noura.jpg"),
        "u/yousef-aldosari.html": f"""<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8">
<script type="application/ld+json">{json.dumps(profile_ld, ensure_ascii=False)}</script>
</head><body><h1>يوسف الدوسري</h1></body></html>""",
    })


BLOG_SOURCE = """
  - name: blog
    kind: html
    start_urls: ["{base}/index.html"]
    links: a.post
    fields:
      title: h1
      author: .byline a
      author_url: .byline a@href
      author_credentials: article .role
      published: time@datetime
      views: .views
      body: .post-body
    author_page:
      credentials: .profile .role
      article_count: .profile .count
      bio: .profile .bio
      photo: .profile img.avatar@src
"""


# -- a Saudi daily with AMP twins ----------------------------------------------------

def _saudi_page(title: str, path: str, *, amp: bool, date: str, views: str, count: str,
                author_box: bool = True) -> str:
    # The AMP twin shows the byline without the author's link, credentials or count.
    box = (f'<div class="writer"><a class="writer-link" href="/writers/fahad-alotaibi.html">'
           f'فهد العتيبي</a><span class="role">اقتصادي</span>'
           f'<span class="count">{count}</span></div>' if author_box and not amp
           else '<div class="writer"><span class="name">فهد العتيبي</span></div>')
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"{' amp' if amp else ''}><head>
<meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="http://HOST{path}">
</head><body><article><h1>{title}</h1>{box}
<p class="date">{date}</p><span class="views">{views}</span>
<div class="body"><p>نص المقال: {title}. أسعار النفط وتنويع الاقتصاد.</p></div>
</article></body></html>"""


def saudi(root: Path) -> Path:
    date = "الأربعاء 2 ربيع الآخر 1447هـ - 24 سبتمبر 2025"
    return write_files(root, {
        "index.html": """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<a class="col" href="/amp/opinion/oil.html">AMP</a><a class="col" href="/opinion/oil.html">1</a>
<a class="col" href="/opinion/desal.html">2</a></body></html>""",
        "opinion/oil.html": _saudi_page("النفط والتنويع", "/opinion/oil.html", amp=False,
                                        date=date, views="6,120", count="مقالات 214"),
        "amp/opinion/oil.html": _saudi_page("النفط والتنويع", "/opinion/oil.html", amp=True,
                                            date=date, views="6,100", count=""),
        "opinion/desal.html": _saudi_page("تحلية المياه", "/opinion/desal.html", amp=False,
                                          date=date, views="2,045", count="مقالات 214"),
        # Its feed links the AMP twins only.
        "feed.xml": """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>الرأي</title><link>http://HOST/</link>
<item><title>تحلية المياه</title><link>http://HOST/amp/opinion/desal.html</link>
<pubDate>Tue, 23 Sep 2025 21:00:00 GMT</pubDate></item>
</channel></rss>""",
        # A twin the listing does not link: only the feed leads to it.
        "amp/opinion/desal.html": _saudi_page("تحلية المياه", "/opinion/desal.html", amp=True,
                                              date=date, views="2,000", count=""),
    })


SAUDI_FIELDS = """
    timezone: Asia/Riyadh
    fields:
      author: .writer a, .writer .name
      author_url: a.writer-link@href
      author_credentials: .writer .role
      author_article_count: .writer .count
      published: .date
      views: .views
      body: .body
"""
# Its listing (title from the page) and its feed (title from the item).
SAUDI_SOURCE = """
  - name: saudi
    kind: html
    start_urls: ["{base}/index.html"]
    links: a.col""" + SAUDI_FIELDS + """      title: h1
"""
SAUDI_FEED_SOURCE = """
  - name: saudi-feed
    kind: feed
    url: '{base}/feed.xml'""" + SAUDI_FIELDS


# -- a paper of copies -----------------------------------------------------------------

def _copy_page(title: str, canonical: str, author: str, date: str, views: str) -> str:
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{title}</title><link rel="canonical" href="{canonical}"></head><body>
<article><h1>{title}</h1><p class="by">{author}</p><p class="date">{date}</p>
<span class="views">{views}</span>
<div class="body"><p>نص المقال: {title}. منقول بإذن من صاحبه.</p></div></article>
</body></html>"""


def copies(root: Path, saudi_base: str) -> Path:
    return write_files(root, {
        "index.html": """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<a class="col" href="/reprints/oil.html">1</a><a class="col" href="/reprints/free.html">2</a>
</body></html>""",
        # A syndicated copy of the daily's column, with its own byline, date and views.
        "reprints/oil.html": _copy_page("النفط والتنويع", f"{saudi_base}/opinion/oil.html",
                                        "بقلم: فهد العتيبي (نقلاً عن اليومية)",
                                        "2025-09-25T07:00:00+03:00", "840"),
        # First published on a site no source is configured for: a column of its own here.
        "reprints/free.html": _copy_page("حرية التعبير", "https://elsewhere.example/col/9",
                                         "ريم السالم", "2025-09-25T06:00:00+03:00", "77"),
    })


COPIES_SOURCE = """
  - name: copies
    kind: html
    start_urls: ["{base}/index.html"]
    links: a.col
    fields:
      title: h1
      author: .by
      published: .date
      views: .views
      body: .body
"""
