"""The page as a tree, for inferring selectors: the one discover module importing selectolax.

``sources/extract.py`` runs selectors; inference needs more of the tree (ancestors,
classes, document order), so it reads the same parser here rather than widening the
extractor's surface. A selector is written from classes, ``itemprop`` and tag names
only (never ``nth-child`` chains or ids that look generated), and is kept only after it
has been run back on every sample page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

Node = LexborNode
Tree = LexborHTMLParser

_UNSTABLE = re.compile(r"\d{3,}|^(js-|is-|has-|active|selected|current|open|hidden)|"
                       r"[0-9a-f]{6,}|^css-|^sc-|__(?=[A-Za-z0-9]*[0-9A-Z])[A-Za-z0-9]{5,}$")
_SPACES = re.compile(r"\s+")
_BOILERPLATE = ("header", "nav", "footer")  # an <aside> is often the author box: judged by class
RELATED = re.compile(r"related|more|read-?also|also|recommend|popular|most|sidebar|widget|"
                     r"masthead|topbar|top-bar|breaking|ticker|"
                     # comments: visitors' names and dates (but "commentary" is opinion)
                     r"(?<![a-z])comments?(?![a-z])|comment[-_]|commentlist|respond|disqus",
                     re.IGNORECASE)


def parse(html: str) -> Tree:
    return LexborHTMLParser(html)


def text_of(node: Node) -> str:
    return _SPACES.sub(" ", node.text(separator=" ") or "").strip()


# CSS modules (Next.js, webpack): `ArticleBody_body__c2HvT`; the hash changes with each
# build, the `ArticleBody_body__` prefix does not.
_CSS_MODULE = re.compile(r"^([A-Za-z][A-Za-z0-9]*_[A-Za-z0-9-]+__)(?=[\w-]*[0-9A-Z])[\w-]{5,}$")


def classes(node: Node) -> list[str]:
    """The node's stable classes; a CSS module's class as its prefix (``Name_part__``)."""
    found = []
    for name in (node.attributes.get("class") or "").split():
        module = _CSS_MODULE.match(name)
        if module:
            found.append(module.group(1))
        elif not _UNSTABLE.search(name):
            found.append(name)
    return found


def class_selector(name: str) -> str:
    """``.name``; a CSS module's prefix by attribute (``[class*="Name_part__"]``), which
    lexbor, the collector's engine, reads."""
    return f'[class*="{name}"]' if name.endswith("__") else f".{name}"


def elements(tree: Tree, css: str = "*") -> list[Node]:
    root = tree.body or tree.root
    return list(root.css(css)) if root is not None else []


def ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None and parent.tag not in ("html", "-undef"):
        yield parent
        parent = parent.parent


def _in_section(node: Node) -> bool:
    """A ``<header>``/``<footer>`` inside an ``<article>``, ``<main>`` or ``<section>`` is
    that section's own (a WordPress ``entry-header`` holds the byline and date), not the
    page's banner or footer (HTML's own rule for the banner landmark)."""
    return any(up.tag in ("article", "main", "section") for up in ancestors(node))


def in_boilerplate(node: Node) -> bool:
    """Inside the masthead, navigation, footer, a sidebar or a related-articles box."""
    for up in ancestors(node):
        if up.tag in _BOILERPLATE and not (up.tag != "nav" and _in_section(up)):
            return True
        names = " ".join(classes(up)) + " " + (up.attributes.get("id") or "")
        if RELATED.search(names):
            return True
    return False


def own_selector(node: Node) -> str | None:
    """``tag.class`` or ``[itemprop=…]`` of this node alone, or None (a bare tag)."""
    itemprop = node.attributes.get("itemprop")
    if itemprop:
        return f'[itemprop="{itemprop}"]'
    names = classes(node)
    if names:
        first = class_selector(names[0])
        return f"{node.tag}{first}" if node.tag not in ("div", "span") else first
    return None


def selector_for(node: Node) -> str:
    """A stable selector for ``node``: its own class, else the nearest classed ancestor's
    class with the node's tag (``.byline a``), else its tag."""
    own = own_selector(node)
    if own is not None:
        return own
    for depth, up in enumerate(ancestors(node)):
        if depth >= 3:
            break
        upper = own_selector(up)
        if upper is not None:
            return f"{upper} {node.tag}"
    return str(node.tag)


def document_order(tree: Tree) -> dict[int, int]:
    """Each element's position in the page (by identity of its memory address)."""
    return {node.mem_id: n for n, node in enumerate(elements(tree))}


def first_text(tree: Tree, css: str, attr: str | None = None) -> str | None:
    try:
        nodes = tree.css(css)
    except Exception:  # noqa: BLE001 (a selector lexbor rejects finds nothing)
        return None
    for node in nodes:
        value = node.attributes.get(attr) if attr else text_of(node)
        if value and value.strip():
            return _SPACES.sub(" ", value).strip()
    return None
