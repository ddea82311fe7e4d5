"""The delivery loop: rows go pending → sending → sent | failed, in small chunks.

A chunk of deliveries is marked ``sending`` (one commit) *before* the transport is
called and ``sent`` (one commit) after, so a crash leaves at most one chunk in
``sending``. Those rows are resolved against the transport before anything is
sent again (see ``syndicate.deliver``): a transport that can answer exactly
(Maildir) gets chunks of ``EXACT_CHUNK`` messages, two commits per chunk instead of
two per message; one that cannot (SMTP) gets chunks of one, so a crash can only
ever leave the in-flight messages in doubt.

Temporary failures (4xx, time-outs, the relay down) put the row back to ``pending``
for the next run, until ``delivery.max_attempts``; a permanent one (5xx) fails the
row and counts a bounce, which marks the subscriber ``bounced`` at the newsletter's
``bounce_limit``. When the relay fails many times in a row the run stops early
rather than walk the whole list into the same wall.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from ..clock import Clock
from ..config.newsletters import Newsletter
from ..deliver import MailMessage, Transport
from ..errors import DeliveryError, PermanentDeliveryError
from ..progress import NO_PROGRESS, Progress
from ..store import Store
from ..store.digests import Delivery
from ..types import ItemResult, Outcome, Subscriber

log = logging.getLogger("syndicate.digest")

TEMPORARY_STREAK_LIMIT = 10
EXACT_CHUNK = 64


@dataclass(frozen=True)
class Job:
    delivery: Delivery
    subscriber: Subscriber | None  # None: removed since the issue was queued
    message: MailMessage | None  # None: not active any more, or nothing for them now

    @property
    def key(self) -> str:
        return self.subscriber.email if self.subscriber else f"subscriber #{self.delivery.subscriber_id}"


@dataclass(frozen=True)
class _Done:
    item: ItemResult
    kind: str  # sent, recovered, skipped, bounced, temporary, gave_up


def _chunks(jobs: Iterable[Job], size: int) -> Iterator[list[Job]]:
    chunk: list[Job] = []
    for job in jobs:
        chunk.append(job)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class SendLoop:
    def __init__(
        self,
        store: Store,
        transport: Transport,
        clock: Clock,
        newsletter: Newsletter,
        *,
        max_attempts: int,
        progress: Progress = NO_PROGRESS,
        task: str = "",
    ) -> None:
        self.store, self.transport, self.clock = store, transport, clock
        self.progress, self.task = progress, task  # one unit per message settled
        self.newsletter = newsletter
        self.max_attempts = max_attempts
        self.items: list[ItemResult] = []
        self.counters: dict[str, int] = {}
        self._streak = 0
        self.chunk_size = EXACT_CHUNK if transport.exact_recovery else 1

    def run(self, jobs: Iterable[Job]) -> bool:
        """Deliver ``jobs``; False when the run stopped early (relay failing every time)."""
        width = max(1, self.transport.concurrency)
        chunks = _chunks(jobs, self.chunk_size)
        if width == 1:
            for chunk in chunks:
                if not self._record(self._chunk(chunk)):
                    return False
            return True
        window: deque[Future[list[_Done]]] = deque()
        going = True
        with ThreadPoolExecutor(max_workers=width, thread_name_prefix="syndicate-send") as pool:
            for chunk in chunks:
                window.append(pool.submit(self._chunk, chunk))
                if len(window) >= 2 * width:  # bounded: messages are never all in memory
                    going = self._record(window.popleft().result())
                    if not going:
                        break
            while window:
                going = self._record(window.popleft().result()) and going
        return going

    def _record(self, results: list[_Done]) -> bool:
        self.progress.advance(self.task, len(results))
        for done in results:
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

    def _chunk(self, chunk: list[Job]) -> list[_Done]:
        issue_id = chunk[0].delivery.issue_id
        done: list[_Done] = []
        settled: list[tuple[int, str, str | None]] = []
        to_send: list[Job] = []
        for job in chunk:
            delivery = job.delivery
            if job.subscriber is None or job.message is None:
                reason = "no longer subscribed, or nothing new for them in this issue"
                settled.append((delivery.subscriber_id, "failed", f"skipped: {reason}"))
                done.append(_Done(ItemResult(job.key, Outcome.SKIPPED, reason), "skipped"))
            elif delivery.state == "sending" and self.transport.already_delivered(
                delivery.message_id
            ):
                # The crash hit between the hand-over and recording it: it did leave.
                settled.append((delivery.subscriber_id, "sent", None))
                done.append(_Done(ItemResult(job.key, Outcome.SENT,
                                             "found delivered after a crash"), "recovered"))
            elif delivery.attempts >= self.max_attempts:
                reason = f"gave up after {delivery.attempts} attempts: {delivery.error or ''}"
                settled.append((delivery.subscriber_id, "failed", reason))
                done.append(_Done(ItemResult(job.key, Outcome.FAILED, reason), "gave_up"))
            else:
                to_send.append(job)
        digests = self.store.digests
        digests.set_delivery_states(issue_id, settled, self.clock())
        digests.set_delivery_states(
            issue_id, [(j.delivery.subscriber_id, "sending", None) for j in to_send],
            self.clock(), count_attempt=True,
        )
        after: list[tuple[int, str, str | None]] = []
        for job in to_send:
            assert job.message is not None
            sid = job.delivery.subscriber_id
            try:
                self.transport.send(job.message)
            except PermanentDeliveryError as exc:
                after.append((sid, "failed", exc.reason))
                bounces = self.store.subscribers.record_bounce(
                    sid, bounce_limit=self.newsletter.bounce_limit, now=self.clock()
                )
                log.warning("%s bounced (%d/%d): %s", job.key, bounces,
                            self.newsletter.bounce_limit, exc.reason)
                done.append(_Done(ItemResult(job.key, Outcome.FAILED,
                                             f"bounced: {exc.reason}"), "bounced"))
            except DeliveryError as exc:
                after.append((sid, "pending", exc.reason))
                done.append(_Done(ItemResult(
                    job.key, Outcome.FAILED, f"temporary: {exc.reason} (retried next run)"),
                    "temporary"))
            else:
                after.append((sid, "sent", None))
                done.append(_Done(ItemResult(job.key, Outcome.SENT), "sent"))
        digests.set_delivery_states(issue_id, after, self.clock())
        return done
