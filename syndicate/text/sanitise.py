"""The one allow-list for HTML that came from a collected page.

Everything from a newspaper's page passes through ``sanitise_html`` before it is
stored, and feeds and e-mails call it again on output (defence in depth: a store
filled by an older version, or by hand, must not reach a reader unsanitised).

Two edges are kept readable rather than silently lost: an embedded video from a known
host (an ``<iframe>``, which no reader may run) becomes a link to the video's page, and
a link whose ``href`` was removed (``javascript:``, ``data:``) becomes its text. Both are
done on nh3's own, normalised output (attributes double-quoted, ``<``, ``>`` and ``"``
in values escaped), and the final ``nh3.clean`` pass sees everything they produce.
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


# Known video hosts: the embed URL's path -> the video page a reader can open.
_VIDEO_EMBEDS: dict[str, tuple[re.Pattern[str], str]] = {
    host: (re.compile(pattern), page)
    for hosts, pattern, page in (
        (("www.youtube.com", "youtube.com", "m.youtube.com", "www.youtube-nocookie.com",
          "youtube-nocookie.com"), r"/embed/([A-Za-z0-9_-]{6,20})/?",
         "https://www.youtube.com/watch?v={id}"),
        (("player.vimeo.com",), r"/video/([0-9]{1,12})/?", "https://vimeo.com/{id}"),
        (("www.dailymotion.com", "dailymotion.com"), r"/embed/video/([A-Za-z0-9]{4,12})/?",
         "https://www.dailymotion.com/video/{id}"),
    )
    for host in hosts
}
_IFRAME = re.compile(r"<iframe((?:\s+[a-z-]+=\"[^\"]*\")*)\s*>.*?</iframe>",
                     re.IGNORECASE | re.DOTALL)
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
_VIDEO_LABEL = "شاهد الفيديو"
# nh3's output: an <a> whose attributes (values escaped) have no href left.
_ANCHOR = re.compile(r"<a((?:\s+[a-z-]+=\"[^\"]*\")*)>(.*?)</a>", re.DOTALL)


def video_page(src: str) -> str | None:
    """The page of an embedded video from a known host, else None."""
    url = src.strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    known = _VIDEO_EMBEDS.get((parts.hostname or "").lower())
    if (parts.scheme.lower() not in ("http", "https") or known is None or port is not None
            or parts.username is not None):
        return None
    match = known[0].fullmatch(parts.path)
    return known[1].format(id=match.group(1)) if match else None


def _video_link(match: re.Match[str]) -> str:
    attributes = {name.lower(): html.unescape(value)
                  for name, value in _ATTRIBUTE.findall(match.group(1))}
    page = video_page(attributes.get("src", ""))
    if page is None:
        return ""
    label = " ".join(attributes.get("title", "").split()) or _VIDEO_LABEL
    return f'<a href="{html.escape(page, quote=True)}">{html.escape(label)}</a>'


def _unwrap_dead_link(match: re.Match[str]) -> str:
    return match.group(0) if ' href="' in match.group(1) else match.group(2)


def sanitise_html(fragment: str) -> str:
    """Keep structure and text; drop scripts, styles, event handlers and unsafe URLs."""
    if "<iframe" in fragment.lower():
        embeds = nh3.clean(fragment, tags={*_TAGS, "iframe"},
                           attributes={**_ATTRIBUTES, "iframe": {"src", "title"}},
                           url_schemes=_URL_SCHEMES, strip_comments=True,
                           clean_content_tags={"script", "style", "noscript", "object",
                                               "embed", "template", "svg", "math"})
        fragment = _IFRAME.sub(_video_link, embeds)
    cleaned = _clean(fragment)
    return _ANCHOR.sub(_unwrap_dead_link, cleaned) if "<a" in cleaned else cleaned


def _clean(fragment: str) -> str:
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


def cut_text(text: str, limit: int, *, whole_words: bool = False) -> str:
    """At most ``limit`` characters of plain text on one line, cut at a word, with "…".

    A word longer than the last 40 % is cut inside. ``whole_words``: never inside a
    word, and the "…" counted in ``limit`` (a preheader has words to spare)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    if whole_words:
        space = flat.rfind(" ", 0, limit)
        cut = flat[:space] if space > 0 else flat[: limit - 1]
    else:
        cut = flat[:limit]
        space = cut.rfind(" ")
        if space > limit * 0.6:
            cut = cut[:space]
    return cut.rstrip(" ،,.؛:") + "…"
