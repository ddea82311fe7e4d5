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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ..columns_policy import display_published, newest_first
from ..config import Config
from ..dates import Digits, default_digits
from ..render.feed_model import FeedMeta, index_anchor, item_updated, safe_url
from ..text.digits import to_digits
from ..types import ColumnStamp, DigestIssue

# Bump when rendering changes, so every feed is rewritten once with the new code.
RENDER_VERSION = "2"


@dataclass(frozen=True)
class PlannedFeed:
    meta: FeedMeta
    columns: tuple[ColumnStamp, ...]  # newest first, as the document lists them


def feeds_url(config: Config) -> str:
    return config.site.base_url.rstrip("/") + "/feeds/"


def author_page_url(config: Config, slug: str) -> str:
    """The author's entry on our feeds index page: the fallback for an author whose
    newspaper gives no http(s) page. Atom ``author/uri`` and JSON Feed
    ``authors[].url`` must name a page about the person, never a feed document."""
    return f"{feeds_url(config)}#{index_anchor(f'authors/{slug}')}"


def _paged(meta: FeedMeta, columns: Sequence[ColumnStamp], per_page: int, digits: Digits,
           archives: bool) -> list[PlannedFeed]:
    if not archives or len(columns) <= per_page:
        return [PlannedFeed(meta, tuple(columns[:per_page]))]
    oldest_first = list(reversed(columns))
    count = -(-len(columns) // per_page) - 1  # full pages not shown whole in the current doc
    pages: list[PlannedFeed] = [
        PlannedFeed(replace(meta, prev_archive=f"{meta.path}-archive-{count}"),
                    tuple(columns[:per_page]))
    ]
    for number in range(1, count + 1):
        chunk = oldest_first[(number - 1) * per_page: number * per_page]
        pages.append(PlannedFeed(
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
            tuple(reversed(chunk)),
        ))
    return pages


def _source_home(config: Config, name: str) -> str | None:
    try:
        source = config.source(name)
    except KeyError:
        return None
    start = getattr(source, "start_urls", None)
    return safe_url(start[0] if start else getattr(source, "url", None))


def newsletter_columns(issues: Iterable[DigestIssue], by_url: Mapping[str, ColumnStamp]
                       ) -> list[ColumnStamp]:
    """Columns of the queued (sent) issues, newest issue first, each column once."""
    seen: set[str] = set()
    out: list[ColumnStamp] = []
    for issue in sorted(issues, key=lambda i: i.number, reverse=True):
        if not issue.queued:
            continue
        for url in issue.column_urls:
            column = by_url.get(url)
            if column is not None and column.url not in seen:
                seen.add(column.url)
                out.append(column)
    return out


def plan_feeds(config: Config, columns: Sequence[ColumnStamp],
               issues: Mapping[str, Sequence[DigestIssue]], *, now: datetime
               ) -> list[PlannedFeed]:
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
    planned: list[PlannedFeed] = []

    if settings.all_columns:
        # The feeds index, like every other feed without a page of its own: the site's
        # root is not a page about these columns (and may not exist).
        meta = FeedMeta(path="columns", kind="all", title=settings.title,
                        description=settings.description, language=settings.language,
                        home_url=index,
                        feeds_url=base, hub=hub, empty_updated=now)
        planned += _paged(meta, columns, per_page, digits, "all" in scopes)

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
            meta = FeedMeta(path=f"sources/{name}", kind="source",
                            title=settings.source_title.format(source=label),
                            description=settings.description, language=language,
                            home_url=_source_home(config, name) or index,
                            feeds_url=base, hub=hub, empty_updated=now)
            planned += _paged(meta, group, per_page, digits, "source" in scopes)

    if settings.per_author:
        by_author: dict[str, list[ColumnStamp]] = {}
        for column in columns:
            by_author.setdefault(column.author.slug, []).append(column)
        for slug, group in sorted(by_author.items()):
            author = group[0].author
            # The author page's bio when there is one (author_page:), else credentials.
            description = author.bio or author.credentials or settings.description
            meta = FeedMeta(path=f"authors/{slug}", kind="author",
                            title=settings.author_title.format(author=author.name),
                            description=description, language=group[0].language,
                            home_url=safe_url(author.url) or author_page_url(config, slug),
                            author_name=author.name,
                            author_uri=safe_url(author.url) or author_page_url(config, slug),
                            icon_url=safe_url(author.image_url),
                            feeds_url=base, hub=hub, empty_updated=now)
            planned += _paged(meta, group, per_page, digits, "author" in scopes)

    if settings.per_newsletter and config.newsletters:
        by_url = {column.url: column for column in columns}
        for newsletter in config.newsletters:
            group = newsletter_columns(issues.get(newsletter.id, ()), by_url)
            meta = FeedMeta(path=f"newsletters/{newsletter.id}", kind="newsletter",
                            title=settings.newsletter_title.format(newsletter=newsletter.title),
                            description=settings.description,
                            language=newsletter.locale.split("-")[0] or settings.language,
                            home_url=index, feeds_url=base, hub=hub,
                            empty_updated=now)
            planned += _paged(meta, group, per_page, digits, "newsletter" in scopes)
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
    ))
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()


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
    digest.update(b"".join([fingerprints[column.url] for column in feed.columns]))
    return digest.hexdigest()
