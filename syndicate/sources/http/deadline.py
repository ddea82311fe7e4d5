"""The total deadline of one request (``http.total_timeout_s``), kept on every socket
read and write, so a server that answers a byte a second is still cut."""

from __future__ import annotations

import contextvars
import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import httpcore

# When the request being made on this thread must be over (time.monotonic()). Read by
# DeadlineStream on every socket read and write, so a server that answers a byte a
# second (each read well inside timeout_s) is still cut when the deadline comes.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


@contextmanager
def _deadline(seconds: float) -> Iterator[float]:
    at = time.monotonic() + seconds
    token = _DEADLINE.set(at)
    try:
        yield at
    finally:
        _DEADLINE.reset(token)


def _within_deadline(timeout: float | None) -> float | None:
    """``timeout`` shortened to what is left of the request's total deadline."""
    at = _DEADLINE.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("total deadline reached")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the request's total deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _within_deadline(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _within_deadline(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname,
                                                    _within_deadline(timeout)))

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.SyncBackend):
    """Connects within what is left of the deadline; hands out DeadlineStreams."""

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                    ) -> httpcore.NetworkStream:
        stream = super().connect_tcp(host, port, timeout=_within_deadline(timeout),
                                     local_address=local_address,
                                     socket_options=socket_options)
        return DeadlineStream(stream)


class _OverDeadline(Exception):
    """One request outlived http.total_timeout_s (turned into a FetchError by _get)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"over the total deadline of {seconds:g}s")
        self.seconds = seconds
