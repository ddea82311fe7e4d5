"""A thread-safe pacer: at most ``rate_per_s`` hand-overs a second, across threads."""

from __future__ import annotations

import threading
import time


class Pacer:
    def __init__(self, rate_per_s: float | None) -> None:
        self._interval = 0.0 if not rate_per_s else 1.0 / rate_per_s
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until the next slot is due (returns at once when unpaced)."""
        delay = self.reserve()
        if delay > 0:
            time.sleep(delay)

    def reserve(self) -> float:
        """Take the next slot; how long to wait for it (an event loop sleeps it itself)."""
        if self._interval == 0.0:
            return 0.0
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self._interval
        return slot - now
