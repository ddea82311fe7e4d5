"""Structured data on a page (JSON-LD, microdata, OpenGraph): the only module importing
extruct.

extruct reads each syntax; what it gives back is mapped onto schema.org here, generously,
because sites spell it every which way: ``@graph`` and nested ``mainEntity``, ``@id``
references, lists where one value is expected, ``interactionType`` as a URL (http or
https), a bare or prefixed name, or an object with ``@type``; ``userInteractionCount`` as a
number or a string. Microdata items are turned into the JSON-LD shape first, so one set of
rules reads both.

Each JSON-LD block is read on its own: a broken one is skipped with a log line, and the
good ones on the same page still count (extruct reads all blocks at once and would drop
them all for one bad comma).

Cost (measured, see docs/configuration.md): extruct needs an lxml tree, a second parse of
the page besides selectolax's. Pages without any structured markup are not parsed again,
and ``extract`` asks for structured data only for a field its selectors did not find.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
import lxml.html

log = logging.getLogger("syndicate.sources.structured")

ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "opinionnewsarticle", "blogposting", "reportagenewsarticle",
    "analysisnewsarticle", "backgroundnewsarticle", "socialmediaposting", "posting",
    "reviewnewsarticle", "askpublicnewsarticle", "satiricalarticle", "scholarlyarticle",
})
_VIEW_ACTIONS = frozenset({"readaction", "viewaction", "watchaction"})
_WRITE_ACTIONS = frozenset({"writeaction", "createaction"})
_MARKERS = ("application/ld+json", "itemscope", "og:", "article:")
_JSONLD_SCRIPTS = lxml.etree.XPath('//script[@type="application/ld+json"]')


@dataclass(frozen=True)
class Structured:
    """What a page's structured data says, in the JSON-LD shape."""

    items: tuple[Mapping[str, Any], ...] = ()  # every object, top-level first
    by_id: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    og: Mapping[str, str] = field(default_factory=dict)  # first value of each property

    def first(self, types: frozenset[str]) -> Mapping[str, Any]:
        for item in self.items:
            if kinds(item) & types:
                return item
        return {}

    def resolve(self, value: Any) -> Any:
        """``{"@id": "#author"}`` → the object of that id elsewhere on the page."""
        if isinstance(value, Mapping) and "@id" in value and len(value) <= 2:
            found = self.by_id.get(str(value["@id"]))
            if found is not None:
                return found
        return value

    def article(self) -> Mapping[str, Any]:
        return self.first(ARTICLE_TYPES)

    def authors(self, article: Mapping[str, Any]) -> list[Any]:
        """Every author of ``article`` (objects resolved), in the page's order."""
        value = article.get("author") or article.get("creator")
        values = value if isinstance(value, list) else [value] if value else []
        return [self.resolve(v) for v in values]

    def person(self) -> Mapping[str, Any]:
        """The person an author page is about: a ProfilePage's mainEntity, else the
        first Person."""
        page = self.first(frozenset({"profilepage"}))
        main = self.resolve(first_of(page.get("mainEntity") or page.get("about")))
        if isinstance(main, Mapping) and kinds(main) & {"person"}:
            return main
        return self.first(frozenset({"person"}))


EMPTY = Structured()


def kinds(item: Mapping[str, Any]) -> set[str]:
    """``@type`` as lower-case bare names (``http://schema.org/NewsArticle`` → newsarticle)."""
    kind = item.get("@type", ())
    values = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    return {_bare(str(k)) for k in values}


def _bare(name: str) -> str:
    """``https://schema.org/ReadAction``, ``schema:ReadAction``, ``ReadAction`` → readaction."""
    return name.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1].lower()


