"""The feeds' HTML index page: Arabic, right-to-left, with autodiscovery links.

Browsers and feed readers find feeds through ``<link rel="alternate"
type="application/atom+xml" …>`` in the page head; people read the same list in the
body. Written as a static ``index.html`` beside the feeds, so it works behind
nginx as well as from ``syndicate serve``. The page is ``templates/web/feeds_index.html.j2``
on the web pages' base layout (autoescaped: every value is escaped there).

Each feed's entry carries an ``id`` (``index_anchor``): ``/feeds/#authors-<slug>``
is the author's page on our site when the newspaper has none. Counts use the
locale's digits; a feed's format links are one no-wrap group of separate buttons,
so on a phone they never break apart, and no middle dot sits beside Arabic-Indic
digits (where it reads as a zero, ٠).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..dates import Digits, to_digits
from ..page_templates import render_page
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


@dataclass(frozen=True)
class _Link:
    url: str
    type: str
    label: str


@dataclass(frozen=True)
class _Shown:
    anchor: str
    language: str
    title: str
    count: str  # in the locale's digits
    links: tuple[_Link, ...]
    icon: str | None


def render_index(entries: Sequence[IndexEntry], *, title: str, formats: Sequence[str],
                 digits: Digits = "arab", icon: str | None = None) -> bytes:
    groups = []
    for kind, heading in _KIND_HEADINGS:
        group = [e for e in entries if e.meta.kind == kind and not e.meta.archive]
        if group:
            groups.append((heading, [_shown(entry, formats, digits) for entry in group]))
    page = render_page("feeds_index.html.j2", title=f"{title} — الخلاصات", site_title="",
                       groups=groups, icon=icon)
    return page.encode("utf-8")


def _shown(entry: IndexEntry, formats: Sequence[str], digits: Digits) -> _Shown:
    meta = entry.meta
    label = "الأعداد" if meta.kind == "newsletter" else "المقالات"
    return _Shown(
        anchor=index_anchor(meta.path),
        language=meta.language,
        title=meta.title,
        count=to_digits(f"{label}: {entry.items}", digits),
        links=tuple(_Link(meta.url(fmt), FORMATS[fmt][1], _FORMAT_LABELS[fmt]) for fmt in formats),
        icon=meta.icon or None,
    )
