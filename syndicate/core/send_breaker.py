"""When failures are the relay's, not the recipients': the send loop's circuit breaker.

Three rules, each cheap and each about a pattern no single reply shows:

* **Relay failures** (``RelayError``: our login, our MAIL FROM or relaying refused,
  the relay unreachable after the transport's own retries): a permanent one stops
  the run at once; ``RELAY_STREAK`` temporary ones in a row stop it too.
* **The same refusal for many different recipients** in a row (``ALIKE_LIMIT`` of
  them, at ``ALIKE_DOMAINS`` or more domains: one domain's dead addresses may well
  be listed together) is a relay answering everyone alike, whatever its code says.
  Those refusals are held back and counted against nobody.
* **A ratio, not a streak**: when at least ``RATIO_MIN`` of the last ``WINDOW``
  recipient outcomes are in and ``RATIO_LIMIT`` of them failed, the run stops. A
  bounce does not reset it, so a relay alternating bounces and 4xx still trips it.
  Only first attempts count: a retry of a recipient known to be failing (a full
  mailbox for days) says nothing new about the relay.
"""

from __future__ import annotations

import re
from collections import deque

WINDOW = 200
RATIO_MIN = 50  # a sorted list may well start with a run of dead addresses
RATIO_LIMIT = 0.5
RELAY_STREAK = 3
ALIKE_LIMIT = 10
ALIKE_DOMAINS = 3

_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>]+>?")


def signature(reason: str) -> str:
    """A reply with the recipient's address taken out: alike for every recipient."""
    return " ".join(_ADDRESS.sub("<>", reason).lower().split())


class Breaker:
    def __init__(self) -> None:
        self._window: deque[bool] = deque(maxlen=WINDOW)  # True: the recipient failed
        self._relay_streak = 0

    def delivered(self) -> None:
        self._window.append(False)
        self._relay_streak = 0

    def recipient_failed(self) -> str | None:
        """Count a recipient's refusal; the reason to stop, if the ratio is reached."""
        self._window.append(True)
        self._relay_streak = 0
        failed = sum(self._window)
        if len(self._window) >= RATIO_MIN and failed >= RATIO_LIMIT * len(self._window):
            return (f"{failed} of the last {len(self._window)} deliveries failed: "
                    "stopped (is the relay refusing everyone?)")
        return None

    def relay_failed(self, reason: str, *, permanent: bool) -> str | None:
        self._relay_streak += 1
        if permanent or self._relay_streak >= RELAY_STREAK:
            return f"relay failure, stopped: {reason}"
        return None


def alike_is_relay(domains: set[str], streak: int) -> bool:
    return streak >= ALIKE_LIMIT and len(domains) >= ALIKE_DOMAINS
