"""The "feeds" step: plan every feed document, render the changed ones, write them.

Incremental by construction. Each document's digest is computed from what it
would say (metadata, each column's content fingerprint, each view count) *before*
anything is sanitised or rendered; a document whose digest matches the one
recorded in ``store.feed_state`` (and whose file still exists) is skipped. A
rendered document is written only if its bytes differ from the file on disk, so
an unchanged rebuild writes nothing, and mtime, inode and ETag stay put.

View counts: a changed count changes the digest, so the document is rewritten on
the next build (feeds follow the collect schedule), but the count is the *only*
thing that changes — item ids are canonical URLs and dates come from the
publication and the last edit (``render.feed_model.item_updated``), never from
the clock or from view snapshots. Readers therefore never see a re-dated item.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from ..clock import Clock
from ..config import Config
from ..deliver.files import WriteOutcome, write_if_changed
from ..deliver.websub import ping_hub
from ..errors import SyndicateError
from ..render.feed_index import IndexEntry, render_index
from ..render.feed_model import FORMATS, FeedItem, feed_item
from ..render.feeds import FeedRenderer
from ..store import Store
from ..types import Column, DigestIssue, ItemResult, Outcome, StepResult
from .feed_plan import (
    PlannedFeed,
    author_feed_url,
    column_fingerprint,
    feed_digest,
    plan_feeds,
)

log = logging.getLogger("syndicate.feeds")

INDEX_FILE = "index.html"


def run_feeds(config: Config, store: Store, *, clock: Clock) -> StepResult:
    now = clock()
    settings = config.feeds
    out_dir = config.path(settings.dir)
    columns = store.columns.list()
    issues: dict[str, Sequence[DigestIssue]] = {}
    if settings.per_newsletter:
        for newsletter in config.newsletters:
            issues[newsletter.id] = store.digests.issues(
                newsletter.id, limit=settings.newsletter_issues
            )
    plan = plan_feeds(config, columns, issues, now=now)
    known = store.feed_state.digests()
    fingerprints = {column.url: column_fingerprint(column) for column in columns}

    renderer = FeedRenderer()
    prepared: dict[str, FeedItem] = {}

    def item(column: Column) -> FeedItem:
        found = prepared.get(column.url)
        if found is None:
            found = feed_item(column, author_feed_url=author_feed_url(config, column.author.slug))
            prepared[column.url] = found
        return found

    results: list[ItemResult] = []
    changed_urls: list[str] = []
    unchanged = rendered = 0
    for feed in plan:
        for fmt in settings.formats:
            relative = f"{feed.meta.path}.{FORMATS[fmt][0]}"
            target = out_dir / relative
            digest = feed_digest(feed, fmt, fingerprints)
            if known.get(relative) == digest and target.exists():
                unchanged += 1
                continue
            try:
                data = renderer.render(feed.meta, [item(c) for c in feed.columns], fmt)
                rendered += 1
                outcome = write_if_changed(target, data)
            except SyndicateError as exc:
                log.warning("feed %s not written: %s", relative, exc)
                results.append(ItemResult(relative, Outcome.FAILED, str(exc)))
                continue
            store.feed_state.record(relative, digest, now)
            if outcome is WriteOutcome.SAME:
                unchanged += 1
                continue
            results.append(ItemResult(
                relative, Outcome.NEW if outcome is WriteOutcome.NEW else Outcome.UPDATED,
                f"{len(feed.columns)} items",
            ))
            if not feed.meta.archive:
                changed_urls.append(feed.meta.url(fmt))

    results.extend(_write_index(config, plan, out_dir))
    if settings.websub_hub and changed_urls:
        results.extend(_ping(settings.websub_hub, changed_urls, settings.websub_timeout))
    return StepResult(
        step="feeds",
        items=tuple(results),
        counters=(
            ("feeds_planned", len(plan) * len(settings.formats)),
            ("feeds_rendered", rendered),
            ("feeds_unchanged", unchanged),
            ("columns", len(columns)),
        ),
    )


def _write_index(config: Config, plan: Sequence[PlannedFeed], out_dir: Path
                 ) -> list[ItemResult]:
    # Rendering the index costs less than hashing its inputs: the byte comparison
    # in write_if_changed is its digest.
    entries = [IndexEntry(feed.meta, len(feed.columns)) for feed in plan]
    try:
        data = render_index(entries, title=config.site.title, formats=config.feeds.formats)
        outcome = write_if_changed(out_dir / INDEX_FILE, data)
    except SyndicateError as exc:
        return [ItemResult(INDEX_FILE, Outcome.FAILED, str(exc))]
    if outcome is WriteOutcome.SAME:
        return []
    return [ItemResult(INDEX_FILE, Outcome.NEW if outcome is WriteOutcome.NEW
                       else Outcome.UPDATED, f"{len(entries)} feeds")]


def _ping(hub: str, urls: list[str], timeout: float) -> list[ItemResult]:
    out: list[ItemResult] = []
    for url, error in ping_hub(hub, urls, timeout=timeout).items():
        if error is None:
            out.append(ItemResult(f"websub {url}", Outcome.SENT, hub))
        else:
            log.warning("WebSub ping for %s failed: %s", url, error)
            out.append(ItemResult(f"websub {url}", Outcome.FAILED, error))
    return out
