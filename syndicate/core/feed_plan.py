"""Which feed documents exist, what each lists, and a digest of what it says.

Pure functions of (config, columns, digest issues, now): no I/O, so the planning
and the "did this feed change?" decision are tested without a disk.

Archive pages (RFC 5005) are cut from the *oldest* end: page 1 holds the first
``items`` columns ever published, page 2 the next, and so on, and only full pages
are archived. A new column therefore changes the subscription document alone,
never an archive page, and the newest archive page may overlap the subscription
document (readers merge entries by id, as RFC 5005 expects).

Dates and order are the ones readers see at ``now`` (``columns_policy``): a column
dated in the future is listed, dated and fingerprinted at its first collection until
its stated date arrives, so it never tops a feed early, an unchanged rebuild before
that date writes nothing, and the documents listing it change once when it arrives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import PurePosixPath
from typing import TypeVar

from ..columns_policy import display_published, newest_first
from ..config import Config
from ..dates import Digits, default_digits
from ..render.feed_model import FeedMeta, SourceRef, index_anchor, item_updated, safe_url
from ..text.digits import to_digits
from ..types import ColumnStamp, DigestIssue

# Bump when rendering changes, so every feed is rewritten once with the new code.
RENDER_VERSION = "3"
_CONTENT = 16  # bytes of a content fingerprint (a column fingerprint starts with one)
Unit = TypeVar("Unit", ColumnStamp, DigestIssue)


@dataclass(frozen=True)
class PlannedFeed:
    meta: FeedMeta
    columns: tuple[ColumnStamp, ...]  # newest first, as the document lists them
    # A newsletter's archive lists sent issues (newest first), not columns: ``columns``
    # then holds the columns those issues list, each once, to load and fingerprint.
    issues: tuple[DigestIssue, ...] = ()

    @property
    def entries(self) -> int:
        return len(self.issues) if self.meta.kind == "newsletter" else len(self.columns)


def issue_page_url(config: Config, newsletter: str, number: int) -> str:
    """Where an issue's item links: its own page (``web/issues.py``)."""
    return issue_id_url(config, newsletter, number)


def issue_id_url(config: Config, newsletter: str, number: int) -> str:
    """An issue's permanent id: the URL of its own page (``/issues/<newsletter>/<n>``)."""
    return f"{config.site.base_url.rstrip('/')}/issues/{newsletter}/{number}"


@dataclass(frozen=True)
class IconFile:
    """An operator's icon or logo file, published beside the feeds."""

    file: str  # as written in schedules.yaml
    relative: str  # under the feeds folder: "icons/site-icon.png"
    url: str


@dataclass(frozen=True)
class FeedIcons:
    """Icon and logo URLs: the site's, and each source's own (None: use the site's)."""

    icon: str | None = None
    logo: str | None = None
    sources: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def of_source(self, name: str) -> tuple[str | None, str | None]:
        icon, logo = self.sources.get(name, (None, None))
        return icon or self.icon, logo or self.logo


def _image_settings(config: Config) -> list[tuple[str, str, str]]:
    """(owner, "icon" or "logo", setting) for every icon and logo configured."""
    settings = config.feeds
    out = [("site", kind, value) for kind, value in (("icon", settings.icon),
                                                     ("logo", settings.logo)) if value]
    for name, images in sorted(settings.source_icons.items()):
        out += [(name, kind, value) for kind, value in (("icon", images.icon),
                                                        ("logo", images.logo)) if value]
    return out


def _relative(owner: str, kind: str, value: str) -> str:
    return f"icons/{owner}-{kind}{PurePosixPath(value).suffix.lower()}"


