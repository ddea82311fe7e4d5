"""One answer read into a Page, a redirect target or an error: the size cap, the
total deadline while downloading, the encoding and the content-type check."""

from __future__ import annotations

import time
from urllib.parse import urljoin, urlsplit

import httpx

from ...config.sources import HttpSettings
from ...errors import ExtractError, FetchError, NotAllowedError
from ..encoding import decode
from ..fetching import Cached, Expect, Page, accepts
from .deadline import _OverDeadline
from .policy import _REDIRECTS

_MAX_HEADER_LINKS = 32  # a Link: header is a few entries; more is not worth keeping


def read_response(url: str, current: str, response: httpx.Response, expect: Expect,
                  settings: HttpSettings, known: Cached | None = None,
                  deadline: float | None = None) -> Page | str:
    status = response.status_code
    etag = response.headers.get("ETag")
    modified = response.headers.get("Last-Modified")

    def failed(error: FetchError | ExtractError, size: int | None = None) -> Exception:
        # The failing answer's validators go with the error: remembered with the
        # failure, they make the next run's request conditional.
        error.answer = Cached(etag, modified, None, failure=error.reason, size=size)
        return error

    if status == 304 or status in _REDIRECTS:
        # Drain the (empty or tiny) body so the connection goes back to the pool:
        # closing an unread response drops it, and a new TCP connect per 304
        # would cost more than the 304 itself.
        drained = 0
        for chunk in response.iter_bytes():
            drained += len(chunk)
            if drained > 65_536:
                break  # not worth keeping the connection for
    if status == 304:
        return Page(url, current, 304, etag=etag, last_modified=modified)
    if status in _REDIRECTS:
        location = response.headers.get("Location")
        if not location:
            raise FetchError(url, f"HTTP {status} without a Location header")
        return str(urljoin(current, location))
    if status == 403 and urlsplit(current).scheme == "file":
        raise NotAllowedError(url, "file outside the configured start folders")
    if status >= 400:
        raise failed(FetchError(url, f"HTTP {status}"))
    limit = settings.max_page_bytes
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise failed(FetchError(url, f"page is {int(declared):,} bytes, over the "
                                f"{limit:,}-byte limit (http.max_page_bytes)"),
                     int(declared))
    if (known is not None and known.size is not None and known.size > limit
            and ((etag is not None and etag == known.etag)
                 or (modified is not None and modified == known.last_modified))):
        # A site ignoring If-None-Match: the same oversize page is not downloaded again.
        raise failed(FetchError(url, f"page still over the {limit:,}-byte limit "
                                "(unchanged since; not downloaded again)"), known.size)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise failed(FetchError(url, f"page is over the {limit:,}-byte limit "
                                        "(http.max_page_bytes); download aborted"), size)
            chunks.append(chunk)
            if deadline is not None and time.monotonic() >= deadline:
                # also with a client not built here (no DeadlineStream under it)
                raise _OverDeadline(settings.total_timeout_s)
    except httpx.HTTPError as exc:
        if deadline is not None and time.monotonic() >= deadline:
            raise _OverDeadline(settings.total_timeout_s) from exc
        raise failed(FetchError(url, f"response cut short ({type(exc).__name__}: "
                                f"{exc})")) from exc
    content = b"".join(chunks)
    media_type, _, params = response.headers.get("Content-Type", "").partition(";")
    media_type = media_type.strip().lower()
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"')
    if not content.strip():
        raise failed(ExtractError(url, f"empty response (HTTP {status}, 0 bytes of "
                                  "content)"))
    if expect == "json":
        text, encoding = content.decode("utf-8", "replace"), "utf-8"
    else:
        text, encoding = decode(content, charset)
    if not accepts(expect, media_type, text):
        raise failed(ExtractError(url, f"content type {media_type or 'missing'!r} is "
                                  f"not {expect}"))
    return Page(url, current, status, text, media_type, encoding, etag, modified, size,
                header_links=header_links(response, current))


def header_links(response: httpx.Response, base: str) -> tuple[tuple[str, str], ...]:
    """The ``Link:`` header's (rel, URL) pairs (httpx parses it), URLs made absolute."""
    found: list[tuple[str, str]] = []
    for link in list(response.links.values())[:_MAX_HEADER_LINKS]:
        target = link.get("url")
        for rel in (link.get("rel") or "").split():
            if target:
                found.append((rel, str(urljoin(base, target))))
    return tuple(found)
