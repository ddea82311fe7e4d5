"""SMTP relay transport: with ``smtp_wire.py`` (DATA, pipelining), the only modules that
import aiosmtplib.

aiosmtplib is asynchronous; the digest sender is not. One event loop runs in a
daemon thread and owns every connection (``smtp.connections``), kept open across
the whole run. ``send_batch`` hands a whole batch to the loop in one hop and
returns at once; the loop keeps all connections busy with it while the caller
claims and builds the next batch. On a pipelining relay a message's end of data
carries the next message's commands (``smtp_wire.PipelinedSession.send``): one round
trip a message. ``send`` (one message, blocking) serves the
confirmation mails. Hand-overs are paced by a shared rate limit (the lower of
``smtp.rate_per_s`` and ``delivery.rate_per_s``).

Failures are classified once, here, by ``replies.classify``: a 5xx naming the
recipient is a bounce (``PermanentDeliveryError``); a recipient's 4xx is a
``DeliveryError`` (retried on the sender's schedule); anything about the relay or
us (login, MAIL FROM, relaying denied, time-outs, dropped connections) is a
``RelayError``, never a subscriber's fault. The relay's passing trouble is retried
here with exponential backoff before it is reported.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import Future
from typing import Any, TypeVar

import aiosmtplib

from ..config.newsletters import SmtpSettings
from ..errors import DeliveryError, RelayError
from . import NotAttempted
from .message import MailMessage
from .pacing import Pacer
from .replies import Stage, classify
from .smtp_wire import PipelinedSession, send_data, socket_of

T = TypeVar("T")


def _classify(address: str, exc: BaseException) -> DeliveryError:
    """Map an aiosmtplib failure to our tree (the rules are in ``replies``)."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        first = exc.recipients[0]
        return classify(address, Stage.RCPT, first.code, first.message)
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
        return classify(address, Stage.RCPT, exc.code, exc.message)
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return classify(address, Stage.AUTH, exc.code, exc.message)
    if isinstance(exc, aiosmtplib.SMTPSenderRefused):
        return classify(address, Stage.MAIL, exc.code, exc.message)
    if isinstance(exc, aiosmtplib.SMTPDataError):
        return classify(address, Stage.DATA, exc.code, exc.message)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return classify(address, Stage.CONNECT, exc.code, exc.message)
    return classify(address, Stage.CONNECT, None, f"{type(exc).__name__}: {exc}")