def first_of(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _action(value: Any) -> str:
    """The bare name of an ``interactionType`` in any of its spellings."""
    value = first_of(value)
    if isinstance(value, Mapping):
        named = value.get("@type") or value.get("@id") or value.get("url") or value.get("name")
        return _action(named)
    return _bare(value) if isinstance(value, str) else ""


def _counts(item: Mapping[str, Any], actions: frozenset[str], *keys: str) -> str | None:
    for key in keys:
        stats = item.get(key)
        for stat in stats if isinstance(stats, list) else [stats]:
            if not isinstance(stat, Mapping) or _action(stat.get("interactionType")) not in actions:
                continue
            count = first_of(stat.get("userInteractionCount"))
            if isinstance(count, bool):
                continue
            if isinstance(count, (int, float, str)) and str(count).strip():
                return str(int(count)) if isinstance(count, float) else str(count).strip()
    return None


def views(article: Mapping[str, Any]) -> str | None:
    """The article's read/view count, as written (a number or a string)."""
    return _counts(article, _VIEW_ACTIONS, "interactionStatistic")


def articles_written(person: Mapping[str, Any]) -> str | None:
    """How many articles a person wrote, as a ProfilePage says it (WriteAction)."""
    return _counts(person, _WRITE_ACTIONS, "agentInteractionStatistic", "interactionStatistic")


# -- reading ----------------------------------------------------------------------


def _from_microdata(value: Any) -> Any:
    """extruct's ``{"type", "properties"}`` microdata items in the JSON-LD shape."""
    if isinstance(value, list):
        return [_from_microdata(v) for v in value]
    if isinstance(value, dict) and "properties" in value and "type" in value:
        out: dict[str, Any] = {"@type": value["type"]}
        if value.get("id"):
            out["@id"] = value["id"]
        out.update({k: _from_microdata(v) for k, v in value["properties"].items()})
        return out
    return value


def _objects(value: Any) -> Iterator[Mapping[str, Any]]:
    """Every object in ``value``, breadth first: top-level items before nested ones."""
    queue: list[Any] = [value]
    while queue:
        current = queue.pop(0)
        if isinstance(current, list):
            queue.extend(current)
        elif isinstance(current, Mapping):
            yield current
            queue.extend(v for v in current.values() if isinstance(v, (list, Mapping)))


def _json_ld(tree: Any, url: str) -> list[Any]:
    # extruct is imported on first use: its package imports every extractor it has
    # (mf2py, rdflib, …), 0.2 s that every command paid at start-up, a digest too.
    from extruct.jsonld import JsonLdExtractor

    blocks: list[Any] = []
    extractor = JsonLdExtractor()
    for number, script in enumerate(_JSONLD_SCRIPTS(tree), start=1):
        try:
            # extract_items on the script element reads that one block.
            blocks.extend(extractor.extract_items(script))
        except ValueError as exc:  # json's and jstyleson's decode errors
            log.warning("%s: JSON-LD block %d is not valid JSON (%s); skipped, the page's "
                        "other structured data still read", url, number, exc)
    return blocks


def read_structured(html: str, *, url: str) -> Structured:
    """Everything structured on the page; EMPTY (without parsing) when it has none."""
    if not any(marker in html for marker in _MARKERS):
        return EMPTY
    try:
        tree = lxml.html.fromstring(html.encode("utf-8", "surrogatepass"),
                                    parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.LxmlError, ValueError) as exc:
        log.warning("%s: structured data unreadable (%s)", url, exc)
        return EMPTY
    found: list[Any] = _json_ld(tree, url)
    from extruct.opengraph import OpenGraphExtractor
    from extruct.w3cmicrodata import MicrodataExtractor

    if "itemscope" in html:
        try:
            found.extend(_from_microdata(MicrodataExtractor().extract_items(tree, url)))
        except (ValueError, TypeError, KeyError) as exc:  # extruct on odd markup
            log.warning("%s: microdata unreadable (%s); skipped", url, exc)
    items = tuple(_objects(found))
    by_id = {str(item["@id"]): item for item in items
             if isinstance(item.get("@id"), str) and len(item) > 2}
    og: dict[str, str] = {}
    for block in OpenGraphExtractor().extract_items(tree):
        for prop, value in block.get("properties", ()):
            if isinstance(value, str) and value.strip():
                og.setdefault(prop, " ".join(value.split()))
    return Structured(items, by_id, og)
