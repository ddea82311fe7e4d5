"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written with the standard library.

Our additions live in ``_syndicate`` objects, as the spec asks of extensions: an
item's view count and author credentials; a document's RFC 5005 archive links
(JSON Feed itself has only ``next_url``, which we point at the previous archive
page so a JSON reader can page back through the whole history).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .feed_model import FeedItem, FeedMeta

VERSION = "https://jsonfeed.org/version/1.1"


def _date(when: datetime) -> str:
    return when.isoformat()


def _item(item: FeedItem) -> dict[str, Any]:
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
        "language": item.language,
    }
    if item.link:
        out["url"] = item.link
    if item.categories:
        out["tags"] = list(item.categories)
    if item.image_url:
        out["image"] = item.image_url
    extension: dict[str, Any] = {"author_slug": item.author_slug}
    if item.views is not None:
        extension["views"] = item.views
    if item.credentials:
        extension["author_credentials"] = item.credentials
    out["_syndicate"] = extension
    return out


def render_json(meta: FeedMeta, items: Sequence[FeedItem],
                cache: dict[str, str] | None = None) -> bytes:
    """The document as UTF-8; ``cache`` (item id -> encoded item) is shared across a
    build, since one column sits in several documents."""
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
        if meta.icon_url:
            author["avatar"] = meta.icon_url
        doc["authors"] = [author]
    if meta.icon_url:
        doc["icon"] = meta.icon_url
    if meta.prev_archive is not None:
        doc["next_url"] = meta.url("json", meta.prev_archive)
    if meta.hub is not None:
        doc["hubs"] = [{"type": "WebSub", "url": meta.hub}]
    links = {link.rel: link.href for link in meta.links("json") if link.rel != "hub"}
    if meta.archive or links:
        doc["_syndicate"] = {"archive": meta.archive, "links": links}
    encoded: list[str] = []
    for item in items:
        text = cache.get(item.id) if cache is not None else None
        if text is None:
            text = json.dumps(_item(item), ensure_ascii=False, separators=(",", ":"))
            if cache is not None:
                cache[item.id] = text
        encoded.append(text)
    head = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return f'{head[:-1]},"items":[{",".join(encoded)}]}}'.encode()
