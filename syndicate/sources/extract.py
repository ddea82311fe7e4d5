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
import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from ..config.sources import FieldSelectors
from ..types import ColumnDraft

_ATTR_SPEC = re.compile(r"^(?P<css>.*?)@(?P<attr>[A-Za-z_:][\w:.-]*)$")
_SPACES = re.compile(r"\s+")
_ARTICLE_TYPES = {"newsarticle", "article", "opinionnewsarticle", "blogposting",
                  "reportagenewsarticle", "analysisnewsarticle", "backgroundnewsarticle"}
_VIEW_ACTIONS = ("readaction", "viewaction", "watchaction")
_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$)")
_URL_SCHEMES = ("http", "https", "file")


_PROBE = LexborHTMLParser("<p></p>")


def split_spec(spec: str) -> tuple[str, str | None]:
    """``"time.date@datetime"`` → ``("time.date", "datetime")``; no ``@`` → (css, None)."""
    match = _ATTR_SPEC.match(spec)
    if match:
        return match.group("css").strip(), match.group("attr")
    return spec.strip(), None


def alternatives(spec: str) -> list[tuple[str, str | None]]:
    """A selector list, each alternative with its own ``@attr``, in the order written:
    ``"time.published@datetime, span.date"`` → the ``datetime`` attribute of the
    first, else the text of the second. Commas inside ``[…]``, ``(…)`` or quotes
    belong to the alternative."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    for index, char in enumerate(spec):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            parts.append(spec[start:index])
            start = index + 1
    parts.append(spec[start:])
    return [split_spec(part) for part in parts if part.strip()]


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


# -- structured data ------------------------------------------------------------


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type", ())
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    return {str(k).rsplit("/", 1)[-1].lower() for k in kinds}


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk(data["@graph"])


def json_ld_article(tree: LexborHTMLParser) -> dict[str, Any]:
    """The first NewsArticle/Article object in the page's JSON-LD, or {}."""
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text(deep=True) or "null", strict=False)
        except ValueError:
            continue  # broken JSON-LD is common; the other fallbacks still apply
        for item in _walk(data):
            if _types(item) & _ARTICLE_TYPES:
                return item
    return {}


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _name(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name")
    return _clean(str(value)) if isinstance(value, (str, int)) else None


def _url_of(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or value.get("contentUrl")
    return str(value) if isinstance(value, str) else None


def _views(article: dict[str, Any]) -> str | None:
    stats = article.get("interactionStatistic")
    for stat in stats if isinstance(stats, list) else [stats]:
        if not isinstance(stat, dict):
            continue
        action = stat.get("interactionType")
        action_name = _name(action) if isinstance(action, dict) else str(action or "")
        if (action_name or "").rsplit("/", 1)[-1].lower() in _VIEW_ACTIONS:
            count = stat.get("userInteractionCount")
            if count is not None:
                return str(count)
    return None


def _meta(tree: LexborHTMLParser, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name"):
            node = tree.css_first(f'meta[{attr}="{name}"]')
            if node is not None and _clean(node.attributes.get("content")):
                return _clean(node.attributes.get("content"))
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
        return _clean(node.attributes.get(attr) if attr else node.text(separator=" "))

    def text(self, spec: Spec) -> str | None:
        if not spec:
            return None
        if isinstance(spec, list):
            pieces = [self.text(part) for part in spec]
            return _clean(" ".join(p for p in pieces if p)) if any(pieces) else None
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
            return _absolute(self.base, value)

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


def _paragraphs(text: Any) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    return "".join(f"<p>{htmlmod.escape(p.strip())}</p>" for p in text.split("\n") if p.strip())


def extract_column(
    tree: LexborHTMLParser, *, url: str, final_url: str, source: str,
    fields: FieldSelectors, language: str,
) -> ColumnDraft:
    """Everything the page says about the column, as published (None = not said)."""
    chosen = fields.for_page(lambda css: tree.css_first(css) is not None)
    base = base_url(tree, final_url)
    page = _Page(tree, base)
    ld = json_ld_article(tree)
    author = _first(ld.get("author"))
    ld_author = author if isinstance(author, dict) else {}
    canonical_node = tree.css_first('link[rel~="canonical"][href]')
    canonical = (
        _absolute(base, canonical_node.attributes.get("href") if canonical_node else None)
        or _absolute(base, _meta(tree, "og:url"))
        or _absolute(base, _url_of(ld.get("mainEntityOfPage")) or _url_of(ld.get("url")))
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
        categories = [_clean(n.attributes.get("content")) or ""
                      for n in tree.css('meta[property="article:section"]')]
    return ColumnDraft(
        source=source,
        url=url,
        canonical_url=clean_url(canonical) if canonical else None,
        title=page.text(chosen.title) or _clean(ld.get("headline"))
        or _meta(tree, "og:title", "twitter:title"),
        author_name=page.text(chosen.author) or _name(ld.get("author")) or meta_author,
        author_credentials=page.text(chosen.author_credentials)
        or _clean(ld_author.get("jobTitle") or ld_author.get("description")),
        author_article_count=page.text(chosen.author_article_count),
        author_url=page.url(chosen.author_url) or _absolute(base, _url_of(ld_author)),
        author_image_url=page.url(chosen.author_image)
        or _absolute(base, _url_of(ld_author.get("image"))),
        published_text=page.text(chosen.published) or _clean(ld.get("datePublished"))
        or _meta(tree, "article:published_time", "datePublished", "pubdate"),
        views_text=page.text(chosen.views) or _views(ld),
        body_html=page.body(chosen.body, chosen.remove) or _paragraphs(ld.get("articleBody")),
        image_url=page.url(chosen.image) or _absolute(base, _url_of(ld.get("image")))
        or _absolute(base, _meta(tree, "og:image")),
        categories=tuple(c for c in categories if c),
        language=language,
    )
