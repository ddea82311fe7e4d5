"""The feeds' HTML index page: Arabic, right-to-left, with autodiscovery links.

Browsers and feed readers find feeds through ``<link rel="alternate"
type="application/atom+xml" …>`` in the page head; people read the same list in the
body. Written as a static ``index.html`` beside the feeds, so it works behind
nginx as well as from ``syndicate serve``. Every value is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .feed_model import FORMATS, FeedMeta

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


def render_index(entries: Sequence[IndexEntry], *, title: str, formats: Sequence[str]) -> bytes:
    head: list[str] = []
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
            body.append(
                f'<li lang="{escape(meta.language, quote=True)}">'
                f'<span class="name">{escape(meta.title)}</span> '
                f'<span class="count">(المقالات: {entry.items})</span> '
                f'<span class="formats">{" · ".join(links)}</span></li>'
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
.name {{ font-weight: bold; }} .count {{ color: #666; }}
.formats a {{ color: #0b5394; text-decoration: none; }}
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
