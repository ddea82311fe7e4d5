"""The one allow-list for HTML that came from a collected page.

Everything from a newspaper's page passes through ``sanitise_html`` before it is
stored, and feeds and e-mails call it again on output (defence in depth: a store
filled by an older version, or by hand, must not reach a reader unsanitised).
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from urllib.parse import urlsplit

import nh3

_TAGS = {
    "p", "br", "hr", "blockquote", "q", "cite", "em", "strong", "b", "i", "u", "s", "sub",
    "sup", "small", "mark", "bdi", "bdo", "span", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption", "table", "thead", "tbody",
    "tr", "th", "td", "caption", "pre", "code", "abbr", "time",
}
_ATTRIBUTES = {
    "*": {"dir", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "bdo": {"dir"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "abbr": {"title"},
}
# No javascript:, data: or vbscript: URLs; relative URLs are resolved before this.
_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(fragment: str) -> str:
    """Keep structure and text; drop scripts, styles, event handlers and unsafe URLs."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style", "noscript", "iframe", "object", "embed",
                            "template", "svg", "math"},
        strip_comments=True,
    )


def url_with_scheme(url: str | None, schemes: Collection[str]) -> str | None:
    """``url`` (trimmed) when its scheme is one of ``schemes``, else None.

    Each sink names what it can follow: e-mail http(s)/mailto, the store also file:
    (the bundled sample site); never javascript:, data: or vbscript:.
    """
    if not url:
        return None
    url = url.strip()
    return url if urlsplit(url).scheme.lower() in schemes else None


_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|blockquote|tr|figure|figcaption)\s*>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, one paragraph a line, entities decoded."""
    clean = nh3.clean(fragment, tags={"p", "br", "div", "li", "blockquote", "h2", "h3", "h4"},
                      attributes={}, clean_content_tags={"script", "style", "noscript"})
    text = _BLOCK_END.sub("\n", clean)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def excerpt(fragment: str, limit: int = 280) -> str:
    """The first ``limit`` characters of an HTML fragment's text (see ``cut_text``)."""
    return cut_text(plain_text(fragment), limit)


def cut_text(text: str, limit: int) -> str:
    """At most ``limit`` characters of plain text on one line, cut at a word, with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ،,.؛:") + "…"
