"""What a feed document says, independent of its format (RSS, Atom, JSON Feed).

``feed_item`` turns a stored ``Column`` into a ``FeedItem``: HTML is sanitised
*again* here (defence in depth: a store filled by an older version or by hand must
not reach a reader unsanitised), text is made XML-safe, and links with schemes a
reader should never follow are dropped. Everything is a pure function of its
arguments, so the same column renders to the same bytes on every build.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from ..columns_policy import display_published
from ..text.sanitise import sanitise_html
from ..types import Column, ColumnStamp

FORMATS: dict[str, tuple[str, str]] = {
    # format -> (file extension, media type)
    "rss": ("rss", "application/rss+xml"),
    "atom": ("atom", "application/atom+xml"),
    "json": ("json", "application/feed+json"),
}

_RTL_LANGUAGES = {"ar", "fa", "ur", "he", "ps", "ckb", "sd", "ug", "yi", "dv"}
# XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF: lxml refuses
# them, and a reader would reject the whole feed for one stray byte in a title.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINK_SCHEMES = {"http", "https"}
# The bundled sample site is read through file:// URLs; a link to it is inert.
_ITEM_LINK_SCHEMES = {"http", "https", "file"}
# Before the link to where a copy was first published (a page on no configured host).
FIRST_PUBLISHED = "نُشر أولاً في"


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def index_anchor(path: str) -> str:
    """The id of a feed's entry on the index page (``authors/x`` -> ``authors-x``)."""
    return path.replace("/", "-")


