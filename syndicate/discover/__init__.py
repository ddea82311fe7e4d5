"""``syndicate sources discover URL``: how to read a section, found from its address.

A floor above the stages' ``sources`` (whose fetcher, extractor and collectors it uses)
and below ``core``. It fetches politely, through one ``sources.http.Fetcher`` (robots.txt,
the configured User-Agent, per-host limits) and within ``MAX_REQUESTS``; finds every
machine-readable way in (``ways``), infers selectors for what the pages' structured data
lacks (``infer``), and says which way it chose and why. The preview (``preview``)
collects sample columns with the proposed block, as ``collect`` will.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from ..dates import parse_date_or_none
from ..errors import SyndicateError
from ..sources.extract import FieldSelectors, extract_column
from ..sources.http import Fetcher
from ..sources.page_values import looks_truncated
from .dom import parse
from .infer import Sample, infer_fields, infer_links, infer_next, read_spec
from .ways import Way, find_feeds, find_sitemaps, find_wordpress

SAMPLES = 5
MAX_REQUESTS = 36  # a few dozen: listing, robots.txt, feeds, sitemaps, API, samples

# Draft attribute of each field in ``fields:`` (FieldSelectors → ColumnDraft).
DRAFT_FIELDS = {
    "title": "title", "author": "author_name", "author_credentials": "author_credentials",
    "author_article_count": "author_article_count", "author_url": "author_url",
    "author_image": "author_image_url", "published": "published_text",
    "views": "views_text", "body": "body_html", "image": "image_url",
}
# Offsets and words on Arab papers' pages → the zone to write (the commonest per offset).
_ZONE_WORDS = {"بيروت": "Asia/Beirut", "الدوحة": "Asia/Qatar", "الرياض": "Asia/Riyadh",
               "دبي": "Asia/Dubai", "القاهرة": "Africa/Cairo", "مكة": "Asia/Riyadh",
               "عمان": "Asia/Amman", "الرباط": "Africa/Casablanca", "تونس": "Africa/Tunis"}
_ZONE_OFFSETS = {"+03:00": "Asia/Qatar", "+04:00": "Asia/Dubai", "+02:00": "Africa/Cairo",
                 "+01:00": "Africa/Casablanca", "+00:00": "UTC", "Z": "UTC"}
_OFFSET = re.compile(r"\d\d:\d\d(?::\d\d(?:\.\d+)?)?\s*([+-]\d\d:?\d\d|Z)\b")
_RFC822 = re.compile(r"\d\d:\d\d:\d\d\s+([+-]\d{4})\b")


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


def infer_timezone(texts: list[str]) -> str | None:
    for text in texts:
        for word, named in _ZONE_WORDS.items():
            if f"بتوقيت {word}" in text:
                return named
    for text in texts:
        match = _OFFSET.search(text) or _RFC822.search(text)
        if match:
            offset = str(match.group(1))
            if len(offset) == 5 and offset != "Z":
                offset = offset[:3] + ":" + offset[3:]
            if offset in _ZONE_OFFSETS:
                return _ZONE_OFFSETS[offset]
    return None


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
    samples, texts = _samples(fetcher, chosen, log)
    zone = timezone
    zone_origin = "given with --timezone"
    if zone is None:
        zone = infer_timezone([chosen.text, *texts] if chosen.text else texts)
        zone_origin = "inferred from the offsets and words on the pages"
    if zone is None:
        zone_origin = f"not stated on the pages: the file's timezone ({default_timezone})"
    fields, origins = _fields(samples, now=now, tz=zone or default_timezone)
    block = _block(name or default_name(url), chosen, timezone or zone, fields)
    return Discovery(url, block, chosen, reason, tuple(ways), tuple(log),
                     tuple(s.url for s in samples), zone or default_timezone, zone_origin,
                     origins)


def _samples(fetcher: Fetcher, way: Way, log: list[str]) -> tuple[list[Sample], list[str]]:
    samples: list[Sample] = []
    texts: list[str] = []
    for target, result in fetcher.fetch_many(list(way.items[:SAMPLES])):
        if isinstance(result, SyndicateError):
            log.append(f"sample not read: {result}")
            continue
        if looks_truncated(result.text):
            log.append(f"sample {target}: truncated HTML, left out")
            continue
        samples.append(Sample(target, parse(result.text), result.text))
        texts.append(result.text)
    return samples, texts


def _fields(samples: list[Sample], *, now: datetime, tz: str) -> tuple[dict[str, Any],
                                                                      dict[str, str]]:
    """``fields:`` for what the samples' structured data does not give on every page."""
    if not samples:
        return {}, {}
    drafts = [extract_column(s.tree, url=s.url, final_url=s.url, source="discover",
                             fields=FieldSelectors(), language="ar", html=s.html)
              for s in samples]
    origins: dict[str, str] = {}
    need = set()
    for name, attr in DRAFT_FIELDS.items():
        if all(getattr(d, attr) for d in drafts):
            origins[name] = "structured data (JSON-LD / microdata / OpenGraph)"
        else:
            need.add(name)
    need.discard("image")  # optional, and a guessed picture is worse than none
    inferred = infer_fields(samples, need=need, now=now, tz=tz)
    fields: dict[str, Any] = dict(inferred.selectors)
    for name, spec in inferred.selectors.items():
        origins[name] = f"selector `{spec}` ({inferred.confidence[name]:.0%} of the samples)"
    if inferred.remove:
        fields["remove"] = inferred.remove
    template = _other_template(samples, inferred.selectors, need=need, now=now, tz=tz)
    if template:
        fields["templates"] = [template]
        origins["templates"] = (f"pages matching `{template['match']}` read with their own "
                                f"selectors: " + ", ".join(k for k in template if k != "match"))
    return fields, origins


_CORE = ("title", "published", "body")


def _reads(sample: Sample, selectors: dict[str, str], *, now: datetime, tz: str) -> bool:
    """Whether the core fields' selectors read on this sample."""
    for name in _CORE:
        spec = selectors.get(name)
        if spec is None:
            continue
        value = read_spec(sample, spec)
        if not value or (name == "published"
                         and parse_date_or_none(value, tz=tz, now=now) is None):
            return False
    return True


def _other_template(samples: list[Sample], selectors: dict[str, str], *, need: set[str],
                    now: datetime, tz: str) -> dict[str, Any] | None:
    """A second field set (``templates:`` with ``match:``) for the samples the first set
    does not read: a paper's legacy pages."""
    others = [s for s in samples if not _reads(s, selectors, now=now, tz=tz)]
    rest = [s for s in samples if s not in others]
    if not others or not rest:
        return None
    own = infer_fields(others, need=need, now=now, tz=tz)
    for name in (*_CORE, "author", "views"):
        spec = own.selectors.get(name)
        css = spec.partition("@")[0] if spec else None
        if (css and all(s.tree.css_first(css) is not None for s in others)
                and all(s.tree.css_first(css) is None for s in rest)):
            changed: dict[str, Any] = {k: v for k, v in own.selectors.items()
                                       if selectors.get(k) != v}
            if own.remove:
                changed["remove"] = own.remove
            return {"match": css, **changed}
    return None
