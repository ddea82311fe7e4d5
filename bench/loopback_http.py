"""The benches' loopback newspaper: a threading HTTP server, run in a process of its own
(as another machine would be: no GIL shared with the collector being measured)."""

from __future__ import annotations

from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class QuietHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One segment per response: headers and body written separately meet Nagle +
    # delayed ACK and cost ~40 ms a request on loopback.
    disable_nagle_algorithm = True

    def log_message(self, *args: Any) -> None:
        pass

    def answer(self, status: int, body: bytes = b"",
               headers: Iterable[tuple[str, str]] = ()) -> None:
        """One whole response: ``headers``, then Content-Length and ``body``."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


def serve_forever(handler: type[BaseHTTPRequestHandler], ports: Any) -> None:
    """Serve ``handler`` on a free loopback port, put on ``ports`` (a process queue)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    ports.put(server.server_address[1])
    server.serve_forever()
