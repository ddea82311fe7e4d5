"""Pure decisions of the fetcher: which answers are retried, throttles or redirects,
what each kind of page is asked for, and which ports a link or a redirect may go to."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from urllib.parse import SplitResult, urlsplit

from ...errors import FetchError, NotAllowedError
from ..fetching import Expect

_RETRY_STATUSES = {429, 500, 502, 503, 504}
_THROTTLE_STATUSES = {429, 503}  # "slow down": the whole host waits, not only this URL
_REDIRECTS = {301, 302, 303, 307, 308}
_ACCEPT: dict[Expect, str] = {
    "html": "text/html, application/xhtml+xml",
    "xml": "application/rss+xml, application/atom+xml, application/xml, text/xml",
    "json": "application/json",
}


@dataclasses.dataclass(frozen=True)
class _Retry:
    status: int  # 429 or 5xx
    wait: float | None  # from Retry-After, when the server said
    sent_at: float | None = None  # when the request left (the host gate's clock)



_DEFAULT_PORTS = {"http": 80, "https": 443}


def _redirect_port_checked(url: str, current: str, target: SplitResult) -> SplitResult:
    """A redirect may go to a configured host, but only on a web port: the scheme's
    default one, or the port of the URL that redirected. "https://site/" answering
    "Location: http://site:6379/" must not make us talk to its Redis."""
    try:
        port = target.port or _DEFAULT_PORTS.get(target.scheme)
        origin = urlsplit(current)
        origin_port = origin.port or _DEFAULT_PORTS.get(origin.scheme)
    except ValueError as exc:  # a port out of range or not a number
        raise FetchError(url, f"redirect to an invalid address ({exc})") from exc
    if target.scheme in _DEFAULT_PORTS and port not in (_DEFAULT_PORTS[target.scheme],
                                                       origin_port):
        raise NotAllowedError(url, f"redirect to port {port} of {target.hostname}: only its "
                              "default port or the redirecting page's port is followed")
    return target


def port_refusal(parts: SplitResult, ports: Collection[int]) -> str | None:
    """Why a page at ``parts`` may not be asked on its port, or None: only the scheme's
    default port or one of ``ports`` (those the source's addresses name for this host).
    A listing linking "http://site:6379/" must not make us talk to its Redis either."""
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError as exc:  # a port out of range or not a number
        return f"an invalid address ({exc})"
    if port == _DEFAULT_PORTS.get(parts.scheme) or port in ports:
        return None
    return (f"port {port} of {parts.hostname} is not one this source is read on: only the "
            "default port or a port its addresses or allowed_hosts name")


def host_of(url: str) -> str | None:
    return urlsplit(url).hostname
