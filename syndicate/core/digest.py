"""Send one newsletter's digest: select, queue, render per segment, deliver exactly once.

The steps, each safe to interrupt at any point (``kill -9`` included):

1. Seed subscribers from ``seed_subscribers`` (insert only when absent).
2. Finish what a previous run left: issues not fully queued are planned again
   (existing delivery rows are kept), and every ``pending`` or ``sending`` delivery
   of any issue is sent. ``sending`` means "the transport may have it": the
   transport is asked (``already_delivered``) before anything is sent again.
3. Select the columns first collected after the newsletter's cut-off (its sources,
   its authors, at most ``max_items``). Nothing new, no issue.
4. Create the issue, plan one ``pending`` row per due subscriber with a stable
   Message-ID, then ``mark_queued``: only now does the cut-off advance, so a crash
   while planning re-plans the same issue instead of losing its columns.
5. Stream the deliveries in pages: each is ``sending`` before the transport call and
   ``sent`` after it. Renders are per segment (``SegmentRenderer``), never per
   subscriber, and messages are built one at a time.

Cadence: a weekly subscriber is due when their last digest of this newsletter is at
least ~a week older than this issue; they then get every column of the issues they
missed (capped at ``max_items``), not only today's.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from ..clock import Clock
from ..config import Config
from ..config.newsletters import Newsletter
from ..deliver import Transport, open_transport
from ..deliver.message import (
    BodyTemplate,
    MailMessage,
    MessageFactory,
    list_id,
    message_id,
    parse_sender,
)
from ..errors import ConfigError, ConfigProblem, DeliveryError
from ..progress import NO_PROGRESS, Progress
from ..render.digest import RenderedSegment, SegmentRenderer, templates_dirs
from ..render.digest_model import DigestContent, SubscriberTokens, build_content, edition_for
from ..store import Store
from ..store.digests import Delivery
from ..subscribers.csv_file import read_subscribers
from ..subscribers.tokens import TokenSigner, link, preferences_link, signer_for
from ..types import (
    Cadence,
    Column,
    DigestIssue,
    ItemResult,
    Outcome,
    StepResult,
    Subscriber,
    SubscriberStatus,
)
from .claims import LEASE, new_owner, release_dead_owners, wall_now
from .digest_send import Flight, Job, SendLoop

log = logging.getLogger("syndicate.digest")

WEEKLY_GAP = timedelta(days=6, hours=12)  # a weekly job drifting by hours is still weekly
PLAN_BATCH = 1000
CLAIM_BATCH = 64  # deliveries claimed, sent and settled together: the crash window


@dataclass
class _Run:
    items: list[ItemResult] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, value: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + value


def _newsletter(config: Config, newsletter_id: str) -> Newsletter:
    try:
        return config.newsletter(newsletter_id)
    except KeyError:
        known = ", ".join(n.id for n in config.newsletters) or "none"
        raise ConfigError(
            [ConfigProblem(config.source_path, 1, 1,
                           f"unknown newsletter {newsletter_id!r} (known: {known})")]
        ) from None


def run_digest(
    config: Config, store: Store, newsletter_id: str, *, clock: Clock, dry_run: bool = False,
    queue_only: bool = False, progress: Progress = NO_PROGRESS,
) -> StepResult:
    """Queue what is due and send it; ``queue_only``: queue, and leave sending to workers."""
    newsletter = _newsletter(config, newsletter_id)
    step = f"digest:{newsletter_id}"
    run = _Run()
    now = clock()
    if newsletter.seed_subscribers and not dry_run:
        _seed(config, store, newsletter, now, run)
    if newsletter.paused:
        run.items.append(ItemResult(newsletter_id, Outcome.SKIPPED, "newsletter is paused"))
        return _result(step, run)

    if dry_run:
        _dry_run(config, store, newsletter, now, run)
        return _result(step, run)

    transport = open_transport(config.delivery, config.base_dir)
    sender = _Sender(config, store, newsletter, transport, clock, run,
                     progress=progress, task=step)
    try:
        _queue_and_send(config, store, newsletter, sender, now, run, step,
                        send=not queue_only)
    finally:
        progress.finish(step)
        sender.close()
        transport.close()
    return _result(step, run)


def send_queued(
    config: Config, store: Store, newsletter_id: str, *, clock: Clock,
    progress: Progress = NO_PROGRESS, stop: threading.Event | None = None,
) -> tuple[StepResult, int]:
    """One worker pass: send what nobody holds of the newsletter's queued issues.

    Returns the step's result and how many deliveries this pass claimed (0: nothing
    was left for it). Issues are never created or queued here: that is `digest`'s job.
    """
    newsletter = _newsletter(config, newsletter_id)
    step = f"worker:{newsletter_id}"
    run = _Run()
    issues = [i for i in store.digests.unfinished_issues(newsletter.id) if i.queued]
    if newsletter.paused or not issues:
        return _result(step, run), 0
    transport = open_transport(config.delivery, config.base_dir)
    sender = _Sender(config, store, newsletter, transport, clock, run,
                     progress=progress, task=step, stop=stop)
    try:
        for issue in issues:
            if (stop is not None and stop.is_set()) or not sender.send(issue):
                break
    finally:
        progress.finish(step)
        sender.close()
        transport.close()
    return _result(step, run), sender.claimed


def _queue_and_send(
    config: Config, store: Store, newsletter: Newsletter, sender: _Sender, now: datetime,
    run: _Run, step: str,
    *, send: bool = True,
) -> None:
    """Queue what is due, then send: the new issue first, earlier issues' leftovers after.

    An issue a crash left half-queued is queued first (its columns are behind the
    cut-off until it is). Earlier issues' retries come after the new issue, so a few
    recipients failing for days never hold up the next digest for everyone else.
    """
    unfinished = store.digests.unfinished_issues(newsletter.id)
    run.add("resumed_issues", len(unfinished))
    for issue in unfinished:
        if not issue.queued:
            sender.queue(issue)
    watermark = store.digests.cutoff(newsletter.id)
    columns = select_new(config, store, newsletter, now)
    order: list[DigestIssue] = []
    if columns:
        issue, created = store.digests.create_or_join_issue(
            newsletter.id, watermark=watermark, cutoff=now,
            column_urls=tuple(c.url for c in columns), now=now,
        )
        run.add("issues" if created else "joined_issues")
        if created:
            log.info("%s: issue %d with %d columns", step, issue.number, len(columns))
        if not issue.queued:
            sender.queue(issue)
        order.append(issue)
    elif not unfinished:
        since = f" since {watermark.isoformat()}" if watermark else ""
        run.items.append(
            ItemResult(newsletter.id, Outcome.UNCHANGED, f"no new columns{since}: no issue")
        )
    order += [i for i in unfinished if all(i.id != o.id for o in order)]
    if not send:  # --queue-only: workers (`syndicate worker`, any host) send them
        return
    for issue in order:
        if not sender.send(issue):
            return


def _result(step: str, run: _Run) -> StepResult:
    return StepResult(step, tuple(run.items), tuple(sorted(run.counters.items())))


def draft_issue(
    store: Store, newsletter: Newsletter, columns: list[Column], now: datetime
) -> DigestIssue:
    """The issue a run would create now, unsaved (dry runs and previews)."""
    last = store.digests.issues(newsletter.id, limit=1)
    return DigestIssue(
        newsletter=newsletter.id,
        number=(last[0].number if last else 0) + 1,
        cutoff=now,
        column_urls=tuple(c.url for c in columns),
        created_at=now,
        id=0,
    )


def _warn_if_one_click_is_ignored(base_url: str) -> None:
    """RFC 8058 one-click needs an https URL: Gmail and Yahoo ignore http ones."""
    parts = urlsplit(base_url)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not local:
        log.warning(
            "site.base_url %s is not https: mail providers ignore one-click unsubscribe "
            "links over http", base_url,
        )


# Follows that name no author (a bare key in a config with several papers): they must
# match nothing rather than read as "everyone" (an empty set). No slug is empty.
NOBODY = ("",)


def newsletter_authors(config: Config, newsletter: Newsletter) -> tuple[str, ...] | None:
    """The newsletter's authors as ``source.key`` slugs; None for every author."""
    if not newsletter.authors:
        return None
    return config.author_slugs(newsletter.authors) or NOBODY


