"""Reading a column page: the only module importing selectolax.

Each field comes from the source's CSS selector when one is configured (``sel`` for
text, ``sel@attr`` for an attribute), else from the page's JSON-LD
``NewsArticle``/``Article``, else from OpenGraph / ``article:*`` meta tags; the
identity comes from ``<link rel="canonical">`` (then ``og:url``). Nothing is
sanitised here — ``syndicate.normalise`` does that — but relative URLs are resolved
while the page's base URL is known. What needs no tree (the selector syntax, text and
URL cleaning, structured-data values) is in ``page_values.py``.
"""

from __future__ import annotations

import html as htmlmod
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from pydantic import Field, field_validator
from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from ..config.base import Model
from ..types import ColumnDraft
from .page_values import (
    LazyStructured,
    absolute,
    alternatives,
    clean_text,
    clean_url,
    name_of,
    paragraphs,
    text_of,
    url_of,
)
from .structured import views

_PROBE = LexborHTMLParser("<p></p>")


def selector_problem(spec: str) -> str | None:
    """Why ``spec`` is not a usable selector (for config validation), or None."""
    found = alternatives(spec)
    if not found:
        return "empty CSS selector"
    for css, _attr in found:
        if not css:
            return "empty CSS selector"
        try:
            _PROBE.css(css)
        except SelectolaxError:
            return f"not a CSS selector lexbor can read: {css!r}"
    return None


def checked_selector(value: str | None) -> str | None:
    """A selector the extractor can run, checked once at load (not on every page)."""
    if value is None:
        return None
    problem = selector_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Selector = str | list[str] | None


class FieldSet(Model):
    """CSS selectors for one column page; ``sel@attr`` reads an attribute. Declared
    here, beside the selector engine that checks and runs them.

    Each selector may be a list of alternatives tried in the order written, each with
    its own ``@attr`` (``time.published@datetime, span.date``); a field given as a YAML
    list is built from several elements joined in order
    (``published: [".dateline .greg", ".dateline .clock"]``). A field left out falls
    back to JSON-LD, then OpenGraph / article:* meta tags.
    """

    title: Selector = None
    author: Selector = None
    author_credentials: Selector = None
    author_article_count: Selector = None
    author_url: Selector = None
    author_image: Selector = None
    published: Selector = None
    views: Selector = None
    body: Selector = None
    image: Selector = None
    categories: Selector = None
    remove: list[str] = Field(default_factory=list)  # inside body: ads, share boxes…

    @field_validator(
        "title", "author", "author_credentials", "author_article_count", "author_url",
        "author_image", "published", "views", "body", "image", "categories",
    )
    @classmethod
    def _selector(cls, value: Selector) -> Selector:
        if isinstance(value, list):
            if not value:
                raise ValueError("an empty list of selectors")
            for item in value:
                checked_selector(item)
            return value
        return checked_selector(value)

    @field_validator("remove")
    @classmethod
    def _selectors(cls, value: list[str]) -> list[str]:
        for item in value:
            checked_selector(item)
        return value


class AuthorPageSelectors(Model):
    """A source's ``author_page:``: the page a column's ``author_url`` links to, read for
    what the column page lacks. Selectors as in ``fields``; with none, the page's
    JSON-LD / microdata ``Person`` or ``ProfilePage`` is read (``author_page: {}``)."""

    name: str | None = None
    credentials: str | None = None
    article_count: str | None = None  # "له ٣١ مقالاً", "عدد المقالات: ١٨٤"
    bio: str | None = None
    photo: str | None = None  # an <img> (its src) or sel@attr

    @field_validator("name", "credentials", "article_count", "bio", "photo")
    @classmethod
    def _selector(cls, value: str | None) -> str | None:
        return checked_selector(value)


class Template(FieldSet):
    """The fields of pages built from another template: chosen when ``match`` finds an
    element on the page; a field it leaves out is the source's own."""

    match: str

    @field_validator("match")
    @classmethod
    def _match(cls, value: str) -> str:
        checked = checked_selector(value)
        assert checked is not None
        return checked


class FieldSelectors(FieldSet):
    """A source's ``fields:``."""

    # Pages of another template (a paper's legacy pages): the first whose ``match``
    # selector finds an element gives the fields for that page.
    templates: list[Template] = Field(default_factory=list)

    def for_page(self, matches: Callable[[str], bool]) -> FieldSet:
        """The field set for a page; ``matches(css)``: whether the page has such an
        element."""
        for template in self.templates:
            if matches(template.match):
                own = template.model_dump(exclude_unset=True, exclude={"match"})
                return FieldSet.model_validate({**self.model_dump(
                    exclude={"templates"}), **own})
        return self


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def base_url(tree: LexborHTMLParser, page_url: str) -> str:
    node = tree.css_first("base[href]")
    href = node.attributes.get("href") if node is not None else None
    return urljoin(page_url, href) if href else page_url