def direction(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in _RTL_LANGUAGES else "ltr"


# Absolute http(s) URL with a host, or a file: URL; no spaces, quotes or angle
# brackets anywhere (a regular expression: urlsplit per URL was a tenth of a build).
_SAFE_URL = re.compile(r"(?:(https?)://[^/\s<>\"'`?#]+|(file):)[^\s<>\"'`]*", re.IGNORECASE)


def safe_url(url: str | None, schemes: set[str] = _LINK_SCHEMES) -> str | None:
    """``url`` if it is absolute with an allowed scheme and no whitespace tricks, else None."""
    if not url:
        return None
    url = url.strip()
    match = _SAFE_URL.fullmatch(url)
    if match is None or _NOT_XML.search(url):
        return None
    scheme = (match.group(1) or match.group(2)).lower()
    return url if scheme in schemes else None


@dataclass(frozen=True)
class FeedItem:
    id: str  # the canonical URL: never changes when views or text change
    link: str | None
    title: str
    author_name: str
    author_slug: str
    author_uri: str  # the author's page, or their entry on our feeds page when none is known
    author_avatar: str | None
    credentials: str | None
    summary_html: str  # byline + credentials + excerpt, wrapped in dir=…
    summary_text: str  # the same, plain (JSON Feed's summary is text)
    content_html: str  # the sanitised body, wrapped in dir=…
    published: datetime
    updated: datetime
    categories: tuple[str, ...]
    image_url: str | None
    image_type: str | None
    views: int | None
    language: str


@dataclass(frozen=True)
class FeedLink:
    rel: str  # "prev-archive", "next-archive", "current", "hub"
    href: str
    media_type: str | None = None


@dataclass(frozen=True)
class FeedMeta:
    """Everything about one feed document except its items; URLs are absolute."""

    path: str  # "authors/mudy-mbark" (no extension), relative to the feeds folder
    kind: str  # "all", "source", "author" or "newsletter"
    title: str
    description: str
    language: str
    home_url: str  # the HTML page this feed is about
    feeds_url: str  # base URL of the feeds folder, ending in "/"
    hub: str | None = None
    archive: bool = False  # an RFC 5005 archive document (fh:archive)
    prev_archive: str | None = None  # paths, like ``path``
    next_archive: str | None = None
    current: str | None = None  # an archive's subscription document
    author_name: str | None = None  # author feeds: the feed-level author
    author_uri: str | None = None
    empty_updated: datetime | None = None  # the feed's date while it has no items
    icon_url: str | None = None  # author feeds: the author's photo (http/https)

    def url(self, fmt: str, path: str | None = None) -> str:
        return f"{self.feeds_url}{path or self.path}.{FORMATS[fmt][0]}"

    def links(self, fmt: str) -> list[FeedLink]:
        """RFC 5005 and WebSub links, pointing at the same format's documents."""
        media = FORMATS[fmt][1]
        out: list[FeedLink] = []
        for rel, target in (
            ("current", self.current),
            ("prev-archive", self.prev_archive),
            ("next-archive", self.next_archive),
        ):
            if target is not None:
                out.append(FeedLink(rel, self.url(fmt, target), media))
        if self.hub is not None:
            out.append(FeedLink("hub", self.hub))
        return out


def _image_type(url: str) -> str:
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    for suffix, media in ((".png", "image/png"), (".gif", "image/gif"),
                          (".webp", "image/webp"), (".avif", "image/avif"),
                          (".svg", "image/svg+xml")):
        if path.endswith(suffix):
            return media
    return "image/jpeg"


def item_updated(column: Column | ColumnStamp, now: datetime) -> datetime:
    """The instant of the last *edit*; a view-count snapshot is never one.

    The store sets ``updated_at`` to ``collected_at`` on insert and moves it only
    when the title or body changed, so an unedited column is dated by its
    publication, and the date can never move because of views. The publication
    date is the one readers see at ``now`` (``columns_policy.display_published``:
    a column dated in the future shows its first collection until that date).
    """
    shown = display_published(column, now)
    edited = (
        column.updated_at is not None
        and column.collected_at is not None
        and column.updated_at > column.collected_at
    )
    if edited and column.updated_at is not None and column.updated_at > shown:
        return column.updated_at
    return shown


def feed_item(column: Column, *, author_page_url: str, now: datetime) -> FeedItem:
    """``author_page_url``: our own page for the author, used only when the newspaper
    gives no http(s) page for them (Atom ``uri`` and JSON Feed ``url`` name a page
    about the person, not a feed document). ``now`` (the build's clock) decides the
    dates shown for a column dated in the future (``columns_policy``)."""
    language = column.language or "ar"
    dir_ = direction(language)
    lang = html.escape(language, quote=True)
    author = column.author
    name = xml_text(column.byline).strip() or "?"  # "X و Y" with co-authors
    credentials = xml_text(author.credentials).strip() if author.credentials else None
    excerpt = xml_text(column.excerpt).strip()
    title = xml_text(column.title).strip() or excerpt[:80] or column.url
    byline = f"<strong>{html.escape(name)}</strong>"
    if credentials:
        byline += f" — {html.escape(credentials)}"
    original = safe_url(column.original_url)
    first = (f'<p>{FIRST_PUBLISHED} <a href="{html.escape(original, quote=True)}">'
             f"{html.escape(urlsplit(original).hostname or original)}</a></p>"
             if original else "")
    # Built from escaped text only: nothing here can carry markup from the page.
    summary_html = (
        f'<div dir="{dir_}" lang="{lang}"><p>{byline}</p>{first}'
        f"<p>{html.escape(excerpt)}</p></div>"
    )
    summary_text = (name + (f" — {credentials}" if credentials else "")
                    + (f"\n{FIRST_PUBLISHED} {original}" if original else "") + "\n" + excerpt)
    body = sanitise_html(xml_text(column.body_html))
    content_html = f'<div dir="{dir_}" lang="{lang}">{first}{body}</div>'
    image = safe_url(column.image_url)
    return FeedItem(
        id=xml_text(column.url),
        link=safe_url(column.url, _ITEM_LINK_SCHEMES),
        title=title,
        author_name=name,
        author_slug=author.slug,
        author_uri=safe_url(author.url) or author_page_url,
        author_avatar=safe_url(author.image_url),
        credentials=credentials,
        summary_html=summary_html,
        summary_text=summary_text,
        content_html=content_html,
        published=display_published(column, now),
        updated=item_updated(column, now),
        categories=tuple(c for c in (xml_text(c).strip() for c in column.categories) if c),
        image_url=image,
        image_type=_image_type(image) if image else None,
        views=column.views,
        language=language,
    )
