"""One URL asked of its host: the request on the wire, within the host's gate and the
total deadline, with retries, and the host's throttling (429/503) answered by pausing
and widening its spacing. ``Fetcher`` (``fetcher.py``) decides what to ask and with which
validators; this part of it only asks.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import SplitResult

import httpx

from ...config.sources import HttpSettings
from ...errors import FetchError, HostThrottledError
from ...limits import HostGate
from ..fetching import Cached, Expect, FetchStats, Page, retry_after
from ..hosts import HostRegistry
from .deadline import _deadline, _OverDeadline
from .files import FileTransport
from .policy import _RETRY_STATUSES, _THROTTLE_STATUSES, _Retry
from .reading import read_response

log = logging.getLogger("syndicate.sources.http")  # the fetcher's, as before the split


class HostRequests:
    """The request half of ``Fetcher`` (its base class): what it needs of the fetcher is
    declared here and set by ``Fetcher.__init__``."""

    client: httpx.Client
    settings: HttpSettings
    registry: HostRegistry
    files: FileTransport
    stats: FetchStats
    _sleep: Callable[[float], None]
    _timeout: dict[str, float | None]

    def _gate(self, origin: str) -> HostGate:
        return self.registry.gate(origin, self.settings.per_host_concurrency,
                                  self.settings.min_delay_s)

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
            return read_response(url, current, response, expect, self.settings, known)
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
                return read_response(url, current, response, expect, self.settings,
                                     known, deadline)
            finally:
                response.close()
