"""``syndicate sources discover URL``: how to read a section, found from its address.

A floor above the stages' ``sources`` (whose fetcher, extractor and collectors it uses)
and below ``core``. It fetches politely, through one ``sources.http.Fetcher`` (robots.txt,
the configured User-Agent, per-host limits) and within ``MAX_REQUESTS``; finds every
machine-readable way in (``ways``), finds the column links (``listing``), infers
selectors for what the pages' structured data lacks (``fields``, ``infer``) and an
``author_page:`` for what only the writers' pages carry (``authors``), guesses the
paper's zone with its evidence (``zones``), and says which way it chose and why. The
preview (``preview``) collects sample columns with the proposed block, as ``collect``
will.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from ..errors import SyndicateError
from ..sources.http import Fetcher
from .authors import FILLS, MAX_AUTHOR_PAGES, author_urls, infer_author_page
from .dom import parse
from .fields import infer_block_fields
from .listing import infer_links, infer_next
from .sample import fetch_samples
from .ways import Way, find_feeds, find_sitemaps, find_wordpress
from .zones import guess_zone

SAMPLES = 5
# A few dozen at most: robots.txt, the section, the WordPress API (category, posts),
# 4 feeds, 6 sitemaps, the samples, their author pages; then the preview: 2 listing
# pages, up to 3 tries per column shown, and its columns' author pages.
MAX_REQUESTS = 1 + 1 + 2 + 4 + 6 + SAMPLES + MAX_AUTHOR_PAGES + 2 + 3 * SAMPLES + SAMPLES
_KEEP_TEXT = 100_000  # of the listing page, for its dates' offsets and «بتوقيت …» words


class DiscoveryError(SyndicateError):
    """Nothing usable at the address (the message says what was tried)."""


@dataclass(frozen=True)
class Discovery:
    url: str
    block: dict[str, Any]  # the `sources:` entry, in the order it is written
    chosen: Way
    reason: str
    ways: tuple[Way, ...]
    log: tuple[str, ...]
    samples: tuple[str, ...]
    timezone: str
    timezone_origin: str
    origins: dict[str, str] = field(default_factory=dict)  # field → how it was found


def default_name(url: str) -> str:
    host = (urlsplit(url).hostname or "source").removeprefix("www.")
    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return "source"  # an address, not a name
    name = re.sub(r"[^a-z0-9]+", "-", host.split(".")[0].lower()).strip("-")
    return name or "source"


def _choose(ways: list[Way], listing: Way | None) -> tuple[Way, str]:
    listed = set(listing.items) if listing else set()

    def overlaps(way: Way) -> bool:
        return not listed or bool(listed & set(way.items))

    for way in ways:
        if way.kind == "wordpress":
            return way, ("the WordPress REST API gives each post's date, author and text"
                         + (" for this section's category" if way.extra.get("categories")
                            else ""))
    for way in ways:
        if way.kind == "feed" and way.full_text and overlaps(way):
            return way, "a feed with the full text, listing this section's columns"
    for way in ways:
        if way.kind == "sitemap":
            return way, "a news sitemap with dates, kept to this section by url_pattern"
    for way in ways:
        if way.kind == "feed" and overlaps(way):
            return way, ("a feed listing this section's columns (teasers: each column's "
                         "page is read too)")
    if listing is not None:
        return listing, "no feed, sitemap or API covers this section: the listing page's links"
    raise DiscoveryError("nothing usable: " + "; ".join(w.note for w in ways) if ways else
                         "nothing usable: no feed, news sitemap, WordPress API or "
                         "repeated column links")


def _block(name: str, way: Way, timezone: str | None, fields: dict[str, Any]) -> dict[str, Any]:
    block: dict[str, Any] = {"name": name, "kind": way.kind}
    if way.kind == "html":
        block["start_urls"] = [way.url]
        block["links"] = way.extra["links"]
        if way.extra.get("next_page"):
            block["next_page"] = way.extra["next_page"]
            block["max_pages"] = 2
    else:
        block["url"] = way.url
    if way.kind == "sitemap":
        block["url_pattern"] = way.extra["url_pattern"]
    if way.kind == "wordpress" and way.extra.get("categories"):
        block["categories"] = list(way.extra["categories"])  # type: ignore[call-overload]
    if timezone:
        block["timezone"] = timezone
    if fields:
        block["fields"] = fields
    return block


def discover(url: str, fetcher: Fetcher, *, name: str | None, timezone: str | None,
             default_timezone: str, now: datetime) -> Discovery:
    log: list[str] = []
    try:
        page = fetcher.fetch(url, conditional=False)
    except SyndicateError as exc:
        raise DiscoveryError(f"{url}: {exc}") from exc
    tree = parse(page.text)
    here = page.final_url
    ways: list[Way] = []
    wordpress = find_wordpress(fetcher, page, tree, log)
    if wordpress is not None:
        ways.append(wordpress)
    ways += find_feeds(fetcher, tree, here, log)
    ways += find_sitemaps(fetcher, here, log)
    found_links = infer_links(tree, here)
    listing = None
    if found_links is not None:
        selector, links = found_links
        next_page = infer_next(tree)
        listing = Way("html", url, tuple(links), False,
                      f"{len(links)} column links matching `{selector}`"
                      + (f", next page `{next_page}`" if next_page else ""),
                      {"links": selector, "next_page": next_page})
        ways.append(listing)
    chosen, reason = _choose(ways, listing)
    samples = fetch_samples(fetcher, chosen.items[:SAMPLES], log, what="sample")
    texts = [s.html for s in samples]
    zone = timezone
    zone_origin = "given with --timezone"
    if zone is None:
        guess = guess_zone([t for t in (chosen.text, page.text[:_KEEP_TEXT], *texts) if t], here)
        zone = guess.zone if guess is not None else None
        zone_origin = (guess.evidence if guess is not None else
                       f"not stated on the pages: the file's timezone ({default_timezone})")
    fields, origins = infer_block_fields(samples, now=now, tz=zone or default_timezone)
    block = _block(name or default_name(url), chosen, timezone or zone, fields)
    found_author_page = infer_author_page(
        fetcher, author_urls(samples, fields.get("author_url")),
        {f for f in FILLS if f not in origins}, log) if samples else None
    if found_author_page is not None:
        block["author_page"] = found_author_page.selectors
        for field in found_author_page.fills:
            key = FILLS[field][0]
            spec = found_author_page.selectors.get(key)
            origins[field] = (f"the author's page, selector `{spec}`" if spec else
                              "the author's page, its structured data (Person)")
    return Discovery(url, block, chosen, reason, tuple(ways), tuple(log),
                     tuple(s.url for s in samples), zone or default_timezone, zone_origin,
                     origins)
