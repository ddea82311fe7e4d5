"""WebSub publisher pings: tell the hub which feed URLs changed after a rebuild.

This uses ``urllib`` rather than httpx on purpose: httpx lives only in
``sources/http/`` (the collector's fetcher, with its robots.txt and host
rules), and ``deliver`` must not import ``sources``. A ping is one small
form-encoded POST per URL (``hub.mode=publish``, ``hub.url=…``); hubs answer
2xx. Failures are returned, never raised: a hub being down must not fail the
feed build, whose files are already written.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable
from urllib.parse import urlencode, urlsplit

USER_AGENT = "syndicate-websub/1"


def ping_hub(hub: str, urls: Iterable[str], *, timeout: float = 5.0) -> dict[str, str | None]:
    """POST a publish notification for each URL; maps URL -> error text or None."""
    results: dict[str, str | None] = {}
    if urlsplit(hub).scheme not in ("http", "https"):
        return {url: f"hub {hub!r} is not an http(s) URL" for url in urls}
    # Only the HTTP(S) handlers: never file:// or ftp:// whatever a redirect says.
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(),
                    urllib.request.HTTPSHandler(), urllib.request.HTTPErrorProcessor(),
                    urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPRedirectHandler()):
        opener.add_handler(handler)
    for url in urls:
        body = urlencode({"hub.mode": "publish", "hub.url": url}).encode()
        request = urllib.request.Request(
            hub, data=body, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "User-Agent": USER_AGENT},
        )
        try:
            with opener.open(request, timeout=timeout) as response:
                status = response.status
            results[url] = None if 200 <= status < 300 else f"hub answered {status}"
        except urllib.error.HTTPError as exc:
            exc.close()
            results[url] = f"hub answered {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            results[url] = f"hub unreachable: {getattr(exc, 'reason', exc)}"
    return results
