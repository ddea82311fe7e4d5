"""Reading a column page: the only module importing selectolax.

Each field comes from the source's CSS selector when one is configured (``sel`` for
text, ``sel@attr`` for an attribute), else from the page's JSON-LD
``NewsArticle``/``Article``, else from OpenGraph / ``article:*`` meta tags; the
identity comes from ``<link rel="canonical">`` (then ``og:url``). Nothing is
sanitised here — ``syndicate.normalise`` does that — but relative URLs are resolved
while the page's base URL is known.
"""

from __future__ import annotations

import html as htmlmod
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from pydantic import Field, field_validator
from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from ..config.base import Model
from ..types import ColumnDraft
from .structured import Structured, first_of, read_structured, views

_ATTR_SPEC = re.compile(r"^(?P<css>.*?)@(?P<attr>[A-Za-z_:][\w:.-]*)$")
_SPACES = re.compile(r"\s+")
_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$)")
_URL_SCHEMES = ("http", "https", "file")


_PROBE = LexborHTMLParser("<p></p>")


def split_spec(spec: str) -> tuple[str, str | None]:
    """``"time.date@datetime"`` → ``("time.date", "datetime")``; no ``@`` → (css, None)."""
    match = _ATTR_SPEC.match(spec)
    if match:
        return match.group("css").strip(), match.group("attr")
    return spec.strip(), None


def selector_problem(spec: str) -> str | None:
    """Why ``spec`` is not a usable selector (for config validation), or None."""
    css, _attr = split_spec(spec)
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


class FieldSelectors(Model):
    """A source's ``fields:``: CSS selectors for one column page; ``sel@attr`` reads an
    attribute. Declared here, beside the selector engine that checks and runs them.

    A field left out falls back to JSON-LD, then OpenGraph / article:* meta tags.
    """

    title: str | None = None
    author: str | None = None
    author_credentials: str | None = None
    author_article_count: str | None = None
    author_url: str | None = None
    author_image: str | None = None
    published: str | None = None
    views: str | None = None
    body: str | None = None
    image: str | None = None
    categories: str | None = None
    remove: list[str] = Field(default_factory=list)  # inside body: ads, share boxes…

    @field_validator(
        "title", "author", "author_credentials", "author_article_count", "author_url",
        "author_image", "published", "views", "body", "image", "categories",
    )
    @classmethod
    def _selector(cls, value: str | None) -> str | None:
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


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = _SPACES.sub(" ", text).strip()
    return text or None


def clean_url(url: str) -> str:
    """Drop the fragment and tracking parameters, so one page has one URL."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING.match(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _absolute(base: str, value: str | None) -> str | None:
    value = _clean(value)
    if not value:
        return None
    url = urljoin(base, value)
    return url if urlsplit(url).scheme in _URL_SCHEMES else None


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def looks_truncated(html: str) -> bool:
    """A page cut off in transfer has no closing ``</html>`` (nor ``</body>``)."""
    tail = html[-8192:].lower()
    return "</html" not in tail and "</body" not in tail


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
        url = _absolute(base, _href(node))
        if url is not None and not url.lower().startswith("javascript:"):
            seen.setdefault(clean_url(url), None)
    return list(seen)


def extract_next(tree: LexborHTMLParser, *, page_url: str, selector: str) -> str | None:
    node = tree.css_first(selector)
    if node is None:
        return None
    url = _absolute(base_url(tree, page_url), _href(node))
    return clean_url(url) if url else None


# -- structured data (read by .structured, mapped here onto a column's fields) ------


class _Lazy:
    """The page's structured data, read only when a field first needs it."""

    def __init__(self, html: str, url: str) -> None:
        self._html, self._url = html, url
        self._value: Structured | None = None

    def __call__(self) -> Structured:
        if self._value is None:
            self._value = read_structured(self._html, url=self._url)
        return self._value


def _name(value: Any) -> str | None:
    value = first_of(value)
    if isinstance(value, dict):
        value = value.get("name")
    return _clean(str(value)) if isinstance(value, (str, int)) else None


