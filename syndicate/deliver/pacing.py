"""A thread-safe pacer: at most ``rate_per_s`` hand-overs a second, across threads.

One rate-limiting primitive for the project: it lives in ``syndicate.limits`` (the web
fetcher's per-host gate is built on it too).
"""

from __future__ import annotations

from ..limits import Pacer

__all__ = ["Pacer"]
