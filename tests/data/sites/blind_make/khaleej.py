"""Al-Khaleej (UAE)-like, on Drupal 10.

Drupal's markup as it comes: `node--type-article` articles, `field--name-…` wrappers, a
Views listing (`views-row`) with Drupal's 0-based pager (?page=1 is the second page,
«التالي ›» with a visually-hidden "Next page"), `<time datetime>` in UTC ("…Z") while the
text shows Dubai time (+04:00, one hour ahead of the operator's Asia/Qatar), URLs
/YYYY-MM-DD/<slug>/مقالات-الرأي/آراء-وتحليلات, a shortlink /node/N, schema_metatag
JSON-LD with the author's name only, the writer as a taxonomy term /writers/<slug>.
No credentials, article count or views are printed.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from common import GREG_MONTHS, Col, body, esc, local, pct, truth, weekday

TZ = "Asia/Dubai"
TODAY = local(TZ, 2025, 10, 6, 20, 0)
SECTION = "مقالات-الرأي/آراء-وتحليلات"

WRITERS = {
    "ibrahim-alabed": ("إبراهيم العابد", 311),
    "aisha-sultan": ("عائشة سلطان", 145),
    "yousef-alhasan": ("د. يوسف الحسن", 98),
    "mohammed-khalifa": ("محمد خليفة", 402),
}


def _columns() -> list[Col]:
    rows = [
        ("143201", "حديقة في كل حي", "aisha-sultan", (6, 7, 10), 4),
        ("143177", "رمال تعطش والبحر يملح", "ibrahim-alabed", (5, 23, 45), 0),
        ("143150", "شباب يبحثون عن فرصة", "yousef-alhasan", (5, 8, 0), 3),
        ("143102", "الكتاب الورقي لم يمت", "aisha-sultan", (4, 6, 30), 1),
        ("143088", "قيظ طويل وحلول قصيرة", "mohammed-khalifa", (3, 21, 15), 6),
        ("143040", "الاقتصاد بعد النفط", "ibrahim-alabed", (2, 7, 0), 2),
    ]
    return [_col(*r) for r in rows]


def _col(key: str, title: str, who: str, when: tuple[int, int, int], topic: int) -> Col:
    name, tid = WRITERS[who]
    return Col(key=key, slug="-".join(title.split()), title=title, author=name, author_slug=who,
               author_id=tid, credentials=None, article_count=None,
               published=local(TZ, 2025, 10, when[0], when[1], when[2]), views=None,
               paragraphs=body(topic, title, "في زاوية اليوم عن"))


def _older() -> list[Col]:
    return [_col("142990", "عائلة تحت ضغط الشاشات", "mohammed-khalifa", (1, 7, 0), 5)]


def _path(c: Col) -> str:
    return f"/{c.published.date().isoformat()}/{c.slug}/{SECTION}"


def _writer(c: Col) -> str:
    return f"/writers/{c.author_slug}"


def _shown(c: Col) -> str:
    d = c.published
    return f"{d.day} {GREG_MONTHS[d.month - 1]} {d.year} {d.hour:02d}:{d.minute:02d}"


def _utc(c: Col) -> str:
    return str(c.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def _page(title: str, head: str, main: str, body_class: str) -> str:
    d = TODAY
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl" prefix="content: http://purl.org/rss/1.0/modules/content/  dc: http://purl.org/dc/terms/  og: http://ogp.me/ns#  schema: http://schema.org/">
  <head>
    <meta charset="utf-8" />
    <meta name="Generator" content="Drupal 10 (https://www.drupal.org)" />
    <meta name="MobileOptimized" content="width" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>{esc(title)}</title>
{head}
    <link rel="stylesheet" media="all" href="/sites/default/files/css/css_QwX1d8Ew2C8.css?delta=0&amp;language=ar&amp;theme=khaleej&amp;include=eJxtj" />
    <script src="/sites/default/files/js/js_7Yq3Xo.js?scope=header&amp;delta=0&amp;language=ar"></script>
  </head>
  <body class="{body_class} path-node">
    <a href="#main-content" class="visually-hidden focusable skip-link">تجاوز إلى المحتوى الرئيسي</a>
    <div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
    <header role="banner" class="site-header">
      <div class="region region-header-top">
        <div class="block block-date"><span class="today">{weekday(d)}، {d.day} {GREG_MONTHS[d.month - 1]} {d.year}</span></div>
        <div class="block block-prayer-times">الفجر 04:52 الظهر 12:10</div>
      </div>
      <div class="region region-header"><a href="/" rel="home" class="site-logo"><img src="/themes/custom/khaleej/logo.svg" alt="الرئيسية" /></a></div>
      <nav role="navigation" aria-labelledby="block-mainnavigation-menu" class="block block-menu navigation menu--main">
        <ul class="menu">
          <li class="menu-item"><a href="/الإمارات" data-drupal-link-system-path="taxonomy/term/1">الإمارات</a></li>
          <li class="menu-item"><a href="/اقتصاد" data-drupal-link-system-path="taxonomy/term/3">اقتصاد</a></li>
          <li class="menu-item"><a href="/رياضة" data-drupal-link-system-path="taxonomy/term/5">رياضة</a></li>
          <li class="menu-item menu-item--active-trail"><a href="/{SECTION}" data-drupal-link-system-path="taxonomy/term/9">مقالات الرأي</a></li>
          <li class="menu-item"><a href="/ثقافة" data-drupal-link-system-path="taxonomy/term/11">ثقافة</a></li>
        </ul>
      </nav>
      <div class="block block-dfp"><div class="ad-slot" id="dfp-ad-leaderboard"><span class="ad-title">إعلان</span></div></div>
    </header>
    <main role="main"><a id="main-content" tabindex="-1"></a>
      <div class="layout-content">
{main}
      </div>
    </main>
    <footer role="contentinfo" class="site-footer">
      <div class="block block-simplenews"><h2>النشرة البريدية</h2><form action="/newsletter/subscriptions" method="post"><input type="email" name="mail[0][value]" /><input type="submit" value="اشترك" class="button" /></form></div>
      <div class="copyright">© {d.year} دار الخليج للصحافة والطباعة والنشر</div>
    </footer>
    </div>
    <script type="application/json" data-drupal-selector="drupal-settings-json">{{"path":{{"baseUrl":"\\/","currentLanguage":"ar"}},"ajaxPageState":{{"theme":"khaleej"}}}}</script>
  </body>
</html>
"""


