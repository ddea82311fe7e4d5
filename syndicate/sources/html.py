"""``kind: html``: listing pages (with a next-page link) linking to column pages."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..config.sources import HtmlSource
from ..errors import SyndicateError
from ..types import Outcome
from .base import Found, failure, fetch_columns, page_reader
from .extract import extract_links, extract_next, parse
from .http import Fetcher


def collect_html(
    source: HtmlSource, fetcher: Fetcher, *, start_urls: Sequence[str]
) -> Iterator[Found]:
    """Walk each start URL's listing pages; fetch every column linked from them.

    When a listing page answers 304 nothing on it (nor after it) can have changed
    since its validators were stored — they are stored only once every column it
    links to was got — so the walk of that start URL ends there: an unchanged site
    costs one 304. Any change to a listing (a new column, a new view count printed
    on it) re-validates each of its column pages with a conditional GET.
    """
    read = page_reader(source.name, source.fields, source.language)
    visited: set[str] = set()
    for start in start_urls:
        url: str | None = start
        pages = 0
        while url is not None and pages < source.max_pages and url not in visited:
            pages += 1
            visited.add(url)
            try:
                page = fetcher.fetch(url)
            except SyndicateError as exc:
                yield failure(url, exc, listing=True)
                break
            if page.not_modified:
                yield Found(url, page=page, outcome=Outcome.NOT_MODIFIED, listing=True)
                break
            tree = parse(page.text)
            links = [link for link in extract_links(tree, page_url=page.final_url,
                                                    selector=source.links)
                     if link not in visited]
            next_url = (extract_next(tree, page_url=page.final_url, selector=source.next_page)
                        if source.next_page else None)
            visited.update(links)
            results = list(fetch_columns(fetcher, links, read))
            yield from results
            # Remember the listing's validators only when every column on it was got,
            # so a column that failed (a 500, a timeout) is tried again next run.
            complete = all(r.outcome is not Outcome.FAILED for r in results)
            yield Found(url, page=page if complete else None, listing=True,
                        reason="" if complete else "some columns failed; listing not cached")
            url = next_url
