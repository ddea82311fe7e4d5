"""``kind: sitemap``: a Google News sitemap (or a sitemap index of them). The only
module importing lxml.

The sitemap gives each column's URL, ``news:title`` and ``news:publication_date``;
the column page (always fetched: a sitemap has no author or text) gives the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Literal
from urllib.parse import urljoin

from lxml import etree
from pydantic import field_validator

from ..config.sources import Location
from ..errors import ExtractError, SyndicateError
from ..types import ColumnDraft, Outcome
from .base import Found, SourceBase, combine, failure, fetch_columns, page_reader, read_memo
from .fetching import Page
from .http import Fetcher
from .kinds import source_kind
from .page_values import clean_url

_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_MAX_CHILD_SITEMAPS = 20
# No entities, no network: a sitemap is data from a site we do not control.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          recover=False)


class SitemapSource(SourceBase):
    kind: Literal["sitemap"]
    url: Location
    url_pattern: str | None = None  # regular expression a column URL must match

    @field_validator("url_pattern")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"url_pattern is not a regular expression: {exc}") from exc
        return value

    def addresses(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [(("url",), self.url)]


def _text(node: etree._Element | None) -> str | None:
    if node is None or node.text is None:
        return None
    return node.text.strip() or None


def parse_sitemap(text: str, *, url: str) -> tuple[list[dict[str, str | None]], list[str]]:
    """(entries with loc/title/published, child sitemap URLs)."""
    try:
        root = etree.fromstring(text.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ExtractError(url, f"not a readable sitemap ({exc})") from exc
    if root.tag == f"{_SM}sitemapindex":
        children = [_text(s.find(f"{_SM}loc")) for s in root.iter(f"{_SM}sitemap")]
        return [], [c for c in children if c]
    if root.tag != f"{_SM}urlset":
        raise ExtractError(url, f"not a sitemap (root element {root.tag!r})")
    entries = []
    for node in root.iter(f"{_SM}url"):
        loc = _text(node.find(f"{_SM}loc"))
        if not loc:
            continue
        news = node.find(f"{_NEWS}news")
        entries.append({
            "loc": loc,
            "title": _text(news.find(f"{_NEWS}title")) if news is not None else None,
            "published": (_text(news.find(f"{_NEWS}publication_date")) if news is not None
                          else None) or _text(node.find(f"{_SM}lastmod")),
        })
    return entries, []


def collect_sitemap(source: SitemapSource, fetcher: Fetcher, *, url: str) -> Iterator[Found]:
    """Every matching URL of the sitemap (and its children), each page fetched. A sitemap
    answering 304 replays what it listed, so the pages are still re-validated."""
    pattern = re.compile(source.url_pattern) if source.url_pattern else None
    drafts: dict[str, ColumnDraft] = {}
    documents: list[tuple[Page, str]] = []
    queue: list[str] = [url]
    seen: set[str] = set()
    while queue and len(seen) <= _MAX_CHILD_SITEMAPS:
        current = queue.pop(0)
        seen.add(current)
        try:
            page = fetcher.fetch(current, expect="xml")
            if page.not_modified:
                yield Found(current, page=page, outcome=Outcome.NOT_MODIFIED, listing=True)
                remembered = read_memo(page.memo)
                if remembered is None:
                    continue
                entries = list(remembered.get("entries") or ())
                children = [str(c) for c in remembered.get("children") or ()]
            else:
                entries, children = parse_sitemap(page.text, url=current)
                documents.append((page, json.dumps({"entries": entries, "children": children},
                                                   ensure_ascii=False)))
        except SyndicateError as exc:
            yield failure(current, exc, listing=True)
            continue
        queue.extend(urljoin(page.final_url, c) for c in children if c not in seen)
        for entry in entries:
            if not isinstance(entry, dict) or not entry.get("loc"):
                continue
            loc = clean_url(urljoin(page.final_url, str(entry["loc"])))
            if pattern is not None and not pattern.search(loc):
                continue
            drafts.setdefault(loc, ColumnDraft(
                source=source.name, url=loc, canonical_url=None, title=entry.get("title"),
                author_name=None, author_credentials=None, author_article_count=None,
                author_url=None, author_image_url=None, published_text=entry.get("published"),
                views_text=None, body_html=None, language=source.language,
            ))
    read = page_reader(source.name, source.fields, source.language)

    def complete(item_url: str, _page: Page, from_page: ColumnDraft) -> ColumnDraft:
        return combine(drafts[item_url], from_page, source.prefer)

    yield from fetch_columns(fetcher, list(drafts), read, complete=complete)
    for page, memo in documents:
        yield Found(page.url, page=page, listing=True, memo=memo)


@source_kind(SitemapSource)
def _collect(source: SitemapSource, fetcher: Fetcher, locations: Sequence[str]) -> Iterator[Found]:
    return collect_sitemap(source, fetcher, url=locations[0])
