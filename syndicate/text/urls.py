"""Web addresses compared as pages, not as strings."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# Escaped, these mean something else than written out (a %2F is not a path's "/").
_KEPT_ESCAPED = frozenset("!#$&'()*+,/:;=?@[]% \"<>\\^`{|}")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _unescaped(match: re.Match[str]) -> str:
    try:
        text = bytes.fromhex(match.group().replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:  # not UTF-8 (a windows-1256 slug): compared as escapes
        return match.group().upper()
    return "".join(f"%{ord(c):02X}" if c in _KEPT_ESCAPED or ord(c) < 0x20 else c
                   for c in text)


def address_key(url: str) -> str:
    """One spelling of ``url`` for comparing addresses: a raw-Arabic link and its
    percent-encoded canonical, an upper-case host or a written default port are the same
    page. The scheme, the path's slashes and the query's parameters still count."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = parts.netloc.rpartition("@")[0] + "@" + netloc
    path = _ESCAPES.sub(_unescaped, parts.path) or "/"
    return urlunsplit((scheme, netloc, path, _ESCAPES.sub(_unescaped, parts.query), ""))


def same_address(a: str, b: str) -> bool:
    return a == b or address_key(a) == address_key(b)
