"""Write the bundled sample site (`examples/site/`) from the texts in `site_data.py`.

    python examples/build_site.py

The output is committed; rerun this after editing the data. Standard library only, output is
deterministic (no clock, no randomness). Pages use relative links only, so the site works from
`file://` URLs and from any static server.
"""

from __future__ import annotations

import html
import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from site_data import AUTHORS, BROKEN, COLUMNS, PAPER

ROOT = Path(__file__).resolve().parent / "site"
QATAR = timezone(timedelta(hours=3))
MONTHS = [
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
]
ARAB_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ARAB_NUMBER = str.maketrans("0123456789,", "٠١٢٣٤٥٦٧٨٩٬")  # with the Arabic thousands separator

CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f4f1ea;color:#222;font-family:"Noto Naskh Arabic","Noto Sans Arabic",
"Geeza Pro",Tahoma,sans-serif;line-height:1.9}
a{color:#1f4e6b;text-decoration:none}a:hover{text-decoration:underline}
.masthead{background:#fff;border-bottom:4px solid #8a1c1c;padding:.6rem 1.5rem}
.masthead-top{display:flex;justify-content:space-between;font-size:.85rem;color:#555}
.masthead-logo{text-align:center;margin:.2rem 0}
.masthead-logo a{color:#8a1c1c;font-size:2.4rem;font-weight:bold}
.masthead-logo .latin{display:block;font-family:Georgia,serif;font-size:.9rem;color:#777;
letter-spacing:.2em}
nav.sections{background:#8a1c1c;padding:.4rem 1.5rem}nav.sections a{color:#fff;margin-left:1.2rem}
.ad{background:repeating-linear-gradient(45deg,#e9e4d8,#e9e4d8 10px,#e2dccd 10px,#e2dccd 20px);
color:#8b8472;text-align:center;font-size:.8rem;padding:1.2rem;margin:1rem 0;border:1px dashed #c9c0aa}
.ad-leaderboard{max-width:970px;margin:1rem auto}
.layout{display:grid;grid-template-columns:240px 1fr;gap:1.5rem;max-width:1100px;margin:0 auto;
padding:0 1rem}
.author-box{background:#fff;padding:1rem;border-radius:6px;text-align:center;align-self:start}
.author-photo{border-radius:50%;width:96px;height:96px}
.author-name{font-weight:bold;font-size:1.1rem}.author-credentials{color:#666;font-size:.9rem}
.author-articles{margin-top:.5rem;color:#8a1c1c}.author-articles .count{font-weight:bold}
article.column{background:#fff;padding:1.2rem 1.6rem;border-radius:6px}
.byline{margin:0;color:#8a1c1c;font-weight:bold}
h1.article-title{font-size:1.9rem;line-height:1.5;margin:.3rem 0}
.article-meta{color:#777;font-size:.9rem;border-bottom:1px solid #eee;padding-bottom:.5rem}
.article-meta .views{margin-right:1.2rem}
.article-image{margin:1rem 0}.article-image img{width:100%;height:auto;border-radius:4px}
.article-body p{font-size:1.15rem;text-align:justify}
.share{border-top:1px solid #eee;padding-top:.6rem;font-size:.9rem;color:#555}
.share a{margin-right:.8rem}
.read-more{grid-column:1 / -1;background:#fff;padding:1rem 1.6rem;border-radius:6px}
.read-more h2{color:#8a1c1c;font-size:1.3rem;margin:0 0 .5rem}
.read-more-item{border-bottom:1px solid #eee;padding:.6rem 0}
.read-more-item .source-mark{font-family:Georgia,serif;color:#aaa;font-size:.75rem;margin-left:.4rem}
.read-more-excerpt{margin:.2rem 0;color:#444}
.read-more-meta{color:#888;font-size:.85rem}
.listing{max-width:1100px;margin:0 auto;padding:0 1rem;display:grid;grid-template-columns:1fr 260px;
gap:1.5rem}
.listing h1{color:#8a1c1c;margin:.5rem 0}
.column-card{display:flex;gap:1rem;background:#fff;padding:1rem;border-radius:6px;margin-bottom:1rem}
.column-card img{width:64px;height:64px;border-radius:50%;flex:none}
.column-card h2{font-size:1.25rem;margin:0;line-height:1.6}
.column-card-meta{margin:.2rem 0;color:#777;font-size:.9rem}
.column-card-meta .column-date{margin-right:.8rem}
.column-excerpt{margin:.2rem 0;color:#444}
.pagination{display:flex;justify-content:space-between;margin:1rem 0 2rem}
.sidebar{background:#fff;padding:1rem;border-radius:6px;align-self:start}
.sidebar h2{font-size:1.1rem;color:#8a1c1c;margin-top:0}
.sidebar ul{list-style:none;padding:0;margin:0}.sidebar li{padding:.3rem 0}
footer{text-align:center;color:#888;font-size:.8rem;padding:2rem 1rem}
@media (max-width:760px){.layout,.listing{grid-template-columns:1fr}}
""".strip()


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def when(column: dict) -> datetime:
    return datetime.strptime(column["local"], "%Y-%m-%d %H:%M").replace(tzinfo=QATAR)


def digits(text: str, column: dict | None) -> str:
    """Numbers as the page prints them: Arabic-Indic on pages marked ``digits: arab``."""
    if column is not None and column.get("digits") == "arab":
        return text.translate(ARAB_DIGITS)
    return text


def count(text: str, column: dict | None) -> str:
    """A view or article count: `1,052`, or `١٬٠٥٢` on Arabic-Indic pages."""
    if column is not None and column.get("digits") == "arab":
        return text.translate(ARAB_NUMBER)
    return text


def day_text(dt: datetime, column: dict | None = None) -> str:
    return digits(f"{dt.day} {MONTHS[dt.month - 1]} {dt.year}", column)


def stamp_text(dt: datetime, column: dict | None = None) -> str:
    """`14 سبتمبر 2025 , 03:05ص`: 12-hour clock, ص before noon, م from noon on."""
    hour12 = dt.hour % 12 or 12
    marker = "ص" if dt.hour < 12 else "م"
    text = f"{day_text(dt)} , {hour12:02d}:{dt.minute:02d}{marker}"
    return digits(text, column)


def canonical(column: dict) -> str:
    dt = when(column)
    return f"{PAPER['host']}/opinion/{dt:%Y/%m/%d}/{column['slug']}"


def excerpt(column: dict, words: int = 16) -> str:
    first = column["body"][0].split()
    return " ".join(first[:words]).rstrip("،,.؛:")


def head(title: str, extra: str = "", description: str = "") -> str:
    desc = f'\n<meta name="description" content="{esc(description)}">' if description else ""
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>{desc}
{extra}<style>
{CSS}
</style>
</head>
"""


def masthead(up: str) -> str:
    """`up` is the relative path from the page to `site/`."""
    return f"""<header class="masthead">
<div class="masthead-top">
<span class="chairman">رئيس مجلس الإدارة : {esc(PAPER['chairman'])}</span>
<span class="editor">رئيس التحرير: {esc(PAPER['editor'])}</span>
</div>
<div class="masthead-logo"><a href="{up}index.html">{esc(PAPER['name'])}</a>\
<span class="latin">{esc(PAPER['latin'])}</span></div>
</header>
<nav class="sections">
<a href="{up}index.html">الرئيسية</a>
<a href="{up}opinion/index.html">مقالات الرأي</a>
<a href="{up}opinion/page-2.html">أرشيف المقالات</a>
</nav>
<div class="ad ad-leaderboard">مساحة إعلانية</div>
"""


FOOTER = f"""<footer>
<div class="ad">مساحة إعلانية</div>
<p>© 2026 {esc(PAPER['name'])} — موقع تجريبي مرفق بمشروع syndicate؛ الصحيفة والأسماء والنصوص
كلها متخيلة.</p>
</footer>
</body>
</html>
"""


def json_ld(column: dict) -> str:
    author = AUTHORS[column["author"]]
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": column["title"],
        "datePublished": when(column).isoformat(),
        "inLanguage": "ar",
        "mainEntityOfPage": canonical(column),
        "author": {
            "@type": "Person",
            "name": author["name"],
            "jobTitle": author["job"],
            "url": f"{PAPER['host']}/opinion/authors/{column['author']}",
        },
        "publisher": {"@type": "Organization", "name": PAPER["name"]},
        "articleSection": "مقالات الرأي",
    }
    if column.get("views") is not None:
        data["interactionStatistic"] = {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/ReadAction",
            "userInteractionCount": int(column["views"].replace(",", "")),
        }
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return f'<script type="application/ld+json">\n{body}\n</script>\n'


def read_more(column: dict) -> str:
    """Three other columns: the next ones in publication order, wrapping around."""
    index = COLUMNS.index(column)
    others = [COLUMNS[(index + k) % len(COLUMNS)] for k in range(1, 4)]
    items = []
    for other in others:
        views = other.get("views")
        shown = (
            f'<span class="read-more-views">{count(views, column)}</span> '
            if views is not None else ""
        )
        items.append(f"""<li class="read-more-item">
<span class="source-mark">alwaha</span>\
<a class="read-more-title" href="{other['slug']}.html">{esc(other['title'])}</a>
<p class="read-more-excerpt">{esc(excerpt(other))}... اقرأ المزيد</p>
<p class="read-more-meta">{shown}<span class="read-more-date">| {day_text(when(other), column)}</span></p>
</li>""")
    return (
        '<section class="read-more">\n<h2>اقرأ المزيد</h2>\n<ul class="read-more-list">\n'
        + "\n".join(items)
        + "\n</ul>\n</section>\n"
    )


def author_box(slug: str, up: str, column: dict | None = None) -> str:
    author = AUTHORS[slug]
    return f"""<aside class="author-box">
<a href="{up}opinion/authors/{slug}.html"><img class="author-photo" src="{up}images/{slug}.svg" \
alt="{esc(author['name'])}" width="96" height="96"></a>
<div class="author-name"><a class="author-link" href="{up}opinion/authors/{slug}.html">\
{esc(author['name'])}</a></div>
<div class="author-credentials">{esc(author['credentials'])}</div>
<div class="ad ad-side">مساحة إعلانية</div>
<div class="author-articles"><span class="label">مقالات</span> \
<span class="count">{count(author['articles'], column)}</span></div>
</aside>
"""


def column_page(column: dict) -> str:
    author = AUTHORS[column["author"]]
    dt = when(column)
    url = canonical(column)
    meta = f"""<link rel="canonical" href="{url}">
<meta property="og:site_name" content="{esc(PAPER['name'])}">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(column['title'])}">
<meta property="og:url" content="{url}">
<meta property="og:locale" content="ar_QA">
<meta property="article:published_time" content="{dt.isoformat()}">
<meta property="article:author" content="{esc(author['name'])}">
<meta property="article:section" content="مقالات الرأي">
{json_ld(column)}"""
    views = column.get("views")
    views_html = (
        f' <span class="views">المشاهدات: <span class="article-views">{count(views, column)}</span></span>'
        if views is not None else ""
    )
    cover = (
        f'<figure class="article-image"><img src="../../images/covers/{column["slug"]}.svg" '
        f'alt="{esc(column["title"])}" width="1200" height="630"></figure>\n'
        if column.get("cover") else ""
    )
    paragraphs = [f"<p>{esc(p)}</p>" for p in column["body"]]
    # An advertisement between the paragraphs and a share box at the end: the collector's
    # `remove:` selectors must drop both from the body.
    paragraphs.insert(2, '<div class="ad ad-inline">مساحة إعلانية</div>')
    paragraphs.append(
        '<div class="share"><span>شارك المقال:</span> <a href="#" class="share-x">X</a> '
        '<a href="#" class="share-whatsapp">واتساب</a> <a href="#" class="share-email">البريد</a> '
        '<a href="#" class="share-copy">نسخ الرابط</a></div>'
    )
    body = "\n".join(paragraphs)
    return (
        head(f"{column['title']} | {PAPER['name']}", meta, excerpt(column, 24))
        + "<body>\n"
        + masthead("../../")
        + '<main class="layout">\n'
        + author_box(column["author"], "../../", column)
        + f"""<article class="column">
<p class="byline">{esc(author['name'])}</p>
<h1 class="article-title">{esc(column['title'])}</h1>
<div class="article-meta"><span class="article-date">{stamp_text(dt, column)}</span>{views_html}</div>
{cover}<div class="article-body">
{body}
</div>
</article>
"""
        + read_more(column)
        + "</main>\n"
        + FOOTER
    )


def broken_page() -> str:
    """A response cut off mid-way (as when a server drops the connection): the head carries no
    title or metadata and the body stops inside the author box, before the title and date."""
    author = AUTHORS[BROKEN["author"]]
    page = (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>\n{CSS}\n</style>\n</head>\n<body>\n"
        + masthead("../../")
        + '<main class="layout">\n<aside class="author-box">\n'
        f'<a href="../authors/{BROKEN["author"]}.html"><img class="author-photo" '
        f'src="../../images/{BROKEN["author"]}.svg" alt="{esc(author["name"])}" width="96" '
        'height="96"></a>\n'
        f'<div class="author-name"><a class="author-link" href="../authors/{BROKEN["author"]}.html">'
        f'{esc(author["name"])}</a></div>\n'
        f'<div class="author-credentials">{esc(author["credentials"])}</div>\n'
        '<div class="ad ad-side">مساحة إعلانية</div>\n'
        '<div class="author-arti'
    )
    return page  # no trailing newline: the bytes simply stop


def listing_entry(column: dict, to_opinion: str = "", broken: bool = False) -> str:
    """One card of a listing; `to_opinion` is the relative path from the page to `opinion/`."""
    author = AUTHORS[column["author"]]
    text = column["excerpt"] if broken else excerpt(column, 22)
    to_site = "../" if to_opinion == "" else ""
    return f"""<article class="column-card">
<img src="{to_site}images/{column['author']}.svg" alt="" width="64" height="64">
<div>
<h2 class="column-card-title"><a class="column-link" href="{to_opinion}columns/{column['slug']}.html">\
{esc(column['title'])}</a></h2>
<p class="column-card-meta"><a class="column-author" href="{to_opinion}authors/{column['author']}.html">\
{esc(author['name'])}</a><span class="column-date" dir="rtl">{day_text(when(column))}</span></p>
<p class="column-excerpt">{esc(text)}...</p>
</div>
</article>
"""


def sidebar() -> str:
    items = "\n".join(
        f'<li><a href="authors/{slug}.html">{esc(a["name"])}</a></li>' for slug, a in AUTHORS.items()
    )
    return f"""<aside class="sidebar">
<h2>كتّاب الرأي</h2>
<ul class="author-list">
{items}
</ul>
<div class="ad">مساحة إعلانية</div>
</aside>
"""


def listing_page(page: int) -> str:
    entries = [c for c in COLUMNS if page in c["listed"]]
    cards = [listing_entry(c) for c in entries]
    if page == 1:
        # The broken page sits among the others, newest first, like any column.
        position = next(i for i, c in enumerate(entries) if when(c) < when(BROKEN))
        cards.insert(position, listing_entry(BROKEN, broken=True))
        cards.insert(5, '<div class="ad">مساحة إعلانية</div>\n')
        pager = ('<nav class="pagination"><span></span>'
                 '<a class="next-page" rel="next" href="page-2.html">الصفحة التالية «</a></nav>')
        name = "مقالات الرأي"
    else:
        pager = ('<nav class="pagination"><a class="prev-page" rel="prev" href="index.html">'
                 '» الصفحة السابقة</a><span>الصفحة 2</span></nav>')
        name = "مقالات الرأي - الصفحة 2"
    return (
        head(f"{name} | {PAPER['name']}", description="مقالات الرأي في صحيفة الواحة")
        + "<body>\n"
        + masthead("../")
        + '<main class="listing">\n<section class="columns">\n'
        + f"<h1>{esc(name)}</h1>\n"
        + "".join(cards)
        + pager
        + "\n</section>\n"
        + sidebar()
        + "</main>\n"
        + FOOTER
    )


def author_page(slug: str) -> str:
    author = AUTHORS[slug]
    mine = [c for c in COLUMNS if c["author"] == slug]
    if BROKEN["author"] == slug:
        mine.append(BROKEN)
        mine.sort(key=when, reverse=True)
    items = "\n".join(
        f'<li><a class="column-link" href="../columns/{c["slug"]}.html">{esc(c["title"])}</a> '
        f'<span class="column-date" dir="rtl">| {day_text(when(c))}</span></li>'
        for c in mine
    )
    return (
        head(f"{author['name']} | {PAPER['name']}")
        + "<body>\n"
        + masthead("../../")
        + '<main class="layout">\n'
        + author_box(slug, "../../")
        + f"""<article class="column">
<h1 class="author-page-title">مقالات {esc(author['name'])}</h1>
<ul class="author-columns">
{items}
</ul>
</article>
</main>
"""
        + FOOTER
    )


def avatar(slug: str) -> str:
    author = AUTHORS[slug]
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" \
role="img" aria-label="{esc(author['name'])}">
<circle cx="48" cy="48" r="48" fill="{author['colour']}"/>
<circle cx="48" cy="48" r="44" fill="none" stroke="#ffffff" stroke-opacity="0.35" stroke-width="2"/>
<text x="48" y="50" direction="rtl" text-anchor="middle" dominant-baseline="middle" fill="#ffffff" font-size="30" \
font-family="Noto Naskh Arabic, Noto Sans Arabic, Tahoma, sans-serif" font-weight="bold">\
{esc(author['initials'])}</text>
</svg>
"""


COVER_MOTIFS = {
    # simple line drawings over a gradient, one per column that has a lead image
    "gcc-railway-economy": (
        "#1f5f8b", "#6fa8c9",
        '<g stroke="#fff" stroke-width="10" stroke-opacity="0.8">'
        '<line x1="0" y1="470" x2="1200" y2="470"/><line x1="0" y1="530" x2="1200" y2="530"/></g>'
        '<g fill="#fff" fill-opacity="0.55">'
        + "".join(f'<rect x="{x}" y="455" width="24" height="90"/>' for x in range(30, 1200, 80))
        + '</g><rect x="300" y="300" width="600" height="140" rx="40" fill="#fff" fill-opacity="0.85"/>'
        '<g fill="#1f5f8b">'
        + "".join(f'<rect x="{x}" y="330" width="70" height="45" rx="8"/>' for x in range(350, 860, 100))
        + "</g>",
    ),
    "desalination-water-security": (
        "#0e4d64", "#58b4c9",
        ('<path d="M600 120 C 700 260 780 340 780 430 A 180 180 0 0 1 420 430 C 420 340 500 260 600 120 Z"'
        ' fill="#fff" fill-opacity="0.85"/>'
        '<path d="M0 560 Q 150 520 300 560 T 600 560 T 900 560 T 1200 560 V630 H0 Z" fill="#fff" '
        'fill-opacity="0.35"/>'),
    ),
    "pearl-diving-songs": (
        "#5a3b1c", "#d9a35b",
        ('<path d="M0 500 Q 150 470 300 500 T 600 500 T 900 500 T 1200 500 V630 H0 Z" fill="#1d4e6b" '
        'fill-opacity="0.7"/>'
        '<path d="M420 470 L 780 470 L 720 530 L 480 530 Z" fill="#3b2612"/>'
        '<line x1="600" y1="470" x2="600" y2="180" stroke="#3b2612" stroke-width="10"/>'
        '<path d="M610 190 L 760 440 L 610 440 Z" fill="#f4ead8"/>'
        '<circle cx="1020" cy="140" r="50" fill="#fff7e0" fill-opacity="0.9"/>'),
    ),
    "national-day-heritage": (
        "#6b1020", "#a8324a",
        '<rect x="0" y="0" width="380" height="630" fill="#ffffff"/>'
        '<path d="M380 0 ' + " ".join(
            f"L {440 if i % 2 == 0 else 380} {int(i * 630 / 18)}" for i in range(1, 19)
        ) + ' L 380 630 Z" fill="#ffffff"/>',
    ),
}


def cover(slug: str) -> str:
    top, bottom, motif = COVER_MOTIFS[slug]
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
<stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/></linearGradient></defs>
<rect width="1200" height="630" fill="url(#g)"/>
{motif}
</svg>
"""


def home() -> str:
    return (
        head(PAPER["name"], description="صحيفة الواحة: موقع تجريبي")
        + "<body>\n"
        + masthead("")
        + '<main class="listing"><section class="columns">\n<h1>أحدث مقالات الرأي</h1>\n'
        + "".join(listing_entry(c, "opinion/") for c in COLUMNS[:3])
        + '<p><a href="opinion/index.html">كل مقالات الرأي</a></p>\n</section></main>\n'
        + FOOTER
    )


ROBOTS = """# الواحة (Al-Waha) sample site
User-agent: *
Allow: /opinion/
Allow: /images/
Disallow: /admin/
Disallow: /search
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def main() -> None:
    for sub in ("opinion", "images"):
        shutil.rmtree(ROOT / sub, ignore_errors=True)
    write(ROOT / "index.html", home())
    write(ROOT / "robots.txt", ROBOTS)
    write(ROOT / "opinion" / "index.html", listing_page(1))
    write(ROOT / "opinion" / "page-2.html", listing_page(2))
    for column in COLUMNS:
        write(ROOT / "opinion" / "columns" / f"{column['slug']}.html", column_page(column))
        if column.get("cover"):
            write(ROOT / "images" / "covers" / f"{column['slug']}.svg", cover(column["slug"]))
    write(ROOT / "opinion" / "columns" / f"{BROKEN['slug']}.html", broken_page())
    for slug in AUTHORS:
        write(ROOT / "opinion" / "authors" / f"{slug}.html", author_page(slug))
        write(ROOT / "images" / f"{slug}.svg", avatar(slug))
    print(f"wrote {sum(1 for p in ROOT.rglob('*') if p.is_file())} files under {ROOT}")


if __name__ == "__main__":
    main()
