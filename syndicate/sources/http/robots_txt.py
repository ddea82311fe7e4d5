"""robots.txt of one origin, asked with the validators kept from the last run."""

from __future__ import annotations

import httpx

from ...config.sources import HttpSettings
from ...limits import HostGate
from ..fetching import Cached, ValidatorCache
from ..robots import MAX_BYTES as _ROBOTS_MAX_BYTES
from ..robots import RobotsRules, parse_robots
from .deadline import _deadline


def load_robots(client: httpx.Client, settings: HttpSettings, cache: ValidatorCache | None,
                gate: HostGate, origin: str, agent: str) -> RobotsRules:
    """robots.txt, asked with the validators kept from the last run (its text is
    kept with them, so a 304 costs no parse of a stale copy); the caller applies its
    Crawl-delay."""
    url = origin + "/robots.txt"
    known = cache.get(url) if cache is not None else None
    headers = {"User-Agent": settings.user_agent}
    if known is not None and known.memo is not None:
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
    body = b""
    try:
        with gate, _deadline(settings.total_timeout_s), client.stream(
            "GET", url, headers=headers,
            timeout=settings.timeout_s, follow_redirects=True,
        ) as response:
            status = response.status_code
            if status < 300:
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) >= _ROBOTS_MAX_BYTES:
                        break
    except httpx.HTTPError as exc:
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return RobotsRules(refusal=f"robots.txt unreachable ({detail}): "
                                   "not fetching this host")
    if status >= 500:
        return RobotsRules(refusal=f"robots.txt answered HTTP {status}: "
                                   "not fetching this host")
    if status == 304 and known is not None and known.memo is not None:
        rules = RobotsRules(known.memo, agent)
    elif status >= 300:
        rules = RobotsRules(agent=agent)  # no robots.txt: everything is allowed
    else:
        rules = parse_robots(body, agent)
        etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        if cache is not None and (etag or modified):
            cache.put(url, Cached(etag, modified, rules.text), status=status)
    return rules
