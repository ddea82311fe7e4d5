"""A real static HTTP server on 127.0.0.1 for tests (Last-Modified / 304 included)."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _QuietHandler(SimpleHTTPRequestHandler):
    requests_seen: list[str]

    def log_message(self, format: str, *args: object) -> None:
        self.server.requests_seen.append(f"{self.command} {self.path} {args[1] if len(args) > 1 else ''}")  # type: ignore[attr-defined]


@contextmanager
def serve_handler(handler: Any, host: str = "127.0.0.1") -> Iterator[ThreadingHTTPServer]:
    """Run ``handler`` in a threaded HTTP server on an ephemeral loopback port (``host``:
    another loopback address, 127.0.0.2, stands for a second host)."""
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve_directory(root: Path) -> Iterator[tuple[str, list[str]]]:
    """Serve ``root`` on an ephemeral loopback port; yield (base URL, request log)."""
    with serve_handler(functools.partial(_QuietHandler, directory=str(root))) as server:
        server.requests_seen = []  # type: ignore[attr-defined]
        yield f"http://127.0.0.1:{server.server_address[1]}", server.requests_seen  # type: ignore[attr-defined]


@contextmanager
def serve_app(app: Any, port: int = 0) -> Iterator[str]:
    """Serve an ASGI app with a real uvicorn on 127.0.0.1 in a thread; yield its base URL.

    ``port`` 0 picks a free port; the URL names the one actually bound.
    """
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off", ws="none"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_command(config_path: Path, port: int) -> Iterator[list[str]]:
    """`syndicate serve` in its own process on ``port``, answering before this yields.

    Yields a list that holds the server's stderr once it has stopped.
    """
    import os
    import subprocess
    import sys

    import httpx

    server = subprocess.Popen(
        [sys.executable, "-m", "syndicate.cli.main", "serve", "--config", str(config_path),
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    stderr: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/subscribe", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError(server.communicate(timeout=5)) from None
                time.sleep(0.1)
        yield stderr
    finally:
        server.terminate()
        stderr.append(server.communicate(timeout=10)[1])
