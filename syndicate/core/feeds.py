"""The "feeds" step: plan every feed document, render the changed ones, write them.

Incremental by construction. Each document's digest is computed from what it
would say (metadata, each column's content fingerprint, each view count) *before*
anything is sanitised or rendered; a document whose digest matches the one
recorded in ``store.feed_state`` (and whose file still exists) is skipped. A
rendered document is written only if its bytes differ from the file on disk, so
an unchanged rebuild writes nothing, and mtime, inode and ETag stay put.

View counts reach the feeds on their own clock (``core.feed_views``): between
views refreshes an item shows the count it was last published with, so a count
that moved rewrites nothing. When a refresh publishes new counts, the count is the
*only* thing that changes — item ids are canonical URLs and dates come from the
publication and the last edit (``render.feed_model.item_updated``), never from
the clock or from view snapshots. Readers therefore never see a re-dated item —
except a column dated in the future, shown at its first collection until its stated
date arrives and at that date from then on (``columns_policy``): one re-dating.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from ..clock import Clock
from ..columns_policy import display_published
from ..config import Config
from ..dates import default_digits, to_digits
from ..deliver.files import FileBatch, WriteOutcome
from ..deliver.websub import ping_hub
from ..errors import SyndicateError
from ..progress import NO_PROGRESS, Progress
from ..render.feed_index import IndexEntry, render_index
from ..render.feed_model import FORMATS, FeedItem, IssueContext, feed_item, issue_item
from ..render.feeds import FeedRenderer
from ..store import Store
from ..types import Column, DigestIssue, ItemResult, Outcome, StepResult
from .feed_icons import byline_dates, icon_digest, read_icons
from .feed_plan import (
    PlannedFeed,
    author_page_url,
    column_fingerprint,
    content_fingerprint,
    feed_digest,
    feed_icons,
    issue_id_url,
    issue_page_url,
    plan_feeds,
    source_ref,
)
from .feed_views import ViewsDecision, decide_views, refresh_due

log = logging.getLogger("syndicate.feeds")

INDEX_FILE = "index.html"


def run_feeds(config: Config, store: Store, *, clock: Clock,
              progress: Progress = NO_PROGRESS) -> StepResult:
    """Build the feeds; ``progress`` hears of task "feeds": documents done / planned."""
    progress.start("feeds", None)
    try:
        return _run_feeds(config, store, clock=clock, progress=progress)
    finally:
        progress.finish("feeds")


def _run_feeds(config: Config, store: Store, *, clock: Clock, progress: Progress) -> StepResult:
    now = clock()
    settings = config.feeds
    out_dir = config.path(settings.dir)
    views = _decide_views(config, store, now)
    stamps = list(views.stamps)
    issues: dict[str, Sequence[DigestIssue]] = {}
    if settings.per_newsletter:
        for newsletter in config.newsletters:
            issues[newsletter.id] = store.digests.issues(
                newsletter.id, limit=settings.newsletter_issues
            )
    icons, icon_failures = read_icons(config)
    published_icons = feed_icons(config, set(icons))
    plan = plan_feeds(config, stamps, issues, now=now, icons=published_icons)
    known = store.feed_state.digests()
    sources = {name: source_ref(config, name) for name in {s.source for s in stamps}}
    date_text = byline_dates(config)
    fingerprints = {stamp.url: column_fingerprint(stamp, now, views.contents[stamp.url])
                    for stamp in stamps}

    # Pass 1: which documents would say something new? Nothing is loaded or
    # rendered for the others.
    stale: list[tuple[PlannedFeed, str, str]] = []
    unchanged = 0
    planned: set[str] = set()
    for feed in plan:
        for fmt in settings.formats:
            relative = f"{feed.meta.path}.{FORMATS[fmt][0]}"
            planned.add(relative)
            digest = feed_digest(feed, fmt, fingerprints)
            if known.get(relative) == digest and (out_dir / relative).exists():
                unchanged += 1
            else:
                stale.append((feed, fmt, digest))
    progress.start("feeds", len(stale) + unchanged)
    progress.advance("feeds", unchanged)  # unchanged documents are done already

    # Pass 2: load the bodies those documents list, render, stage, commit at once.
    columns = _load(store, {s.url for feed, _fmt, _d in stale for s in feed.columns},
                    len(stamps))
    renderer = FeedRenderer()
    prepared: dict[str, FeedItem] = {}

    def items(feed: PlannedFeed) -> list[FeedItem]:
        if feed.meta.kind == "newsletter":
            return [issue_item(issue, [columns[url] for url in issue.column_urls
                                       if url in columns],
                               _issue_context(config, issue, date_text))
                    for issue in feed.issues]
        out: list[FeedItem] = []
        for stamp in feed.columns:
            found = prepared.get(stamp.url)
            if found is None:
                column = columns.get(stamp.url)
                if column is None:  # deleted between the two reads: gone next build too
                    continue
                if column.views != views.shown.get(column.url, column.views):
                    column = replace(column, views=views.shown[column.url])
                found = feed_item(column, now=now, author_page_url=author_page_url(
                    config, column.author.slug), source=sources[column.source],
                    date_text=date_text(display_published(column, now)))
                prepared[stamp.url] = found
            out.append(found)
        return out

    results: list[ItemResult] = []
    written: list[tuple[PlannedFeed, str, str, WriteOutcome]] = []
    record: list[tuple[str, str]] = []
    with FileBatch() as batch:
        for feed, stale_fmt, digest in stale:
            relative = f"{feed.meta.path}.{FORMATS[stale_fmt][0]}"
            try:
                data = renderer.render(feed.meta, items(feed), stale_fmt)
                outcome = batch.stage(out_dir / relative, data)
            except SyndicateError as exc:
                progress.advance("feeds")
                log.warning("feed %s not written: %s", relative, exc)
                results.append(ItemResult(relative, Outcome.FAILED, str(exc)))
                continue
            except Exception as exc:  # a bug in one feed must not keep the others stale
                progress.advance("feeds")
                log.exception("feed %s not written: unexpected error", relative)
                results.append(ItemResult(relative, Outcome.FAILED,
                                          f"unexpected error ({type(exc).__name__}: {exc}); "
                                          "this is a bug in syndicate, please report it"))
                continue
            progress.advance("feeds")
            if outcome is WriteOutcome.SAME:
                unchanged += 1
                record.append((relative, digest))
            else:
                written.append((feed, stale_fmt, digest, outcome))
        staged_icons = _stage_icons(icons, known, out_dir, batch)
        planned.update(icons)
        results.extend(icon_failures)
        planned.update(item.key for item in icon_failures)  # kept while it is fixed
        index_result = _stage_index(config, plan, out_dir, batch, published_icons.icon)
        failures = {path: error for path, error in batch.commit()}

    results.extend(_icon_results(staged_icons, failures, out_dir, record))

    changed_urls: list[str] = []
    for feed, written_fmt, digest, outcome in written:
        relative = f"{feed.meta.path}.{FORMATS[written_fmt][0]}"
        error = failures.get(out_dir / relative)
        if error is not None:
            results.append(ItemResult(relative, Outcome.FAILED, error))
            continue
        record.append((relative, digest))
        results.append(ItemResult(
            relative, Outcome.NEW if outcome is WriteOutcome.NEW else Outcome.UPDATED,
            f"{len(feed.issues)} items; issues sent or their columns edited"
            if feed.meta.kind == "newsletter"
            else f"{len(feed.columns)} items; {views.reason(c.url for c in feed.columns)}",
        ))
        if not feed.meta.archive:
            changed_urls.append(feed.meta.url(written_fmt))
    store.feed_state.record_many(record, now)
    store.feed_state.record_items(
        views.changed_rows, views.removed,
        now if views.refresh and settings.views_refresh_period else None)
    if index_result is not None:
        error = failures.get(out_dir / INDEX_FILE)
        results.append(index_result if error is None
                       else ItemResult(INDEX_FILE, Outcome.FAILED, error))
    results.extend(_remove_orphans(store, out_dir, set(known) - planned, now))
    if settings.websub_hub and changed_urls:
        results.extend(_ping(settings.websub_hub, changed_urls, settings.websub_timeout))
    return StepResult(
        step="feeds",
        items=tuple(results),
        counters=(
            ("feeds_planned", len(plan) * len(settings.formats)),
            ("feeds_rendered", len(stale)),
            ("feeds_unchanged", unchanged),
            ("columns", len(stamps)),
            ("views_refreshed", int(views.refresh)),
        ),
    )


def _stage_icons(icons: dict[str, bytes], known: dict[str, str], out_dir: Path,
                 batch: FileBatch) -> list[tuple[str, str, WriteOutcome]]:
    """Stage the icon files that changed: (path, digest, outcome) each."""
    staged = []
    for relative, data in icons.items():
        digest = icon_digest(data)
        if known.get(relative) != digest or not (out_dir / relative).exists():
            staged.append((relative, digest, batch.stage(out_dir / relative, data)))
    return staged


def _icon_results(staged: list[tuple[str, str, WriteOutcome]], failures: dict[Path, str],
                  out_dir: Path, record: list[tuple[str, str]]) -> list[ItemResult]:
    """What became of the staged icons; those written are added to ``record``."""
    out = []
    for relative, digest, outcome in staged:
        error = failures.get(out_dir / relative)
        if error is not None:
            out.append(ItemResult(relative, Outcome.FAILED, error))
            continue
        record.append((relative, digest))
        if outcome is not WriteOutcome.SAME:
            out.append(ItemResult(relative, Outcome.NEW if outcome is WriteOutcome.NEW
                                  else Outcome.UPDATED, "icon"))
    return out


def _issue_context(config: Config, issue: DigestIssue,
                   date_text: Callable[[datetime], str]) -> IssueContext:
    newsletter = config.newsletter(issue.newsletter)
    digits = newsletter.digits or default_digits(newsletter.locale)
    return IssueContext(
        newsletter_title=newsletter.title,
        link=issue_page_url(config, issue.newsletter, issue.number),
        id=issue_id_url(config, issue.newsletter, issue.number),
        number_text=to_digits(str(issue.number), digits),
        date_text=date_text(issue.created_at),
        language=newsletter.locale.split("-")[0] or "ar",
    )


def _decide_views(config: Config, store: Store, now: datetime) -> ViewsDecision:
    stamps = store.columns.stamps()
    refresh = refresh_due(store.feed_state.last_views_refresh(), now,
                          config.feeds.views_refresh_period)
    contents = {stamp.url: content_fingerprint(stamp, now) for stamp in stamps}
    return decide_views(stamps, store.feed_state.published_items(), contents,
                        refresh=refresh)


def _remove_orphans(store: Store, out_dir: Path, orphans: set[str], now: datetime
                    ) -> list[ItemResult]:
    """Delete feed files this step wrote before but no longer plans.

    An author whose columns were all removed, a format or the per-newsletter feeds
    switched off: their files would otherwise be served, frozen, for ever. Only
    paths recorded in ``feed_state`` are touched, never an operator's own files; they
    stay there as tombstones, so ``serve`` answers 410 Gone for them.
    """
    results: list[ItemResult] = []
    forgotten: list[str] = []
    for relative in sorted(orphans):
        path = out_dir / relative
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("feed %s no longer built but not removed: %s", relative, exc)
            results.append(ItemResult(relative, Outcome.FAILED, f"not removed: {exc}"))
            continue
        forgotten.append(relative)
        results.append(ItemResult(relative, Outcome.REMOVED, "no longer built"))
    store.feed_state.mark_removed(forgotten, now)
    return results


def _load(store: Store, urls: set[str], total: int) -> dict[str, Column]:
    """Full columns for ``urls``: all at once when most are needed, else in chunks."""
    if not urls:
        return {}
    if len(urls) * 2 > total:
        return {c.url: c for c in store.columns.list() if c.url in urls}
    ordered = sorted(urls)
    out: dict[str, Column] = {}
    for start in range(0, len(ordered), 500):  # SQLite's variable limit
        for column in store.columns.list(urls=tuple(ordered[start:start + 500])):
            out[column.url] = column
    return out


def _stage_index(config: Config, plan: Sequence[PlannedFeed], out_dir: Path,
                 batch: FileBatch, icon: str | None) -> ItemResult | None:
    # Rendering the index costs less than hashing its inputs: the byte comparison
    # in stage() is its digest.
    entries = [IndexEntry(feed.meta, feed.entries) for feed in plan]
    try:
        data = render_index(entries, title=config.site.title, formats=config.feeds.formats,
                            digits=default_digits(config.feeds.locale), icon=icon)
        outcome = batch.stage(out_dir / INDEX_FILE, data)
    except SyndicateError as exc:
        return ItemResult(INDEX_FILE, Outcome.FAILED, str(exc))
    if outcome is WriteOutcome.SAME:
        return None
    return ItemResult(INDEX_FILE, Outcome.NEW if outcome is WriteOutcome.NEW
                      else Outcome.UPDATED, f"{len(entries)} feeds")


def _ping(hub: str, urls: list[str], timeout: float) -> list[ItemResult]:
    out: list[ItemResult] = []
    for url, error in ping_hub(hub, urls, timeout=timeout).items():
        if error is None:
            out.append(ItemResult(f"websub {url}", Outcome.SENT, hub))
        else:
            log.warning("WebSub ping for %s failed: %s", url, error)
            out.append(ItemResult(f"websub {url}", Outcome.FAILED, error))
    return out
