"""A total deadline per fetch (issue 16 item 7): connect + headers + body, beside the read timeout.

A loopback server drips a byte every half second: each read returns well inside
``timeout_s``, so only ``http.total_timeout_s`` can stop it. The server counts the
bytes it managed to send; the fetch must give up long before the last one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from syndicate.errors import FetchError
from syndicate.sources.http import Fetcher, build_client

from .loopback import serve_handler
from .test_collect_http import settings

DRIP_BYTES = 40  # at 0.5 s a byte: 20 s if nobody cuts it
PAGE = ("<html><body><p>" + "مقال " * 50 + "</p></body></html>").encode()


class Drip(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    sent: dict[str, int]
    done: dict[str, threading.Event]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client hung up (the deadline): not news

    def _drip(self, data: bytes) -> None:
        for byte in data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            self.sent[self.path] += 1
            time.sleep(0.5)

    def do_GET(self) -> None:
        self.sent[self.path] = 0
        try:
            if self.path == "/body":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(DRIP_BYTES))
                self.end_headers()
                self.wfile.flush()
                self._drip(b"x" * DRIP_BYTES)
            elif self.path == "/headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                self._drip(b"a" * DRIP_BYTES)
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                self.wfile.write(PAGE)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up: what the deadline is for
        finally:
            self.done[self.path].set()


@pytest.fixture
def dripping() -> Iterator[tuple[str, dict[str, int], dict[str, threading.Event]]]:
    sent: dict[str, int] = {}
    done = {path: threading.Event() for path in ("/body", "/headers", "/fine")}
    handler = type("Handler", (Drip,), {"sent": sent, "done": done})
    with serve_handler(handler) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}", sent, done


@pytest.mark.parametrize("path", ["/body", "/headers"])
def test_a_dripping_page_is_cut_at_the_total_deadline_and_the_others_are_fetched(
    dripping: tuple[str, dict[str, int], dict[str, threading.Event]], path: str
) -> None:
    base, sent, done = dripping
    http = settings(timeout_s=5, total_timeout_s=2, retries=2, respect_robots=False)
    with build_client(http) as client:
        fetcher = Fetcher(client, http, hosts=["127.0.0.1"])
        results = dict(fetcher.fetch_many([base + path, base + "/fine"]))
    failure = results[base + path]
    assert isinstance(failure, FetchError)
    assert str(failure) == f"{base}{path}: cut at the total deadline of 2s (http.total_timeout_s)"
    assert not isinstance(results[base + "/fine"], Exception)  # the run goes on
    assert done[path].wait(15)  # the server notices the hang-up at its next byte
    assert sent[path] < DRIP_BYTES // 2  # cut long before the end, and not retried
