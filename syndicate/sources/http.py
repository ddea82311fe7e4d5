"""Polite HTTP for every source kind. The only module importing httpx.

``Fetcher`` wraps an injected ``httpx.Client`` (tests hand it a real client talking
to a real loopback server) and adds what a crawler of other people's sites owes
them: robots.txt, configured hosts only, no private addresses (checked before
asking and again on the address dialled: ``PublicOnlyBackend``), a per-host
concurrency limit and delay, retries that honour ``Retry-After``, conditional GETs,
a size cap, manual redirects (so every hop is checked) and a content-type check.

``file://`` URLs (the bundled sample site) go through ``FileTransport`` instead,
confined to the start URLs' folders, with an ETag from mtime + size so the 304
logic is the same as over HTTP.
"""

from __future__ import annotations

import contextvars
import dataclasses
import email.utils
import functools
import logging
import mimetypes
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import SplitResult, unquote, urljoin, urlsplit
from urllib.request import url2pathname

import httpcore
import httpx

from ..config.sources import HttpSettings
from ..errors import (
    ExtractError,
    FetchError,
    HostThrottledError,
    NotAllowedError,
    SyndicateError,
)
from ..limits import HostGate
from . import redirects
from .encoding import decode
from .fetching import (
    Cached,
    Expect,
    FetchStats,
    NotDueError,
    Page,
    UnchangedFailureError,
    ValidatorCache,
    accepts,
    address_is_public,
    is_public,
    needs_revalidation,
    next_try,
    ordered_map,
    retry_after,
)
from .hosts import HostRegistry
from .robots import MAX_BYTES as _ROBOTS_MAX_BYTES
from .robots import RobotsRules, parse_robots

log = logging.getLogger("syndicate.sources.http")

HttpClient = httpx.Client  # what the core passes around without importing httpx
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_THROTTLE_STATUSES = {429, 503}  # "slow down": the whole host waits, not only this URL
_REDIRECTS = {301, 302, 303, 307, 308}
_ACCEPT: dict[Expect, str] = {
    "html": "text/html, application/xhtml+xml",
    "xml": "application/rss+xml, application/atom+xml, application/xml, text/xml",
    "json": "application/json",
}


# -- the total deadline of one request -----------------------------------------

# When the request being made on this thread must be over (time.monotonic()). Read by
# DeadlineStream on every socket read and write, so a server that answers a byte a
# second (each read well inside timeout_s) is still cut when the deadline comes.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


@contextmanager
def _deadline(seconds: float) -> Iterator[float]:
    at = time.monotonic() + seconds
    token = _DEADLINE.set(at)
    try:
        yield at
    finally:
        _DEADLINE.reset(token)


def _within_deadline(timeout: float | None) -> float | None:
    """``timeout`` shortened to what is left of the request's total deadline."""
    at = _DEADLINE.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("total deadline reached")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the request's total deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _within_deadline(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _within_deadline(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname,
                                                    _within_deadline(timeout)))

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.SyncBackend):
    """Connects within what is left of the deadline; hands out DeadlineStreams."""

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                    ) -> httpcore.NetworkStream:
        stream = super().connect_tcp(host, port, timeout=_within_deadline(timeout),
                                     local_address=local_address,
                                     socket_options=socket_options)
        return DeadlineStream(stream)


# -- file:// ------------------------------------------------------------------


class _OverDeadline(Exception):
    """One request outlived http.total_timeout_s (turned into a FetchError by _get)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"over the total deadline of {seconds:g}s")
        self.seconds = seconds


@dataclasses.dataclass(frozen=True)
class _Retry:
    status: int  # 429 or 5xx
    wait: float | None  # from Retry-After, when the server said
    sent_at: float | None = None  # when the request left (the host gate's clock)


class FileTransport(httpx.BaseTransport):
    """Serves files under ``roots`` only; 404 for missing ones; ETag from mtime+size."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self.roots = tuple(root.resolve() for root in roots)

    def path_for(self, url: str) -> Path | None:
        path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
        if any(path == root or root in path.parents for root in self.roots):
            return path
        return None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = self.path_for(str(request.url))
        if path is None:
            return httpx.Response(403, request=request)
        try:
            stat = path.stat()
            if not path.is_file():
                return httpx.Response(404, request=request)
            etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
            modified = email.utils.format_datetime(
                datetime.fromtimestamp(stat.st_mtime, UTC), usegmt=True
            )
            headers = {"ETag": etag, "Last-Modified": modified}
            if request.headers.get("If-None-Match") == etag:
                return httpx.Response(304, headers=headers, request=request)
            content = path.read_bytes()
        except OSError:
            return httpx.Response(404, request=request)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        headers["Content-Type"] = kind
        return httpx.Response(200, headers=headers, content=content, request=request)


