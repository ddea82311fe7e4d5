"""The delivery loop: one claimed batch at a time, settled in one commit.

The caller claims a batch of deliveries (``store.digests.claim_batch``: ``sending``,
owned by this run, leased) and hands it here with each subscriber's message built.
Rows that were already ``sending`` when claimed are in doubt (a sender died after
claiming them) and are resolved against the transport first. The rest are handed
over, and the whole batch is settled in one commit: two commits per batch, and a
crash leaves at most that batch in doubt (resent with the same Message-ID over SMTP;
found in the outbox with Maildir).

Who is at fault decides what a failure costs:

* the **recipient**, permanently (``PermanentDeliveryError``): the row fails and the
  subscriber's bounce count goes up (``bounce_limit`` marks them ``bounced``);
* the **recipient**, for now (``DeliveryError``): the row goes back to ``pending``
  with a retry time from ``RETRY_DELAYS``, until ``delivery.max_attempts``;
* the **relay** (``RelayError``), or the same refusal for many recipients in a row:
  counted against nobody, the attempt undone, and the run stops (``send_breaker``).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import timedelta

from ..clock import Clock
from ..config.newsletters import Newsletter
from ..deliver import MailMessage, NotAttempted, Transport
from ..errors import DeliveryError, PermanentDeliveryError, RelayError
from ..progress import NO_PROGRESS, Progress
from ..store import Store
from ..store.deliveries import Delivery, Settled
from ..types import ItemResult, Outcome, Subscriber
from .send_breaker import Breaker, alike_is_relay, signature

log = logging.getLogger("syndicate.digest")

# After the Nth temporary failure of a recipient, wait RETRY_DELAYS[N-1] (the last one
# repeats) before trying again; delivery.max_attempts bounds the number of tries.
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
                timedelta(hours=6), timedelta(hours=12))
RELAY_PAUSE = timedelta(minutes=1)  # a message the relay failed waits this long, unattempted


@dataclass(frozen=True)
class Job:
    delivery: Delivery
    subscriber: Subscriber | None  # None: removed since the issue was queued
    message: MailMessage | None  # None: not active any more, nothing for them, or unbuildable
    problem: str | None = None  # why the message could not be built

    @property
    def key(self) -> str:
        return self.subscriber.email if self.subscriber else f"subscriber #{self.delivery.subscriber_id}"


@dataclass(frozen=True)
class _Held:
    """A refusal held back: it may be part of a relay refusing everyone alike."""

    job: Job
    error: PermanentDeliveryError


@dataclass(frozen=True)
class Flight:
    """A claimed batch whose messages are being handed over."""

    issue_id: int
    outcomes: list[Settled]  # settled without a hand-over (skipped, recovered, …)
    to_send: list[Job]
    results: Future[list[DeliveryError | None]] | None


def retry_delay(attempts: int) -> timedelta:
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


class SendLoop:
    def __init__(
        self,
        store: Store,
        transport: Transport,
        clock: Clock,
        newsletter: Newsletter,
        *,
        owner: str,
        max_attempts: int,
        progress: Progress = NO_PROGRESS,
        task: str = "",
    ) -> None:
        self.store, self.transport, self.clock = store, transport, clock
        self.newsletter, self.owner, self.max_attempts = newsletter, owner, max_attempts
        self.progress, self.task = progress, task  # one unit per message settled
        self.items: list[ItemResult] = []
        self.counters: dict[str, int] = {}
        self.stopped: str | None = None  # why the run stopped early
        self._breaker = Breaker()
        self._held: list[_Held] = []
        self._issue_id = 0  # of the batch being sent
        self._alike: str | None = None  # the refusal found to be the relay's, once found
        self._stop = threading.Event()

    # -- one claimed batch --------------------------------------------------------

    def start(self, issue_id: int, jobs: list[Job]) -> Flight:
        """Settle what needs no hand-over and start handing the rest over (no wait)."""
        outcomes: list[Settled] = []
        to_send: list[Job] = []
        for job in jobs:
            settled = self._settled_without_sending(job)
            if settled is None:
                to_send.append(job)
            else:
                outcomes.append(settled)
        messages = [j.message for j in to_send if j.message is not None]
        return Flight(issue_id, outcomes, to_send,
                      self.transport.send_batch(messages, self._stop) if messages else None)

    def finish(self, flight: Flight) -> bool:
        """Wait for a batch's hand-overs, judge them, settle it in one commit.

        False: the run must stop (the reason is in ``stopped``).
        """
        self._issue_id = flight.issue_id
        results = flight.results.result() if flight.results is not None else []
        bounced: list[tuple[Job, PermanentDeliveryError]] = []
        outcomes = list(flight.outcomes)
        for job, error in zip(flight.to_send, results, strict=True):
            outcomes.extend(self._judge(job, error, bounced))
        self.store.digests.settle(flight.issue_id, self.owner, outcomes, self.clock())
        self._record_bounces(bounced)
        self.progress.advance(self.task, len(outcomes))
        return self.stopped is None

    def send(self, issue_id: int, jobs: list[Job]) -> bool:
        """``start`` then ``finish``: one batch, nothing overlapped."""
        return self.finish(self.start(issue_id, jobs))

    def close(self) -> None:
        """Settle refusals still held back (a streak too short to blame the relay)."""
        self._release_held(as_bounces=True)

    def _settled_without_sending(self, job: Job) -> Settled | None:
        delivery, sid = job.delivery, job.delivery.subscriber_id
        if job.problem is not None:
            self._done(job, Outcome.FAILED, f"message not built: {job.problem}", "unbuildable")
            return Settled(sid, "failed", f"message not built: {job.problem}", attempted=False)
        if job.subscriber is None or job.message is None:
            reason = "no longer subscribed, or nothing new for them in this issue"
            self._done(job, Outcome.SKIPPED, reason, "skipped")
            return Settled(sid, "failed", f"skipped: {reason}", attempted=False)
        if delivery.state == "sending" and self.transport.already_delivered(delivery.message_id):
            # A sender died between the hand-over and recording it: it did leave.
            self._done(job, Outcome.SENT, "found delivered after a crash", "recovered")
            return Settled(sid, "sent", attempted=False)
        if delivery.attempts >= self.max_attempts:
            reason = f"gave up after {delivery.attempts} attempts: {delivery.error or ''}"
            self._done(job, Outcome.FAILED, reason, "gave_up")
            return Settled(sid, "failed", reason, attempted=False)
        return None

    # -- verdicts -------------------------------------------------------------------

    def _judge(
        self, job: Job, error: DeliveryError | None,
        bounced: list[tuple[Job, PermanentDeliveryError]],
    ) -> list[Settled]:
        sid = job.delivery.subscriber_id
        if isinstance(error, NotAttempted):
            return [Settled(sid, "pending", job.delivery.error, attempted=False)]
        if isinstance(error, RelayError):
            self._halt(self._breaker.relay_failed(error.reason, permanent=error.permanent))
            self._done(job, Outcome.FAILED, f"relay: {error.reason} (counted against nobody)",
                       "relay")
            # Not this run again (a relay failing for one message only must not loop).
            return [Settled(sid, "pending", error.reason, attempted=False,
                            retry_at=self.clock() + RELAY_PAUSE)]
        if isinstance(error, PermanentDeliveryError):
            return self._refused(job, error, bounced)
        released = self._release_held(as_bounces=True, into=bounced)
        if isinstance(error, DeliveryError):
            if job.delivery.attempts == 0:  # a retry says nothing new about the relay
                self._halt(self._breaker.recipient_failed())
            return released + [self._temporary(job, error)]
        self._breaker.delivered()
        self._done(job, Outcome.SENT, "", "sent")
        return released + [Settled(sid, "sent")]

    def _temporary(self, job: Job, error: DeliveryError) -> Settled:
        sid, attempts = job.delivery.subscriber_id, job.delivery.attempts + 1
        if attempts >= self.max_attempts:
            reason = f"gave up after {attempts} attempts: {error.reason}"
            self._done(job, Outcome.FAILED, reason, "gave_up")
            return Settled(sid, "failed", reason)
        retry_at = self.clock() + retry_delay(attempts)
        self._done(job, Outcome.FAILED,
                   f"temporary: {error.reason} (retried after {retry_at:%Y-%m-%d %H:%M} UTC)",
                   "temporary")
        return Settled(sid, "pending", error.reason, retry_at=retry_at)

    def _refused(
        self, job: Job, error: PermanentDeliveryError,
        bounced: list[tuple[Job, PermanentDeliveryError]],
    ) -> list[Settled]:
        """Hold a refusal while the same reply keeps coming for other recipients."""
        if self._alike is not None and signature(error.reason) == self._alike:
            # Still in flight when the relay was found refusing everyone alike.
            self._done(job, Outcome.FAILED, f"relay: {error.reason} (counted against nobody)",
                       "relay")
            return [Settled(job.delivery.subscriber_id, "pending", error.reason,
                            attempted=False, retry_at=self.clock() + RELAY_PAUSE)]
        released: list[Settled] = []
        if self._held and signature(self._held[0].error.reason) != signature(error.reason):
            released = self._release_held(as_bounces=True, into=bounced)
        self._held.append(_Held(job, error))
        domains = {h.job.message.recipient.rpartition("@")[2] for h in self._held
                   if h.job.message is not None}
        if alike_is_relay(domains, len(self._held)):
            count = len(self._held)
            self._alike = signature(error.reason)
            self._halt(f"relay failure, stopped: {count} different recipients in a row refused "
                       f"alike ({error.reason})")
            released += self._release_held(as_bounces=False)
        return released

    def _release_held(
        self, *, as_bounces: bool,
        into: list[tuple[Job, PermanentDeliveryError]] | None = None,
    ) -> list[Settled]:
        """Held refusals become bounces, or (the relay's fault) go back to pending.

        Held rows may belong to an earlier batch (or issue): those are settled here, and
        only this batch's are returned to be settled with it.
        """
        held, self._held = self._held, []
        mine: list[Settled] = []
        elsewhere: dict[int, list[Settled]] = {}
        later: list[tuple[Job, PermanentDeliveryError]] = []
        for h in held:
            sid = h.job.delivery.subscriber_id
            if as_bounces:
                self._breaker.recipient_failed()
                self._done(h.job, Outcome.FAILED, f"bounced: {h.error.reason}", "bounced")
                settled = Settled(sid, "failed", h.error.reason)
                later.append((h.job, h.error))
            else:
                self._done(h.job, Outcome.FAILED,
                           f"relay: {h.error.reason} (counted against nobody)", "relay")
                settled = Settled(sid, "pending", h.error.reason, attempted=False,
                                  retry_at=self.clock() + RELAY_PAUSE)
            elsewhere.setdefault(h.job.delivery.issue_id, []).append(settled)
        if into is not None:
            # The caller settles the batch being sent: the rows of its issue go with it.
            mine = elsewhere.pop(self._issue_id, [])
            into.extend(later)
        for issue_id, settled_rows in elsewhere.items():
            self.store.digests.settle(issue_id, self.owner, settled_rows, self.clock())
        if into is None:
            self._record_bounces(later)
        return mine

    def _record_bounces(self, bounced: list[tuple[Job, PermanentDeliveryError]]) -> None:
        for job, error in bounced:
            count = self.store.subscribers.record_bounce(
                job.delivery.subscriber_id, bounce_limit=self.newsletter.bounce_limit,
                now=self.clock())
            log.warning("%s bounced (%d/%d): %s", job.key, count, self.newsletter.bounce_limit,
                        error.reason)

    def _halt(self, reason: str | None) -> None:
        if reason is not None and self.stopped is None:
            self.stopped = reason
            self._stop.set()
            log.error("%s: %s", self.newsletter.id, reason)

    def _done(self, job: Job, outcome: Outcome, reason: str, kind: str) -> None:
        self.items.append(ItemResult(job.key, outcome, reason))
        self.counters[kind] = self.counters.get(kind, 0) + 1