def _column(c: Col, cols: list[Col]) -> str:
    url = "http://HOST" + pct(_path(c))
    ld = {"@context": "https://schema.org", "@graph": [{
        "@type": "NewsArticle", "headline": c.title, "name": c.title,
        "description": c.paragraphs[0][:150], "datePublished": c.published.isoformat(),
        "dateModified": c.published.isoformat(), "author": {"@type": "Person", "name": c.author},
        "publisher": {"@type": "Organization", "name": "صحيفة الخليج", "url": "http://HOST/"},
        "mainEntityOfPage": url}]}
    head = f"""    <link rel="canonical" href="{url}" />
    <link rel="shortlink" href="http://HOST/node/{c.key}" />
    <meta name="description" content="{esc(c.paragraphs[0][:150])}" />
    <meta property="og:site_name" content="صحيفة الخليج" />
    <meta property="og:type" content="article" />
    <meta property="og:url" content="{url}" />
    <meta property="og:title" content="{esc(c.title)} | صحيفة الخليج" />
    <meta property="og:image" content="http://HOST/sites/default/files/styles/og/public/writers/{c.author_slug}.jpg" />
    <script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>"""
    paragraphs = [f"<p>{esc(p)}</p>" for p in c.paragraphs]
    paragraphs.insert(2, '<div class="block block-dfp in-article"><div class="ad-slot" id="dfp-ad-inarticle"><span class="ad-title">إعلان</span></div></div>')
    paragraphs.append("<p>&nbsp;</p>")
    related = "\n".join(f"""          <div class="views-row"><div class="views-field views-field-title"><span class="field-content"><a href="{_path(x)}" hreflang="ar">{esc(x.title)}</a></span></div>
            <div class="views-field views-field-created"><span class="field-content"><time datetime="{_utc(x)}">{_shown(x)}</time></span></div></div>"""
                        for x in cols if x is not c and x.author == c.author)
    main = f"""        <div class="region region-content">
          <div data-drupal-messages-fallback class="hidden"></div>
          <article role="article" about="/node/{c.key}" class="node node--type-article node--promoted node--view-mode-full">
            <div class="node__meta">
              <div class="field field--name-field-writer field--type-entity-reference field--label-hidden field__item">
                <div class="taxonomy-term vocabulary-writers">
                  <div class="field field--name-field-image field--type-image field--label-hidden field__item"><img loading="lazy" src="/sites/default/files/styles/writer_thumb/public/writers/{c.author_slug}.jpg?itok=Xy12Ab" width="100" height="100" alt="{esc(c.author)}" /></div>
                  <a href="{_writer(c)}" hreflang="ar">{esc(c.author)}</a>
                </div>
              </div>
            </div>
            <h1 class="page-title"><span class="field field--name-title field--type-string field--label-hidden">{esc(c.title)}</span></h1>
            <div class="field field--name-created field--type-created field--label-hidden field__item"><time datetime="{_utc(c)}">{_shown(c)}</time></div>
            <div class="block block-addtoany"><span class="a2a_kit a2a_kit_size_32 addtoany_list"><a class="a2a_button_facebook"></a><a class="a2a_button_x"></a><a class="a2a_button_whatsapp"></a></span></div>
            <div class="node__content">
              <div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
{chr(10).join("                " + p for p in paragraphs)}
              </div>
              <div class="field field--name-field-tags field--type-entity-reference field--label-above">
                <div class="field__label">الوسوم</div>
                <div class="field__items"><div class="field__item"><a href="/taxonomy/term/771" hreflang="ar">مقالات</a></div></div>
              </div>
            </div>
          </article>
          <div class="views-element-container block block-views block-views-blockwriter-articles-block-1">
            <h2>مقالات أخرى للكاتب</h2>
            <div class="view view-writer-articles view-id-writer_articles"><div class="view-content">
{related}
            </div></div>
          </div>
        </div>"""
    return _page(f"{c.title} | صحيفة الخليج", head, main,
                 "page-node-type-article user-logged-out")