# -- the fetcher --------------------------------------------------------------


class Fetcher:
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
    ) -> None:
        """``now``, the run's time, turns on ``settings.revalidate_days`` in fetch_many.
        ``registry``: the run's hosts, shared with the other sources' fetchers (one
        robots.txt, one gate and one fetch per URL per host and run)."""
        self.client = client
        self.now = now
        self.settings = settings
        self.hosts = {h.lower() for h in hosts}
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
        if not self.settings.allow_private_addresses and not self.registry.public(
                host, is_public):
            raise NotAllowedError(
                url, f"{host} is a private or loopback address "
                "(set http.allow_private_addresses to allow it)"
            )

    def _gate(self, origin: str) -> HostGate:
        return self.registry.gate(origin, self.settings.per_host_concurrency,
                                  self.settings.min_delay_s)

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
        url = origin + "/robots.txt"
        known = self.cache.get(url) if self.cache is not None else None
        headers = {"User-Agent": self.settings.user_agent}
        if known is not None and known.memo is not None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        body = b""
        try:
            with self._gate(origin), _deadline(self.settings.total_timeout_s), self.client.stream(
                "GET", url, headers=headers,
                timeout=self.settings.timeout_s, follow_redirects=True,
            ) as response:
                status = response.status_code
                if status < 300:
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) >= _ROBOTS_MAX_BYTES:
                            break
        except httpx.HTTPError as exc:
            detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            return RobotsRules(refusal=f"robots.txt unreachable ({detail}): "
                                       "not fetching this host")
        if status >= 500:
            return RobotsRules(refusal=f"robots.txt answered HTTP {status}: "
                                       "not fetching this host")
        if status == 304 and known is not None and known.memo is not None:
            rules = RobotsRules(known.memo, self._agent)
        elif status >= 300:
            rules = RobotsRules(agent=self._agent)  # no robots.txt: everything is allowed
        else:
            rules = parse_robots(body, self._agent)
            etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
            if self.cache is not None and (etag or modified):
                self.cache.put(url, Cached(etag, modified, rules.text), status=status)
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

    def _get(self, url: str, current: str, parts: SplitResult, headers: dict[str, str],
             expect: Expect, known: Cached | None = None) -> Page | str:
        """One URL with retries: a Page, or the redirect target.

        A 429 or 503 is the host asking to slow down: the host's gate pauses every
        request to it (``Retry-After``) and widens its spacing, and the request waits
        its turn again; that costs no retry, but a run of throttles gives the host up.
        """
        attempts = self.settings.retries + 1
        attempt = 0
        gate = None if parts.scheme == "file" else self._gate(
            f"{parts.scheme}://{parts.netloc}")
        while True:
            if gate is not None and gate.given_up:
                raise HostThrottledError(url, gate.throttles)
            try:
                result = self._once(url, current, parts, headers, expect, gate, known)
            except _OverDeadline as exc:
                # No retry: a server this slow (or dripping on purpose) would be again.
                raise FetchError(url, f"cut at the total deadline of {exc.seconds:g}s "
                                 "(http.total_timeout_s)") from exc
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                attempt += 1
                if attempt >= attempts:
                    reason = (f"timed out after {self.settings.timeout_s:g}s"
                              if isinstance(exc, httpx.TimeoutException)
                              else f"connection failed ({type(exc).__name__}: {exc})")
                    raise FetchError(url, reason) from exc
                wait = self.settings.backoff_s * 2 ** (attempt - 1)
            else:
                if not isinstance(result, _Retry):
                    return result
                if result.status in _THROTTLE_STATUSES and gate is not None:
                    self.stats.retries += 1
                    self.stats.throttled += 1
                    pause = result.wait if result.wait is not None else self.settings.backoff_s
                    if gate.throttled(min(pause, self.settings.max_retry_wait_s),
                                      result.sent_at):
                        log.warning("%s: HTTP %s %d times in a row: leaving %s for this run",
                                    url, result.status, gate.throttles, parts.netloc)
                        raise HostThrottledError(url, gate.throttles)
                    log.info("%s: HTTP %s, host paused %.2fs, spacing now %.2fs", url,
                             result.status, pause, gate.delay)
                    continue  # the gate waits: the pause and the wider spacing
                attempt += 1
                if attempt >= attempts:
                    raise FetchError(url, f"HTTP {result.status}, still after {attempts} "
                                     f"attempt{'s' if attempts > 1 else ''}")
                wait = (result.wait if result.wait is not None
                        else self.settings.backoff_s * 2 ** (attempt - 1))
                log.info("%s: HTTP %s, retrying in %.2fs", url, result.status, wait)
            self.stats.retries += 1
            self._sleep(min(wait, self.settings.max_retry_wait_s))

    def _once(self, url: str, current: str, parts: SplitResult, headers: dict[str, str],
              expect: Expect, gate: HostGate | None,
              known: Cached | None = None) -> Page | str | _Retry:
        """One request: a Page, a redirect target, or a reason to try again."""
        request = httpx.Request("GET", current, headers=headers,
                                extensions={"timeout": self._timeout})
        if gate is None:
            response = self.files.handle_request(request)
            return self._read(url, current, response, expect, known)
        total = self.settings.total_timeout_s
        with gate as sent_at, _deadline(total) as deadline:
            try:
                response = self.client.send(request, stream=True, follow_redirects=False)
            except httpx.TimeoutException as exc:
                if time.monotonic() >= deadline:
                    raise _OverDeadline(total) from exc
                raise
            try:
                if response.status_code in _RETRY_STATUSES:
                    return _Retry(response.status_code,
                                  retry_after(response.headers.get("Retry-After")), sent_at)
                gate.succeeded()
                return self._read(url, current, response, expect, known, deadline)
            finally:
                response.close()

    def _read(self, url: str, current: str, response: httpx.Response,
              expect: Expect, known: Cached | None = None,
              deadline: float | None = None) -> Page | str:
        status = response.status_code
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")

        def failed(error: FetchError | ExtractError, size: int | None = None) -> Exception:
            # The failing answer's validators go with the error: remembered with the
            # failure, they make the next run's request conditional.
            error.answer = Cached(etag, modified, None, failure=error.reason, size=size)
            return error

        if status == 304 or status in _REDIRECTS:
            # Drain the (empty or tiny) body so the connection goes back to the pool:
            # closing an unread response drops it, and a new TCP connect per 304
            # would cost more than the 304 itself.
            drained = 0
            for chunk in response.iter_bytes():
                drained += len(chunk)
                if drained > 65_536:
                    break  # not worth keeping the connection for
        if status == 304:
            return Page(url, current, 304, etag=etag, last_modified=modified)
        if status in _REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(url, f"HTTP {status} without a Location header")
            return str(urljoin(current, location))
        if status == 403 and urlsplit(current).scheme == "file":
            raise NotAllowedError(url, "file outside the configured start folders")
        if status >= 400:
            raise failed(FetchError(url, f"HTTP {status}"))
        limit = self.settings.max_page_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise failed(FetchError(url, f"page is {int(declared):,} bytes, over the "
                                    f"{limit:,}-byte limit (http.max_page_bytes)"),
                         int(declared))
        if (known is not None and known.size is not None and known.size > limit
                and ((etag is not None and etag == known.etag)
                     or (modified is not None and modified == known.last_modified))):
            # A site ignoring If-None-Match: the same oversize page is not downloaded again.
            raise failed(FetchError(url, f"page still over the {limit:,}-byte limit "
                                    "(unchanged since; not downloaded again)"), known.size)
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise failed(FetchError(url, f"page is over the {limit:,}-byte limit "
                                            "(http.max_page_bytes); download aborted"), size)
                chunks.append(chunk)
                if deadline is not None and time.monotonic() >= deadline:
                    # also with a client not built here (no DeadlineStream under it)
                    raise _OverDeadline(self.settings.total_timeout_s)
        except httpx.HTTPError as exc:
            if deadline is not None and time.monotonic() >= deadline:
                raise _OverDeadline(self.settings.total_timeout_s) from exc
            raise failed(FetchError(url, f"response cut short ({type(exc).__name__}: "
                                    f"{exc})")) from exc
        content = b"".join(chunks)
        media_type, _, params = response.headers.get("Content-Type", "").partition(";")
        media_type = media_type.strip().lower()
        charset = None
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset":
                charset = value.strip().strip('"')
        if not content.strip():
            raise failed(ExtractError(url, f"empty response (HTTP {status}, 0 bytes of "
                                      "content)"))
        if expect == "json":
            text, encoding = content.decode("utf-8", "replace"), "utf-8"
        else:
            text, encoding = decode(content, charset)
        if not accepts(expect, media_type, text):
            raise failed(ExtractError(url, f"content type {media_type or 'missing'!r} is "
                                      f"not {expect}"))
        return Page(url, current, status, text, media_type, encoding, etag, modified, size)

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


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _redirect_port_checked(url: str, current: str, target: SplitResult) -> SplitResult:
    """A redirect may go to a configured host, but only on a web port: the scheme's
    default one, or the port of the URL that redirected. "https://site/" answering
    "Location: http://site:6379/" must not make us talk to its Redis."""
    try:
        port = target.port or _DEFAULT_PORTS.get(target.scheme)
        origin = urlsplit(current)
        origin_port = origin.port or _DEFAULT_PORTS.get(origin.scheme)
    except ValueError as exc:  # a port out of range or not a number
        raise FetchError(url, f"redirect to an invalid address ({exc})") from exc
    if target.scheme in _DEFAULT_PORTS and port not in (_DEFAULT_PORTS[target.scheme],
                                                       origin_port):
        raise NotAllowedError(url, f"redirect to port {port} of {target.hostname}: only its "
                              "default port or the redirecting page's port is followed")
    return target


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes tens of milliseconds: once per process, not per run.
    return httpx.create_ssl_context()  # what httpx.Client would build (certifi CAs)


