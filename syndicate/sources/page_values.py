"""What ``extract.py`` reads off a page, as plain data, without the page's tree.

The selector syntax (``sel@attr``, alternatives separated by commas), text and URL
cleaning (one page, one URL), and structured data (JSON-LD, microdata, read once when
a field first needs it) with its values mapped onto a column's fields. No selectolax
here, so a module that only needs a clean URL does not load the HTML parser.
"""

from __future__ import annotations

import html as htmlmod
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from .structured import Structured, first_of, read_structured

_ATTR_SPEC = re.compile(r"^(?P<css>.*?)@(?P<attr>[A-Za-z_:][\w:.-]*)$")
_SPACES = re.compile(r"\s+")
_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$)")
_URL_SCHEMES = ("http", "https", "file")


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


def clean_text(text: str | None) -> str | None:
    """Runs of white space as one space, trimmed; None when nothing is left."""
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


def absolute(base: str, value: str | None) -> str | None:
    """``value`` as an absolute web (or file) URL against ``base``; None if it is not one."""
    value = clean_text(value)
    if not value:
        return None
    url = urljoin(base, value)
    return url if urlsplit(url).scheme in _URL_SCHEMES else None


def looks_truncated(html: str) -> bool:
    """A page cut off in transfer has no closing ``</html>`` (nor ``</body>``)."""
    tail = html[-8192:].lower()
    return "</html" not in tail and "</body" not in tail


# -- structured data (read by .structured, mapped by extract onto a column's fields) ----


class LazyStructured:
    """The page's structured data, read only when a field first needs it."""

    def __init__(self, html: str, url: str) -> None:
        self._html, self._url = html, url
        self._value: Structured | None = None

    def __call__(self) -> Structured:
        if self._value is None:
            self._value = read_structured(self._html, url=self._url)
        return self._value


def name_of(value: Any) -> str | None:
    """A structured-data name: a string (or number), or an object's ``name``."""
    value = first_of(value)
    if isinstance(value, dict):
        value = value.get("name")
    return clean_text(str(value)) if isinstance(value, (str, int)) else None


def url_of(value: Any) -> str | None:
    """A structured-data URL: a string, or an object's url / @id / contentUrl."""
    value = first_of(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or value.get("contentUrl")
    return str(value) if isinstance(value, str) else None


def text_of(value: Any) -> str | None:
    """A structured-data value as one line of text (the first, when it is a list)."""
    value = first_of(value)
    return clean_text(value) if isinstance(value, str) else None


def paragraphs(text: Any) -> str | None:
    """A plain ``articleBody`` as HTML paragraphs, one a line, escaped."""
    if not isinstance(text, str) or not text.strip():
        return None
    return "".join(f"<p>{htmlmod.escape(p.strip())}</p>" for p in text.split("\n") if p.strip())