def _remote(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def icon_files(config: Config) -> list[IconFile]:
    """The local icon and logo files the build copies to ``icons/`` (URLs are linked)."""
    base = feeds_url(config)
    return [IconFile(value, _relative(owner, kind, value), base + _relative(owner, kind, value))
            for owner, kind, value in _image_settings(config) if not _remote(value)]


def feed_icons(config: Config, published: set[str]) -> FeedIcons:
    """URLs of the icons: remote ones as given, local ones once ``published``."""
    base = feeds_url(config)
    chosen: dict[str, dict[str, str | None]] = {}
    for owner, kind, value in _image_settings(config):
        relative = _relative(owner, kind, value)
        url = value if _remote(value) else base + relative if relative in published else None
        chosen.setdefault(owner, {})[kind] = url
    site = chosen.pop("site", {})
    return FeedIcons(site.get("icon"), site.get("logo"),
                     {name: (v.get("icon"), v.get("logo")) for name, v in chosen.items()})


def source_ref(config: Config, name: str) -> SourceRef:
    """The paper ``name`` as items of feeds that mix papers name it."""
    settings = config.feeds
    try:
        title = config.source(name).title or name
    except KeyError:
        title = name
    return SourceRef(name=name, title=title,
                     home_url=_source_home(config, name) or feeds_url(config),
                     feeds_url=feeds_url(config),
                     formats=tuple(settings.formats) if settings.per_source else ())


def item_style(config: Config) -> str:
    """The settings every item's byline depends on (a change rewrites every feed)."""
    settings = config.feeds
    return repr((settings.calendar, settings.hijri_adjustment, settings.locale,
                 config.timezone))


def feeds_url(config: Config) -> str:
    return config.site.base_url.rstrip("/") + "/feeds/"


def author_page_url(config: Config, slug: str) -> str:
    """The author's entry on our feeds index page: the fallback for an author whose
    newspaper gives no http(s) page. Atom ``author/uri`` and JSON Feed
    ``authors[].url`` must name a page about the person, never a feed document."""
    return f"{feeds_url(config)}#{index_anchor(f'authors/{slug}')}"


def _paged(meta: FeedMeta, units: Sequence[Unit], per_page: int, digits: Digits,
           archives: bool, make: Callable[[FeedMeta, Sequence[Unit]], PlannedFeed]
           ) -> list[PlannedFeed]:
    """The subscription document and its archive pages; ``units`` (columns or issues)
    newest first; ``make`` builds one document from its share of them."""
    if not archives or len(units) <= per_page:
        return [make(meta, units[:per_page])]
    oldest_first = list(reversed(units))
    count = -(-len(units) // per_page) - 1  # full pages not shown whole in the current doc
    pages: list[PlannedFeed] = [
        make(replace(meta, prev_archive=f"{meta.path}-archive-{count}"), units[:per_page])
    ]
    for number in range(1, count + 1):
        chunk = oldest_first[(number - 1) * per_page: number * per_page]
        pages.append(make(
            replace(
                meta,
                path=f"{meta.path}-archive-{number}",
                title=f"{meta.title} — أرشيف {to_digits(str(number), digits)}",
                archive=True,
                current=meta.path,
                prev_archive=f"{meta.path}-archive-{number - 1}" if number > 1 else None,
                next_archive=f"{meta.path}-archive-{number + 1}" if number < count else None,
                hub=None,  # archives never change in a way worth pushing
            ),
            list(reversed(chunk)),
        ))
    return pages


def _of_columns(meta: FeedMeta, columns: Sequence[ColumnStamp]) -> PlannedFeed:
    return PlannedFeed(meta, tuple(columns))


def _source_home(config: Config, name: str) -> str | None:
    try:
        source = config.source(name)
    except KeyError:
        return None
    start = getattr(source, "start_urls", None)
    return safe_url(start[0] if start else getattr(source, "url", None))


def sent_issues(issues: Iterable[DigestIssue]) -> list[DigestIssue]:
    """The queued (sent) issues, newest first."""
    return sorted((i for i in issues if i.queued), key=lambda i: i.number, reverse=True)


def newsletter_columns(issues: Iterable[DigestIssue], by_url: Mapping[str, ColumnStamp]
                       ) -> list[ColumnStamp]:
    """Columns of the queued (sent) issues, newest issue first, each column once."""
    seen: set[str] = set()
    out: list[ColumnStamp] = []
    for issue in sent_issues(issues):
        for url in issue.column_urls:
            column = by_url.get(url)
            if column is not None and column.url not in seen:
                seen.add(column.url)
                out.append(column)
    return out


def plan_feeds(config: Config, columns: Sequence[ColumnStamp],
               issues: Mapping[str, Sequence[DigestIssue]], *, now: datetime,
               icons: FeedIcons | None = None) -> list[PlannedFeed]:
    """Every feed document to write; ``columns`` newest first (as the store lists them).

    They are re-ordered by the date shown at ``now``, so a future-dated column sits
    where its first collection puts it, not at the top.
    """
    columns = newest_first(columns, now)
    settings = config.feeds
    base = feeds_url(config)
    index = base  # the HTML index page (autodiscovery) is every feed's fallback home
    per_page = settings.items
    digits = default_digits(settings.locale)  # archive page numbers, as on the index page
    scopes = set(settings.archive_scopes) if settings.archive_pages else set()
    hub = settings.websub_hub
    icons = icons or FeedIcons()
    style = item_style(config)
    planned: list[PlannedFeed] = []

    if settings.all_columns:
        # The feeds index, like every other feed without a page of its own: the site's
        # root is not a page about these columns (and may not exist).
        meta = FeedMeta(path="columns", kind="all", title=settings.title,
                        description=settings.description, language=settings.language,
                        home_url=index,
                        feeds_url=base, hub=hub, empty_updated=now, icon=icons.icon,
                        logo=icons.logo, mixed=True, item_style=style)
        planned += _paged(meta, columns, per_page, digits, "all" in scopes, _of_columns)

    if settings.per_source:
        by_source: dict[str, list[ColumnStamp]] = {s.name: [] for s in config.sources}
        for column in columns:
            by_source.setdefault(column.source, []).append(column)
        for name, group in sorted(by_source.items()):
            try:
                source = config.source(name)
                label, language = source.title or name, source.language
            except KeyError:  # a source removed from the config keeps its feed
                label, language = name, group[0].language if group else settings.language
            icon, logo = icons.of_source(name)
            meta = FeedMeta(path=f"sources/{name}", kind="source",
                            title=settings.source_title.format(source=label),
                            description=settings.description, language=language,
                            home_url=_source_home(config, name) or index,
                            feeds_url=base, hub=hub, empty_updated=now, icon=icon, logo=logo,
                            item_style=style)
            planned += _paged(meta, group, per_page, digits, "source" in scopes, _of_columns)

    if settings.per_author:
        by_author: dict[str, list[ColumnStamp]] = {}
        for column in columns:
            by_author.setdefault(column.author.slug, []).append(column)
        # A person the operator linked across papers (`authors:`) gets one feed of
        # every paper's columns too; each item keeps its own paper's byline.
        for person, members in config.authors.items():
            linked = [c for c in columns if c.author.slug in members]
            if linked:
                by_author[person] = linked
        for slug, group in sorted(by_author.items()):
            author = group[0].author
            # The author page's bio when there is one (author_page:), else credentials.
            description = author.bio or author.credentials or settings.description
            papers = sorted({column.source for column in group})
            photo = safe_url(author.image_url)
            icon, logo = (photo, photo) if photo else icons.of_source(papers[0])
            meta = FeedMeta(path=f"authors/{slug}", kind="author",
                            title=_author_title(config, author.name, papers),
                            description=description, language=group[0].language,
                            home_url=safe_url(author.url) or author_page_url(config, slug),
                            author_name=author.name,
                            author_uri=safe_url(author.url) or author_page_url(config, slug),
                            feeds_url=base, hub=hub, empty_updated=now, icon=icon, logo=logo,
                            mixed=len(papers) > 1, item_style=style)
            planned += _paged(meta, group, per_page, digits, "author" in scopes, _of_columns)

    if settings.per_newsletter and config.newsletters:
        by_url = {column.url: column for column in columns}

        def of_issues(meta: FeedMeta, chunk: Sequence[DigestIssue]) -> PlannedFeed:
            return PlannedFeed(meta, tuple(newsletter_columns(chunk, by_url)), tuple(chunk))

        for newsletter in config.newsletters:
            sent = sent_issues(issues.get(newsletter.id, ()))
            meta = FeedMeta(path=f"newsletters/{newsletter.id}", kind="newsletter",
                            title=settings.newsletter_title.format(newsletter=newsletter.title),
                            description=settings.description,
                            language=newsletter.locale.split("-")[0] or settings.language,
                            # The newsletter's issues on the web (web/issues.py).
                            home_url=(config.site.base_url.rstrip("/")
                                      + f"/issues/{newsletter.id}/"),
                            feeds_url=base, hub=hub,
                            empty_updated=now, icon=icons.icon, logo=icons.logo,
                            item_style=style)
            planned += _paged(meta, sent, per_page, digits, "newsletter" in scopes, of_issues)
    return planned


def content_fingerprint(column: ColumnStamp, now: datetime) -> bytes:
    """Everything an item shows except its view count; the store's ``content_hash``
    stands for title, body and the excerpt cut from it. Dates are the ones shown at
    ``now``: they change only when a future-dated column's stated date arrives, never
    merely because the clock moved."""
    author = column.author
    key = repr((
        column.url, column.content_hash, display_published(column, now),
        item_updated(column, now), author.name, author.slug, author.credentials, author.url,
        author.image_url, column.image_url, column.categories, column.language,
        column.coauthors, column.original_url,
    ))
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _author_title(config: Config, name: str, papers: Sequence[str]) -> str:
    """The author's feed title with the paper(s) they write for, unless the template
    places ``{source}`` itself."""
    template = config.feeds.author_title
    label = "، ".join(source_ref(config, paper).title for paper in papers)
    if "{source}" in template:
        return template.format(author=name, source=label)
    return f"{template.format(author=name)} — {label}" if label else template.format(author=name)


def column_fingerprint(column: ColumnStamp, now: datetime, content: bytes | None = None
                       ) -> bytes:
    """Everything an item shows, views included (``content``: its content_fingerprint,
    when already computed)."""
    if content is None:
        content = content_fingerprint(column, now)
    return content + str(column.views).encode()


def feed_digest(feed: PlannedFeed, fmt: str, fingerprints: Mapping[str, bytes]) -> str:
    """Changes exactly when the document's bytes would: content, views or metadata.

    ``empty_updated`` (now) is left out: it only dates a feed with no items, and an
    empty feed must not be rewritten on every run because the clock moved.
    """
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{RENDER_VERSION}\x00{fmt}\x00".encode())
    digest.update(repr(replace(feed.meta, empty_updated=None)).encode("utf-8", "surrogatepass"))
    if feed.meta.kind == "newsletter":  # issues list titles and bylines, never counts
        digest.update(repr([(i.number, i.created_at, i.column_urls) for i in feed.issues]
                           ).encode("utf-8", "surrogatepass"))
        digest.update(b"".join([fingerprints[c.url][:_CONTENT] for c in feed.columns]))
    else:
        digest.update(b"".join([fingerprints[column.url] for column in feed.columns]))
    return digest.hexdigest()
