"""``kind: wordpress``: the WordPress REST API (``/wp-json/wp/v2/posts?_embed``).

Everything but the view count is in the API (author, credentials and avatar from
``_embedded.author``, image from ``wp:featuredmedia``, categories from ``wp:term``);
with ``follow_links`` each post's page fills the gaps, typically the views a theme
prints.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any, Literal
from urllib.parse import urlencode

from pydantic import Field

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

_TAGS = re.compile(r"<[^>]+>")
_VIEW_KEYS = ("views", "post_views", "post_views_count", "views_count")


class WordpressSource(SourceBase):
    kind: Literal["wordpress"]
    url: Location  # the site root; /wp-json/wp/v2/posts is appended
    categories: list[int] = Field(default_factory=list)
    per_page: int = Field(default=20, ge=1, le=100)
    max_pages: int = Field(default=1, ge=1, le=100)

    def addresses(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [(("url",), self.url)]


def _plain(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("rendered")
    if not isinstance(value, str):
        return None
    return " ".join(html.unescape(_TAGS.sub(" ", value)).split()) or None


def _first_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return {}


def _views(post: dict[str, Any]) -> str | None:
    meta = post.get("meta") if isinstance(post.get("meta"), dict) else {}
    for holder in (post, meta):
        for key in _VIEW_KEYS:
            value = holder.get(key) if isinstance(holder, dict) else None
            if isinstance(value, list):
                value = value[0] if value else None
            if value not in (None, ""):
                return str(value)
    return None


def post_draft(post: dict[str, Any], *, source: str, language: str) -> ColumnDraft | None:
    link = post.get("link")
    if not isinstance(link, str):
        return None
    raw_embedded = post.get("_embedded")
    embedded: dict[str, Any] = raw_embedded if isinstance(raw_embedded, dict) else {}
    author = _first_dict(embedded.get("author"))
    if "code" in author:  # e.g. rest_user_cannot_view: the author is hidden
        author = {}
    media = _first_dict(embedded.get("wp:featuredmedia"))
    avatars = author.get("avatar_urls") if isinstance(author.get("avatar_urls"), dict) else {}
    terms = [t for group in embedded.get("wp:term") or () if isinstance(group, list)
             for t in group if isinstance(t, dict) and t.get("taxonomy") == "category"]
    gmt = post.get("date_gmt")
    published = f"{gmt}+00:00" if isinstance(gmt, str) and gmt else post.get("date")
    content = post.get("content")
    return ColumnDraft(
        source=source,
        url=clean_url(link),
        canonical_url=clean_url(link),
        title=_plain(post.get("title")),
        author_name=_plain(author.get("name")),
        author_credentials=_plain(author.get("description")),
        author_article_count=None,
        author_url=author.get("link") if isinstance(author.get("link"), str) else None,
        author_image_url=str(max(avatars.items(), key=lambda kv: int(kv[0]))[1])
        if avatars and all(str(k).isdigit() for k in avatars) else None,
        published_text=published if isinstance(published, str) else None,
        views_text=_views(post),
        body_html=content.get("rendered") if isinstance(content, dict) else None,
        image_url=media.get("source_url") if isinstance(media.get("source_url"), str) else None,
        categories=tuple(str(t["name"]) for t in terms if t.get("name")),
        language=language,
    )


def _api_url(source: WordpressSource, root: str, page: int) -> str:
    query: dict[str, str | int] = {"_embed": 1, "per_page": source.per_page, "page": page}
    if source.categories:
        query["categories"] = ",".join(str(c) for c in source.categories)
    return f"{root.rstrip('/')}/wp-json/wp/v2/posts?{urlencode(query)}"


def collect_wordpress(source: WordpressSource, fetcher: Fetcher, *, url: str) -> Iterator[Found]:
    """Posts page by page; an API page answering 304 replays the posts remembered with
    it, so with ``follow_links`` their pages are still re-validated."""
    drafts: dict[str, ColumnDraft] = {}
    replayed: set[str] = set()
    documents: list[tuple[Page, str]] = []
    for number in range(1, source.max_pages + 1):
        api = _api_url(source, url, number)
        try:
            page = fetcher.fetch(api, expect="json")
        except SyndicateError as exc:
            if number > 1 and "HTTP 400" in str(exc):
                break  # rest_post_invalid_page_number: past the last page
            yield failure(api, exc, listing=True)
            break
        if page.not_modified:
            yield Found(api, page=page, outcome=Outcome.NOT_MODIFIED, listing=True)
            remembered = read_memo(page.memo)
            if remembered is None:
                break
            page_drafts = drafts_from_memo(remembered)
            count = remembered.get("count")
            count = count if isinstance(count, int) else 0
            replayed.update(d.url for d in page_drafts if d.url not in drafts)
        else:
            try:
                posts = json.loads(page.text)
            except ValueError as exc:
                yield failure(api, ExtractError(api, f"not JSON ({exc})"), listing=True)
                break
            if not isinstance(posts, list):
                yield failure(api, ExtractError(api, "not a list of posts"), listing=True)
                break
            page_drafts = [d for d in (post_draft(p, source=source.name,
                                                  language=source.language)
                                       for p in posts if isinstance(p, dict)) if d is not None]
            count = len(posts)
            documents.append((page, drafts_memo(page_drafts, count=count)))
        for draft in page_drafts:
            drafts.setdefault(draft.url, draft)
        if count < source.per_page:
            break
    if source.follow_links:
        read = page_reader(source.name, source.fields, source.language)

        def complete(item_url: str, _page: Page, from_page: ColumnDraft) -> ColumnDraft:
            return combine(drafts[item_url], from_page, source.prefer)

        for found in fetch_columns(fetcher, list(drafts), read, complete=complete):
            if found.draft is None and found.outcome is Outcome.SKIPPED \
                    and found.url in drafts and not found.settled:
                found = Found(found.url, draft=drafts[found.url], reason=found.reason)
            yield found
    else:
        for draft in drafts.values():
            if draft.url not in replayed:
                yield Found(draft.url, draft=draft)
    for page, memo in documents:
        yield Found(page.url, page=page, listing=True, memo=memo)


@source_kind(WordpressSource)
def _collect(
    source: WordpressSource, fetcher: Fetcher, locations: Sequence[str]
) -> Iterator[Found]:
    return collect_wordpress(source, fetcher, url=locations[0])
