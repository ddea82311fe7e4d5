"""Who may see the operator status page.

``/status`` shows job errors, source addresses and outbox figures: it is for the
people running syndicate, not for readers. Without ``site.status_token`` only a
request made on this machine, straight to ``syndicate serve``, sees it: a loopback
peer and no proxy header of any kind. A proxy on the same machine connects from
loopback too, so any header a proxy or CDN may add to name the real client
(``X-Forwarded-*``, ``Forwarded``, ``X-Real-IP``, ``X-Client-IP``, ``True-Client-IP``,
``CF-Connecting-IP``, ``Via``…) makes the request remote, whatever its value. With the
token set, any client that presents it does: ``Authorization: Bearer TOKEN``, or
``?token=TOKEN`` for a browser.
"""

from __future__ import annotations

import hmac
import ipaddress

from starlette.requests import Request

PROXY_HEADERS = frozenset({
    "forwarded", "via", "x-real-ip", "x-client-ip", "true-client-ip", "cf-connecting-ip",
    "fastly-client-ip", "x-cluster-client-ip", "x-original-forwarded-for", "client-ip",
    "x-proxyuser-ip", "x-envoy-external-address", "akamai-client-ip",
})
# and every "X-Forwarded-…" header (For, Proto, Host, Port, Server, Prefix…)
_PROXY_PREFIXES = ("x-forwarded-", "x-original-")


def operator_may_see(request: Request, token: str | None) -> bool:
    if token:
        offered = request.query_params.get("token", "")
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            offered = credentials.strip()
        return hmac.compare_digest(offered.encode(), token.encode())
    return _local(request)


def _local(request: Request) -> bool:
    for name in request.headers:
        if name in PROXY_HEADERS or name.startswith(_PROXY_PREFIXES):
            return False
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
