"""``file://`` URLs (the bundled sample site), confined to the start URLs' folders,
with an ETag from mtime + size so the 304 logic is the same as over HTTP."""

from __future__ import annotations

import email.utils
import mimetypes
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import httpx


class FileTransport(httpx.BaseTransport):
    """Serves files under ``roots`` only; 404 for missing ones; ETag from mtime+size."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self.roots = tuple(root.resolve() for root in roots)

    def path_for(self, url: str) -> Path | None:
        path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
        if any(path == root or root in path.parents for root in self.roots):
            return path
        return None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = self.path_for(str(request.url))
        if path is None:
            return httpx.Response(403, request=request)
        try:
            stat = path.stat()
            if not path.is_file():
                return httpx.Response(404, request=request)
            etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
            modified = email.utils.format_datetime(
                datetime.fromtimestamp(stat.st_mtime, UTC), usegmt=True
            )
            headers = {"ETag": etag, "Last-Modified": modified}
            if request.headers.get("If-None-Match") == etag:
                return httpx.Response(304, headers=headers, request=request)
            content = path.read_bytes()
        except OSError:
            return httpx.Response(404, request=request)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        headers["Content-Type"] = kind
        return httpx.Response(200, headers=headers, content=content, request=request)