class PublicOnlyBackend(DeadlineBackend):
    """Dials only public addresses, checked on the address actually dialled.

    ``Fetcher`` refuses private hosts before asking, but a name can resolve to a
    public address for that check and to 10.0.0.5 a moment later, when the connection
    is made (DNS rebinding). Here the name is resolved once, every address it gave is
    checked, and that checked address is the one connected to. TLS still verifies the
    certificate against the host name: httpcore passes it as the server name.
    """

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"{host}: {exc.strerror or exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        private = [address for address in addresses if not address_is_public(address)]
        if private or not addresses:
            raise httpcore.ConnectError(
                f"{host} resolves to a private or loopback address ({', '.join(private)}); "
                "not connecting")
        return super().connect_tcp(addresses[0], port, timeout=timeout,
                                   local_address=local_address, socket_options=socket_options)


def build_client(settings: HttpSettings) -> httpx.Client:
    """The production client: our timeouts (``total_timeout_s`` on every socket read),
    no automatic redirects, and unless ``allow_private_addresses``, direct connections
    to public addresses only."""
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=16)
    client = httpx.Client(
        verify=_tls_context(),
        limits=limits,
        timeout=httpx.Timeout(settings.timeout_s),
        follow_redirects=False,
        headers={"User-Agent": settings.user_agent},
    )
    # httpx takes no network backend, but the pool of its default transport (an
    # httpcore.ConnectionPool) does. Replacing only that pool keeps the proxies
    # httpx reads from the environment (a proxy dials for itself).
    # tests/test_collect_http.py fails if a new httpx moves these attributes.
    transport = client._transport
    if not isinstance(transport, httpx.HTTPTransport):
        raise TypeError(f"unexpected httpx default transport {type(transport).__name__}")
    transport._pool = httpcore.ConnectionPool(
        ssl_context=_tls_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=(DeadlineBackend() if settings.allow_private_addresses
                         else PublicOnlyBackend()),
    )
    return client


def host_of(url: str) -> str | None:
    return urlsplit(url).hostname
