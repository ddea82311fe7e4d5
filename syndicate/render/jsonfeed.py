"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written with the standard library.

Our additions live in ``_syndicate`` objects, as the spec asks of extensions, each
with ``about`` (where the extension is described): an item's view count, author
credentials and, in feeds that mix papers, its ``source``; a document's RFC 5005
archive links (JSON Feed itself has only ``next_url``, which we point at the previous
archive page so a JSON reader can page back through the whole history).

Items and author feeds carry the 1.0 ``author`` beside 1.1's ``authors``, as the 1.1
spec suggests for readers that know only 1.0.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .feed_model import FeedItem, FeedMeta

VERSION = "https://jsonfeed.org/version/1.1"
ABOUT = "https://github.com/syndicate-news/syndicate/blob/main/docs/feeds.md#json-feed-extension"


def _date(when: datetime) -> str:
    return when.isoformat()


def _item(item: FeedItem, with_source: bool) -> dict[str, Any]:
    author: dict[str, Any] = {"name": item.author_name, "url": item.author_uri}
    if item.author_avatar:
        author["avatar"] = item.author_avatar
    out: dict[str, Any] = {
        "id": item.id,
        "title": item.title,
        "content_html": item.content_html,
        "summary": item.summary_text,
        "date_published": _date(item.published),
        "date_modified": _date(item.updated),
        "authors": [author],
        "author": author,  # JSON Feed 1.0
        "language": item.language,
    }
    if item.link:
        out["url"] = item.link
    if item.categories:
        out["tags"] = list(item.categories)
    if item.image_url:
        out["image"] = item.image_url
    extension: dict[str, Any] = {"about": ABOUT, "author_slug": item.author_slug}
    if item.views is not None:
        extension["views"] = item.views
    if item.credentials:
        extension["author_credentials"] = item.credentials
    if with_source and item.source is not None:
        extension["source"] = {"name": item.source.name, "title": item.source.title,
                               "home_page_url": item.source.home_url,
                               "feed_url": item.source.feed_url("json")}
    out["_syndicate"] = extension
    return out


def render_json(meta: FeedMeta, items: Sequence[FeedItem],
                cache: dict[tuple[str, bool], str] | None = None) -> bytes:
    """The document as UTF-8; ``cache`` (item id and whether it names its source ->
    encoded item) is shared across a build, since one column sits in several documents."""
    doc: dict[str, Any] = {
        "version": VERSION,
        "title": meta.title,
        "home_page_url": meta.home_url,
        "feed_url": meta.url("json"),
        "description": meta.description,
        "language": meta.language,
    }
    if meta.author_name:
        author: dict[str, Any] = {"name": meta.author_name}
        if meta.author_uri:
            author["url"] = meta.author_uri
        doc["authors"] = [author]
        doc["author"] = author  # JSON Feed 1.0
    if meta.logo or meta.icon:
        doc["icon"] = meta.logo or meta.icon
    if meta.icon:
        doc["favicon"] = meta.icon
    if meta.prev_archive is not None:
        doc["next_url"] = meta.url("json", meta.prev_archive)
    if meta.hub is not None:
        doc["hubs"] = [{"type": "WebSub", "url": meta.hub}]
    links = {link.rel: link.href for link in meta.links("json") if link.rel != "hub"}
    if meta.archive or links:
        doc["_syndicate"] = {"about": ABOUT, "archive": meta.archive, "links": links}
    encoded: list[str] = []
    for item in items:
        key = (item.id, meta.mixed)
        text = cache.get(key) if cache is not None else None
        if text is None:
            text = json.dumps(_item(item, meta.mixed), ensure_ascii=False,
                              separators=(",", ":"))
            if cache is not None:
                cache[key] = text
        encoded.append(text)
    head = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return f'{head[:-1]},"items":[{",".join(encoded)}]}}'.encode()