def select_new(config: Config, store: Store, newsletter: Newsletter,
               now: datetime) -> list[Column]:
    """Columns first collected after the cut-off and up to ``now``, newest first."""
    return store.columns.list(
        sources=tuple(newsletter.sources) or None,
        author_slugs=newsletter_authors(config, newsletter),
        collected_after=store.digests.cutoff(newsletter.id),
        collected_until=now,
        limit=newsletter.max_items,
    )


def _seed(config: Config, store: Store, newsletter: Newsletter, now: datetime, run: _Run) -> None:
    assert newsletter.seed_subscribers is not None
    path = config.path(newsletter.seed_subscribers)
    rows, problems = read_subscribers(
        path, newsletter=newsletter.id, known_newsletters=[n.id for n in config.newsletters]
    )
    for problem in problems:
        run.items.append(ItemResult(f"{path}:{problem.line}", Outcome.SKIPPED, problem.reason))
    for row in rows:
        if row.subscriber.newsletter != newsletter.id:
            continue  # the same file may seed several newsletters
        _, created = store.subscribers.insert_if_absent(row.subscriber, now)
        if created:
            run.add("seeded")


# -- contents per subscriber -------------------------------------------------------


class Contents:
    """The digest each subscriber of one issue gets (pure given the store's state).

    Cached by (first missed issue, followed authors), so 100,000 subscribers cost a
    handful of ``build_content`` calls.
    """

    def __init__(self, config: Config, store: Store, newsletter: Newsletter, issue: DigestIssue):
        self.config, self.store, self.newsletter, self.issue = config, store, newsletter, issue
        self._recent = {i.number: i for i in store.digests.issues(newsletter.id, limit=60)}
        self._recent[issue.number] = issue
        self._last_sent: dict[int, int] | None = None
        self._base: dict[tuple[int, bool], DigestContent] = {}
        self._narrow: dict[tuple[int, frozenset[str], bool], DigestContent] = {}
        self._most_read: list[Column] | None = None

    def for_subscriber(self, subscriber: Subscriber) -> DigestContent | None:
        """None when the subscriber is not due this issue or nothing new concerns them."""
        if subscriber.paused_at(self.issue.created_at):
            return None  # paused on the preference page
        since = self.issue.number - 1
        if subscriber.cadence is Cadence.WEEKLY:
            if self._last_sent is None:
                self._last_sent = self.store.digests.last_sent_numbers(
                    self.newsletter.id, self.issue.number
                )
            last = self._last_sent.get(subscriber.id or 0)
            if last is not None:
                previous = self._recent.get(last)
                if previous is not None and (
                    self.issue.created_at - previous.created_at < WEEKLY_GAP
                ):
                    return None
                since = max(last, self.issue.number - 14)
        # A follow names a paper's author (source.key) or a linked person: both come
        # down to the papers' authors here, never to another paper's namesake.
        followed = subscriber.followed_authors
        weekly = subscriber.cadence is Cadence.WEEKLY
        key = (since, frozenset(self.config.author_slugs(followed) or NOBODY)
               if followed else frozenset(), weekly)
        content = self._narrow.get(key)
        if content is None:
            content = self._base_content(since, weekly).for_authors(key[1])
            self._narrow[key] = content
        return None if content.is_empty else content

    def issue_content(self) -> DigestContent:
        """The issue as everyone's digest showed it, before any narrowing (web copy)."""
        return self._base_content(self.issue.number - 1)

    def _base_content(self, since: int, weekly: bool = False) -> DigestContent:
        content = self._base.get((since, weekly))
        if content is None:
            urls: list[str] = []
            for number in range(since + 1, self.issue.number + 1):
                issue = self._recent.get(number)
                if issue is not None:
                    urls.extend(u for u in issue.column_urls if u not in urls)
            columns = self.store.columns.list(urls=tuple(urls)) if urls else []
            content = build_content(
                self.newsletter,
                columns[: self.newsletter.max_items],
                self._most_read_columns(),
                issue_number=self.issue.number,
                now=self.issue.created_at,
                base_url=self.config.site.base_url,
                tz=self.config.timezone,
                edition=edition_for(self.newsletter, self.issue.number, weekly=weekly),
                home_url=self.config.site.home_url or "",
            )
            self._base[(since, weekly)] = content
        return content

    def _most_read_columns(self) -> list[Column]:
        if self._most_read is None:
            n = self.newsletter
            self._most_read = self.store.columns.list(
                sources=tuple(n.sources) or None,
                author_slugs=newsletter_authors(self.config, n),
                published_since=self.issue.created_at - timedelta(days=n.most_read_days),
                collected_until=self.issue.cutoff,
                order="views",
                limit=n.most_read_items + n.max_items,  # "new" ones are left out of it
            )
        return self._most_read


