"""The fetcher a collection uses: the store's fetch cache as its validators, and the
collect step's progress (pages fetched over pages to fetch) reported as it goes, so
``sources/`` knows neither the store nor the progress view."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from typing import Any

from ..config.sources import HttpSettings
from ..errors import SyndicateError
from ..progress import Progress
from ..sources.fetching import Cached, Expect, Page
from ..sources.http import Fetcher, HttpClient
from ..store import Store
from ..store.fetch_cache import Validators


class StoreValidators:
    """The fetcher's ValidatorCache, backed by the store's fetch_cache table."""

    def __init__(self, store: Store, now: datetime) -> None:
        self.store = store
        self.now = now

    def get(self, url: str) -> Cached | None:
        found = self.store.fetch_cache.get(url)
        return None if found is None else _cached(found)

    def get_many(self, urls: Collection[str]) -> dict[str, Cached]:
        return {url: _cached(v) for url, v in self.store.fetch_cache.get_many(urls).items()}

    def put(self, url: str, cached: Cached, *, status: int) -> None:
        self.store.fetch_cache.put(
            url, Validators(cached.etag, cached.last_modified, cached.memo,
                            redirect=cached.redirect), status=status, now=self.now)

    def fail(self, url: str, cached: Cached, *, status: int) -> int:
        return self.store.fetch_cache.fail(
            url, Validators(cached.etag, cached.last_modified, cached.memo,
                            failure=cached.failure, size=cached.size),
            status=status, now=self.now)


def _cached(found: Validators) -> Cached:
    return Cached(found.etag, found.last_modified, found.memo, found.fetched_at,
                  found.failures, found.failure, found.size, redirect=found.redirect)


class ReportingFetcher(Fetcher):
    """A Fetcher that reports pages fetched / to fetch, so ``sources/`` need not know.

    A page joins the total when it is asked for: a whole batch at once in
    ``fetch_many`` (the column pages of a listing), one by one for direct ``fetch``
    calls (listing pages, feeds, sitemaps, API pages, author pages on their own
    threads). ``fetch_many`` fetches on worker threads through ``fetch``; those calls
    are counted as the batch yields, so a URL of a batch being fetched is not counted
    again as direct.
    """

    def __init__(self, client: HttpClient, settings: HttpSettings, *, progress: Progress,
                 task: str, **options: Any) -> None:
        super().__init__(client, settings, **options)
        self._progress, self._task = progress, task
        self._planned = 0
        self._batched: dict[str, int] = {}  # URLs of batches being fetched (how many)
        self._counting = threading.Lock()

    def _plan(self, n: int) -> None:
        with self._counting:
            self._planned += n
            self._progress.start(self._task, self._planned)

    def fetch(self, url: str, *, expect: Expect = "html", conditional: bool = True) -> Page:
        with self._counting:
            batched = url in self._batched
        if batched:
            return super().fetch(url, expect=expect, conditional=conditional)
        self._plan(1)
        try:
            return super().fetch(url, expect=expect, conditional=conditional)
        finally:
            self._progress.advance(self._task)

    def fetch_many(
        self, urls: Iterable[str], *, expect: Expect = "html", conditional: bool = True
    ) -> Iterator[tuple[str, Page | SyndicateError]]:
        url_list = list(urls)
        self._plan(len(url_list))
        with self._counting:
            for url in url_list:
                self._batched[url] = self._batched.get(url, 0) + 1
        try:
            for answer in super().fetch_many(url_list, expect=expect,
                                             conditional=conditional):
                self._progress.advance(self._task)
                yield answer
        finally:
            with self._counting:
                for url in url_list:
                    self._batched[url] -= 1
                    if not self._batched[url]:
                        del self._batched[url]
