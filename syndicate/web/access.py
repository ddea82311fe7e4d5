"""Who may see the operator status page.

``/status`` shows job errors, source addresses and outbox figures: it is for the
people running syndicate, not for readers. Without ``site.status_token`` only a
request made on this machine, straight to ``syndicate serve``, sees it: a loopback
client and no proxy headers (nginx in front adds ``X-Forwarded-*`` or
``X-Real-IP``; uvicorn also turns a trusted ``X-Forwarded-For`` into the real
client address). With the token set, any client that presents it does:
``Authorization: Bearer TOKEN``, or ``?token=TOKEN`` for a browser.
"""

from __future__ import annotations

import hmac
import ipaddress

from starlette.requests import Request

PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
                 "x-real-ip")


def operator_may_see(request: Request, token: str | None) -> bool:
    if token:
        offered = request.query_params.get("token", "")
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            offered = credentials.strip()
        return hmac.compare_digest(offered.encode(), token.encode())
    return _local(request)


def _local(request: Request) -> bool:
    if any(name in request.headers for name in PROXY_HEADERS):
        return False
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