# -- queueing and sending ----------------------------------------------------------


class _Sender:
    def __init__(
        self,
        config: Config,
        store: Store,
        newsletter: Newsletter,
        transport: Transport,
        clock: Clock,
        run: _Run,
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
            now=self.clock(), lease_now=wall_now())
        if not batch:
            return None
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
        token = self.signer.make(
            "unsubscribe",
            subscriber_id=subscriber.id,
            email=subscriber.email,
            newsletter=self.newsletter.id,
            issued=issue.created_at,
        )
        unsubscribe_url = link(self.config.site.base_url, "unsubscribe", token)
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


def _dry_run(
    config: Config, store: Store, newsletter: Newsletter, now: datetime, run: _Run
) -> None:
    """What a real run would queue now, rendering each segment once; nothing is written."""
    columns = select_new(config, store, newsletter, now)
    if not columns:
        run.items.append(ItemResult(newsletter.id, Outcome.UNCHANGED, "no new columns: no issue"))
        return
    draft = draft_issue(store, newsletter, columns, now)
    contents = Contents(config, store, newsletter, draft)
    renderer = SegmentRenderer(templates_dirs(config), template=newsletter.template)
    subscribers = 0
    seeded: list[Subscriber] = []
    if newsletter.seed_subscribers:  # who a real run would seed first, without writing
        rows, _ = read_subscribers(config.path(newsletter.seed_subscribers),
                                   newsletter=newsletter.id,
                                   known_newsletters=[n.id for n in config.newsletters])
        seeded = [r.subscriber for r in rows if r.subscriber.newsletter == newsletter.id
                  and store.subscribers.get(r.subscriber.email, newsletter.id) is None]
        run.add("would_seed", len(seeded))
    for subscriber in itertools.chain(store.subscribers.iter_active(newsletter.id, PLAN_BATCH),
                                      seeded):
        content = contents.for_subscriber(subscriber)
        if content is not None:
            renderer.segment(content)
            subscribers += 1
    run.add("columns", len(columns))
    run.add("would_send", subscribers)
    run.add("segments", renderer.renders)
    run.items.append(ItemResult(
        newsletter.id, Outcome.SKIPPED,
        f"dry run: issue {draft.number} with {len(columns)} columns for {subscribers} "
        f"subscribers in {renderer.renders} segments; nothing sent",
    ))
