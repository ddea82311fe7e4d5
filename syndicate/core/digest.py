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

The steps live in three modules: this one (what to queue and send, dry runs),
``digest_contents.py`` (selection and each subscriber's contents) and
``digest_queue.py`` (planning, claiming, building and sending the messages).

Cadence: a weekly subscriber is due when their last digest of this newsletter is at
least ~a week older than this issue; they then get every column of the issues they
missed (capped at ``max_items``), not only today's.
"""

from __future__ import annotations

import itertools
import logging
import threading
from datetime import datetime

from ..clock import Clock
from ..config import Config
from ..config.newsletters import Newsletter
from ..deliver import open_transport
from ..errors import ConfigError, ConfigProblem
from ..progress import NO_PROGRESS, Progress
from ..render.digest import SegmentRenderer, templates_dirs
from ..store import Store
from ..subscribers.csv_file import read_subscribers
from ..types import DigestIssue, ItemResult, Outcome, StepResult, Subscriber
from .digest_contents import Contents, draft_issue, select_new
from .digest_queue import PLAN_BATCH, DigestRun, DigestSender

log = logging.getLogger("syndicate.digest")


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
    run = DigestRun()
    now = clock()
    if newsletter.seed_subscribers and not dry_run:
        _seed(config, store, newsletter, now, run)
    if newsletter.paused:
        run.items.append(ItemResult(newsletter_id, Outcome.SKIPPED, "newsletter is paused"))
        return run.result(step)

    if dry_run:
        _dry_run(config, store, newsletter, now, run)
        return run.result(step)

    transport = open_transport(config.delivery, config.base_dir)
    sender = DigestSender(config, store, newsletter, transport, clock, run,
                     progress=progress, task=step)
    try:
        _queue_and_send(config, store, newsletter, sender, now, run, step,
                        send=not queue_only)
    finally:
        progress.finish(step)
        sender.close()
        transport.close()
    return run.result(step)


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
    run = DigestRun()
    issues = [i for i in store.digests.unfinished_issues(newsletter.id) if i.queued]
    if newsletter.paused or not issues:
        return run.result(step), 0
    transport = open_transport(config.delivery, config.base_dir)
    sender = DigestSender(config, store, newsletter, transport, clock, run,
                     progress=progress, task=step, stop=stop)
    try:
        for issue in issues:
            if (stop is not None and stop.is_set()) or not sender.send(issue):
                break
    finally:
        progress.finish(step)
        sender.close()
        transport.close()
    return run.result(step), sender.claimed


def _queue_and_send(
    config: Config, store: Store, newsletter: Newsletter, sender: DigestSender, now: datetime,
    run: DigestRun, step: str,
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



def _seed(config: Config, store: Store, newsletter: Newsletter, now: datetime, run: DigestRun) -> None:
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



def _dry_run(
    config: Config, store: Store, newsletter: Newsletter, now: datetime, run: DigestRun
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
