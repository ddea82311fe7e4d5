"""The SMTP wire under ``smtp.SmtpTransport``: DATA and pipelined sessions.

Once aiosmtplib has connected, greeted, secured and logged in, a message goes out
here: ``PipelinedSession`` (relays offering PIPELINING) or ``send_data`` (the others),
both sending our ready-made CRLF bytes without re-scanning them. The pool, the event
loop, pacing, retries and the classification of failures stay in ``smtp.py``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import aiosmtplib

from .message import MailMessage


async def send_data(client: aiosmtplib.SMTP, message: MailMessage) -> None:
    """DATA, without aiosmtplib's two regular-expression passes over the message.

    aiosmtplib rewrites every line ending and dot-stuffs the whole message on each
    send: 2-3 ms of CPU for a 90 KB digest, more than everything else we do per
    message (measured with bench/smtp.py and py-spy). Our messages are built with
    CRLF line endings and no line starting with a dot (base64 bodies, ASCII
    headers: ``wire_ready``), so there is nothing to rewrite; any other message
    goes through ``client.data`` as before. The two replies are read the way
    aiosmtplib's own ``execute_data_command`` does (its command lock and flag).
    This path serves relays without PIPELINING; ``PipelinedSession`` the others.
    """
    data = message.data
    protocol: Any = client.protocol
    lock = getattr(protocol, "_command_lock", None)
    if lock is None or not message.wire_ready:
        await client.data(data)
        return
    try:
        async with lock:
            protocol._response_pending = True
            protocol.write(b"DATA\r\n")
            start = await protocol.read_response(timeout=client.timeout)
            if start.code != 354:
                raise aiosmtplib.SMTPDataError(start.code, start.message)
            protocol._response_pending = True
            protocol.write(data)
            protocol.write(b".\r\n")
            done = await protocol.read_response(timeout=client.timeout)
            if done.code != 250:
                raise aiosmtplib.SMTPDataError(done.code, done.message)
    except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError):
        client.close()
        raise


_LINE_ENDINGS = re.compile(rb"\r\n|\n|\r(?!\n)")
_LEADING_DOT = re.compile(rb"(?m)^\.")


def on_the_wire(message: MailMessage) -> bytes:
    """The DATA payload: CRLF line endings, leading dots doubled (RFC 5321 4.5.2).

    Messages built by ``MessageFactory`` already are (``wire_ready``): scanning 100 KB
    again per message was a fifth of the event loop's time."""
    data = message.data
    if message.wire_ready:
        return data
    data = _LINE_ENDINGS.sub(b"\r\n", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return _LEADING_DOT.sub(b"..", data)


class PipelinedSession(asyncio.Protocol):
    """Our end of a connection once aiosmtplib has greeted, secured and logged in.

    With a relay that offers PIPELINING (RFC 2920), MAIL FROM, RCPT TO and DATA go in
    one write and their three replies are read together: two round trips per message
    instead of four, and none of aiosmtplib's per-command machinery. aiosmtplib cannot
    do this itself (its protocol drops a reply that arrives before it is awaited), so
    the connection's transport is handed to this protocol after login. Failures raise
    aiosmtplib's own exceptions, so ``smtp._classify`` reads them as before.
    """

    def __init__(self, transport: asyncio.WriteTransport) -> None:
        self._transport = transport
        self._buffer = bytearray()
        self._waiter: asyncio.Future[None] | None = None
        self._lost: str | None = None
        self._announced: MailMessage | None = None  # its commands went out with the last "."

    @classmethod
    def take_over(cls, client: aiosmtplib.SMTP) -> PipelinedSession | None:
        transport: Any = client.transport
        if transport is None or not hasattr(transport, "set_protocol"):
            return None
        session = cls(transport)
        transport.set_protocol(session)
        return session

    # -- asyncio.Protocol ---------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        self._wake()

    def eof_received(self) -> bool:
        self.connection_lost(None)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost = str(exc) if exc else "the relay closed the connection"
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    # -- replies ------------------------------------------------------------------

    def _parsed(self) -> tuple[int, str] | None:
        lines: list[str] = []
        offset = 0
        while (end := self._buffer.find(b"\n", offset)) != -1:
            line = bytes(self._buffer[offset : end + 1])
            offset = end + 1
            lines.append(line[4:].strip().decode("utf-8", "replace"))
            if line[3:4] != b"-":
                del self._buffer[:offset]
                if not line[:3].isdigit():
                    raise aiosmtplib.SMTPResponseException(-1, f"malformed reply {line[:80]!r}")
                return int(line[:3]), "\n".join(lines)
        return None

    async def _reply(self, timeout: float) -> tuple[int, str]:
        while (parsed := self._parsed()) is None:
            if self._lost is not None:
                raise aiosmtplib.SMTPServerDisconnected(self._lost)
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(timeout):
                    await self._waiter
            except TimeoutError as exc:
                raise aiosmtplib.SMTPReadTimeoutError("timed out waiting for the relay") from exc
            finally:
                self._waiter = None
        return parsed

    def _write(self, data: bytes) -> None:
        if self._lost is not None or self._transport.is_closing():
            raise aiosmtplib.SMTPServerDisconnected(self._lost or "connection closed")
        self._transport.write(data)

    async def send(
        self, message: MailMessage, timeout: float,
        then: Callable[[], MailMessage | None] | None = None,
    ) -> MailMessage | None:
        """Hand ``message`` over; the message announced with its end of data, if any.

        ``then`` is asked for the next message once this one's DATA is accepted: its
        MAIL FROM, RCPT TO and DATA go out in the same write as this one's closing "."
        (RFC 2920 lets a group start after the end of data), so a message costs one
        round trip instead of two. The caller sends that message next, on this session.
        """
        if self._announced is message:
            self._announced = None  # its commands are on the wire already
        else:
            self._write(_commands(message))
        mail = await self._reply(timeout)
        rcpt = await self._reply(timeout)
        start = await self._reply(timeout)
        if mail[0] != 250:
            raise aiosmtplib.SMTPSenderRefused(mail[0], mail[1], message.sender)
        if rcpt[0] not in (250, 251):
            raise aiosmtplib.SMTPRecipientRefused(rcpt[0], rcpt[1], message.recipient)
        if start[0] != 354:
            raise aiosmtplib.SMTPDataError(start[0], start[1])
        following = then() if then is not None else None
        self._write(on_the_wire(message))
        self._write(b".\r\n" + (_commands(following) if following is not None else b""))
        self._announced = following
        done = await self._reply(timeout)
        if done[0] != 250:
            raise aiosmtplib.SMTPDataError(done[0], done[1])
        return following

    async def quit(self, timeout: float) -> None:
        try:
            self._write(b"QUIT\r\n")
            await self._reply(min(timeout, 5.0))
        except (aiosmtplib.SMTPException, OSError):
            pass
        self.close()

    def close(self) -> None:
        if not self._transport.is_closing():
            self._transport.close()


def _commands(message: MailMessage) -> bytes:
    return (b"MAIL FROM:<%s>\r\nRCPT TO:<%s>\r\nDATA\r\n"
            % (message.sender.encode("ascii"), message.recipient.encode("ascii")))


def socket_of(client: aiosmtplib.SMTP) -> Any:
    transport = client.transport
    return transport.get_extra_info("socket") if transport is not None else None
