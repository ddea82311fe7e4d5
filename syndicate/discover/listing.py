"""The listing page: which links are the columns, and which one is "next page".

Column links are the repeated link group (one selector) whose targets share a URL
shape: the same folders, with numbers (a date, an id) and the last segment (a slug, an
id, a file) free, so that ``/opinion/2025/09/14/<slug>/``, ``/opinion/12345`` and
``/opinion/articles/3.html`` each group with their kind, clean URLs without an extension
included; ``/article.php?id=123`` groups by its script and parameter names.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from ..sources.page_values import clean_url
from .dom import (
    Tree,
    ancestors,
    class_selector,
    classes,
    elements,
    in_boilerplate,
    selector_for,
    text_of,
)

_NEXT_TEXT = ("التالي", "الصفحة التالية", "›", "»", "next", "older", "الأقدم")
_NUMBER = re.compile(r"[\d٠-٩]+(?:[-_.][\d٠-٩]+)*")  # an id, a year, a date (2025-10-06)


def url_shape(path: str, query: str = "") -> tuple[str, ...]:
    """``/opinion/2025/09/14/slug/`` → ``("opinion", "#", "#", "#", "*")``: the folders a
    section's column URLs share, numbers and the last segment left free. A legacy
    ``/article.php?id=123`` keeps its script and parameter names: ``("article.php",
    "?id")``."""
    segments = [s for s in unquote(path).split("/") if s]
    if query:
        names = sorted({k for k, _v in parse_qsl(query, keep_blank_values=True)})
        return (*segments, "?" + "&".join(names))
    if not segments:
        return ()
    shape: list[str] = []
    dated = False  # past a number: the slug may come before the section's folders
    for segment in segments[:-1]:
        if _NUMBER.fullmatch(segment):
            shape.append("#")
            dated = True
        else:
            shape.append("*" if dated else segment)
    return (*shape, "*")


def infer_links(tree: Tree, page_url: str) -> tuple[str, list[str]] | None:
    """The repeated link group whose targets share a URL pattern: (selector, links)."""
    here = urlsplit(page_url)
    groups: dict[tuple[str, tuple[str, ...]], dict[str, int]] = {}
    for node in elements(tree, "a[href]"):
        if in_boilerplate(node):
            continue
        url = clean_url(urljoin(page_url, node.attributes.get("href") or ""))
        parts = urlsplit(url)
        if (parts.netloc != here.netloc or (parts.path, parts.query) == (here.path, here.query)
                or not (parts.path.strip("/") or parts.query)):
            continue
        group = groups.setdefault((selector_for(node), url_shape(parts.path, parts.query)), {})
        group[url] = max(group.get(url, 0), len(text_of(node)))
    best: tuple[float, str, tuple[str, ...], list[str]] | None = None
    for (selector, shape), links in groups.items():
        if len(links) < 2:
            continue
        words = sum(links.values()) / len(links)
        score = len(links) * min(words, 40.0)
        if best is None or score > best[0]:
            best = (score, selector, shape, list(links))
    if best is None:
        return None
    _score, chosen, chosen_shape, columns = best
    return _only_these(tree, page_url, chosen, chosen_shape, columns), columns


def _matched(tree: Tree, page_url: str, selector: str) -> set[str]:
    return {clean_url(urljoin(page_url, node.attributes.get("href") or ""))
            for node in tree.css(selector) if node.attributes.get("href")}


def _only_these(tree: Tree, page_url: str, selector: str, shape: tuple[str, ...],
                links: list[str]) -> str:
    """``selector``, narrowed when it also matches other links on the page (a card's
    writer link beside its column link): by the folders the columns share
    (``a[href*="/opinion/"]``), else by the link's parent tag (``.card h3 a``)."""
    wanted = set(links)
    if _matched(tree, page_url, selector) <= wanted:
        return selector
    narrower = []
    folders = [s for s in shape[:next((i for i, s in enumerate(shape) if s in ("#", "*")
                                       or s.startswith("?")), len(shape))]]
    if folders:
        narrower.append(f'{selector}[href*="/{"/".join(folders)}/"]')
    for node in tree.css(selector):
        url = clean_url(urljoin(page_url, node.attributes.get("href") or ""))
        parent = node.parent
        if url not in wanted:
            continue
        if parent is not None and parent.tag not in ("div", "span", "body"):
            head, _, tail = selector.rpartition(" ")
            narrower.append(f"{head} {parent.tag} {tail}".strip())
        # A classed ancestor only the column links have (Drupal's `.views-field-title`
        # around the same `.field-content` as the writer's field).
        for depth, up in enumerate(ancestors(node)):
            if depth >= 4:
                break
            narrower.extend(f"{class_selector(name)} {node.tag}" for name in classes(up))
        break
    for candidate in narrower:
        if wanted <= _matched(tree, page_url, candidate) <= wanted:
            return candidate
    return selector


def infer_next(tree: Tree) -> str | None:
    for node in elements(tree, "a[href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        names = " ".join(classes(node)).lower()
        text = text_of(node).lower()
        if "next" in rel or "next" in names or any(w == text or w in text.split()
                                                    for w in _NEXT_TEXT):
            selector = 'a[rel~="next"]' if "next" in rel else selector_for(node)
            first = tree.css_first(selector)
            if first is not None and first.mem_id == node.mem_id:
                return selector
    return None
