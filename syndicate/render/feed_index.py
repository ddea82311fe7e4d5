"""The feeds' HTML index page: Arabic, right-to-left, with autodiscovery links.

Browsers and feed readers find feeds through ``<link rel="alternate"
type="application/atom+xml" …>`` in the page head; people read the same list in the
body. Written as a static ``index.html`` beside the feeds, so it works behind
nginx as well as from ``syndicate serve``. Every value is escaped here.

Each feed's entry carries an ``id`` (``index_anchor``): ``/feeds/#authors-<slug>``
is the author's page on our site when the newspaper has none. Counts use the
locale's digits; a feed's format links are one no-wrap group of separate buttons,
so on a phone they never break apart, and no middle dot sits beside Arabic-Indic
digits (where it reads as a zero, ٠).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..dates import Digits, to_digits
from .feed_model import FORMATS, FeedMeta, index_anchor

_KIND_HEADINGS = (
    ("all", "كل المقالات"),
    ("source", "الصحف"),
    ("author", "الكتّاب"),
    ("newsletter", "أرشيف النشرات البريدية"),
)
_FORMAT_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@dataclass(frozen=True)
class IndexEntry:
    meta: FeedMeta
    items: int  # columns listed in the current document


def _icon(url: str | None) -> str:
    if not url:
        return ""
    return (f'<img class="icon" src="{escape(url, quote=True)}" alt="" width="24" '
            f'height="24" loading="lazy">')


def render_index(entries: Sequence[IndexEntry], *, title: str, formats: Sequence[str],
                 digits: Digits = "arab", icon: str | None = None) -> bytes:
    head: list[str] = []
    if icon:
        head.append(f'<link rel="icon" href="{escape(icon, quote=True)}">')
    body: list[str] = []
    for kind, heading in _KIND_HEADINGS:
        group = [e for e in entries if e.meta.kind == kind and not e.meta.archive]
        if not group:
            continue
        body.append(f"<section><h2>{escape(heading)}</h2><ul>")
        for entry in group:
            meta = entry.meta
            links = []
            for fmt in formats:
                url = escape(meta.url(fmt), quote=True)
                head.append(
                    f'<link rel="alternate" type="{FORMATS[fmt][1]}" '
                    f'title="{escape(meta.title, quote=True)} ({_FORMAT_LABELS[fmt]})" '
                    f'href="{url}">'
                )
                links.append(f'<a href="{url}" type="{FORMATS[fmt][1]}">'
                             f'<bdi>{_FORMAT_LABELS[fmt]}</bdi></a>')
            label = "الأعداد" if meta.kind == "newsletter" else "المقالات"
            count = to_digits(f"{label}: {entry.items}", digits)
            body.append(
                f'<li id="{escape(index_anchor(meta.path), quote=True)}" '
                f'lang="{escape(meta.language, quote=True)}">'
                f'{_icon(meta.icon)}<span class="name">{escape(meta.title)}</span> '
                f'<span class="count" lang="ar">({count})</span> '
                f'<span class="formats">{" ".join(links)}</span></li>'
            )
        body.append("</ul></section>")
    page = f"""<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} — الخلاصات</title>
{chr(10).join(head)}
<style>
body {{ font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Geeza Pro", "Segoe UI",
  Tahoma, sans-serif; margin: 2rem auto; max-width: 48rem; padding: 0 1rem;
  line-height: 1.8; color: #1d1d1f; background: #fff; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.2rem; border-bottom: 1px solid #ddd; }}
ul {{ list-style: none; padding: 0; }} li {{ margin: .4rem 0; }}
.icon {{ display: inline-block; width: 24px; height: 24px; vertical-align: middle;
  object-fit: cover; border-radius: 4px; margin-inline-end: .4rem; }}
.name {{ font-weight: bold; }} .count {{ color: #666; white-space: nowrap; }}
.formats {{ display: inline-block; white-space: nowrap; }}
.formats a {{ display: inline-block; color: #0b5394; text-decoration: none; font-size: .9rem;
  line-height: 1.5; border: 1px solid #c5d3e3; border-radius: 4px; padding: 0 .45rem;
  margin-inline-start: .3rem; }}
.formats a:hover {{ background: #eef3f9; }} li:target {{ background: #fff8dc; }}
</style>
</head>
<body>
<h1>{escape(title)} — الخلاصات</h1>
<p>اشترك في أي خلاصة بنسخ رابطها إلى قارئ الخلاصات.</p>
{chr(10).join(body)}
</body>
</html>
"""
    return page.encode("utf-8")
