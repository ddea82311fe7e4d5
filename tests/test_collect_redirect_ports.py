"""A redirect to a configured host on another port is not followed (issue 16 item 10).

Two real loopback servers on one host (127.0.0.1, the configured host) and two ports:
the first redirects to the second, as "https://site/" answering
"Location: http://site:6379/" would; the second must never hear of it.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from syndicate.errors import NotAllowedError
from syndicate.sources.http import Fetcher

from .loopback import serve_handler
from .test_collect_http import settings

PAGE = ("<html><body><p>" + "مقال " * 50 + "</p></body></html>").encode()


class Handler(BaseHTTPRequestHandler):
    target = ""
    seen: list[str]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append(self.path)
        if self.path.startswith("/go"):
            self.send_response(302)
            self.send_header("Location", self.target + self.path.removeprefix("/go"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)


def test_a_redirect_to_another_port_of_a_configured_host_is_refused() -> None:
    other_seen: list[str] = []
    first_seen: list[str] = []
    other = type("Other", (Handler,), {"seen": other_seen})
    with serve_handler(other) as second:
        elsewhere = f"http://127.0.0.1:{second.server_address[1]}"
        first = type("First", (Handler,), {"seen": first_seen, "target": elsewhere})
        with serve_handler(first) as server, httpx.Client() as client:
            base = f"http://127.0.0.1:{server.server_address[1]}"
            fetcher = Fetcher(client, settings(respect_robots=False), hosts=["127.0.0.1"])
            with pytest.raises(NotAllowedError, match=(
                    rf"redirect to port {second.server_address[1]} of 127.0.0.1")):
                fetcher.fetch(base + "/go/page")
            # The same port: followed as before.
            first.target = base  # type: ignore[attr-defined]
            page = fetcher.fetch(base + "/go/other")
            assert page.status == 200 and page.final_url == base + "/other"
    assert other_seen == []
    assert first_seen == ["/go/page", "/go/other", "/other"]
