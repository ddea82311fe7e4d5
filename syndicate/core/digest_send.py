"""The delivery loop: one row at a time through pending → sending → sent | failed.

Each delivery is marked ``sending`` *before* the transport is called and ``sent``
right after, so a crash leaves at most the in-flight rows in ``sending``. Those are
resolved against the transport before anything is sent again (see
``syndicate.deliver`` for what "resolved" means for Maildir and SMTP).

Temporary failures (4xx, time-outs, the relay down) put the row back to ``pending``
for the next run, until ``delivery.max_attempts``; a permanent one (5xx) fails the
row and counts a bounce, which marks the subscriber ``bounced`` at the newsletter's
``bounce_limit``. When the relay fails many times in a row the run stops early
rather than walk the whole list into the same wall.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from ..clock import Clock
from ..config.newsletters import Newsletter
from ..deliver import MailMessage, Transport
from ..errors import DeliveryError, PermanentDeliveryError
from ..store import Store
from ..store.digests import Delivery
from ..types import ItemResult, Outcome, Subscriber

log = logging.getLogger("syndicate.digest")

TEMPORARY_STREAK_LIMIT = 10


@dataclass(frozen=True)
class Job:
    delivery: Delivery
    subscriber: Subscriber | None  # None: removed since the issue was queued
    message: MailMessage | None  # None: not active any more, or nothing for them now


@dataclass(frozen=True)
class _Done:
    item: ItemResult
    kind: str  # sent, recovered, skipped, bounced, temporary, gave_up


class SendLoop:
    def __init__(
        self,
        store: Store,
        transport: Transport,
        clock: Clock,
        newsletter: Newsletter,
        *,
        max_attempts: int,
    ) -> None:
        self.store, self.transport, self.clock = store, transport, clock
        self.newsletter = newsletter
        self.max_attempts = max_attempts
        self.items: list[ItemResult] = []
        self.counters: dict[str, int] = {}
        self._streak = 0

    def run(self, jobs: Iterable[Job]) -> bool:
        """Deliver ``jobs``; False when the run stopped early (relay failing every time)."""
        width = max(1, self.transport.concurrency)
        if width == 1:
            for job in jobs:
                if not self._record(self._one(job)):
                    return False
            return True
        window: deque[Future[_Done]] = deque()
        going = True
        with ThreadPoolExecutor(max_workers=width, thread_name_prefix="syndicate-send") as pool:
            for job in jobs:
                window.append(pool.submit(self._one, job))
                if len(window) >= 2 * width:  # bounded: messages are never all in memory
                    going = self._record(window.popleft().result())
                    if not going:
                        break
            while window:
                going = self._record(window.popleft().result()) and going
        return going

    def _record(self, done: _Done) -> bool:
        self.items.append(done.item)
        self.counters[done.kind] = self.counters.get(done.kind, 0) + 1
        if done.kind == "temporary":
            self._streak += 1
        elif done.kind in ("sent", "recovered", "bounced"):
            self._streak = 0
        if self._streak >= TEMPORARY_STREAK_LIMIT:
            self.items.append(ItemResult(
                self.newsletter.id, Outcome.FAILED,
                f"{self._streak} temporary failures in a row: stopped; "
                "the remaining deliveries stay queued for the next run",
            ))
            return False
        return True

    def _state(self, delivery: Delivery, state: str, *, error: str | None = None,
               attempt: bool = False) -> None:
        self.store.digests.set_delivery_state(
            delivery.issue_id, delivery.subscriber_id, state, self.clock(),
            error=error, count_attempt=attempt,
        )

    def _one(self, job: Job) -> _Done:
        delivery = job.delivery
        key = job.subscriber.email if job.subscriber else f"subscriber #{delivery.subscriber_id}"
        if job.subscriber is None or job.message is None:
            reason = "no longer subscribed, or nothing new for them in this issue"
            self._state(delivery, "failed", error=f"skipped: {reason}")
            return _Done(ItemResult(key, Outcome.SKIPPED, reason), "skipped")
        if delivery.state == "sending" and self.transport.already_delivered(delivery.message_id):
            # The crash hit between the hand-over and recording it: it did leave.
            self._state(delivery, "sent")
            return _Done(ItemResult(key, Outcome.SENT, "found delivered after a crash"),
                         "recovered")
        if delivery.attempts >= self.max_attempts:
            reason = f"gave up after {delivery.attempts} attempts: {delivery.error or ''}"
            self._state(delivery, "failed", error=reason)
            return _Done(ItemResult(key, Outcome.FAILED, reason), "gave_up")
        self._state(delivery, "sending", attempt=True)
        try:
            self.transport.send(job.message)
        except PermanentDeliveryError as exc:
            self._state(delivery, "failed", error=exc.reason)
            bounces = self.store.subscribers.record_bounce(
                delivery.subscriber_id, bounce_limit=self.newsletter.bounce_limit,
                now=self.clock(),
            )
            log.warning("%s bounced (%d/%d): %s", key, bounces, self.newsletter.bounce_limit,
                        exc.reason)
            return _Done(ItemResult(key, Outcome.FAILED, f"bounced: {exc.reason}"), "bounced")
        except DeliveryError as exc:
            self._state(delivery, "pending", error=exc.reason)
            return _Done(
                ItemResult(key, Outcome.FAILED, f"temporary: {exc.reason} (retried next run)"),
                "temporary",
            )
        self._state(delivery, "sent")
        return _Done(ItemResult(key, Outcome.SENT), "sent")
