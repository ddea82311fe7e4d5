"""Serve the feeds folder under ``/feeds/`` like a good citizen.

Feed readers poll all day; most polls must cost a ``stat`` and a 304. Each file
gets a strong ETag (a hash of its bytes), ``Last-Modified`` (its mtime: the build
writes only changed files, atomically, so both are stable while nothing changes),
``Cache-Control``, and a compressed body (brotli when the client takes it and the
``brotli`` package is installed, else gzip). Compression is done here rather than
with Starlette's GZipMiddleware because that one wraps the whole app, would
compress every 304 path's siblings (status, subscribe) too, and cannot give each
encoding its own strong ETag, which RFC 9110 requires of different bytes.

Bodies and their compressed forms are cached in memory, keyed by the file's
(inode, mtime, size): an atomic replace changes the inode, so a rebuilt feed is
picked up on the next request with no invalidation protocol.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from .context import WebContext

try:  # optional: brotli is a declared dependency, but serving works without it
    import brotli as _brotli
except ImportError:  # pragma: no cover - exercised only where brotli is absent
    _brotli = None

MEDIA_TYPES = {
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    # Icons and logos the build copies beside the feeds (``icons/``).
    ".png": "image/png",
    ".ico": "image/vnd.microsoft.icon",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
INDEX = "index.html"
# Feeds are public: browser-based readers on any origin may fetch and revalidate them
# (never the subscribe or status pages, which add nothing of the kind).
_CORS = {"Access-Control-Allow-Origin": "*",
         "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Encoding"}
_IMAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
_PREFLIGHT = {**_CORS, "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
              "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
              "Access-Control-Max-Age": "86400"}
_MIN_COMPRESS = 512  # below this, headers cost more than the bytes saved
_CACHE_LIMIT = 4096  # files kept in memory; a feeds folder rarely holds more


@dataclass
class _Cached:
    key: tuple[int, int, int]  # inode, mtime_ns, size
    body: bytes
    tag: str  # hash of the identity bytes; encodings add a suffix
    last_modified: str
    mtime: int
    media_type: str
    encoded: dict[str, bytes] = field(default_factory=dict)


class FeedFiles:
    """Files of one feeds folder, read through a small in-memory cache."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def _resolve(self, relative: str) -> Path | None:
        parts = relative.split("/")
        if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            return None  # hidden files include the build's temporary files
        path = self.root.joinpath(*parts)
        if path.suffix not in MEDIA_TYPES:
            return None
        try:
            path.resolve().relative_to(self.root.resolve())
        except ValueError:  # a symlink pointing out of the folder
            return None
        return path

    def get(self, relative: str) -> _Cached | None:
        path = self._resolve(relative)
        if path is None:
            return None
        try:
            info = path.stat()
        except OSError:
            return None
        key = (info.st_ino, info.st_mtime_ns, info.st_size)
        with self._lock:
            cached = self._cache.get(relative)
        if cached is not None and cached.key == key:
            return cached
        try:
            body = path.read_bytes()
        except OSError:
            return None
        cached = _Cached(
            key=key,
            body=body,
            tag=hashlib.blake2b(body, digest_size=16).hexdigest(),
            last_modified=formatdate(int(info.st_mtime), usegmt=True),
            mtime=int(info.st_mtime),
            media_type=MEDIA_TYPES[path.suffix],
        )
        with self._lock:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[relative] = cached
        return cached

    @staticmethod
    def encoded(cached: _Cached, coding: str) -> bytes:
        body = cached.encoded.get(coding)
        if body is None:
            if coding == "br" and _brotli is not None:
                body = _brotli.compress(cached.body, quality=9)
            else:
                body = gzip.compress(cached.body, compresslevel=6, mtime=0)
            cached.encoded[coding] = body
        return body


def _accepted(header: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if name:
            out[name.strip().lower()] = quality
    return out


def choose_coding(accept_encoding: str, size: int) -> str | None:
    if size < _MIN_COMPRESS:
        return None
    accepted = _accepted(accept_encoding)
    wildcard = accepted.get("*", 0.0)
    if _brotli is not None and accepted.get("br", wildcard) > 0:
        return "br"
    if accepted.get("gzip", wildcard) > 0:
        return "gzip"
    return None


def not_modified(request: Request, cached: _Cached) -> bool:
    """RFC 9110 §13.1: If-None-Match wins; weak comparison, any encoding of these bytes."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        for token in if_none_match.split(","):
            token = token.strip().removeprefix("W/").strip('"')
            if token == "*" or token.split("-", 1)[0] == cached.tag:
                return True
        return False
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            return False
        return cached.mtime <= int(since.timestamp())
    return False


def routes(context: WebContext) -> list[BaseRoute]:
    settings = context.config.feeds
    files = FeedFiles(context.config.path(settings.dir))
    cache_control = f"public, max-age={settings.cache_max_age}"

    async def serve(request: Request) -> Response:
        if request.method == "OPTIONS":  # a browser's CORS preflight
            return Response(status_code=204, headers=_PREFLIGHT)
        response = await serve_file(request, request.path_params.get("path") or INDEX)
        response.headers.update(_CORS)
        return response

    async def serve_file(request: Request, relative: str) -> Response:
        if relative.endswith("/"):
            relative += INDEX
        cached = await run_in_threadpool(files.get, relative)
        if cached is None:
            if await run_in_threadpool(context.store.feed_state.is_removed, relative):
                # A feed we used to publish: 410 tells readers to stop polling it.
                return PlainTextResponse("gone: this feed is no longer published\n",
                                         status_code=410)
            return PlainTextResponse("not found\n", status_code=404)
        coding = choose_coding(request.headers.get("accept-encoding", ""), len(cached.body))
        headers = {
            "ETag": f'"{cached.tag}-{coding}"' if coding else f'"{cached.tag}"',
            "Last-Modified": cached.last_modified,
            "Cache-Control": cache_control,
            "Vary": "Accept-Encoding",
        }
        if cached.media_type.startswith("image/"):
            # An SVG opened on its own runs its scripts in our origin (subscribe,
            # status): images are sandboxed and never sniffed as something else.
            headers["Content-Security-Policy"] = _IMAGE_POLICY
            headers["X-Content-Type-Options"] = "nosniff"
        if not_modified(request, cached):
            return Response(status_code=304, headers=headers)
        body = cached.body
        if coding is not None:
            body = await run_in_threadpool(files.encoded, cached, coding)
            headers["Content-Encoding"] = coding
        if request.method == "HEAD":
            headers["Content-Length"] = str(len(body))
            return Response(status_code=200, headers=headers, media_type=cached.media_type)
        return Response(body, headers=headers, media_type=cached.media_type)

    async def to_index(request: Request) -> Response:
        return RedirectResponse(url="/feeds/", status_code=308)

    site_icon = settings.icon

    async def favicon(request: Request) -> Response:
        """The site icon (``feeds.icon``), with the same ETag and 304 as the feeds."""
        if site_icon is None:
            return PlainTextResponse("not found\n", status_code=404)
        if site_icon.startswith(("http://", "https://")):
            return RedirectResponse(url=site_icon, status_code=302)
        return await serve_file(request, f"icons/site-icon{Path(site_icon).suffix.lower()}")

    return [
        Route("/favicon.ico", favicon, methods=["GET", "HEAD"]),
        Route("/feeds", to_index, methods=["GET", "HEAD"]),
        Route("/feeds/", serve, methods=["GET", "HEAD", "OPTIONS"]),
        Route("/feeds/{path:path}", serve, methods=["GET", "HEAD", "OPTIONS"]),
    ]
