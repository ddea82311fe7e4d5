"""RSS 2.0 and Atom 1.0 documents through feedgen (the only module that imports it).

Known traps handled here (see DESIGN.md):

* feedgen drops an RSS ``<author>`` without an e-mail address, so the byline goes
  out as ``dc:creator`` (Dublin Core extension, RSS only; Atom has ``author``);
* RSS keeps only the *last* ``link()`` as the channel's ``<link>``: the alternate
  (HTML) link is therefore set last;
* feedgen stamps ``lastBuildDate`` and entry ``updated`` with *now* by default;
  both are set from the items, so the same items give the same bytes and a
  rebuild never looks like news.

A ``FeedEntry`` is built once per item and shared by every document (all columns,
the source, the author, a newsletter; RSS and Atom) that lists it in one build.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.ext.dc import DcEntryExtension
from feedgen.feed import FeedGenerator

from ..errors import RenderError
from .feed_media import SyndicateEntryExtension, SyndicateFeedExtension, source_element
from .feed_model import FORMATS, FeedItem, FeedMeta, SourceRef, xml_text
from .jsonfeed import render_json

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GENERATOR = "syndicate"


class _SharedEntry(FeedEntry):  # type: ignore[misc]
    """A FeedEntry whose XML feedgen builds once per format and that is then copied.

    One column sits in several documents of a build (all columns, its source, its
    author, archives); lxml copies a finished element far faster than feedgen
    builds it again in Python.
    """

    def __init__(self) -> None:
        super().__init__()
        self._built: dict[str, Any] = {}

    def atom_entry(self, extensions: bool = True) -> Any:
        if "atom" not in self._built:
            self._built["atom"] = super().atom_entry(extensions)
        return copy.deepcopy(self._built["atom"])

    def rss_entry(self, extensions: bool = True) -> Any:
        if "rss" not in self._built:
            self._built["rss"] = super().rss_entry(extensions)
        return copy.deepcopy(self._built["rss"])


class _SourcedEntry:
    """A shared entry as one document that mixes papers lists it: with its ``<source>``.

    Only what feedgen asks of an entry when writing a document is here; the entry
    itself stays shared by every document of the build.
    """

    def __init__(self, entry: _SharedEntry, source: SourceRef) -> None:
        self._entry = entry
        self._source = source

    def register_extension(self, *args: Any, **kwargs: Any) -> None:
        pass  # the shared entry has them already

    def rss_entry(self, extensions: bool = True) -> Any:
        item = self._entry.rss_entry(extensions)
        item.append(source_element(self._source, "rss"))
        return item

    def atom_entry(self, extensions: bool = True) -> Any:
        entry = self._entry.atom_entry(extensions)
        entry.append(source_element(self._source, "atom"))
        return entry


class FeedRenderer:
    """Renders feed documents in any of ``FORMATS``; one instance per build."""

    def __init__(self) -> None:
        self._entries: dict[str, _SharedEntry] = {}
        self._json: dict[tuple[str, bool], str] = {}

    def render(self, meta: FeedMeta, items: Sequence[FeedItem], fmt: str) -> bytes:
        name = f"{meta.path}.{FORMATS[fmt][0]}"
        try:
            if fmt == "json":
                return render_json(meta, items, self._json)
            generator = self._generator(meta, items, fmt)
            if fmt == "rss":
                return bytes(generator.rss_str(pretty=False))
            return bytes(generator.atom_str(pretty=False))
        except (ValueError, TypeError) as exc:  # lxml refuses text; feedgen misses a field
            raise RenderError(name, f"{type(exc).__name__}: {exc}") from exc

    def _generator(self, meta: FeedMeta, items: Sequence[FeedItem], fmt: str) -> FeedGenerator:
        fg = FeedGenerator()
        fg.load_extension("dc", atom=False, rss=True)
        fg.register_extension("syndicate", SyndicateFeedExtension, SyndicateEntryExtension)
        fg.id(meta.feeds_url + meta.path)
        fg.title(xml_text(meta.title))
        fg.subtitle(xml_text(meta.description))  # RSS <description> as well
        fg.language(meta.language)
        fg.generator(GENERATOR)
        fg.link(href=meta.url(fmt), rel="self", type=FORMATS[fmt][1])
        if meta.author_name:
            author = {"name": xml_text(meta.author_name)}
            if meta.author_uri:
                author["uri"] = meta.author_uri
            fg.author(author)
        fg.link(href=meta.home_url, rel="alternate", type="text/html")  # last: RSS <link>
        updated = max((item.updated for item in items), default=meta.empty_updated or _EPOCH)
        fg.updated(updated)
        fg.lastBuildDate(updated)
        fg.syndicate.links = meta.links(fmt)
        fg.syndicate.archive = meta.archive
        fg.syndicate.icon, fg.syndicate.logo = meta.icon, meta.logo
        fg.syndicate.title, fg.syndicate.home_url = xml_text(meta.title), meta.home_url
        for item in items:
            entry: _SharedEntry | _SourcedEntry = self._entry(item)
            if meta.mixed and item.source is not None:
                entry = _SourcedEntry(self._entry(item), item.source)
            fg.add_entry(entry, order="append")
        return fg

    def _entry(self, item: FeedItem) -> _SharedEntry:
        entry = self._entries.get(item.id)
        if entry is not None:
            return entry
        entry = _SharedEntry()
        # register_extension, not load_extension("dc"): the latter runs __import__
        # for every entry, which was a tenth of a full build.
        entry.register_extension("dc", DcEntryExtension, atom=False, rss=True)
        entry.register_extension("syndicate", SyndicateEntryExtension)
        entry.guid(item.id, permalink=item.link == item.id and item.id.startswith("http"))
        entry.title(item.title)
        if item.link:
            entry.link(href=item.link, rel="alternate", type="text/html")
        if item.image_url:
            entry.link(href=item.image_url, rel="enclosure", type=item.image_type, length="0")
        entry.author({"name": item.author_name, "uri": item.author_uri})
        entry.dc.dc_creator(item.author_name)
        entry.published(item.published)
        entry.updated(item.updated)
        entry.content(item.content_html, type="html")
        entry.summary(item.summary_html, type="html")  # RSS <description>
        for term in item.categories:
            entry.category(term=term)
        entry.syndicate.views = item.views
        entry.syndicate.image_url = item.image_url
        entry.syndicate.image_type = item.image_type
        entry.syndicate.updated = item.updated
        self._entries[item.id] = entry
        return entry
