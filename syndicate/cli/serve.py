"""`syndicate serve`: feeds, subscription pages and the status page over HTTP.

uvicorn is set up for the open internet: bounded connections, heads, bodies and proxies.
uvicorn's defaults leave a connection that never finishes its request head open for
ever (its keep-alive timeout starts only after a response), so 3,000 slowloris
connections were all held. Here:

* ``HEADER_TIMEOUT_S``: a request head must be complete this long after the connection
  opened, or after the previous response on it; otherwise the connection is closed;
* ``KEEPALIVE_TIMEOUT_S``: an idle kept-alive connection is closed after this;
* ``MAX_CONNECTIONS``: connections beyond it are closed as soon as they open, and
  requests beyond it get 503 (uvicorn's ``limit_concurrency``);
* ``MAX_HEAD_BYTES``: a request head larger than this is refused (h11 answers 400);
* request bodies: ``web/limits.py`` (413 over 64 KiB, checked while streaming);
* ``X-Forwarded-For`` is believed only from ``site.trusted_proxies``; with none set,
  it is ignored, so a client cannot choose its own rate-limit bucket.

This is the one module importing uvicorn (lazily: every command module loads at
start-up, and only `serve` needs it).
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .common import add_config_argument, console, err_console, load_config

if TYPE_CHECKING:
    import uvicorn
    from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0
KEEPALIVE_TIMEOUT_S = 5.0
MAX_CONNECTIONS = 500
MAX_HEAD_BYTES = 16 * 1024


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="serve feeds, subscribe pages and status")
    add_config_argument(parser)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: every command module loads at start-up (cli/main.py builds one
    # parser), and only `serve` needs uvicorn and Starlette.
    from ..web.app import create_app

    config = load_config(args)
    mismatch = _base_url_mismatch(config.site.base_url, args.host, args.port)
    if mismatch:
        err_console.print(mismatch, markup=False)
    token = config.site.status_token
    if token is not None and not token.value():
        err_console.print(f"warning: site.status_token: {token.env} is not set; /status "
                          "answers only on this machine", markup=False)
    app = create_app(config)
    console.print(f"serving on http://{args.host}:{args.port}/ (feeds under /feeds/)")
    build_server(app, host=args.host, port=args.port,
                 trusted_proxies=tuple(config.site.trusted_proxies)).run()
    return 0


def _base_url_mismatch(base_url: str, host: str, port: int) -> str:
    """A warning when links in e-mails and feeds (site.base_url) cannot reach this server.

    Only for a local base_url: behind a proxy the public URL rightly differs.
    """
    parts = urlsplit(base_url)
    local = {"localhost", "127.0.0.1", "::1"}
    if parts.hostname not in local:
        return ""
    default_port = 443 if parts.scheme == "https" else 80
    if (parts.port or default_port) == port and (host in local or host == "0.0.0.0"):
        return ""
    return (
        f"warning: site.base_url is {base_url} but this server listens on {host}:{port}; "
        "links in e-mails and feeds will not reach it"
    )


@dataclass(frozen=True)
class ServerLimits:
    header_timeout_s: float = HEADER_TIMEOUT_S
    keepalive_timeout_s: float = KEEPALIVE_TIMEOUT_S
    max_connections: int = MAX_CONNECTIONS
    max_head_bytes: int = MAX_HEAD_BYTES


def _guarded_protocol(limits: ServerLimits) -> type[H11Protocol]:
    # uvicorn (and its h11) loads only for `serve`, not at every command's start-up
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        """uvicorn's HTTP/1.1 protocol with a deadline on each request head and a
        hard cap on open connections."""

        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > limits.max_connections:
                transport.close()  # connection_lost() forgets it
                return
            self._arm_head_timer()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm_head_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_head_timer()
            super().connection_lost(exc)

        def _arm_head_timer(self) -> None:
            self._cancel_head_timer()
            self._head_timer = self.loop.call_later(limits.header_timeout_s, self._head_overdue)

        def _cancel_head_timer(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_overdue(self) -> None:
            # IDLE: no complete request head since the timer was armed (a request
            # being answered is SEND_BODY or DONE, and is left alone).
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

    return GuardedH11Protocol


def build_server(app: Any, *, host: str, port: int, trusted_proxies: tuple[str, ...] = (),
                 limits: ServerLimits = ServerLimits(),
                 log_level: str = "warning") -> uvicorn.Server:
    """A uvicorn server for ``app`` with the limits above (``server.run()`` serves)."""
    import uvicorn  # only for `serve`: not at every command's start-up

    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, lifespan="off", ws="none",
        http=_guarded_protocol(limits),
        timeout_keep_alive=max(1, round(limits.keepalive_timeout_s)),
        limit_concurrency=limits.max_connections,
        h11_max_incomplete_event_size=limits.max_head_bytes,
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=list(trusted_proxies) or None,
        server_header=False,
    )
    return uvicorn.Server(config)