def _url_of(value: Any) -> str | None:
    value = first_of(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or value.get("contentUrl")
    return str(value) if isinstance(value, str) else None


def _text_of(value: Any) -> str | None:
    value = first_of(value)
    return _clean(value) if isinstance(value, str) else None


def _meta(tree: LexborHTMLParser, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name"):
            node = tree.css_first(f'meta[{attr}="{name}"]')
            if node is not None and _clean(node.attributes.get("content")):
                return _clean(node.attributes.get("content"))
    return None


# -- column pages ---------------------------------------------------------------


class _Page:
    def __init__(self, tree: LexborHTMLParser, base: str) -> None:
        self.tree = tree
        self.base = base

    def nodes(self, spec: str) -> tuple[list[LexborNode], str | None]:
        css, attr = split_spec(spec)
        return self.tree.css(css or "html"), attr

    def text(self, spec: str | None) -> str | None:
        if not spec:
            return None
        nodes, attr = self.nodes(spec)
        for node in nodes:
            value = node.attributes.get(attr) if attr else node.text(separator=" ")
            if _clean(value):
                return _clean(value)
        return None

    def texts(self, spec: str | None) -> list[str]:
        if not spec:
            return []
        nodes, attr = self.nodes(spec)
        values = [node.attributes.get(attr) if attr else node.text(separator=" ")
                  for node in nodes]
        return [v for v in (_clean(x) for x in values) if v]

    def url(self, spec: str | None) -> str | None:
        if not spec:
            return None
        nodes, attr = self.nodes(spec)
        for node in nodes:
            value = (node.attributes.get(attr) if attr
                     else node.attributes.get("href") or node.attributes.get("src")
                     or node.attributes.get("content"))
            url = _absolute(self.base, value)
            if url:
                return url
        return None

    def body(self, spec: str | None, remove: list[str]) -> str | None:
        if not spec:
            return None
        node = self.tree.css_first(spec)
        if node is None:
            return None
        for selector in remove:
            for junk in node.css(selector):
                junk.decompose()
        for link in node.css("a[href]"):
            href = link.attributes.get("href") or ""
            resolved = _absolute(self.base, href)
            if resolved is not None:
                link.attrs["href"] = resolved
        for image in node.css("img"):
            src = image.attributes.get("src") or image.attributes.get("data-src")
            resolved = _absolute(self.base, src)
            if resolved is not None:
                image.attrs["src"] = resolved
        inner = node.inner_html or ""
        return inner if _clean(htmlmod.unescape(re.sub(r"<[^>]+>", " ", inner))) else None


def page_view(tree: LexborHTMLParser, final_url: str) -> _Page:
    """Selector reading (``sel``, ``sel@attr``, URLs made absolute) on a parsed page."""
    return _Page(tree, base_url(tree, final_url))


def absolute(base: str, value: str | None) -> str | None:
    """``value`` as an absolute web (or file) URL against ``base``; None if it is not one."""
    return _absolute(base, value)


def text_of(value: Any) -> str | None:
    """A structured-data value as one line of text (the first, when it is a list)."""
    return _text_of(value)


def url_of(value: Any) -> str | None:
    """A structured-data URL: a string, or an object's url / @id / contentUrl."""
    return _url_of(value)


def _paragraphs(text: Any) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    return "".join(f"<p>{htmlmod.escape(p.strip())}</p>" for p in text.split("\n") if p.strip())


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
    return [tag for tag in (_clean(t) for t in found) if tag and len(tag) <= _MAX_TAG_CHARS]


def _og(sd: _Lazy, text: str, name: str) -> str | None:
    if f'"{name}"' not in text:
        return None  # not on the page: no need to parse it again to know
    return sd().og.get(name)


def _coauthors(page: _Page, spec: str | None, sd: _Lazy, html: str,
               ld_authors: list[Any]) -> tuple[str, ...]:
    """Every author after the first, as the page lists them (selector, else JSON-LD or
    microdata: only those carry several authors, so plain pages are not parsed again)."""
    names = page.texts(spec)
    if len(names) < 2 and ("ld+json" in html or "itemscope" in html):
        names = [n for n in (_name(a) for a in ld_authors) if n]
    return tuple(dict.fromkeys(names[1:]))


def extract_column(
    tree: LexborHTMLParser, *, url: str, final_url: str, source: str,
    fields: FieldSelectors, language: str, html: str | None = None,
) -> ColumnDraft:
    """Everything the page says about the column, as published (None = not said).

    ``html``: the page's text as fetched (else the tree's serialisation), for the
    structured-data reader, which is asked only for what the selectors did not find.
    """
    base = base_url(tree, final_url)
    page = _Page(tree, base)
    text = html if html is not None else (tree.html or "")
    sd = _Lazy(text, url)
    ld: dict[str, Any] = {}
    ld_authors: list[Any] = []
    if "ld+json" in text or "itemscope" in text:
        ld = dict(sd().article())
        ld_authors = sd().authors(ld)
    author = ld_authors[0] if ld_authors else None
    ld_author = author if isinstance(author, dict) else {}
    canonical_node = tree.css_first('link[rel~="canonical"][href]')
    canonical = (
        _absolute(base, canonical_node.attributes.get("href") if canonical_node else None)
        or _absolute(base, _og(sd, text, "og:url"))
        or _absolute(base, _url_of(ld.get("mainEntityOfPage")) or _url_of(ld.get("url")))
    )
    meta_author = _meta(tree, "author", "article:author", "dc.creator")
    if meta_author and urlsplit(meta_author).scheme in ("http", "https"):
        meta_author = None  # Facebook-style article:author is a profile URL, not a name
    categories = page.texts(fields.categories)
    if not categories:
        section = ld.get("articleSection")
        categories = ([str(s) for s in section] if isinstance(section, list)
                      else [str(section)] if section else [])
    if not categories:
        categories = [_clean(n.attributes.get("content")) or ""
                      for n in tree.css('meta[property="article:section"]')]
    return ColumnDraft(
        source=source,
        url=url,
        canonical_url=clean_url(canonical) if canonical else None,
        title=page.text(fields.title) or _text_of(ld.get("headline")) or _text_of(ld.get("name"))
        or _og(sd, text, "og:title") or _meta(tree, "twitter:title"),
        author_name=page.text(fields.author) or _name(author) or meta_author,
        author_credentials=page.text(fields.author_credentials)
        or _text_of(ld_author.get("jobTitle") or ld_author.get("description")),
        author_article_count=page.text(fields.author_article_count),
        author_url=page.url(fields.author_url) or _absolute(base, _url_of(ld_author)),
        author_image_url=page.url(fields.author_image)
        or _absolute(base, _url_of(ld_author.get("image"))),
        published_text=page.text(fields.published) or _text_of(ld.get("datePublished"))
        or _og(sd, text, "article:published_time")
        or _meta(tree, "article:published_time", "datePublished", "pubdate"),
        views_text=page.text(fields.views) or views(ld),
        body_html=page.body(fields.body, fields.remove) or _paragraphs(ld.get("articleBody")),
        image_url=page.url(fields.image) or _absolute(base, _url_of(ld.get("image")))
        or _absolute(base, _og(sd, text, "og:image")),
        categories=tuple(dict.fromkeys(
            c for c in [*categories, *_tags(tree, ld)] if c))[:_MAX_TAGS],
        language=language,
        coauthors=_coauthors(page, fields.author, sd, text, ld_authors),
    )
