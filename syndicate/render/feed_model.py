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
from functools import lru_cache
from urllib.parse import urlsplit

from ..columns_policy import display_published
from ..text.sanitise import sanitise_html
from ..types import Column, ColumnStamp, DigestIssue
from .bidi import bdi_html

# A build writes thousands of bylines by a few hundred authors: isolate each name once.
_isolated = lru_cache(maxsize=8192)(bdi_html)

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
class SourceRef:
    """The paper an item comes from, as feeds that mix papers name it."""

    name: str
    title: str
    home_url: str  # the paper's own page (its opinion section)
    feeds_url: str  # base URL of our feeds folder, ending in "/"
    formats: tuple[str, ...] = ()  # formats of its own feed we publish; () = none

    @property
    def feed_id(self) -> str:
        return f"{self.feeds_url}sources/{self.name}"

    def feed_url(self, fmt: str) -> str:
        """Its own feed in ``fmt`` (RSS ``<source url>``), else its home page."""
        if fmt in self.formats:
            return f"{self.feed_id}.{FORMATS[fmt][0]}"
        return self.home_url


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
    source: SourceRef | None = None  # shown only in feeds that mix papers


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
    icon: str | None = None  # absolute URLs: small square icon, larger logo
    logo: str | None = None
    mixed: bool = False  # lists several papers' columns: items name their source
    item_style: str = ""  # settings that shape every item (byline date): in the digest

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


def _figure(image: str | None, title: str, body: str) -> str:
    """The lead image first in the body, unless the body already shows it."""
    if image is None or html.escape(image, quote=True) in body or image in body:
        return ""
    return (f'<figure><img src="{html.escape(image, quote=True)}" '
            f'alt="{html.escape(title, quote=True)}"></figure>')


def _byline(name: str, credentials: str | None, when: datetime, date_text: str) -> str:
    """Author, credentials as their paper shows them, and the date: Latin runs isolated."""
    line = f"<strong>{_isolated(name)}</strong>"
    if credentials:
        line += f" — {_isolated(credentials)}"
    return (f'<p dir="rtl" lang="ar">{line}<br>'
            f'<time datetime="{when.isoformat()}">{html.escape(date_text)}</time></p>')


def feed_item(column: Column, *, author_page_url: str, now: datetime,
              source: SourceRef | None = None, date_text: str = "") -> FeedItem:
    """``author_page_url``: our own page for the author, used only when the newspaper
    gives no http(s) page for them (Atom ``uri`` and JSON Feed ``url`` name a page
    about the person, not a feed document). ``now`` (the build's clock) decides the
    dates shown for a column dated in the future (``columns_policy``). ``date_text``:
    the publication date as the byline in the body shows it (both calendars)."""
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
    image = safe_url(column.image_url)
    published = display_published(column, now)
    content_html = (f'<div dir="{dir_}" lang="{lang}">{_figure(image, title, body)}'
                    f'{_byline(name, credentials, published, xml_text(date_text))}{first}{body}'
                    '</div>')
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
        published=published,
        updated=item_updated(column, now),
        categories=tuple(c for c in (xml_text(c).strip() for c in column.categories) if c),
        image_url=image,
        image_type=_image_type(image) if image else None,
        views=column.views,
        language=language,
        source=source,
    )


@dataclass(frozen=True)
class IssueContext:
    """What an issue item says besides the issue itself (all text, escaped here)."""

    newsletter_title: str
    link: str  # the issue's page (the newsletter's page until issue pages exist)
    id: str  # permanent: the URL of the issue's own page
    number_text: str  # the number in the newsletter's digits
    date_text: str  # the send date as the newsletter shows dates
    language: str = "ar"


def issue_item(issue: DigestIssue, columns: list[Column], context: IssueContext) -> FeedItem:
    """One sent issue: its number, send date and the list of its columns."""
    dir_ = direction(context.language)
    lang = html.escape(context.language, quote=True)
    newsletter = xml_text(context.newsletter_title).strip()
    title = f"{newsletter} — العدد {context.number_text}"
    lines = []
    for column in columns:
        name = xml_text(column.author.name).strip()
        heading = xml_text(column.title).strip() or column.url
        link = safe_url(column.url, _ITEM_LINK_SCHEMES)
        text = f"{html.escape(heading)}</a>" if link else html.escape(heading)
        if link:
            text = f'<a href="{html.escape(link, quote=True)}">{text}'
        lines.append(f"<li>{text} — {_isolated(name)}</li>")
    when = f'<time datetime="{issue.created_at.isoformat()}">' \
           f'{html.escape(xml_text(context.date_text))}</time>'
    content_html = (f'<div dir="{dir_}" lang="{lang}"><p>{when}</p>'
                    f'<ol>{"".join(lines)}</ol></div>')
    summary_text = "، ".join(xml_text(c.title).strip() for c in columns)
    return FeedItem(
        id=context.id,
        link=safe_url(context.link),
        title=title,
        author_name=newsletter or "?",
        author_slug="",
        author_uri=context.link,
        author_avatar=None,
        credentials=None,
        summary_html=f'<div dir="{dir_}" lang="{lang}"><p>{html.escape(summary_text)}</p></div>',
        summary_text=summary_text,
        content_html=content_html,
        published=issue.created_at,
        updated=issue.created_at,
        categories=(),
        image_url=None,
        image_type=None,
        views=None,
        language=context.language,
    )
