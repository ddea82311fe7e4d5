"""The collect step: every source's pages → normalised columns → the store.

One StepResult per source (``collect:<name>``), whatever happens to it: a broken
page is a skipped item with its reason, an unreachable site a failed one, and the
next source still runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from ..clock import Clock
from ..config import Config
from ..config.sources import HttpSettings, SourceSettings, host_and_port
from ..errors import ExtractError, SyndicateError
from ..normalise import normalise
from ..progress import NO_PROGRESS, Progress
from ..runlock import owner_name
from ..sources import Found, collect_source
from ..sources.base import SourceBase, skipped_memo
from ..sources.fetching import Page, column_memo
from ..sources.hosts import HostRegistry
from ..sources.http import Fetcher, HttpClient, build_client
from ..store import Store
from ..text.urls import same_address
from ..types import ItemResult, Outcome, StepResult
from .canonical import DUPLICATE, Decision, note
from .collect_fetcher import ReportingFetcher, StoreValidators
from .linked import LinkedPages, Step

log = logging.getLogger("syndicate.collect")

# How long a source stays claimed by a process collecting it (wall-clock time). A
# collector killed mid-run holds its sources that long; a run longer than this may
# see a second process join it (harmless: every write is an upsert).
COLLECT_LEASE = timedelta(minutes=15)


def locate(config: Config, reference: str) -> str:
    """A URL from the config; a plain path is a file relative to the config's folder."""
    if "://" in reference:
        return reference
    return config.path(reference).resolve().as_uri()


def source_locations(config: Config, source: SourceSettings) -> list[str]:
    return [locate(config, ref) for _keys, ref in source.addresses()]


def revalidate_days(config: Config, source_name: str) -> int:
    """http.revalidate_days, widened to the "most read" window of every newsletter that
    ranks this source's columns: a column a digest may still rank keeps fresh views."""
    days = config.http.revalidate_days
    if days == 0:
        return 0
    windows = [n.most_read_days for n in config.newsletters
               if "most_read" in n.sections and (not n.sources or source_name in n.sources)]
    return max([days, *windows])


def source_scope(locations: Sequence[str], source: SourceSettings) -> tuple[set[str], list[Path]]:
    hosts = {host_and_port(h)[0].lower() for h in source.allowed_hosts}
    roots: list[Path] = []
    for url in locations:
        parts = urlsplit(url)
        if parts.scheme == "file":
            # The sample site: the start page's folder and everything under it.
            roots.append(Path(url2pathname(parts.path)).parent)
        elif parts.hostname:
            hosts.add(parts.hostname.lower())
    return hosts, roots


def source_ports(locations: Sequence[str], source: SourceSettings) -> dict[str, set[int]]:
    """Per host of the source, the ports its addresses and ``allowed_hosts`` name: its
    pages are asked there or on the scheme's default port, never on another (a listing
    linking "http://site:6379/" is skipped)."""
    ports: dict[str, set[int]] = {}
    named = [host_and_port(h) for h in source.allowed_hosts]
    for url in locations:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname:
            named.append((parts.hostname, parts.port))
    for host, port in named:
        ports.setdefault(host.lower(), set()).update([port] if port else [])
    return ports