class SmtpTransport:
    name = "smtp"
    exact_recovery = False  # a relay keeps no receipt we can ask for

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        rate_per_s: float | None = None,
        cert_bundle: str | None = None,
    ) -> None:
        self.settings = settings
        self._cert_bundle = cert_bundle or settings.cert_bundle
        self.concurrency = settings.connections
        rates = [r for r in (settings.rate_per_s, rate_per_s) if r]
        self._pacer = Pacer(min(rates) if rates else None)
        self._password = settings.password.value() if settings.password is not None else None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="syndicate-smtp", daemon=True
        )
        self._thread.start()
        self._pool: asyncio.Queue[aiosmtplib.SMTP] = self._run(self._make_pool())
        self._closing: list[Any] = []  # sockets of closed connections, until really closed
        self._sessions: dict[int, PipelinedSession] = {}  # pipelining connections, by id(client)
        self._chain = True  # announce the next message with an end of data (bench compares)
        self._closed = False

    # -- the loop thread -----------------------------------------------------

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    async def _make_pool(self) -> asyncio.Queue[aiosmtplib.SMTP]:
        pool: asyncio.Queue[aiosmtplib.SMTP] = asyncio.Queue()
        for _ in range(self.settings.connections):
            pool.put_nowait(self._client())
        return pool

    def _client(self) -> aiosmtplib.SMTP:
        s = self.settings
        return aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            username=s.username,
            password=self._password if s.username else None,
            timeout=s.timeout_s,
            use_tls=s.security == "tls",
            start_tls=s.security == "starttls",
            validate_certs=s.validate_certs,
            cert_bundle=self._cert_bundle,
        )

    async def _attempt(
        self, message: MailMessage, then: Callable[[], MailMessage | None] | None,
        client: aiosmtplib.SMTP | None,
    ) -> aiosmtplib.SMTP | None:
        """One try at handing ``message`` over, on ``client`` (whose session announced
        it) or a pooled connection. Returns the connection when its session announced
        the next message (``then``): the caller sends that one on it, next."""
        if client is None:
            client = await self._pool.get()
        session = self._sessions.get(id(client))
        kept = False
        try:
            if session is None and not client.is_connected:
                await client.connect()
                if client.is_ehlo_or_helo_needed:  # connect() greets only to log in
                    try:
                        await client.ehlo()
                    except aiosmtplib.SMTPHeloError:
                        pass  # an old relay: mail() falls back to HELO
                if client.supports_extension("pipelining"):
                    session = PipelinedSession.take_over(client)
                    if session is not None:
                        self._sessions[id(client)] = session
            if session is not None:
                kept = await session.send(message, self.settings.timeout_s, then) is not None
                return client if kept else None
            await client.mail(message.sender)
            await client.rcpt(message.recipient)
            await send_data(client, message)
            return None
        except Exception:
            # A failed exchange may leave the session in any state (a message it
            # announced included): start afresh.
            self._closing.append(socket_of(client))
            if session is not None:
                self._sessions.pop(id(client), None)
                session.close()
            client.close()
            raise
        finally:
            if not kept:
                self._pool.put_nowait(client)

    async def _send(
        self, message: MailMessage, *, then: Callable[[], MailMessage | None] | None = None,
        client: aiosmtplib.SMTP | None = None, delay: float | None = None,
    ) -> aiosmtplib.SMTP | None:
        """``message`` handed over, with the relay's passing trouble retried; see
        ``_attempt`` for ``then``, ``client`` and what comes back. ``delay``: its pacing
        slot, when it was taken already."""
        if delay is None:
            delay = self._pacer.reserve()
        if delay > 0:
            await asyncio.sleep(delay)
        address = message.recipient
        backoff = self.settings.retry_backoff_s
        for attempt in range(self.settings.retries + 1):
            try:
                return await self._attempt(message, then, client)
            except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
                client = None  # closed by _attempt; what it announced went with it
                error = _classify(address, exc)
                # Only the relay's passing trouble is retried here, at once; a
                # recipient's 4xx waits for the retry schedule, a 5xx is final.
                retry = isinstance(error, RelayError) and not error.permanent
                if not retry or attempt == self.settings.retries:
                    raise error from exc
            await asyncio.sleep(backoff)
            backoff *= 2
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _batch(
        self, messages: Sequence[MailMessage], stop: threading.Event
    ) -> list[DeliveryError | None]:
        """Every message over the shared connections; one hop from the caller per batch.

        Each worker keeps a connection's messages coming: when a message's DATA is
        accepted it takes the next one from the queue, whose commands follow the "."
        in the same write, and sends it next on that connection. Once the relay failed
        on this batch (after its retries) the rest is not tried: the caller decides
        whether the run goes on.
        """
        results: list[DeliveryError | None] = [None] * len(messages)
        queue = deque(range(len(messages)))
        relay_failed = False

        def halted() -> bool:
            return relay_failed or stop.is_set() or self._closed

        async def worker() -> None:
            nonlocal relay_failed
            taken: int | None = None  # taken from the queue by ``following``, sent next
            taken_delay = 0.0  # its pacing slot's wait
            client: aiosmtplib.SMTP | None = None  # the connection that announced it

            def following() -> MailMessage | None:
                nonlocal taken, taken_delay
                if taken is not None or not queue or halted() or not self._chain:
                    return None
                taken, taken_delay = queue.popleft(), self._pacer.reserve()
                # Its commands go out now; its content waits for its pacing slot.
                return messages[taken]

            while taken is not None or queue:
                if taken is not None:
                    i, delay, taken = taken, taken_delay, None
                else:
                    i, delay = queue.popleft(), None
                # A message announced on a live connection is under way: finish it.
                if client is None and halted():
                    results[i] = NotAttempted(messages[i].recipient, "not tried: the run stopped")
                    continue
                try:
                    client = await self._send(messages[i], then=following, client=client,
                                              delay=delay)
                except DeliveryError as exc:
                    client = None
                    results[i] = exc
                    relay_failed = relay_failed or isinstance(exc, RelayError)

        await asyncio.gather(*(worker() for _ in range(min(self.concurrency, len(messages)))))
        return results

    async def _close_all(self) -> None:
        while not self._pool.empty():
            client = self._pool.get_nowait()
            session = self._sessions.pop(id(client), None)
            if session is not None:
                self._closing.append(socket_of(client))
                await session.quit(self.settings.timeout_s)
                client.close()
            elif client.is_connected:
                self._closing.append(socket_of(client))
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError):
                    client.close()
        # asyncio closes a socket some loop turns after close() (a TLS one only after
        # the close_notify exchange): wait for that before the loop stops for good.
        # aiosmtplib closes a connection that failed while connecting by itself, out
        # of our sight: the short grace period is for those.
        await asyncio.sleep(0.05)
        for _ in range(300):
            if all(sock is None or sock.fileno() == -1 for sock in self._closing):
                break
            await asyncio.sleep(0.01)

    # -- the Transport protocol ----------------------------------------------

    def send(self, message: MailMessage) -> None:
        if self._closed:
            raise DeliveryError(message.recipient, "SMTP transport is closed")
        self._run(self._send(message))

    def send_batch(
        self, messages: Sequence[MailMessage], stop: threading.Event
    ) -> Future[list[DeliveryError | None]]:
        return asyncio.run_coroutine_threadsafe(self._batch(messages, stop), self._loop)

    def already_delivered(self, message_id: str) -> bool:
        # SMTP keeps no receipt we can ask for: see the package docstring for why
        # an unknown hand-over is sent again with the same Message-ID.
        return False

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._run(self._close_all())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            self._loop.close()
