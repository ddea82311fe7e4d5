"""A real loopback HTTP server for the collection tests, serving tests/data/sites/<site>.

Static files get a strong ETag (content hash) and honour If-None-Match, so a second
collection can be all 304s. ``http://HOST`` and ``{port}`` in served text become the
server's own address. A few routes misbehave on purpose (``/bad/...``), and the
WordPress API route maps ``?page=N`` onto ``wp-json/posts-N.json``. Every request is
logged with its headers, and the highest number of requests in flight at once is kept
(``meet`` makes requests wait for company, to observe overlap without timing anything).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .loopback import serve_handler

SITES = Path(__file__).parent / "data" / "sites"
_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml",
          ".json": "application/json", ".txt": "text/plain", ".pdf": "application/pdf"}


@dataclass
class Site:
    root: Path
    port: int = 0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    starts: list[float] = field(default_factory=list)
    slow_s: float = 1.0
    delay_s: float = 0.0  # added to every response, to observe concurrency
    retry_once: set[str] = field(default_factory=set)  # paths answering 503 the first time
    robots_status: int = 200  # 500: robots.txt unavailable
    robots_text: str | None = None  # instead of the site's robots.txt file
    # Above this many requests a second: 429 + Retry-After (1 s), as a throttling site.
    limit_per_s: float = 0.0
    ignore_validators: bool = False  # /bad/big-etag answers 200 even to its own ETag
    last_accepted: float = -1e9
    throttled: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    host: str = "127.0.0.1"  # 127.0.0.2 …: a second loopback host
    redirects: dict[str, str] = field(default_factory=dict)  # path -> Location, as 301s
    # Hold each request until this many were in flight at once (or ``meet_s`` passed):
    # requests that overlap meet at once, requests sent one after another wait it out.
    meet: int = 0
    meet_s: float = 5.0
    met: threading.Condition = field(default_factory=threading.Condition)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _ in self.requests]

    def statuses(self) -> list[tuple[str, int]]:
        with self.lock:
            return list(self.served)

    served: list[tuple[str, int]] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"
    # One segment per response: headers and body written separately meet Nagle +
    # delayed ACK and cost ~40 ms a request on loopback.
    disable_nagle_algorithm = True
    wbufsize = 1 << 16

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output clean

    def do_GET(self) -> None:
        site = self.site
        with site.lock:
            site.requests.append((self.path, dict(self.headers.items())))
            site.starts.append(time.monotonic())
            site.in_flight += 1
            site.max_in_flight = max(site.max_in_flight, site.in_flight)
        try:
            if site.meet and self.path != "/robots.txt":
                with site.met:
                    site.met.notify_all()
                    site.met.wait_for(lambda: site.max_in_flight >= site.meet, site.meet_s)
            if site.delay_s:
                time.sleep(site.delay_s)
            self._route()
        finally:
            with site.lock:
                site.in_flight -= 1

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
              *, length: bool = True) -> None:
        with self.site.lock:
            self.site.served.append((urlsplit(self.path).path, status))
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def _big(self, headers: dict[str, str]) -> None:
        """3 MB of HTML without a Content-Length, until the client hangs up."""
        self._send(200, b"", {"Content-Type": "text/html", **headers}, length=False)
        chunk = b"<p>" + "كلام ".encode() * 2000 + b"</p>\n"
        try:
            for _ in range(3_000_000 // len(chunk) + 1):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _route(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        site = self.site
        if site.limit_per_s:
            with site.lock:
                now = time.monotonic()
                # 5% leeway for arrival jitter, as a real limiter's window has.
                over = now - site.last_accepted < 0.95 / site.limit_per_s
                if over:
                    site.throttled += 1
                else:
                    site.last_accepted = now
            if over:
                return self._send(429, b"", {"Retry-After": "1", "Content-Type": "text/plain"})
        if path == "/bad/empty":
            return self._send(200, b"", {"Content-Type": "text/html"})
        if path == "/bad/big":
            # 3 MB without a Content-Length: the client must stop reading by itself.
            return self._big({})
        if path == "/bad/big-etag":
            # The same, with an ETag; 304 to it unless the site ignores validators.
            if self.headers.get("If-None-Match") == '"big1"' and not site.ignore_validators:
                return self._send(304, b"", {"ETag": '"big1"'})
            return self._big({"ETag": '"big1"'})
        if path == "/bad/500":
            return self._send(500, b"oops", {"Content-Type": "text/plain"})
        if path == "/bad/slow":
            time.sleep(site.slow_s)
            return self._send(200, b"<html></html>", {"Content-Type": "text/html"})
        if path == "/bad/loop-a":
            return self._send(302, b"", {"Location": "/bad/loop-b"})
        if path == "/bad/loop-b":
            return self._send(302, b"", {"Location": "/bad/loop-a"})
        if path == "/bad/report.pdf":
            return self._send(200, b"%PDF-1.4 not a column", {"Content-Type": "application/pdf"})
        if path == "/robots.txt" and site.robots_status != 200:
            return self._send(site.robots_status, b"", {"Content-Type": "text/plain"})
        if path == "/robots.txt" and site.robots_text is not None:
            return self._send(200, site.robots_text.encode(), {"Content-Type": "text/plain"})
        if path == "/bad/redirect-ok":
            return self._send(301, b"", {"Location": "/opinion/clean.html"})
        if path == "/bad/redirect-off":
            return self._send(302, b"", {"Location": f"http://localhost:{site.port}/x.html"})
        if path.startswith("/bad/chain-"):
            n = int(path.rsplit("-", 1)[1])
            return self._send(302, b"", {"Location": f"/bad/chain-{n + 1}"})
        if path == "/bad/moved-column":
            return self._send(301, b"", {"Location": "/opinion/columns/no-canonical.html"})
        if path == "/bad/429":
            return self._send(429, b"", {"Retry-After": "7"})
        if path in site.redirects:
            return self._send(301, b"", {"Location": site.redirects[path]})
        if path in site.retry_once:
            site.retry_once.discard(path)
            return self._send(503, b"", {"Retry-After": "1"})
        if path == "/wp-json/wp/v2/posts":
            page = parse_qs(parts.query).get("page", ["1"])[0]
            file = site.root / "wp-json" / f"posts-{page}.json"
            if not file.exists():
                body = b'{"code":"rest_post_invalid_page_number"}'
                return self._send(400, body, {"Content-Type": "application/json"})
            return self._file(file, path + "?" + parts.query)
        file = site.root / unquote(path).lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file() or site.root not in file.resolve().parents:
            return self._send(404, b"not found", {"Content-Type": "text/plain"})
        return self._file(file, path)

    def _file(self, file: Path, key: str) -> None:
        site = self.site
        body = file.read_bytes()
        if file.suffix in (".xml", ".json", ".html"):
            body = body.replace(b"http://HOST", site.base.encode())
            body = body.replace(b"{port}", str(site.port).encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {"Content-Type": _TYPES.get(file.suffix, "application/octet-stream"),
                   "ETag": etag}
        extra = site.root / "_headers.json"
        if extra.exists():
            headers.update(json.loads(extra.read_text()).get(key, {}))
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", {"ETag": etag})
        return self._send(200, body, headers)


@contextmanager
def serve(root: Path, **options: Any) -> Iterator[Site]:
    """Serve ``root`` on 127.0.0.1 (a free port) for the duration of the block."""
    site = Site(root=root.resolve(), **options)
    with serve_handler(type("Handler", (_Handler,), {"site": site}), site.host) as server:
        site.port = server.server_address[1]
        yield site


def copy_site(name: str, destination: Path) -> Path:
    """A private copy of a sample site, for tests that edit pages between runs."""
    target = destination / name
    shutil.copytree(SITES / name, target)
    return target


def expected(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((SITES / name / "expected.json").read_text())
    return data
