"""A media group's host carrying three papers' opinion sections (the "desk" sites).

Written into a temporary folder by ``write_desk`` and served by ``collect_helpers.serve``
(``http://HOST`` becomes the server's address). What it holds, for issue 10:

- /sharq/, /raya/, /watan/: three papers, one host, one robots.txt;
- a columnist writing in all three with different bylines, credentials and counts
  (/watan/ shows no count at all), her author pages sharing one last path segment;
- on /sharq/, two different people whose names differ only by ``د.`` and who have no
  author page;
- /sharq/ as html listing + RSS feed of teasers + news sitemap, listing the same pages;
- robots.txt with ``*`` and ``$`` rules, a longest-match Allow and a Crawl-delay.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FULL_BODY = (
    "<p>الفقرة الأولى من المقال كاملة كما نشرتها الصحيفة على صفحتها، وفيها تمهيد طويل "
    "يشرح المسألة من أولها ويذكر السياق الذي جاءت فيه.</p>\n"
    "<p>الفقرة الثانية تفصّل الحجة وتعرض الأمثلة من الواقع الخليجي، ثم تنتهي بخلاصة "
    "يقرؤها القارئ في الصفحة لا في ملخص الخلاصة.</p>"
)
TEASER = "الفقرة الأولى من المقال مختصرة في الخلاصة…"


@dataclass(frozen=True)
class Byline:
    name: str
    credentials: str | None
    count: str | None  # as printed; None: the paper shows no count
    url_path: str | None  # the author page, or None


@dataclass(frozen=True)
class DeskColumn:
    paper: str
    slug: str
    title: str
    byline: Byline
    date: str  # as printed: "2025-09-2X 08:00"
    views: str | None = None


MOZA = {
    "sharq": Byline("الدكتورة موزة بنت عبدالله بن محمد المري", "دكتوراه في الإعلام الرقمي",
                    "414", "/sharq/writers/moza-almarri"),
    "raya": Byline("د. موزة المري", "أستاذة الاتصال في جامعة قطر", "٥٢",
                   "/raya/kuttab/moza-almarri"),
    "watan": Byline("موزة المري", "كاتبة", None, "/watan/author/moza-almarri"),
}
DR_ALI = Byline("د. علي حسن", "طبيب استشاري", "12", None)
ALI = Byline("علي حسن", "معلّم متقاعد", "7", None)

COLUMNS = [
    DeskColumn("sharq", "media-1", "الإعلام الرقمي والصحافة الورقية", MOZA["sharq"],
               "2025-09-20 08:00", "1,200"),
    DeskColumn("sharq", "media-2", "منصات التواصل وصناعة الرأي", MOZA["sharq"],
               "2025-09-21 08:00", "950"),
    DeskColumn("sharq", "health", "صحة القلب في الصيف", DR_ALI, "2025-09-22 08:00", "300"),
    DeskColumn("sharq", "school", "ذكريات الفصل الأول", ALI, "2025-09-23 08:00", "80"),
    DeskColumn("raya", "campus", "الجامعة والإعلام", MOZA["raya"], "2025-09-21 09:00", "٤٠٠"),
    DeskColumn("raya", "youth", "الشباب والأخبار", MOZA["raya"], "2025-09-22 09:00", "٣١٠"),
    DeskColumn("watan", "reading", "القراءة في زمن الشاشات", MOZA["watan"],
               "2025-09-22 10:00", "500"),
]

ROBOTS = """User-agent: *
Disallow: /*?print=
Disallow: /*.pdf$
Disallow: /sharq/private/
Allow: /sharq/private/open.html
Crawl-delay: 0.05
"""

FIELDS = """
    fields:
      title: h1.headline
      author: .byline .name
      author_credentials: .byline .bio
      author_article_count: .byline .count b
      author_url: .byline .name a@href
      published: .dateline
      views: .hits
      body: .text
"""


def page(column: DeskColumn) -> str:
    b = column.byline
    name = f'<a href="{b.url_path}">{b.name}</a>' if b.url_path else b.name
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{column.title}</title>
<link rel="canonical" href="http://HOST/{column.paper}/opinion/{column.slug}.html">
</head><body>
<div class="byline"><h3 class="name">{name}</h3>
{f'<p class="bio">{b.credentials}</p>' if b.credentials else ''}
{f'<p class="count">مقالات <b>{b.count}</b></p>' if b.count else ''}
</div>
<article><h1 class="headline">{column.title}</h1>
<p class="dateline">{column.date}</p>
{f'<span class="hits">{column.views}</span>' if column.views else ''}
<div class="text">{FULL_BODY}</div></article>
</body></html>
"""


# Linked from /watan/ and gone (404): an Arabic path, long enough to be shortened.
GONE = "/watan/opinion/مقال-محذوف-عن-القراءة-في-زمن-الشاشات-والهواتف-الذكية-والكتب-الورقية.html"
# A print copy of /raya/opinion/campus.html (its canonical names the original).
PRINT_COPY = "/raya/opinion/print/campus.html"


def _listing(paper: str) -> str:
    links = "\n".join(f'<li><a class="col" href="{c.slug}.html">{c.title}</a></li>'
                      for c in COLUMNS if c.paper == paper)
    extra = ""
    if paper == "watan":
        extra = f'<li><a class="col" href="{GONE}">محذوف</a></li>'
    if paper == "raya":
        extra = f'<li><a class="col" href="{PRINT_COPY}">للطباعة</a></li>'

    if paper == "sharq":
        # A print copy (robots: /*?print=), a PDF (robots: /*.pdf$), and the robots
        # Allow inside a disallowed folder (longest match wins).
        extra = ('<li><a class="col" href="media-1.html?print=1">نسخة للطباعة</a></li>\n'
                 '<li><a class="col" href="/sharq/files/media-1.pdf">PDF</a></li>\n'
                 '<li><a class="col" href="/sharq/private/closed.html">مغلق</a></li>\n'
                 '<li><a class="col" href="/sharq/private/open.html">مفتوح</a></li>')
    return (f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>{paper}'
            f'</title></head><body><ul>\n{links}\n{extra}\n</ul></body></html>\n')


def _rss(paper: str) -> str:
    items = "\n".join(
        f"<item><title>{c.title}</title><link>http://HOST/{paper}/opinion/{c.slug}.html</link>"
        f"<guid>http://HOST/{paper}/opinion/{c.slug}.html</guid>"
        f"<dc:creator>{c.byline.name.split()[-1]}</dc:creator>"
        f"<pubDate>Sat, 20 Sep 2025 05:00:00 GMT</pubDate>"
        f"<description>{TEASER}</description></item>"
        for c in COLUMNS if c.paper == paper)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>رأي</title>'
            f'<link>http://HOST/{paper}/</link><description>رأي</description>\n{items}\n'
            '</channel></rss>\n')


def _sitemap(paper: str) -> str:
    urls = "\n".join(
        f"<url><loc>http://HOST/{paper}/opinion/{c.slug}.html</loc>"
        "<news:news><news:publication><news:name>الشرق</news:name>"
        "<news:language>ar</news:language></news:publication>"
        "<news:publication_date>2025-09-20T08:00:00+03:00</news:publication_date>"
        f"<news:title>{c.title}</news:title></news:news></url>"
        for c in COLUMNS if c.paper == paper)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f'{urls}\n</urlset>\n')


def write_desk(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "robots.txt").write_text(ROBOTS, encoding="utf-8")
    for paper in ("sharq", "raya", "watan"):
        folder = root / paper / "opinion"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(_listing(paper), encoding="utf-8")
    for column in COLUMNS:
        (root / column.paper / "opinion" / f"{column.slug}.html").write_text(
            page(column), encoding="utf-8")
    campus = next(c for c in COLUMNS if c.slug == "campus")
    (root / PRINT_COPY.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
    (root / PRINT_COPY.lstrip("/")).write_text(page(campus), encoding="utf-8")
    (root / "sharq" / "rss.xml").write_text(_rss("sharq"), encoding="utf-8")
    (root / "sharq" / "sitemap.xml").write_text(_sitemap("sharq"), encoding="utf-8")
    private = root / "sharq" / "private"
    private.mkdir(parents=True, exist_ok=True)
    open_column = DeskColumn("sharq", "private/open", "مقال في مجلد مفتوح", ALI,
                             "2025-09-19 08:00")
    (private / "open.html").write_text(page(open_column), encoding="utf-8")
    (private / "closed.html").write_text(page(open_column), encoding="utf-8")
    files = root / "sharq" / "files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "media-1.pdf").write_bytes(b"%PDF-1.4 not a column")
    return root


def desk_config(base: str, *, store: str = "syndicate.db", extra: str = "",
                http: str = "", sources: tuple[str, ...] = ("sharq", "raya", "watan")) -> str:
    """schedules.yaml text collecting the papers in ``sources`` (html listings)."""
    blocks = "".join(f"""
  - name: {paper}
    kind: html
    start_urls: ["{base}/{paper}/opinion/index.html"]
    links: a.col
{FIELDS}""" for paper in sources)
    return f"""
store: {store}
timezone: Asia/Qatar
http:
  user_agent: "syndicate-tests/1.0"
  timeout_s: 2
  retries: 1
  backoff_s: 0.01
  max_retry_wait_s: 0.05
  min_delay_s: 0
  allow_private_addresses: true
{http}
sources:{blocks}
{extra}
"""
