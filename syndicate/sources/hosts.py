"""Politeness per host for one collect run, shared by every source.

Three papers on one media group's host are one site to be polite to: one robots.txt
request, one delay gate and one concurrency limit, one fetch per URL however many
sources list it (html + feed + sitemap of one paper list the same pages). The core
makes one ``HostRegistry`` per run and hands it to every source's fetcher.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import SyndicateError
from ..limits import HostGate, Monotonic, Sleep
from .fetching import Page, is_public
from .robots import RobotsRules

# Pages kept for other sources of the same run; past this, a repeat asks the site again
# (conditionally: the first source has stored the validators by then).
SHARED_PAGES_BUDGET = 64_000_000


@dataclass
class _Flight:
    done: threading.Event = field(default_factory=threading.Event)
    result: Page | SyndicateError | None = None


class HostRegistry:
    def __init__(self, *, sleep: Sleep = time.sleep, monotonic: Monotonic = time.monotonic,
                 max_throttles: int = 8) -> None:
        self.sleep = sleep
        self.monotonic = monotonic
        self.max_throttles = max_throttles
        self._lock = threading.Lock()
        self._gates: dict[str, HostGate] = {}
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._public: dict[str, bool] = {}
        self._flights: dict[tuple[str, str], _Flight] = {}
        self._kept_bytes = 0

    # -- gates -------------------------------------------------------------------

    def gate(self, origin: str, limit: int, delay: float) -> HostGate:
        """The host's gate; a stricter source tightens it (the stricter setting wins)."""
        with self._lock:
            gate = self._gates.get(origin)
            if gate is None:
                gate = self._gates[origin] = HostGate(
                    limit, delay, sleep=self.sleep, monotonic=self.monotonic,
                    max_throttles=self.max_throttles)
                return gate
        gate.tighten(limit, delay)
        return gate

    def given_up(self) -> dict[str, HostGate]:
        """Hosts left for this run after throttling, by origin."""
        with self._lock:
            return {origin: g for origin, g in self._gates.items() if g.given_up}

    # -- robots.txt --------------------------------------------------------------

    def robots(self, origin: str, load: Callable[[], RobotsRules]) -> RobotsRules:
        """One robots.txt request per host per run, however many workers ask at once."""
        with self._lock:
            rules = self._robots.get(origin)
            loading = self._robots_locks.setdefault(origin, threading.Lock())
        if rules is not None:
            return rules
        with loading:
            with self._lock:
                rules = self._robots.get(origin)
            if rules is None:
                rules = load()
                with self._lock:
                    self._robots[origin] = rules
        return rules

    # -- addresses ---------------------------------------------------------------

    def public(self, host: str, check: Callable[[str], bool] = is_public) -> bool:
        with self._lock:
            known = self._public.get(host)
        if known is None:
            known = check(host)
            with self._lock:
                self._public[host] = known
        return known

    # -- one fetch per URL -------------------------------------------------------

    def once(self, url: str, kind: str, fetch: Callable[[], Page]) -> Page:
        """``fetch`` for the first asker of (``url``, ``kind``) in this run; every later
        asker (another source, another worker) gets that same answer or error."""
        key = (url, kind)
        with self._lock:
            flight = self._flights.get(key)
            first = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not first:
            flight.done.wait()
            if isinstance(flight.result, SyndicateError):
                raise flight.result
            # Not kept (over the budget, or the first asker met a bug): ask again.
            return flight.result if flight.result is not None else fetch()
        try:
            page = fetch()
        except SyndicateError as exc:
            flight.result = exc
            flight.done.set()
            raise
        except BaseException:
            with self._lock:
                self._flights.pop(key, None)
            flight.done.set()
            raise
        with self._lock:
            if self._kept_bytes + len(page.text) <= SHARED_PAGES_BUDGET:
                self._kept_bytes += len(page.text)
                flight.result = page
        flight.done.set()
        return page
