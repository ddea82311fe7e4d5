"""``kind: html``: listing pages (with a next-page link) linking to column pages."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Literal

from pydantic import Field, field_validator

from ..config.sources import Location
from ..errors import SyndicateError
from ..text.urls import address_key
from ..types import Outcome
from .base import Found, SourceBase, failure, fetch_columns, page_reader
from .extract import checked_selector, extract_links, extract_next, parse
from .http import Fetcher
from .kinds import source_kind


class HtmlSource(SourceBase):
    kind: Literal["html"]
    start_urls: list[Location] = Field(min_length=1)
    links: str  # selector of links to column pages on a listing page
    next_page: str | None = None
    max_pages: int = Field(default=1, ge=1, le=1000)

    @field_validator("links", "next_page")
    @classmethod
    def _selector(cls, value: str | None) -> str | None:
        return checked_selector(value)

    def addresses(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [(("start_urls", n), url) for n, url in enumerate(self.start_urls)]


def _memo(links: list[str], next_url: str | None) -> str:
    return json.dumps({"links": links, "next": next_url}, ensure_ascii=False)


def _from_memo(memo: str | None) -> tuple[list[str], str | None] | None:
    try:
        data = json.loads(memo) if memo else None
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("links"), list):
        return None
    next_url = data.get("next")
    return [str(link) for link in data["links"]], next_url if isinstance(next_url, str) else None


def collect_html(
    source: HtmlSource, fetcher: Fetcher, *, start_urls: Sequence[str]
) -> Iterator[Found]:
    """Walk each start URL's listing pages; fetch every column linked from them.

    A listing page's links (and next page) are remembered with its validators, so
    when it answers 304 its column pages are still re-validated, each with its own
    conditional GET: an unchanged site costs only 304s, yet a column whose page
    changed (a new view count, an edit) is read again.
    """
    read = page_reader(source.name, source.fields, source.language)
    visited: set[str] = set()  # address_key: one page linked in two spellings is one page
    for start in start_urls:
        url: str | None = start
        pages = 0
        while (url is not None and pages < source.max_pages
               and address_key(url) not in visited):
            pages += 1
            visited.add(address_key(url))
            try:
                page = fetcher.fetch(url)
            except SyndicateError as exc:
                yield failure(url, exc, listing=True)
                break
            if page.not_modified:
                yield Found(url, page=page, outcome=Outcome.NOT_MODIFIED, listing=True)
                remembered = _from_memo(page.memo)
                if remembered is None:
                    break  # validators stored without links: nothing known to walk
                found_links, next_url = remembered
                memo = None
            else:
                tree = parse(page.text)
                found_links = extract_links(tree, page_url=page.final_url, selector=source.links)
                next_url = (extract_next(tree, page_url=page.final_url,
                                         selector=source.next_page)
                            if source.next_page else None)
                memo = _memo(found_links, next_url)
            links = []
            for link in found_links:
                key = address_key(link)
                if key not in visited:
                    visited.add(key)
                    links.append(link)
            yield from fetch_columns(fetcher, links, read)
            if memo is not None:
                yield Found(url, page=page, listing=True, memo=memo)
            url = next_url


@source_kind(HtmlSource)
def _collect(source: HtmlSource, fetcher: Fetcher, locations: Sequence[str]) -> Iterator[Found]:
    return collect_html(source, fetcher, start_urls=locations)