def _listing(cols: list[Col], page: int) -> str:
    rows = "\n".join(f"""            <div class="views-row">
              <div class="views-field views-field-field-image"><div class="field-content"><img loading="lazy" src="/sites/default/files/styles/card/public/writers/{c.author_slug}.jpg" alt="{esc(c.author)}" /></div></div>
              <div class="views-field views-field-field-writer"><div class="field-content"><a href="{_writer(c)}" hreflang="ar">{esc(c.author)}</a></div></div>
              <div class="views-field views-field-title"><span class="field-content"><a href="{_path(c)}" hreflang="ar">{esc(c.title)}</a></span></div>
              <div class="views-field views-field-created"><span class="field-content"><time datetime="{_utc(c)}">{_shown(c)}</time></span></div>
            </div>""" for c in cols)
    pager = ("""<nav class="pager" role="navigation" aria-labelledby="pagination-heading"><h4 id="pagination-heading" class="visually-hidden">ترقيم الصفحات</h4>
            <ul class="pager__items js-pager__items"><li class="pager__item is-active">الصفحة 1</li>
            <li class="pager__item pager__item--next"><a href="?page=1" title="الانتقال إلى الصفحة التالية" rel="next"><span class="visually-hidden">الصفحة التالية</span><span aria-hidden="true">التالي ›</span></a></li></ul></nav>"""
             if page == 0 else "")
    main = f"""        <div class="region region-content">
          <h1 class="page-title">مقالات الرأي</h1>
          <div class="views-element-container"><div class="view view-opinion view-id-opinion view-display-id-page_1 js-view-dom-id-8c1f">
            <div class="view-content">
{rows}
            </div>
            {pager}
          </div></div>
        </div>"""
    return _page("مقالات الرأي | صحيفة الخليج",
                 f'    <link rel="canonical" href="http://HOST/{pct(SECTION)}" />', main,
                 "path-taxonomy")


def _writer_page(c: Col, cols: list[Col]) -> str:
    items = "".join(f'<div class="views-row"><a href="{_path(x)}">{esc(x.title)}</a></div>'
                    for x in cols if x.author == c.author)
    return _page(f"{c.author} | صحيفة الخليج", "", f"""<div class="region region-content">
<h1 class="page-title">{esc(c.author)}</h1><div class="view-content">{items}</div></div>""",
                 "path-taxonomy")


def build() -> tuple[dict[str, str], dict[str, Any]]:
    cols, older = _columns(), _older()
    everyone = cols + older
    files = {
        "robots.txt": "#\n# robots.txt\n#\n# This file is to prevent the crawling and indexing of certain parts\n"
                      "# of your site by web crawlers and spiders run by sites like Yahoo!\n# and Google.\n\n"
                      "User-agent: *\n# CSS, JS, Images\nAllow: /core/*.css$\nAllow: /core/*.js$\n"
                      "# Directories\nDisallow: /core/\nDisallow: /profiles/\n# Paths (clean URLs)\n"
                      "Disallow: /admin/\nDisallow: /comment/reply/\nDisallow: /filter/tips\n"
                      "Disallow: /node/add/\nDisallow: /search/\nDisallow: /user/login\n",
        f"{SECTION}/index.html": _listing(cols, 0),
        f"{SECTION}/page=1.html": _listing(older, 1),
    }
    for c in everyone:
        files[_path(c).lstrip("/") + "/index.html"] = _column(c, everyone)
        files[_writer(c).lstrip("/") + "/index.html"] = _writer_page(c, everyone)
    data = truth(cols, {c.key: pct(_path(c)) for c in cols}, {c.key: pct(_writer(c)) for c in cols},
                 listing="/" + pct(SECTION), older=[pct(_path(c)) for c in older], timezone=TZ,
                 now=TODAY.isoformat(), lacks=["credentials", "article_count", "views"],
                 model="Al-Khaleej (UAE)-like Drupal 10: field--name-* markup, Views listing "
                       "with a 0-based ?page=1 pager, <time datetime> in UTC (Z) beside Dubai "
                       "time, /YYYY-MM-DD/<slug>/<section> URLs, schema_metatag JSON-LD")
    return files, data
