"""Collecting columns from newspaper sites: one module per source kind, one HTTP module.

``collect_source`` dispatches on the configured kind and yields ``Found`` records;
it never touches the store (``syndicate.core.collect`` does).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..config.sources import FeedSource, HtmlSource, SitemapSource, WordpressSource
from .base import Found
from .http import Fetcher

__all__ = ["Found", "collect_source"]


def collect_source(
    source: HtmlSource | FeedSource | SitemapSource | WordpressSource,
    fetcher: Fetcher,
    *,
    locations: Sequence[str],
) -> Iterator[Found]:
    """``locations`` are the source's start URLs (html) or its one URL, made absolute."""
    if isinstance(source, HtmlSource):
        from .html import collect_html

        return collect_html(source, fetcher, start_urls=locations)
    if isinstance(source, FeedSource):
        from .feed import collect_feed

        return collect_feed(source, fetcher, url=locations[0])
    if isinstance(source, SitemapSource):
        from .sitemap import collect_sitemap

        return collect_sitemap(source, fetcher, url=locations[0])
    from .wordpress import collect_wordpress

    return collect_wordpress(source, fetcher, url=locations[0])
