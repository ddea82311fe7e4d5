"""One round trip a message: the next message's commands follow the end of data.

``ChainingRelay`` is a real SMTP server on loopback (asyncio streams, PIPELINING
offered) that answers a message's end of data only once the next message's MAIL FROM
has arrived, except for the last message it expects. A client that waits for that
answer before announcing the next message never gets it: only a sender that chains
delivers anything.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from syndicate.config.newsletters import SmtpSettings
from syndicate.deliver.message import MailMessage
from syndicate.deliver.smtp import SmtpTransport
from syndicate.errors import DeliveryError, PermanentDeliveryError

from .delivery_helpers import free_port


@dataclass
class ChainingRelay:
    expected: int  # messages the test sends; the last one is answered at once
    data_replies: dict[str, str] = field(default_factory=dict)  # recipient -> end-of-data reply
    refuse: set[str] = field(default_factory=set)  # RCPT answered 550
    received: list[tuple[str, bytes]] = field(default_factory=list)  # (recipient, content)
    connections: int = 0

    async def session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._converse(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client hung up (after a refusal it drops the connection)
        finally:
            writer.close()

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        writer.write(b"220 relay.test ESMTP\r\n")
        recipient: str | None = None
        line = await reader.readline()
        while line:
            command = line.decode("ascii").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                writer.write(b"250-relay.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
            elif verb == "MAIL":
                recipient = None
                writer.write(b"250 2.1.0 OK\r\n")
            elif verb == "RCPT":
                address = command.split("<", 1)[1].rstrip(">")
                if address in self.refuse:
                    writer.write(b"550 5.1.1 no such user\r\n")
                else:
                    recipient = address
                    writer.write(b"250 2.1.5 OK\r\n")
            elif verb == "DATA":
                if recipient is None:
                    writer.write(b"554 5.5.1 no valid recipients\r\n")
                else:
                    writer.write(b"354 go ahead\r\n")
                    await writer.drain()
                    content = await reader.readuntil(b"\r\n.\r\n")
                    self.received.append((recipient, content))
                    reply = self.data_replies.get(recipient, "250 2.0.0 queued")
                    line = b""
                    if len(self.received) < self.expected:
                        line = await reader.readline()  # the next message's MAIL FROM
                    writer.write(reply.encode("ascii") + b"\r\n")
                    await writer.drain()
                    if line:
                        continue  # handled as the next command
                    line = await reader.readline()
                    continue
            elif verb == "QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 OK\r\n")
            await writer.drain()
            line = await reader.readline()


@contextmanager
def chaining_relay(relay: ChainingRelay) -> Iterator[int]:
    loop = asyncio.new_event_loop()
    port = free_port()
    server = loop.run_until_complete(asyncio.start_server(relay.session, "127.0.0.1", port))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        async def stop() -> None:
            server.close()
            await server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def _messages(n: int) -> list[MailMessage]:
    return [MailMessage(f"<m{i}@alwaha.example>", "digest@alwaha.example",
                        f"r{i}@example.org",
                        (f"Subject: {i}\r\nMessage-ID: <m{i}@alwaha.example>\r\n\r\n"
                         f"body {i}\r\n").encode("ascii"), wire_ready=True)
            for i in range(n)]


def _send_through(relay: ChainingRelay, count: int) -> list[DeliveryError | None]:
    """``count`` messages as one batch over one connection; each one's outcome."""
    with chaining_relay(relay) as port:
        transport = SmtpTransport(SmtpSettings.model_validate({
            "host": "127.0.0.1", "port": port, "security": "none", "connections": 1,
            "rate_per_s": 10_000, "retries": 0, "timeout_s": 3}))
        try:
            return transport.send_batch(_messages(count), threading.Event()).result(timeout=30)
        finally:
            transport.close()


def test_each_message_announces_the_next_with_its_end_of_data() -> None:
    relay = ChainingRelay(expected=5)
    assert _send_through(relay, 5) == [None] * 5
    assert [r for r, _ in relay.received] == [f"r{i}@example.org" for i in range(5)]
    assert [c.split(b"\r\n\r\n", 1)[1] for _, c in relay.received] == [
        f"body {i}\r\n.\r\n".encode() for i in range(5)]
    assert relay.connections == 1


def test_a_refusal_is_the_refused_messages_own_when_the_next_was_announced() -> None:
    """Message 2's end of data is refused after message 3 was announced with it, and
    message 3's recipient is refused: each refusal lands on its own message, the
    announcement dies with the connection, and everything else arrives once."""
    relay = ChainingRelay(expected=5, data_replies={"r2@example.org": "552 5.2.2 mailbox full"},
                          refuse={"r3@example.org"})
    results = _send_through(relay, 6)
    assert [type(r).__name__ if r else None for r in results] == [
        None, None, "PermanentDeliveryError", "PermanentDeliveryError", None, None]
    assert isinstance(results[2], PermanentDeliveryError)
    assert results[2].address == "r2@example.org" and "552" in results[2].reason
    assert isinstance(results[3], PermanentDeliveryError)
    assert results[3].address == "r3@example.org" and "550" in results[3].reason
    delivered = [r for r, _ in relay.received if r != "r2@example.org"]
    assert delivered == ["r0@example.org", "r1@example.org", "r4@example.org",
                         "r5@example.org"]
