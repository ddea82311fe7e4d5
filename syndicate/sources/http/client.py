"""The production httpx client: our timeouts, no automatic redirects, and a network
backend that dials only public addresses, checked on the address actually dialled."""

from __future__ import annotations

import functools
import socket
import ssl
from collections.abc import Iterable

import httpcore
import httpx

from ...config.sources import HttpSettings
from ..fetching import address_is_public
from .deadline import DeadlineBackend

HttpClient = httpx.Client  # what the core passes around without importing httpx


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes tens of milliseconds: once per process, not per run.
    return httpx.create_ssl_context()  # what httpx.Client would build (certifi CAs)


class PublicOnlyBackend(DeadlineBackend):
    """Dials only public addresses, checked on the address actually dialled.

    ``Fetcher`` refuses private hosts before asking, but a name can resolve to a
    public address for that check and to 10.0.0.5 a moment later, when the connection
    is made (DNS rebinding). Here the name is resolved once, every address it gave is
    checked, and that checked address is the one connected to. TLS still verifies the
    certificate against the host name: httpcore passes it as the server name.
    """

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"{host}: {exc.strerror or exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        private = [address for address in addresses if not address_is_public(address)]
        if private or not addresses:
            raise httpcore.ConnectError(
                f"{host} resolves to a private or loopback address ({', '.join(private)}); "
                "not connecting")
        return super().connect_tcp(addresses[0], port, timeout=timeout,
                                   local_address=local_address, socket_options=socket_options)


def build_client(settings: HttpSettings) -> httpx.Client:
    """The production client: our timeouts (``total_timeout_s`` on every socket read),
    no automatic redirects, and unless ``allow_private_addresses``, direct connections
    to public addresses only."""
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=16)
    client = httpx.Client(
        verify=_tls_context(),
        limits=limits,
        timeout=httpx.Timeout(settings.timeout_s),
        follow_redirects=False,
        headers={"User-Agent": settings.user_agent},
    )
    # httpx takes no network backend, but the pool of its default transport (an
    # httpcore.ConnectionPool) does. Replacing only that pool keeps the proxies
    # httpx reads from the environment (a proxy dials for itself).
    # tests/test_collect_http.py fails if a new httpx moves these attributes.
    transport = client._transport
    if not isinstance(transport, httpx.HTTPTransport):
        raise TypeError(f"unexpected httpx default transport {type(transport).__name__}")
    transport._pool = httpcore.ConnectionPool(
        ssl_context=_tls_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=(DeadlineBackend() if settings.allow_private_addresses
                         else PublicOnlyBackend()),
    )
    return client
