"""Polite HTTP for every source kind. The fetcher itself.

``Fetcher`` wraps an injected ``httpx.Client`` (tests hand it a real client talking
to a real loopback server) and adds what a crawler of other people's sites owes
them: robots.txt, configured hosts only, no private addresses (checked before
asking and again on the address dialled: ``PublicOnlyBackend``), a per-host
concurrency limit and delay, retries that honour ``Retry-After``, conditional GETs,
a size cap, manual redirects (so every hop is checked) and a content-type check.

The pieces it stands on, each in its own module of this package: ``sending`` (one
request to a host: its gate, the deadline, retries and throttles; the fetcher's base
class), ``client`` (the production client and its checked network backend),
``deadline``, ``files`` (``file://``), ``policy`` (retry, redirect and port decisions),
``reading`` (one answer into a Page) and ``robots_txt``.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

import httpx

from ...config.sources import HttpSettings
from ...errors import (
    ExtractError,
    FetchError,
    HostThrottledError,
    NotAllowedError,
    SyndicateError,
)
from .. import redirects
from ..fetching import (
    Cached,
    Expect,
    FetchStats,
    NotDueError,
    Page,
    UnchangedFailureError,
    ValidatorCache,
    is_public,
    needs_revalidation,
    next_try,
    ordered_map,
)
from ..hosts import HostRegistry
from ..robots import RobotsRules
from .files import FileTransport
from .policy import _ACCEPT, _redirect_port_checked, port_refusal
from .robots_txt import load_robots
from .sending import HostRequests

log = logging.getLogger("syndicate.sources.http")  # the name it had as one module


class Fetcher(HostRequests):
    def __init__(
        self,
        client: httpx.Client,
        settings: HttpSettings,
        *,
        hosts: Iterable[str] = (),
        file_roots: Iterable[Path] = (),
        cache: ValidatorCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        now: datetime | None = None,
        registry: HostRegistry | None = None,
        ports: Mapping[str, Collection[int]] | None = None,
    ) -> None:
        """``now``, the run's time, turns on ``settings.revalidate_days`` in fetch_many.
        ``registry``: the run's hosts, shared with the other sources' fetchers (one
        robots.txt, one gate and one fetch per URL per host and run). ``ports``: per
        host, the ports besides the scheme's default its pages may be asked on (None:
        any port, for callers that name hosts only)."""
        self.client = client
        self.now = now
        self.settings = settings
        self.hosts = {h.lower() for h in hosts}
        self.ports = None if ports is None else {h.lower(): frozenset(p)
                                                 for h, p in ports.items()}
        self.files = FileTransport(file_roots)
        self.cache = cache
        self.stats = FetchStats()
        self._sleep = sleep
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self.registry = registry or HostRegistry(sleep=sleep, monotonic=monotonic,
                                                 max_throttles=settings.max_throttles)
        self._prefetched: dict[str, Cached | None] = {}
        self._agent = settings.user_agent.split("/")[0].split()[0] or "*"
        # Built once per run rather than once per request.
        self._timeout = httpx.Timeout(settings.timeout_s).as_dict()
        self._headers: dict[Expect, dict[str, str]] = {
            expect: {"User-Agent": settings.user_agent, "Accept": accept}
            for expect, accept in _ACCEPT.items()
        }

    # -- checks --------------------------------------------------------------

    def check_allowed(self, url: str) -> None:
        """Raise NotAllowedError unless ``url`` may be fetched at all."""
        self._check_allowed(url, urlsplit(url))

    def _check_allowed(self, url: str, parts: SplitResult) -> None:
        if parts.scheme == "file":
            if self.files.path_for(url) is None:
                raise NotAllowedError(url, "file outside the configured start folders")
            return
        if parts.scheme not in ("http", "https"):
            raise NotAllowedError(url, f"unsupported URL scheme {parts.scheme!r}")
        host = (parts.hostname or "").lower()
        if host not in self.hosts:
            raise NotAllowedError(url, f"host {host!r} is not a configured host of this source")
        refusal = None if self.ports is None else port_refusal(parts,
                                                               self.ports.get(host, ()))
        if refusal is not None:
            raise NotAllowedError(url, refusal)
        if not self.settings.allow_private_addresses and not self.registry.public(
                host, is_public):
            raise NotAllowedError(
                url, f"{host} is a private or loopback address "
                "(set http.allow_private_addresses to allow it)"
            )

    def _check_robots(self, url: str, parts: SplitResult) -> None:
        if not self.settings.respect_robots or parts.scheme == "file":
            return
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self.registry.robots(origin, lambda: self._load_robots(origin))
        if rules.refusal is not None:
            raise NotAllowedError(url, rules.refusal)
        if not rules.allows(url):
            raise NotAllowedError(url, "disallowed by robots.txt")

    def sitemaps(self, url: str) -> list[str]:
        """The ``Sitemap:`` lines of the robots.txt of ``url``'s host (the copy the
        politeness checks read, asked once per run); none when it could not be read."""
        parts = urlsplit(url)
        if not self.settings.respect_robots or parts.scheme == "file":
            return []
        origin = f"{parts.scheme}://{parts.netloc}"
        return self.registry.robots(origin, lambda: self._load_robots(origin)).sitemaps

    def _load_robots(self, origin: str) -> RobotsRules:
        """robots.txt, asked with the validators kept from the last run (its text is
        kept with them, so a 304 costs no parse of a stale copy)."""
        rules = load_robots(self.client, self.settings, self.cache, self._gate(origin),
                            origin, self._agent)
        if rules.crawl_delay:
            self.registry.gate(origin, self.settings.per_host_concurrency,
                               max(rules.crawl_delay, self.settings.min_delay_s))
        return rules

    # -- fetching ------------------------------------------------------------

    def fetch(self, url: str, *, expect: Expect = "html", conditional: bool = True) -> Page:
        """GET ``url`` politely; a 304 comes back as a Page with ``not_modified``.

        A URL that redirected last time is asked at the end of its remembered chain,
        with that page's validators (``redirects``), and walked again only when due or
        when its end fails. Once per run: another source listing the same URL gets the
        same answer."""
        parts = urlsplit(url)
        self._check_allowed(url, parts)  # per source: its configured hosts
        self._check_robots(url, parts)
        if parts.scheme == "file":
            return self._fetch(url, parts, expect, conditional)
        return self.registry.once(url, f"{expect}/{conditional}",
                                  lambda: self._fetch(url, parts, expect, conditional))

    def _fetch(self, url: str, parts: SplitResult, expect: Expect, conditional: bool) -> Page:
        try:
            return self._fetch_once(url, parts, expect, conditional)
        except (NotAllowedError, NotDueError, HostThrottledError, UnchangedFailureError):
            raise  # not asked for, or nothing new to remember
        except (FetchError, ExtractError) as exc:
            self.stats.add_failed()  # asked for, and no usable page came back
            answer = (exc.answer if isinstance(exc.answer, Cached)
                      else Cached(None, None, failure=exc.reason))
            if self.cache is not None:
                self.cache.fail(url, answer, status=0)
            raise

    def remember_failure(self, page: Page, reason: str) -> None:
        """A page fetched in full that could not be read (truncated, no column in it):
        its validators and a failure, so the next run asks conditionally."""
        if self.cache is not None and not page.not_modified:
            self.cache.fail(page.url, Cached(page.etag, page.last_modified, failure=reason,
                                             size=page.size), status=page.status)

    def _fetch_once(self, url: str, parts: SplitResult, expect: Expect,
                    conditional: bool) -> Page:
        headers = dict(self._headers[expect])
        known = self._known(url) if conditional else None
        if known is not None and known.failures:
            due = next_try(known)
            if due is not None and due > (self.now or datetime.now(UTC)):
                raise NotDueError(url, known, due)
        validators: dict[str, str] = {}
        if known is not None:
            if known.etag:
                validators["If-None-Match"] = known.etag
            if known.last_modified:
                validators["If-Modified-Since"] = known.last_modified
        chain = redirects.loads(known.redirect) if known is not None else None
        if chain is not None and not chain.due:
            page = self._at_chain_end(url, chain, {**headers, **validators}, expect, known)
            if page is not None:
                return self._done(url, page, known)
        seen = [url]
        current = url
        while True:
            # Validators go with the URL they belong to: the listed one, or the end of
            # the chain it took last time.
            ask = ({**headers, **validators}
                   if current == (chain.final if chain is not None else url) else headers)
            page_or_next = self._get(url, current, parts, ask, expect, known)
            if isinstance(page_or_next, Page):
                if len(seen) > 1:
                    walked = redirects.Redirect(current, tuple(seen))
                    page_or_next = dataclasses.replace(page_or_next, redirect=walked.dumps())
                return self._done(url, page_or_next, known)
            target = page_or_next
            if target in seen:
                raise FetchError(url, "redirect loop: " + " → ".join([*seen, target]))
            if len(seen) > self.settings.max_redirects:
                raise FetchError(url, f"more than {self.settings.max_redirects} redirects")
            parts = _redirect_port_checked(url, current, urlsplit(target))
            self._check_allowed(target, parts)
            self._check_robots(target, parts)
            seen.append(target)
            current = target

    def _done(self, url: str, page: Page, known: Cached | None) -> Page:
        if page.not_modified and known is not None:
            if known.failures and known.memo is None:
                self.stats.add(page)  # a 304 all the same
                raise UnchangedFailureError(url, known)
            page = dataclasses.replace(page, memo=known.memo)
            if page.redirect and self.cache is not None:
                # The 304 is not remembered by the caller: count this use of the chain.
                self.cache.put(page.url, dataclasses.replace(known, redirect=page.redirect),
                               status=304)
        self.stats.add(page)
        return page

    def _at_chain_end(self, url: str, chain: redirects.Redirect, headers: dict[str, str],
                      expect: Expect, known: Cached | None) -> Page | None:
        """The final URL of a remembered chain, asked directly; None when that fails
        (gone, moved again, refused), so that the chain is walked again."""
        parts = urlsplit(chain.final)
        try:
            self._check_allowed(chain.final, parts)
            self._check_robots(chain.final, parts)
            page = self._get(url, chain.final, parts, headers, expect, known)
        except SyndicateError as exc:
            log.info("%s: the end of its redirect chain, %s, failed (%s); walking it again",
                     url, chain.final, exc)
            return None
        if not isinstance(page, Page):
            log.info("%s: %s now redirects to %s; walking the chain again", url, chain.final,
                     page)
            return None
        return dataclasses.replace(page, redirect=chain.used().dumps())

    def _known(self, url: str) -> Cached | None:
        with self._lock:
            if url in self._prefetched:
                return self._prefetched.pop(url)
        return self.cache.get(url) if self.cache is not None else None

    def fetch_many(
        self, urls: Iterable[str], *, expect: Expect = "html", conditional: bool = True
    ) -> Iterator[tuple[str, Page | SyndicateError]]:
        """Fetch several URLs concurrently (per-host limits still apply), in input order."""
        url_list = list(urls)
        if not url_list:
            return
        kept: dict[str, Page] = {}
        if conditional and self.cache is not None:
            # One query for the lot: a lookup per URL from every worker thread costs
            # more than the 304 it prepares.
            found = self.cache.get_many(url_list)
            if self.now is not None and self.settings.revalidate_days:
                for url, cached in found.items():
                    if not needs_revalidation(cached, now=self.now,
                                              days=self.settings.revalidate_days):
                        kept[url] = Page(url, url, 304, etag=cached.etag, memo=cached.memo,
                                         last_modified=cached.last_modified, kept=True)
            with self._lock:
                self._prefetched.update({url: found.get(url) for url in url_list
                                         if url not in kept})
        asked = [url for url in url_list if url not in kept]

        def one(target: str) -> tuple[str, Page | SyndicateError]:
            try:
                return target, self.fetch(target, expect=expect, conditional=conditional)
            except SyndicateError as exc:
                return target, exc

        if not asked:
            for url in url_list:
                yield url, self._keep(kept[url])
            return
        # More threads than the per-host gates let through would only wait (and, the
        # client being CPU-bound on a fast network, contend for the GIL).
        hosts = len({urlsplit(u).netloc for u in asked})
        workers = min(len(asked), self.settings.per_host_concurrency * hosts)
        answers = ordered_map(one, asked, workers)
        try:
            for url in url_list:
                page = kept.get(url)
                yield next(answers) if page is None else (url, self._keep(page))
        finally:
            answers.close()  # stops the workers if the caller left early

    def _keep(self, page: Page) -> Page | SyndicateError:
        """A page not asked about, unless it may no longer be fetched at all (a host
        dropped from the config, a robots.txt that now disallows it): that is said."""
        parts = urlsplit(page.url)
        try:
            self._check_allowed(page.url, parts)
            self._check_robots(page.url, parts)
        except NotAllowedError as exc:
            return exc
        self.stats.add(page)
        return page

    def remember(self, page: Page, memo: str | None = None) -> None:
        """Keep a page's validators (and ``memo``), once the caller has made use of the page."""
        if self.cache is not None and not page.not_modified and (page.etag or page.last_modified):
            self.cache.put(page.url, Cached(page.etag, page.last_modified, memo,
                                            redirect=page.redirect), status=page.status)
