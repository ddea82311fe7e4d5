"""Polite HTTP for every source kind. The only package importing httpx and httpcore.

``Fetcher`` (``fetcher.py``) adds to an injected ``httpx.Client`` what a crawler of
other people's sites owes them: robots.txt, configured hosts only, no private
addresses, per-host limits, retries, conditional GETs, a size cap, checked redirects.
``build_client`` (``client.py``) is the production client: our timeouts, the total
deadline (``deadline.py``) and a network backend dialling checked public addresses
only. ``files.py`` serves ``file://`` URLs; ``policy.py`` holds the pure decisions
(retries, redirects, ports); ``reading.py`` turns one answer into a Page;
``robots_txt.py`` asks for robots.txt; ``sending.py`` sends one request to a host
(gate, deadline, retries, throttles). Everyone else imports from here.
"""

from __future__ import annotations

from .client import HttpClient, PublicOnlyBackend, build_client
from .deadline import DeadlineBackend, DeadlineStream
from .fetcher import Fetcher
from .files import FileTransport
from .policy import host_of

__all__ = [
    "DeadlineBackend",
    "DeadlineStream",
    "Fetcher",
    "FileTransport",
    "HttpClient",
    "PublicOnlyBackend",
    "build_client",
    "host_of",
]