# -- listing pages ------------------------------------------------------------


def _href(node: LexborNode) -> str | None:
    if node.tag == "a" and node.attributes.get("href"):
        return node.attributes.get("href")
    inner = node.css_first("a[href]")
    return inner.attributes.get("href") if inner is not None else None


def extract_links(tree: LexborHTMLParser, *, page_url: str, selector: str) -> list[str]:
    """Column links on a listing page, absolute, cleaned, each once, in page order."""
    base = base_url(tree, page_url)
    seen: dict[str, None] = {}
    for node in tree.css(selector):
        url = absolute(base, _href(node))
        if url is not None and not url.lower().startswith("javascript:"):
            seen.setdefault(clean_url(url), None)
    return list(seen)


def extract_next(tree: LexborHTMLParser, *, page_url: str, selector: str) -> str | None:
    node = tree.css_first(selector)
    if node is None:
        return None
    url = absolute(base_url(tree, page_url), _href(node))
    return clean_url(url) if url else None


def _meta(tree: LexborHTMLParser, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name"):
            node = tree.css_first(f'meta[{attr}="{name}"]')
            if node is not None and clean_text(node.attributes.get("content")):
                return clean_text(node.attributes.get("content"))
    return None


# -- column pages ---------------------------------------------------------------


Spec = str | list[str] | None  # one selector list, or several joined in order


class _Page:
    """Selectors run on one page. A spec is a selector list whose alternatives are
    tried in the order written (each may read its own ``@attr``); a list of specs is
    one field built from several elements, their values joined in order with a space
    (a date in one span, the time in another)."""

    def __init__(self, tree: LexborHTMLParser, base: str) -> None:
        self.tree = tree
        self.base = base

    def _values(self, spec: str, read: Callable[[LexborNode, str | None], str | None],
                ) -> Iterator[str]:
        for css, attr in alternatives(spec):
            for node in self.tree.css(css or "html"):
                value = read(node, attr)
                if value:
                    yield value

    @staticmethod
    def _text_of(node: LexborNode, attr: str | None) -> str | None:
        return clean_text(node.attributes.get(attr) if attr else node.text(separator=" "))

    def text(self, spec: Spec) -> str | None:
        if not spec:
            return None
        if isinstance(spec, list):
            pieces = [self.text(part) for part in spec]
            return clean_text(" ".join(p for p in pieces if p)) if any(pieces) else None
        return next(self._values(spec, self._text_of), None)

    def texts(self, spec: Spec) -> list[str]:
        if not spec:
            return []
        specs = spec if isinstance(spec, list) else [spec]
        return [value for one in specs for value in self._values(one, self._text_of)]

    def url(self, spec: Spec) -> str | None:
        if not spec:
            return None
        if isinstance(spec, list):
            return next((u for u in (self.url(part) for part in spec) if u), None)

        def read(node: LexborNode, attr: str | None) -> str | None:
            value = (node.attributes.get(attr) if attr
                     else node.attributes.get("href") or node.attributes.get("src")
                     or node.attributes.get("content"))
            return absolute(self.base, value)

        return next(self._values(spec, read), None)

    def body(self, spec: Spec, remove: list[str]) -> str | None:
        if not spec:
            return None
        if isinstance(spec, list):  # several parts of the text, kept in order
            parts = [self.body(part, remove) for part in spec]
            return "\n".join(p for p in parts if p) or None
        node = next((found for css, _attr in alternatives(spec)
                     if (found := self.tree.css_first(css)) is not None), None)
        if node is None:
            return None
        for selector in remove:
            for junk in node.css(selector):
                junk.decompose()
        for link in node.css("a[href]"):
            href = link.attributes.get("href") or ""
            resolved = absolute(self.base, href)
            if resolved is not None:
                link.attrs["href"] = resolved
        for image in node.css("img"):
            src = image.attributes.get("src") or image.attributes.get("data-src")
            resolved = absolute(self.base, src)
            if resolved is not None:
                image.attrs["src"] = resolved
        inner = node.inner_html or ""
        return inner if clean_text(htmlmod.unescape(re.sub(r"<[^>]+>", " ", inner))) else None


def page_view(tree: LexborHTMLParser, final_url: str) -> _Page:
    """Selector reading (``sel``, ``sel@attr``, URLs made absolute) on a parsed page."""
    return _Page(tree, base_url(tree, final_url))


_MAX_TAGS = 20  # a page with a hundred SEO keywords must not flood a feed's categories
_MAX_TAG_CHARS = 100
_KEYWORD_SPLIT = re.compile(r"[,،]")


def _tags(tree: LexborHTMLParser, ld: dict[str, Any]) -> list[str]:
    """The page's tags: ``article:tag`` metas, then JSON-LD ``keywords`` (a list, or one
    string separated by Latin or Arabic commas)."""
    found = [n.attributes.get("content") or ""
             for n in tree.css('meta[property="article:tag"]')]
    keywords = ld.get("keywords")
    if isinstance(keywords, str):
        found += _KEYWORD_SPLIT.split(keywords)
    elif isinstance(keywords, list):
        found += [str(k) for k in keywords if isinstance(k, str | int)]
    return [tag for tag in (clean_text(t) for t in found) if tag and len(tag) <= _MAX_TAG_CHARS]


def _og(sd: LazyStructured, text: str, name: str) -> str | None:
    if f'"{name}"' not in text:
        return None  # not on the page: no need to parse it again to know
    return sd().og.get(name)


def _coauthors(page: _Page, spec: Spec, sd: LazyStructured, html: str,
               ld_authors: list[Any]) -> tuple[str, ...]:
    """Every author after the first, as the page lists them (selector, else JSON-LD or
    microdata: only those carry several authors, so plain pages are not parsed again)."""
    names = page.texts(spec)
    if len(names) < 2 and ("ld+json" in html or "itemscope" in html):
        names = [n for n in (name_of(a) for a in ld_authors) if n]
    return tuple(dict.fromkeys(names[1:]))


def extract_column(
    tree: LexborHTMLParser, *, url: str, final_url: str, source: str,
    fields: FieldSelectors, language: str, html: str | None = None,
) -> ColumnDraft:
    """Everything the page says about the column, as published (None = not said).

    ``html``: the page's text as fetched (else the tree's serialisation), for the
    structured-data reader, which is asked only for what the selectors did not find.
    """
    chosen = fields.for_page(lambda css: tree.css_first(css) is not None)
    base = base_url(tree, final_url)
    page = _Page(tree, base)
    text = html if html is not None else (tree.html or "")
    sd = LazyStructured(text, url)
    ld: dict[str, Any] = {}
    ld_authors: list[Any] = []
    if "ld+json" in text or "itemscope" in text:
        ld = dict(sd().article())
        ld_authors = sd().authors(ld)
    author = ld_authors[0] if ld_authors else None
    ld_author = author if isinstance(author, dict) else {}
    canonical_node = tree.css_first('link[rel~="canonical"][href]')
    canonical = (
        absolute(base, canonical_node.attributes.get("href") if canonical_node else None)
        or absolute(base, _og(sd, text, "og:url"))
        or absolute(base, url_of(ld.get("mainEntityOfPage")) or url_of(ld.get("url")))
    )
    meta_author = _meta(tree, "author", "article:author", "dc.creator")
    if meta_author and urlsplit(meta_author).scheme in ("http", "https"):
        meta_author = None  # Facebook-style article:author is a profile URL, not a name
    categories = page.texts(chosen.categories)
    if not categories:
        section = ld.get("articleSection")
        categories = ([str(s) for s in section] if isinstance(section, list)
                      else [str(section)] if section else [])
    if not categories:
        categories = [clean_text(n.attributes.get("content")) or ""
                      for n in tree.css('meta[property="article:section"]')]
    return ColumnDraft(
        source=source,
        url=url,
        canonical_url=clean_url(canonical) if canonical else None,
        title=page.text(chosen.title) or text_of(ld.get("headline")) or text_of(ld.get("name"))
        or _og(sd, text, "og:title") or _meta(tree, "twitter:title"),
        author_name=page.text(chosen.author) or name_of(author) or meta_author,
        author_credentials=page.text(chosen.author_credentials)
        or text_of(ld_author.get("jobTitle") or ld_author.get("description")),
        author_article_count=page.text(chosen.author_article_count),
        author_url=page.url(chosen.author_url) or absolute(base, url_of(ld_author)),
        author_image_url=page.url(chosen.author_image)
        or absolute(base, url_of(ld_author.get("image"))),
        published_text=page.text(chosen.published) or text_of(ld.get("datePublished"))
        or _og(sd, text, "article:published_time")
        or _meta(tree, "article:published_time", "datePublished", "pubdate"),
        views_text=page.text(chosen.views) or views(ld),
        body_html=page.body(chosen.body, chosen.remove) or paragraphs(ld.get("articleBody")),
        image_url=page.url(chosen.image) or absolute(base, url_of(ld.get("image")))
        or absolute(base, _og(sd, text, "og:image")),
        categories=tuple(dict.fromkeys(
            c for c in [*categories, *_tags(tree, ld)] if c))[:_MAX_TAGS],
        language=language,
        coauthors=_coauthors(page, chosen.author, sd, text, ld_authors),
    )
