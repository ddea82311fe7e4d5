"""Web addresses compared as pages, not as strings."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

import idna

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


def ascii_host(host: str) -> str | None:
    """``host`` as it goes on the wire: an international name in IDNA 2008 A-labels
    (UTS 46 mapping), an ASCII one lower-cased; None when it is no valid name (an
    A-label must stand for something)."""
    try:
        ascii_form = host.lower() if host.isascii() else idna.encode(
            host, uts46=True).decode("ascii")
        for label in ascii_form.split("."):
            if label.startswith("xn--"):
                idna.decode(label)
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    return ascii_form


# Everything RFC 3986 allows unescaped in a URI, and "%" so existing escapes stay.
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"


def ascii_url(url: str) -> str:
    """``url`` as a URI: an international host in IDNA ("xn--"), every other non-ASCII
    character percent-encoded as UTF-8 (what browsers send, and what lxml writes into
    an HTML ``href``). Existing escapes are kept; an ASCII URL is unchanged."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host and not host.isascii():
        # Not a valid international name: escaped like the rest.
        wire_host = ascii_host(host) or quote(host, safe="")
        userinfo, at, hostport = parts.netloc.rpartition("@")
        port = hostport.rpartition("]")[2].partition(":")[2] if ":" in hostport else ""
        netloc = f"{userinfo}{at}{wire_host}{':' + port if port else ''}"
        url = urlunsplit(parts._replace(netloc=netloc))
    return quote(url, safe=_URI_SAFE)
