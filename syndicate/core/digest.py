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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from ..clock import Clock
from ..config import Config
from ..config.newsletters import Newsletter
from ..deliver import Transport, open_transport
from ..deliver.message import MailMessage, MessageFactory, list_id, message_id, parse_sender
from ..errors import ConfigError, ConfigProblem
from ..progress import NO_PROGRESS, Progress
from ..render.digest import SegmentRenderer, templates_dirs
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
from .digest_send import Job, SendLoop

log = logging.getLogger("syndicate.digest")

WEEKLY_GAP = timedelta(days=6, hours=12)  # a weekly job drifting by hours is still weekly
PLAN_BATCH = 1000


@dataclass
class _Run:
    items: list[ItemResult] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, value: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + value


def run_digest(
    config: Config, store: Store, newsletter_id: str, *, clock: Clock, dry_run: bool = False,
    progress: Progress = NO_PROGRESS,
) -> StepResult:
    try:
        newsletter = config.newsletter(newsletter_id)
    except KeyError:
        known = ", ".join(n.id for n in config.newsletters) or "none"
        raise ConfigError(
            [ConfigProblem(config.source_path, 1, 1,
                           f"unknown newsletter {newsletter_id!r} (known: {known})")]
        ) from None
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
    try:
        sender = _Sender(config, store, newsletter, transport, clock, run,
                         progress=progress, task=step)
        for issue in store.digests.unfinished_issues(newsletter_id):
            run.add("resumed_issues")
            if not sender.finish(issue):
                return _result(step, run)
        columns = select_new(store, newsletter, now)
        if not columns:
            cutoff = store.digests.cutoff(newsletter_id)
            since = f" since {cutoff.isoformat()}" if cutoff else ""
            run.items.append(
                ItemResult(newsletter_id, Outcome.UNCHANGED, f"no new columns{since}: no issue")
            )
            return _result(step, run)
        issue = store.digests.create_issue(
            newsletter_id, now, tuple(c.url for c in columns), now
        )
        run.add("issues")
        log.info("%s: issue %d with %d columns", step, issue.number, len(columns))
        sender.finish(issue)
    finally:
        progress.finish(step)
        transport.close()
    return _result(step, run)


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


def select_new(store: Store, newsletter: Newsletter, now: datetime) -> list[Column]:
    """Columns first collected after the cut-off and up to ``now``, newest first."""
    return store.columns.list(
        sources=tuple(newsletter.sources) or None,
        author_slugs=tuple(newsletter.authors) or None,
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
        weekly = subscriber.cadence is Cadence.WEEKLY
        key = (since, frozenset(subscriber.followed_authors), weekly)
        content = self._narrow.get(key)
        if content is None:
            content = self._base_content(since, weekly).for_authors(key[1])
            self._narrow[key] = content
        return None if content.is_empty else content

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
                author_slugs=tuple(n.authors) or None,
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
    ) -> None:
        self.config, self.store, self.newsletter = config, store, newsletter
        self.transport, self.clock, self.run = transport, clock, run
        self.signer: TokenSigner = signer_for(config)
        self.sender_address = parse_sender(newsletter.sender)
        _warn_if_one_click_is_ignored(config.site.base_url)
        self.renderer = SegmentRenderer(
            templates_dirs(config), template=newsletter.template, transfer_encoding="base64"
        )
        self.progress, self.task = progress, task
        self.to_send = 0  # messages left to settle, over every issue of this run

    def finish(self, issue: DigestIssue) -> bool:
        """Queue ``issue`` if needed and send what is left; False if the run had to stop."""
        assert issue.id is not None
        contents = Contents(self.config, self.store, self.newsletter, issue)
        if not issue.queued:
            planned = self._plan(issue, contents)
            self.store.digests.mark_queued(issue)
            self.run.add("queued", planned)
        counts = self.store.digests.delivery_counts(issue.id)
        self.to_send += counts.get("pending", 0) + counts.get("sending", 0)
        self.progress.start(self.task, self.to_send)
        loop = SendLoop(self.store, self.transport, self.clock, self.newsletter,
                        max_attempts=self.config.delivery.max_attempts,
                        progress=self.progress, task=self.task)
        for batch in self.store.digests.delivery_batches(issue.id, ("pending", "sending")):
            subscribers = self.store.subscribers.get_many(d.subscriber_id for d in batch)
            if not loop.run(self._jobs(issue, contents, batch, subscribers)):
                self.run.items.extend(loop.items)
                self._count(loop)
                return False
            self.run.items.extend(loop.items)
            loop.items.clear()
        self._count(loop)
        self.run.add("segments", self.renderer.renders)
        self.renderer.renders = 0
        return True

    def _count(self, loop: SendLoop) -> None:
        for name, value in loop.counters.items():
            self.run.add(name, value)
        loop.counters.clear()

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
            message = None
            if subscriber is not None and content is not None:
                message = self._message(factory, issue, subscriber, content, delivery.message_id)
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
        content: DigestContent,
        mid: str,
    ) -> MailMessage:
        assert subscriber.id is not None
        segment = self.renderer.segment(content)
        token = self.signer.make(
            "unsubscribe",
            subscriber_id=subscriber.id,
            email=subscriber.email,
            newsletter=self.newsletter.id,
            issued=issue.created_at,
        )
        unsubscribe_url = link(self.config.site.base_url, "unsubscribe", token)
        html, text = segment.personalise(
            SubscriberTokens(unsubscribe_url=unsubscribe_url, name=subscriber.name,
                             email=subscriber.email,
                             preferences_url=preferences_link(
                                 self.signer, self.config.site.base_url, subscriber,
                                 issue.created_at))
        )
        return factory.build(
            to=subscriber.email,
            to_name=subscriber.name,
            subject=segment.subject,
            text=text,
            html=html,
            message_id=mid,
            unsubscribe_url=unsubscribe_url,
            unsubscribe_token=token,
        )


def _dry_run(
    config: Config, store: Store, newsletter: Newsletter, now: datetime, run: _Run
) -> None:
    """What a real run would queue now, rendering each segment once; nothing is written."""
    columns = select_new(store, newsletter, now)
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
