"""Queue and send one issue: plan a row per due subscriber, then claim, build and send.

``DigestSender`` plans the deliveries of an issue (``queue``) and sends them in claimed
batches, two in flight (``send``); each subscriber's message is built from its segment's
render, encoded once and patched per subscriber. ``DigestRun`` gathers what one run
did. Split from ``core/digest.py``, which decides what to queue and send.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..clock import Clock
from ..config import Config
from ..config.newsletters import Newsletter
from ..deliver import Transport
from ..deliver.message import (
    BodyTemplate,
    MailMessage,
    MessageFactory,
    list_id,
    message_id,
    parse_sender,
)
from ..errors import DeliveryError
from ..progress import NO_PROGRESS, Progress
from ..render.digest import SegmentRenderer, templates_dirs
from ..render.digest_model import DigestContent, SubscriberTokens
from ..render.digest_segment import RenderedSegment
from ..store import Store
from ..store.deliveries import Delivery
from ..subscribers.tokens import TokenSigner, preferences_link, signed_link, signer_for
from ..types import (
    DigestIssue,
    ItemResult,
    Outcome,
    StepResult,
    Subscriber,
    SubscriberStatus,
)
from .claims import LEASE, new_owner, release_dead_owners, wall_now
from .digest_contents import Contents
from .digest_send import Flight, Job, SendLoop

log = logging.getLogger("syndicate.digest")

PLAN_BATCH = 1000
CLAIM_BATCH = 64  # deliveries claimed, sent and settled together: the crash window


@dataclass
class DigestRun:
    """What one digest or worker run did: its items and counters."""

    items: list[ItemResult] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, value: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + value

    def result(self, step: str) -> StepResult:
        return StepResult(step, tuple(self.items), tuple(sorted(self.counters.items())))


def _warn_if_one_click_is_ignored(base_url: str) -> None:
    """RFC 8058 one-click needs an https URL: Gmail and Yahoo ignore http ones."""
    parts = urlsplit(base_url)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not local:
        log.warning(
            "site.base_url %s is not https: mail providers ignore one-click unsubscribe "
            "links over http", base_url,
        )


class DigestSender:
    def __init__(
        self,
        config: Config,
        store: Store,
        newsletter: Newsletter,
        transport: Transport,
        clock: Clock,
        run: DigestRun,
        *,
        progress: Progress = NO_PROGRESS,
        task: str = "",
        stop: threading.Event | None = None,
    ) -> None:
        self.config, self.store, self.newsletter = config, store, newsletter
        self.stop = stop  # set (a worker's SIGTERM): claim no further batch
        self.transport, self.clock, self.run = transport, clock, run
        self.signer: TokenSigner = signer_for(config)
        self.sender_address = parse_sender(newsletter.sender)
        _warn_if_one_click_is_ignored(config.site.base_url)
        self.renderer = SegmentRenderer(
            templates_dirs(config), template=newsletter.template, transfer_encoding="base64"
        )
        self.progress, self.task = progress, task
        self.to_send = 0  # messages left to settle, over every issue of this run
        self.claimed = 0  # deliveries this run claimed (a worker stops when a pass takes none)
        self.owner = new_owner()
        self.loop = SendLoop(store, transport, clock, newsletter, owner=self.owner,
                             max_attempts=config.delivery.max_attempts,
                             progress=progress, task=task)
        self._contents_of: dict[int, Contents] = {}
        self._encoded: dict[str, tuple[RenderedSegment, BodyTemplate, BodyTemplate]] = {}
        self._segments: dict[int, tuple[DigestContent, RenderedSegment]] = {}
        self._claimed_up_to: int | None = None  # the last subscriber id this pass claimed

    def _contents(self, issue: DigestIssue) -> Contents:
        assert issue.id is not None
        found = self._contents_of.get(issue.id)
        if found is None:
            found = self._contents_of[issue.id] = Contents(
                self.config, self.store, self.newsletter, issue)
        return found

    def queue(self, issue: DigestIssue) -> None:
        """Plan one pending row per due subscriber, then advance the cut-off.

        Two senders may plan the same issue at once: rows are inserted only when absent.
        """
        planned = self._plan(issue, self._contents(issue))
        self.store.digests.mark_queued(issue)
        self.run.add("queued", planned)

    def send(self, issue: DigestIssue) -> bool:
        """Claim and send ``issue``'s deliveries nobody holds; False if the run must stop."""
        assert issue.id is not None
        contents = self._contents(issue)
        digests = self.store.digests
        release_dead_owners(self.store, issue.id, self.owner)
        counts = digests.delivery_counts(issue.id)
        self.to_send += counts.get("pending", 0) + counts.get("sending", 0)
        self.progress.start(self.task, self.to_send)
        try:
            if not self._send_claimed(issue, contents):
                assert self.loop.stopped is not None
                self.run.items.append(ItemResult(
                    self.newsletter.id, Outcome.FAILED,
                    f"{self.loop.stopped}; the remaining deliveries stay queued "
                    "for the next run"))
                return False
        except BaseException:
            # Whatever we held may or may not have left: let the next run resolve it now
            # rather than wait for the lease.
            digests.end_lease(issue.id, self.owner)
            raise
        held = {o: n for o, n in digests.holders(issue.id, wall_now()).items() if o != self.owner}
        if held:
            self.run.add("held_elsewhere", sum(held.values()))
            self.run.items.append(ItemResult(
                self.newsletter.id, Outcome.SKIPPED,
                f"issue {issue.number}: {sum(held.values())} deliveries are being sent by "
                f"another run ({', '.join(sorted(held))}); left to it"))
        self.run.add("segments", self.renderer.renders)
        self.renderer.renders = 0
        return True

    def _send_claimed(self, issue: DigestIssue, contents: Contents) -> bool:
        """Claim, build and hand over batch after batch, two in flight.

        While the transport hands batch k over, batch k+1 is claimed, built and
        handed over too; then batch k is judged and settled. The connections never
        wait for the database or for message building, and at most two claimed
        batches are in doubt after a crash.
        """
        assert issue.id is not None
        in_flight: Flight | None = None
        self._claimed_up_to = None
        while True:
            flight = self._start_next(issue, contents)
            if in_flight is not None:
                self.loop.finish(in_flight)
                self._collect()
                if flight is None:
                    # Claimed before that batch was settled: it may have put rows back
                    # (not tried when the relay failed): look once more.
                    flight = self._start_next(issue, contents)
            if flight is None:
                return self.loop.stopped is None
            in_flight = flight

    def _start_next(self, issue: DigestIssue, contents: Contents) -> Flight | None:
        assert issue.id is not None
        if self.loop.stopped is not None or (self.stop is not None and self.stop.is_set()):
            return None
        batch = self.store.digests.claim_batch(
            issue.id, self.owner, CLAIM_BATCH, lease_until=wall_now() + LEASE,
            now=self.clock(), lease_now=wall_now(), after=self._claimed_up_to)
        if not batch and self._claimed_up_to is not None:
            # The end of the issue: once more from its start, for rows put back
            # meanwhile (not tried, a lease that ran out).
            self._claimed_up_to = None
            return self._start_next(issue, contents)
        if not batch:
            return None
        self._claimed_up_to = batch[-1].subscriber_id
        self.claimed += len(batch)
        subscribers = self.store.subscribers.get_many(d.subscriber_id for d in batch)
        return self.loop.start(issue.id, list(self._jobs(issue, contents, batch, subscribers)))

    def close(self) -> None:
        self.loop.close()
        self._collect()

    def _collect(self) -> None:
        self.run.items.extend(self.loop.items)
        self.loop.items.clear()
        for name, value in self.loop.counters.items():
            self.run.add(name, value)
        self.loop.counters.clear()

    def _plan(self, issue: DigestIssue, contents: Contents) -> int:
        assert issue.id is not None
        planned, batch = 0, []
        domain = self.sender_address.domain
        for subscriber in self.store.subscribers.iter_active(self.newsletter.id, PLAN_BATCH):
            if contents.for_subscriber(subscriber) is None:
                continue
            assert subscriber.id is not None
            batch.append((subscriber.id, message_id(
                "digest", self.newsletter.id, issue.number, subscriber.id, domain=domain)))
            if len(batch) >= PLAN_BATCH:
                planned += self.store.digests.add_deliveries(issue.id, batch, self.clock())
                batch = []
        if batch:
            planned += self.store.digests.add_deliveries(issue.id, batch, self.clock())
        return planned

    def _jobs(
        self,
        issue: DigestIssue,
        contents: Contents,
        batch: list[Delivery],
        subscribers: dict[int, Subscriber],
    ) -> Iterator[Job]:
        factory = self._factory(issue)
        for delivery in batch:
            subscriber = subscribers.get(delivery.subscriber_id)
            content = None
            if subscriber is not None and subscriber.status is SubscriberStatus.ACTIVE:
                content = contents.for_subscriber(subscriber)
            if subscriber is None or content is None:
                yield Job(delivery, subscriber, None)
                continue
            # Outside the per-subscriber handling: a template that does not render is
            # the operator's to fix and fails the job, as before.
            segment = self._segment(content)
            try:
                message = self._message(factory, issue, subscriber, segment, delivery.message_id)
            except Exception as exc:  # one subscriber never stops the issue
                log.warning("%s: message not built", subscriber.email, exc_info=True)
                yield Job(delivery, subscriber, None, problem=_problem(exc))
            else:
                yield Job(delivery, subscriber, message)

    def _factory(self, issue: DigestIssue) -> MessageFactory:
        return MessageFactory(
            sender=self.newsletter.sender,
            date=issue.created_at,
            reply_to=self.newsletter.reply_to,
            list_id=list_id(self.newsletter.id, self.sender_address),
            list_title=self.newsletter.title,
            unsubscribe_mailto=self.config.delivery.unsubscribe_mailto,
        )

    def _message(
        self,
        factory: MessageFactory,
        issue: DigestIssue,
        subscriber: Subscriber,
        segment: RenderedSegment,
        mid: str,
    ) -> MailMessage:
        assert subscriber.id is not None
        unsubscribe = signed_link(
            self.signer, self.config.site.base_url, "unsubscribe",
            subscriber_id=subscriber.id, email=subscriber.email,
            newsletter=self.newsletter.id, issued=issue.created_at,
        )
        token, unsubscribe_url = unsubscribe.token, unsubscribe.url
        html_values, text_values = segment.values(
            SubscriberTokens(unsubscribe_url=unsubscribe_url, name=subscriber.name,
                             email=subscriber.email,
                             preferences_url=preferences_link(
                                 self.signer, self.config.site.base_url, subscriber,
                                 issue.created_at))
        )
        html_body, text_body = self._bodies(segment)
        return factory.build_encoded(
            to=subscriber.email,
            to_name=subscriber.name,
            subject=segment.subject,
            text_body=text_body.fill(text_values),
            html_body=html_body.fill(html_values),
            message_id=mid,
            unsubscribe_url=unsubscribe_url,
            unsubscribe_token=token,
        )

    def _segment(self, content: DigestContent) -> RenderedSegment:
        # Contents hands out one DigestContent object per segment: looking it up by
        # identity spares hashing its nested columns for every subscriber.
        found = self._segments.get(id(content))
        if found is None or found[0] is not content:
            if len(self._segments) >= 256:
                self._segments.clear()
            found = self._segments[id(content)] = (content, self.renderer.segment(content))
        return found[1]

    def _bodies(self, segment: RenderedSegment) -> tuple[BodyTemplate, BodyTemplate]:
        """The segment's bodies encoded once (~90 KB of base64), patched per subscriber."""
        found = self._encoded.get(segment.key)
        if found is None or found[0] is not segment:
            if len(self._encoded) >= 256:
                self._encoded.clear()
            found = self._encoded[segment.key] = (
                segment, BodyTemplate(segment.html_parts), BodyTemplate(segment.text_parts))
        return found[1], found[2]


def _problem(exc: Exception) -> str:
    if isinstance(exc, DeliveryError):
        return exc.reason
    return f"{type(exc).__name__}: {exc}"
