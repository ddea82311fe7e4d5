"""``kind: feed``: an RSS or Atom feed of a section. The only module importing feedparser.

Bylines come from ``dc:creator``/``author``, views from Media RSS
``media:statistics``; with ``follow_links`` each item's page fills what the feed
lacks (often the view count, the author's credentials), never what it says.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import feedparser

from ..config.sources import Location
from ..errors import ExtractError, SyndicateError
from ..types import ColumnDraft, Outcome
from .base import (
    Found,
    SourceBase,
    combine,
    drafts_from_memo,
    drafts_memo,
    failure,
    fetch_columns,
    page_reader,
    read_memo,
)
from .fetching import Page
from .http import Fetcher
from .kinds import source_kind
from .page_values import clean_url


class FeedSource(SourceBase):
    kind: Literal["feed"]
    url: Location

    def addresses(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [(("url",), self.url)]


def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    # feedparser has already turned the feed's date into UTC.
    moment = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return moment.isoformat()


def _body(entry: Any) -> str | None:
    for content in entry.get("content") or ():
        if content.get("value"):
            return str(content["value"])
    summary = entry.get("summary")
    return str(summary) if summary else None


def _image(entry: Any) -> str | None:
    for key in ("media_content", "media_thumbnail"):
        for media in entry.get(key) or ():
            if media.get("url"):
                return str(media["url"])
    for link in entry.get("links") or ():
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            return str(link.get("href"))
    return None


def parse_feed(text: str, *, source: str, language: str, feed_url: str) -> list[ColumnDraft]:
    """Drafts for every item of an RSS/Atom document (raises ExtractError if unreadable)."""
    parsed = feedparser.parse(text, response_headers={"content-location": feed_url})
    if parsed.get("bozo") and not parsed.entries:
        raise ExtractError(feed_url, f"not a readable feed ({parsed.get('bozo_exception')})")
    drafts: list[ColumnDraft] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        stats = entry.get("media_statistics") or {}
        author_detail = entry.get("author_detail") or {}
        drafts.append(ColumnDraft(
            source=source,
            url=clean_url(str(link)),
            # The item's link is where to read it, not a claim of identity: the page's
            # own canonical decides (an AMP twin's link names the regular page there).
            canonical_url=None,
            title=entry.get("title"),
            author_name=entry.get("author") or author_detail.get("name"),
            author_credentials=None,
            author_article_count=None,
            author_url=author_detail.get("href"),
            author_image_url=None,
            published_text=_iso(entry.get("published_parsed") or entry.get("updated_parsed"))
            or entry.get("published") or entry.get("updated"),
            views_text=str(stats["views"]) if stats.get("views") is not None else None,
            body_html=_body(entry),
            image_url=_image(entry),
            categories=tuple(str(t.get("term")) for t in entry.get("tags") or () if t.get("term")),
            language=language,
        ))
    return drafts


def collect_feed(source: FeedSource, fetcher: Fetcher, *, url: str) -> Iterator[Found]:
    """Items of the feed; a 304 replays the items remembered with its validators, so the
    pages of a followed feed are still re-validated (their view counts move)."""
    try:
        page = fetcher.fetch(url, expect="xml")
    except SyndicateError as exc:
        yield failure(url, exc, listing=True)
        return
    memo: str | None = None
    if page.not_modified:
        yield Found(url, page=page, outcome=Outcome.NOT_MODIFIED, listing=True)
        remembered = read_memo(page.memo)
        if remembered is None or not source.follow_links:
            return  # nothing new in the feed itself, and no pages to look at
        drafts = drafts_from_memo(remembered)
    else:
        try:
            drafts = parse_feed(page.text, source=source.name, language=source.language,
                                feed_url=page.final_url)
        except SyndicateError as exc:
            yield failure(url, exc, listing=True)
            return
        memo = drafts_memo(drafts)
    if not source.follow_links:
        for draft in drafts:
            yield Found(draft.url, draft=draft)
    else:
        by_url = {d.url: d for d in drafts}
        read = page_reader(source.name, source.fields, source.language)

        def complete(item_url: str, _page: Page, from_page: ColumnDraft) -> ColumnDraft:
            return combine(by_url[item_url], from_page, source.prefer)

        for found in fetch_columns(fetcher, list(by_url), read, complete=complete):
            if found.outcome is Outcome.SKIPPED and found.url in by_url and not found.settled:
                # The page was unusable but the feed item stands on its own.
                found = Found(found.url, draft=by_url[found.url], reason=found.reason)
            yield found
    if memo is not None:
        yield Found(url, page=page, listing=True, memo=memo)


@source_kind(FeedSource)
def _collect(source: FeedSource, fetcher: Fetcher, locations: Sequence[str]) -> Iterator[Found]:
    return collect_feed(source, fetcher, url=locations[0])
