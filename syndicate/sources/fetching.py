"""What the fetcher is made of, apart from httpx: the records it hands back, the
validator-cache protocol the core implements, and the politeness helpers (per-host
gate, address check, Retry-After, content-type acceptance).
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import socket
import threading
from collections.abc import Callable, Collection, Generator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol, TypeVar

from ..errors import ExtractError, FetchError

Expect = Literal["html", "xml", "json"]
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Cached:
    """Validators kept for a URL, and the memo a 304 must give back (a listing's links)."""

    etag: str | None
    last_modified: str | None
    memo: str | None = None
    checked_at: datetime | None = None  # when the site last confirmed (200 or 304) them
    failures: int = 0  # failed reads in a row (checked_at: the last one)
    failure: str | None = None  # why
    size: int | None = None  # bytes of a page that was over the limit
    redirect: str | None = None  # the chain a listed URL took (redirects.Redirect, JSON)


class ValidatorCache(Protocol):
    """Where validators live between runs (the core backs it by the store)."""

    def get(self, url: str) -> Cached | None: ...

    def get_many(self, urls: Collection[str]) -> dict[str, Cached]: ...

    def put(self, url: str, cached: Cached, *, status: int) -> None: ...

    def fail(self, url: str, cached: Cached, *, status: int) -> int: ...


@dataclass(frozen=True)
class Page:
    url: str  # as requested
    final_url: str  # after redirects: base for relative links
    status: int  # 200, or 304 when the cached validators still hold
    text: str = ""
    content_type: str = ""
    encoding: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    size: int = 0
    memo: str | None = None  # with a 304: what was remembered with the validators
    # Not requested at all: an old column whose stored copy stands (http.revalidate_days).
    # Reads as a 304 everywhere, but is counted apart: the site was not asked.
    kept: bool = False
    # Reached through redirects: the chain, to remember with the validators (JSON).
    redirect: str | None = None
    # The answer's `Link:` header as (rel, absolute URL) pairs: WordPress announces its
    # REST API there (rel="https://api.w.org/"), often without a <link> in the HTML.
    header_links: tuple[tuple[str, str], ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class FetchStats:
    pages_fetched: int = 0  # full responses
    not_modified: int = 0  # 304s
    kept: int = 0  # old column pages not re-validated on this run (not requested)
    bytes: int = 0
    retries: int = 0
    throttled: int = 0  # 429/503 answers: the host paused and slowed for
    failed: int = 0  # transfers that gave no usable page (HTTP errors, time-outs, cut short)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_failed(self) -> None:
        with self._lock:
            self.failed += 1

    def add(self, page: Page) -> None:
        with self._lock:
            if page.kept:
                self.kept += 1
            elif page.not_modified:
                self.not_modified += 1
            else:
                self.pages_fetched += 1
                self.bytes += page.size


def column_memo(published: datetime) -> str:
    """Kept with a stored column page's validators: what the revalidation policy needs."""
    return json.dumps({"published": published.astimezone(UTC).isoformat()})


def needs_revalidation(cached: Cached, *, now: datetime, days: int) -> bool:
    """Whether a known column page is worth a conditional GET on this run.

    A column published more than ``days`` days ago is asked about at most once every
    ``days`` days: what changes on it now is its view count, which no longer counts
    for "most read this week", while every request costs the site (and a routine run)
    a round trip. Late corrections still arrive, at most ``days`` days late. Pages
    whose publication date is not known (skipped pages, validators kept by an older
    version) are always asked. ``days`` 0 asks about every page on every run.
    """
    if days <= 0 or cached.checked_at is None or not cached.memo:
        return True
    try:
        data = json.loads(cached.memo)
        published = datetime.fromisoformat(data["published"])
    except (ValueError, TypeError, KeyError):
        return True
    if published.tzinfo is None:
        return True
    horizon = now - timedelta(days=days)
    return published >= horizon or cached.checked_at <= horizon


FIRST_RETRY_SPACING = timedelta(hours=1)
MAX_RETRY_SPACING = timedelta(days=7)


def next_try(cached: Cached) -> datetime | None:
    """When a page that failed is worth asking again: the next run after one failure,
    then after 1 h, 2 h, 4 h … (at most a week) since the last one. None: now."""
    if cached.failures < 2 or cached.checked_at is None:
        return None
    spacing: timedelta = min(FIRST_RETRY_SPACING * 2 ** (cached.failures - 2),
                             MAX_RETRY_SPACING)
    return cached.checked_at + spacing


class NotDueError(FetchError):
    """A page that failed again and again: not asked before its next try (growing
    spacing), so a broken page costs the site one request in hours, not each run."""

    def __init__(self, url: str, known: Cached, due: datetime) -> None:
        super().__init__(url, f"failed {known.failures} times in a row ({known.failure}); "
                              f"asked again after {due.isoformat(timespec='minutes')}")


class UnchangedFailureError(ExtractError):
    """A page that failed, answering 304 to its failing answer's validators: still the
    page that failed, and not downloaded again."""

    def __init__(self, url: str, known: Cached) -> None:
        super().__init__(url, f"{known.failure} (unchanged since it failed; not downloaded "
                              "again)")


def is_public(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return True  # unresolvable: the request itself will fail with a clear error
    return all(address_is_public(str(info[4][0])) for info in infos)


def address_is_public(address: str) -> bool:
    """A globally routable unicast address (not private, loopback, link-local …)."""
    parsed = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    return parsed.is_global and not parsed.is_multicast


def retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def accepts(expect: Expect, media_type: str, text: str) -> bool:
    head = text.lstrip()[:200].lower()
    if expect == "json":
        return "json" in media_type or (not media_type and head[:1] in ("{", "["))
    if expect == "xml":
        if "xml" in media_type or "rss" in media_type or "atom" in media_type:
            return True
        return head.startswith(("<?xml", "<rss", "<feed", "<urlset", "<sitemapindex"))
    if media_type in ("text/html", "application/xhtml+xml"):
        return True
    return not media_type and head.startswith(("<!doctype html", "<html"))


def ordered_map(fn: Callable[[T], R], items: Sequence[T], workers: int, *,
                batch: int = 8) -> Generator[R, None, None]:
    """``fn`` over ``items`` on ``workers`` threads; results in input order, as they come.

    ``ThreadPoolExecutor.map`` makes a future per item and wakes the consumer for each
    result; with answers as quick as 304s those wake-ups, each one more thread taking
    the GIL, cost 10-15% of a re-collection (bench/collect.py). Here the consumer
    sleeps until the next ``batch`` results are in. What ``fn`` raises is raised to the
    consumer at that item; leaving the loop early stops the workers after their
    current item.
    """
    count = len(items)
    results: list[R | None] = [None] * count
    errors: dict[int, BaseException] = {}
    ready = [False] * count
    cond = threading.Condition()
    taken = 0
    stop = False
    wait_from, wait_to = 0, 0  # the results the consumer is sleeping on

    def work() -> None:
        nonlocal taken
        while True:
            with cond:
                if stop or taken >= count:
                    return
                index = taken
                taken += 1
            result: R | None = None
            try:
                result = fn(items[index])
            except BaseException as exc:  # noqa: BLE001 - raised to the consumer instead
                errors[index] = exc
            with cond:
                results[index] = result
                ready[index] = True
                if wait_from <= index < wait_to and all(ready[wait_from:wait_to]):
                    cond.notify()

    threads = [threading.Thread(target=work, name=f"fetch-{n}", daemon=True)
               for n in range(max(1, min(workers, count)))]
    for thread in threads:
        thread.start()
    try:
        for index in range(count):
            if not ready[index]:
                with cond:
                    wait_from, wait_to = index, min(index + batch, count)
                    while not all(ready[wait_from:wait_to]):
                        cond.wait()
                    wait_to = 0
            if index in errors:
                raise errors.pop(index)
            result = results[index]
            results[index] = None  # the consumer has it now: pages are not all kept
            yield result  # type: ignore[misc]  # a worker set it before ready[index]
    finally:
        with cond:
            stop = True
        for thread in threads:
            thread.join()