def run_collect(
    config: Config, store: Store, *, clock: Clock, source_names: Sequence[str] | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[StepResult]:
    names = [s.name for s in config.sources]
    if source_names:
        unknown = [n for n in source_names if n not in names]
        if unknown:
            raise SyndicateError(
                f"unknown source {', '.join(unknown)}; configured: {', '.join(names) or 'none'}"
            )
    selected = [s for s in config.sources if not source_names or s.name in source_names]
    # One politeness per host for the whole run, whichever sources share the host.
    hosts = HostRegistry(max_throttles=config.http.max_throttles)
    with build_client(config.http) as client:
        # One for the run: each linked page (author page, a copy's original) read once.
        linked = linked_pages(config, now=clock(), fetcher_for=lambda name: source_fetcher(
            config, store, config.source(name), client, now=clock(), progress=progress,
            registry=hosts))
        try:
            return [collect_one(config, store, source, client, clock=clock,
                                progress=progress, hosts=hosts, linked=linked)
                    for source in selected]
        finally:
            linked.close()


def linked_pages(config: Config, *, now: datetime,
                 fetcher_for: Callable[[str], Fetcher] | None = None) -> LinkedPages:
    """The pages columns link to, for one run (see core/linked.py)."""
    locations: dict[str, Sequence[str]] = {}
    for source in config.sources:
        try:
            locations[source.name] = source_locations(config, source)
        except (SyndicateError, OSError, ValueError):
            locations[source.name] = ()  # reported when that source is collected
    return LinkedPages(config, now=now, locations=locations, fetcher_for=fetcher_for)


def source_fetcher(config: Config, store: Store, source: SourceSettings, client: HttpClient, *,
                   now: datetime, progress: Progress,
                   registry: HostRegistry) -> ReportingFetcher:
    """The fetcher of one source: its hosts and folders, its http settings, the store's
    validators, and the run's politeness per host (``registry``)."""
    locations = source_locations(config, source)
    allowed, roots = source_scope(locations, source)
    return ReportingFetcher(client, source_http(config, source), hosts=allowed,
                            ports=source_ports(locations, source), file_roots=roots,
                            cache=StoreValidators(store, now), now=now, progress=progress,
                            task=f"collect:{source.name}", registry=registry)


def collect_one(config: Config, store: Store, source: SourceSettings, client: HttpClient,
                *, clock: Clock, progress: Progress = NO_PROGRESS,
                hosts: HostRegistry | None = None,
                linked: LinkedPages | None = None) -> StepResult:
    """Collect one source; never raises for the source's own problems.

    One process at a time per source, on any host: a source another process is
    collecting is skipped (its lease, ``COLLECT_LEASE``, frees it if that one dies).
    ``hosts``: the run's politeness per host, shared by every source of the run.
    ``linked``: the run's linked pages (author pages, originals), shared by its sources.
    """
    task = f"collect:{source.name}"
    owner = owner_name()
    holder = store.jobs.claim_source(source.name, owner=owner, now=datetime.now(UTC),
                                     lease_until=datetime.now(UTC) + COLLECT_LEASE)
    if holder is not None:
        return StepResult(task, (ItemResult(
            source.name, Outcome.SKIPPED, f"being collected by {holder} right now"),))
    progress.start(task, None)
    own_linked = linked is None
    if linked is None:
        linked = linked_pages(config, now=clock())
    try:
        return _collect_one(config, store, source, client, clock=clock, progress=progress,
                            hosts=hosts or HostRegistry(max_throttles=config.http.max_throttles),
                            linked=linked)
    finally:
        if own_linked:
            linked.close()
        progress.finish(task)
        store.jobs.release_source(source.name, owner=owner)


def source_http(config: Config, source: SourceSettings) -> HttpSettings:
    """``http`` with the source's own overrides (``sources[].http``) on top."""
    own = source.http if isinstance(source, SourceBase) else None
    overrides = own.model_dump(exclude_unset=True) if own is not None else {}
    overrides["revalidate_days"] = overrides.get("revalidate_days",
                                                 revalidate_days(config, source.name))
    return config.http.model_copy(update=overrides)


def _collect_one(config: Config, store: Store, source: SourceSettings, client: HttpClient,
                 *, clock: Clock, progress: Progress, hosts: HostRegistry,
                 linked: LinkedPages) -> StepResult:
    now = clock()
    items: list[ItemResult] = []
    try:
        locations = source_locations(config, source)
        fetcher = source_fetcher(config, store, source, client, now=now, progress=progress,
                                 registry=hosts)
    except (SyndicateError, OSError, ValueError) as exc:
        return StepResult(f"collect:{source.name}",
                          (ItemResult(source.name, Outcome.FAILED, str(exc)),))
    confirmed = _Confirmed()
    future: list[str] = []  # columns read this run dated ahead of the fetch (kept, flagged)
    duplicates: dict[int, str] = {}  # column id -> the first URL it was read from this run
    try:
        def handle(step: Step) -> None:
            owner = config.source(step.source)
            item = _handle(store, step.fetcher, step.found, owner,
                           owner.timezone or config.timezone, now, confirmed, future,
                           duplicates, attach=step.attach)
            if item is not None:
                items.append(item)

        for step in linked.steps(collect_source(source, fetcher, locations=locations),
                                 source.name, fetcher):
            handle(step)
        for step in linked.finish(source.name, fetcher):
            handle(step)
        confirmed.save(store, now)
    except SyndicateError as exc:
        log.error("%s: %s", source.name, exc)
        items.append(ItemResult(source.name, Outcome.FAILED, str(exc)))
    except Exception as exc:  # a bug must not stop the other sources
        log.exception("%s: unexpected error", source.name)
        items.append(ItemResult(source.name, Outcome.FAILED, f"{type(exc).__name__}: {exc}"))
    result = StepResult(f"collect:{source.name}", tuple(items))
    counters = (
        ("pages_fetched", fetcher.stats.pages_fetched),
        # Asked for and no usable page back (HTTP errors, time-outs, cut short, throttled
        # until the host was left): the table counts them with the pages fetched.
        ("failed_transfers", fetcher.stats.failed),
        ("throttled", fetcher.stats.throttled),
        ("not_modified", fetcher.stats.not_modified),
        ("not_revalidated", fetcher.stats.kept),
        ("new", result.count(Outcome.NEW)),
        ("updated", result.count(Outcome.UPDATED)),
        ("skipped", result.count(Outcome.SKIPPED)),
        # Stored with the stated date, shown dated by their first collection until that
        # date arrives (columns_policy); the log names each URL with both dates.
        ("future_dated", len(future)),
        ("duplicates", sum(1 for i in items if i.reason.startswith(DUPLICATE))),
        ("errors", result.count(Outcome.FAILED)),
    )
    log.info("collected %s: %s", source.name, ", ".join(f"{k}={v}" for k, v in counters))
    return StepResult(result.step, result.items, counters)


class _Confirmed:
    """Column pages that answered 304: their validators' date is moved on in one write
    at the end (the revalidation policy counts from it), instead of one write per 304."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.memos: dict[str, str] = {}

    def add(self, store: Store, page: Page) -> None:
        self.urls.append(page.url)
        if not page.memo:
            # Validators kept before memos carried the publication date: fill it in once.
            column = store.columns.get(page.url)
            if column is not None:
                self.memos[page.url] = column_memo(column.published)

    def save(self, store: Store, now: datetime) -> None:
        store.fetch_cache.touch(self.urls, now=now, memos=self.memos)


def _handle(store: Store, fetcher: Fetcher, found: Found, source: SourceSettings,
            timezone: str, now: datetime, confirmed: _Confirmed, future: list[str],
            duplicates: dict[int, str], *, attach: Decision | None = None
            ) -> ItemResult | None:
    """``attach``: the page is a twin or copy of that decision's column (canonical)."""
    if found.listing:
        if found.outcome in (Outcome.SKIPPED, Outcome.FAILED):
            log.warning("%s: listing %s: %s", source.name, found.url, found.reason)
            return ItemResult(found.url, found.outcome, f"listing: {found.reason}")
        if found.page is not None:
            fetcher.remember(found.page, found.memo)
        return None
    if found.draft is None:
        outcome = found.outcome or Outcome.FAILED
        if (outcome is Outcome.NOT_MODIFIED and found.page is not None
                and not found.page.kept):
            confirmed.add(store, found.page)
        if outcome is not Outcome.NOT_MODIFIED:
            log.warning("%s: %s %s: %s", source.name, outcome.value, found.url, found.reason)
        return ItemResult(found.url, outcome, found.reason)
    try:
        done = normalise(found.draft, timezone=timezone, now=now,
                         default_author=source.default_author,
                         hijri_adjustment=source.hijri_adjustment)
    except ExtractError as exc:
        log.warning("%s: skipped %s: %s", source.name, found.url, exc.reason)
        if found.page is not None:
            # The page says what it says: ask again with its validators next time,
            # and report the same skip on its 304 instead of reading it in full.
            fetcher.remember(found.page, skipped_memo(exc.reason))
        return ItemResult(found.url, Outcome.SKIPPED, exc.reason)
    except Exception as exc:  # a bug met on one column must not lose the others
        log.exception("%s: unexpected error normalising %s", source.name, found.url)
        return ItemResult(found.url, Outcome.FAILED,
                          f"unexpected error normalising the column ({type(exc).__name__}: "
                          f"{exc}); this is a bug in syndicate, please report it with the log")
    for warning in done.warnings:
        log.warning("%s: %s: %s", source.name, found.url, warning)
    try:
        if attach is not None:
            stored = store.columns.attach(done.column, dedupe_key=done.dedupe_key,
                                          seen_urls=(found.url,), now=now,
                                          twin=attach.owner == source.name)
        else:
            stored = store.columns.upsert(done.column, dedupe_key=done.dedupe_key,
                                          seen_urls=(found.url,), now=now)
    except SyndicateError as exc:
        log.error("%s: %s: %s", source.name, found.url, exc)
        return ItemResult(found.url, Outcome.FAILED, str(exc))
    if done.column.future_dated:
        future.append(done.column.url)
    if stored.outcome is Outcome.UPDATED:
        log.info("%s: %s edited after publication (%s changed)", source.name,
                 done.column.url, ", ".join(stored.changes) or "content")
    if found.page is not None:
        fetcher.remember(found.page, column_memo(done.column.published))
    reason = "; ".join(done.warnings)
    if attach is not None:
        # A twin or a copy, stored as an alias of the column its canonical names.
        reason = "; ".join(filter(None, [note(attach), reason]))
    else:
        # A second copy of a column (a print version, a reprint under another URL): said
        # so, naming the first copy, whether matched by canonical URL or by author + title.
        first = stored.duplicate_of or duplicates.setdefault(stored.column_id, found.url)
        if not same_address(first, found.url):
            reason = "; ".join(filter(None, [f"{DUPLICATE} {first}", reason]))
    if stored.outcome is Outcome.UPDATED:
        reason = "; ".join(filter(None, [f"edited: {', '.join(stored.changes)}", reason]))
    return ItemResult(found.url, stored.outcome, reason)
