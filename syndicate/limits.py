"""Rate limits, once: the pacing every outgoing stream shares (SMTP relay, Maildir
writes, requests to one web host).

``Pacer`` spaces starts at least ``interval`` seconds apart across threads and can be
paused (a ``Retry-After``). ``HostGate`` adds a concurrency limit and the adaptive part
a throttling web host needs: each 429/503 pauses the whole host and widens the spacing,
successes narrow it again slowly, and a run of throttles in a row gives the host up.
The clock and the sleep are injected so tests can pin time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

Sleep = Callable[[float], None]
Monotonic = Callable[[], float]


class Pacer:
    """At most one start per ``interval`` seconds, across threads."""

    def __init__(self, rate_per_s: float | None = None, *, interval: float | None = None,
                 sleep: Sleep = time.sleep, monotonic: Monotonic = time.monotonic) -> None:
        if interval is None:
            interval = 0.0 if not rate_per_s else 1.0 / rate_per_s
        self.interval = interval
        self._next = 0.0
        self._lock = threading.Lock()
        self._sleep = sleep
        self._monotonic = monotonic

    def wait(self) -> None:
        """Block until the next slot is due (at once when unpaced and not paused)."""
        delay = self.reserve()
        if delay > 0:
            self._sleep(delay)

    def reserve(self) -> float:
        """Take the next slot; how long to wait for it (an event loop sleeps it itself)."""
        with self._lock:
            now = self._monotonic()
            if self.interval == 0.0 and self._next <= now:
                return 0.0
            slot = max(now, self._next)
            self._next = slot + self.interval
        return slot - now

    def pause(self, seconds: float) -> None:
        """No start before ``seconds`` from now (a server's Retry-After)."""
        with self._lock:
            self._next = max(self._next, self._monotonic() + seconds)


class HostGate:
    """One web host's politeness, shared by every source that fetches from it.

    At most ``limit`` requests in flight, starts at least ``delay`` apart. A throttle
    (429, 503) pauses every request to the host for the server's ``Retry-After`` (or
    the current spacing) and doubles the spacing, up to ``max_delay``; after
    ``narrow_after`` successes in a row the spacing shrinks by a tenth, never below the
    configured ``delay``. ``max_throttles`` throttles in a row give the host up for the
    run (``given_up``): its remaining pages wait for the next run.
    """

    def __init__(self, limit: int, delay: float, *, sleep: Sleep = time.sleep,
                 monotonic: Monotonic = time.monotonic, max_delay: float = 60.0,
                 max_throttles: int = 8, narrow_after: int = 10) -> None:
        self.limit = limit
        self.base_delay = delay
        self.max_delay = max_delay
        self.max_throttles = max_throttles
        self.narrow_after = narrow_after
        self.pacer = Pacer(interval=delay, sleep=sleep, monotonic=monotonic)
        self.throttles = 0  # in a row
        self.throttled_total = 0
        self.given_up = False
        self._busy = 0
        self._successes = 0
        self._slowed_at = -1.0  # when the last throttle widened the spacing
        self._monotonic = monotonic
        self._cond = threading.Condition()

    @property
    def delay(self) -> float:
        return self.pacer.interval

    def tighten(self, limit: int, delay: float) -> None:
        """Another source asks for more politeness toward this host: the stricter wins."""
        with self._cond:
            self.limit = min(self.limit, limit)
            if delay > self.base_delay:
                self.base_delay = delay
                self.pacer.interval = max(self.pacer.interval, delay)

    def __enter__(self) -> float:
        """Wait for a slot and the pace; returns when the request starts (monotonic)."""
        with self._cond:
            while self._busy >= self.limit:
                self._cond.wait()
            self._busy += 1
        try:
            self.pacer.wait()
        except BaseException:
            self.__exit__()
            raise
        return self._monotonic()

    def __exit__(self, *_exc: object) -> None:
        with self._cond:
            self._busy -= 1
            self._cond.notify()

    def throttled(self, retry_after: float | None, sent_at: float | None = None) -> bool:
        """The host said slow down (to a request started at ``sent_at``). True when it
        is now given up for this run. Answers to requests sent before the last slowing
        down belong to the burst already slowed for: they neither widen nor count."""
        with self._cond:
            if sent_at is not None and sent_at < self._slowed_at:
                return self.given_up
            self._slowed_at = self._monotonic()
            self.throttles += 1
            self.throttled_total += 1
            self._successes = 0
            widened = max(self.pacer.interval * 2, self.base_delay, retry_after or 0.0, 0.25)
            self.pacer.interval = min(widened, self.max_delay)
            self.pacer.pause(min(retry_after if retry_after is not None
                                 else self.pacer.interval, self.max_delay))
            if self.throttles >= self.max_throttles:
                self.given_up = True
            return self.given_up

    def succeeded(self) -> None:
        with self._cond:
            self.throttles = 0
            self._successes += 1
            if self._successes >= self.narrow_after and self.pacer.interval > self.base_delay:
                self._successes = 0
                self.pacer.interval = max(self.base_delay, self.pacer.interval * 0.9)
