"""feedgen extensions of our own: view counts, images, RFC 5005 and WebSub links.

feedgen has no element for view counts, writes only the *first* ``rel="self"``
``atom:link`` into an RSS channel (no hub, no archive links), and knows nothing of
RFC 5005's ``fh:archive``. These two small extensions add them, for RSS and Atom:

* entries: ``atom:updated`` in RSS items, ``<media:content url=… medium="image"/>`` and
  ``<media:community><media:statistics views="N"/></media:community>`` (Media RSS;
  feedparser reads the count back as ``entry.media_statistics['views']``);
* feeds: ``atom:link`` for ``hub``, ``current``, ``prev-archive``, ``next-archive``
  and ``<fh:archive/>`` on archive documents; the icon and logo (Atom ``<icon>`` and
  ``<logo>``; RSS ``<image>`` with the url, title and link RSS 2.0 requires). feedgen's
  ``logo()`` would write the RSS image and the Atom logo from one value, and its
  ``image()`` overwrite the Atom logo with a square icon: each is written here instead;
* items of feeds that mix papers: ``source`` (``source_element``).

It also repairs a feedgen 1.0 bug: Atom entry links lose their ``rel`` and
``type``, so an image enclosure would read as a second ``alternate`` link.

Only ``render/feeds.py`` uses this module (feedgen stays behind that one door).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem
from lxml import etree  # feedgen builds lxml trees; <source> is one element of them

from .feed_model import FORMATS, FeedLink, SourceRef

MEDIA_NS = "http://search.yahoo.com/mrss/"
ATOM_NS = "http://www.w3.org/2005/Atom"  # for atom:link inside RSS
HISTORY_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005


class SyndicateFeedExtension(BaseExtension):  # type: ignore[misc]
    def __init__(self) -> None:
        self.links: list[FeedLink] = []
        self.archive = False
        self.icon: str | None = None
        self.logo: str | None = None
        self.title = ""
        self.home_url = ""

    def extend_ns(self) -> dict[str, str]:
        # Declared at the root so entries write ``media:`` rather than ``ns0:``.
        return {"media": MEDIA_NS, "fh": HISTORY_NS}

    def _extend(self, parent: Any, link_tag: str) -> None:
        for link in self.links:
            elem = xml_elem(link_tag, parent, rel=link.rel, href=link.href)
            if link.media_type:
                elem.attrib["type"] = link.media_type
        if self.archive:
            xml_elem(f"{{{HISTORY_NS}}}archive", parent)

    def extend_atom(self, feed: Any) -> Any:
        # feedgen's Atom elements carry no namespace (the root declares the default
        # one), so ours must not either or lxml writes ``ns0:link``.
        self._extend(feed, "link")
        if self.icon:
            xml_elem("icon", feed).text = self.icon
        if self.logo:
            xml_elem("logo", feed).text = self.logo
        return feed

    def extend_rss(self, feed: Any) -> Any:
        channel = feed[0]
        self._extend(channel, f"{{{ATOM_NS}}}link")
        picture = next((url for url in (self.logo, self.icon) if url and _rss_image(url)), None)
        if picture:  # RSS 2.0: url, title and link, the latter two as the channel's
            image = xml_elem("image", channel)
            xml_elem("url", image).text = picture
            xml_elem("title", image).text = self.title
            xml_elem("link", image).text = self.home_url
        return feed


def _rss_image(url: str) -> bool:
    """RSS 2.0's <image> is a GIF, JPEG or PNG: not an ICO, SVG or WebP file."""
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    return not path.endswith((".ico", ".svg", ".webp"))


def source_element(source: SourceRef, fmt: str) -> Any:
    """RSS ``<source url="its feed">title</source>``; Atom ``<source>`` with id, title
    and its feed and home links (unqualified names, as feedgen writes Atom)."""
    if fmt == "rss":
        elem = etree.Element("source", url=source.feed_url("rss"))
        elem.text = source.title
        return elem
    elem = etree.Element("source")
    xml_elem("id", elem).text = source.feed_id
    xml_elem("title", elem).text = source.title
    if "atom" in source.formats:
        xml_elem("link", elem, rel="self", href=source.feed_url("atom"),
                 type=FORMATS["atom"][1])
    xml_elem("link", elem, rel="alternate", href=source.home_url, type="text/html")
    return elem


class SyndicateEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    def __init__(self) -> None:
        self.views: int | None = None
        self.image_url: str | None = None
        self.image_type: str | None = None
        self.updated: datetime | None = None

    def extend_atom(self, entry: Any) -> Any:
        self._repair_links(entry)
        return self._media(entry)

    def extend_rss(self, item: Any) -> Any:
        # RSS 2.0 has no "updated" for an item: pubDate (RFC 822) is the publication;
        # the last edit goes out as atom:updated (RFC 3339), which feedparser and
        # most readers understand.
        if self.updated is not None:
            xml_elem(f"{{{ATOM_NS}}}updated", item).text = self.updated.isoformat()
        return self._media(item)

    def _repair_links(self, entry: Any) -> None:
        # feedgen 1.0 writes entry links without their rel/type (a shadowed loop
        # variable), which would turn the image into a second "alternate" link.
        for link in entry.iterfind("link"):
            if "rel" in link.attrib:
                continue
            if self.image_url and link.get("href") == self.image_url:
                link.attrib["rel"] = "enclosure"
                if self.image_type:
                    link.attrib["type"] = self.image_type
            else:
                link.attrib["rel"] = "alternate"
                link.attrib["type"] = "text/html"

    def _media(self, entry: Any) -> Any:
        if self.image_url:
            content = xml_elem(f"{{{MEDIA_NS}}}content", entry, url=self.image_url,
                               medium="image")
            if self.image_type:
                content.attrib["type"] = self.image_type
        if self.views is not None:
            community = xml_elem(f"{{{MEDIA_NS}}}community", entry)
            xml_elem(f"{{{MEDIA_NS}}}statistics", community, views=str(self.views))
        return entry
