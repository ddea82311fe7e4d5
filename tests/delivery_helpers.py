"""Shared pieces of the delivery, subscriber and subscribe-page tests (real parts only).

* ``write_config``: a real schedules.yaml loaded by the real loader.
* ``seed_columns``: columns stored through the real repository (as collect would).
* ``SmtpSink``: a real aiosmtpd server on 127.0.0.1, whose handler can answer 451 or
  550 on demand, collecting every accepted message as bytes.
"""

from __future__ import annotations

import email
import mailbox
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from syndicate.config import Config, load
from syndicate.store import Store
from syndicate.types import Author, Column

from .loopback import serve_app

__all__ = ["serve_app"]  # callers import it from here too

NOW = datetime(2025, 9, 14, 4, 0, tzinfo=UTC)  # 07:00 in Doha, a Sunday
# Subscribers spread over several domains: a relay refusing everyone alike is told
# from one domain's dead addresses by that spread.
DOMAINS = ("example.org", "example.net", "example.com", "mail.example", "inbox.example")

AUTHORS = (
    Author("خالد المناعي", "khalid-almannai", "كاتب وباحث في الشؤون الخليجية", 412,
           "https://alwaha.example/authors/khalid-almannai",
           "https://alwaha.example/img/khalid.jpg"),
    Author("مريم الكواري", "mariam-alkuwari", "أستاذة الإعلام بجامعة قطر", 97),
    Author("Sara Lindqvist", "sara-lindqvist", "صحفية سويدية مقيمة في الدوحة", 15),
)


def write_config(tmp_path: Path, *, transport: str = "maildir", smtp_port: int | None = None,
                 extra_delivery: str = "", newsletter_extra: str = "",
                 seed: Path | None = None, base_url: str = "http://127.0.0.1:8080") -> Config:
    smtp = ""
    if transport == "smtp":
        smtp = (f"  smtp:\n    host: 127.0.0.1\n    port: {smtp_port}\n    security: none\n"
                "    connections: 2\n    rate_per_s: 1000\n    retries: 2\n"
                "    retry_backoff_s: 0.05\n    timeout_s: 5\n")
    seed_line = f"    seed_subscribers: {seed}\n" if seed else ""
    text = f"""timezone: Asia/Qatar
store: var/test.db
site:
  base_url: {base_url}
  title: الواحة
  secret: {{env: SYNDICATE_TEST_SECRET_UNSET}}
delivery:
  transport: {transport}
  maildir: outbox
  unsubscribe_mailto: unsubscribe@alwaha.example
{extra_delivery}{smtp}newsletters:
  - id: daily
    title: نشرة الواحة اليومية
    sender: "الواحة — مقالات الرأي <digest@alwaha.example>"
    reply_to: opinion@alwaha.example
    calendar: both
    bounce_limit: 2
{seed_line}{newsletter_extra}"""
    path = tmp_path / "schedules.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def column(n: int, author: Author, *, views: int | None, published: datetime) -> Column:
    return Column(
        url=f"https://alwaha.example/opinion/{n}",
        source="alwaha",
        title=f"مقال الرأي رقم {n}: الخليج والطاقة",
        author=author,
        published=published,
        body_html=f"<p>نص المقال {n} عن الاقتصاد والطاقة في الخليج.</p>",
        excerpt=f"مقتطف المقال {n}: قراءة في أسواق الطاقة وأثرها على الخليج العربي.",
        views=views,
    )


def seed_columns(store: Store, now: datetime = NOW, count: int = 6) -> list[Column]:
    """``count`` columns by the three AUTHORS, collected at ``now``."""
    stored = []
    for n in range(1, count + 1):
        col = column(n, AUTHORS[n % 3], views=1000 * n + 234,
                     published=now - timedelta(hours=2 * n))
        store.columns.upsert(col, dedupe_key=f"k{n}", seen_urls=(col.url,), now=now)
        stored.append(col)
    return stored


def read_maildir(path: Path) -> list[EmailMessage]:
    box = mailbox.Maildir(str(path), factory=None, create=False)
    out: list[EmailMessage] = []
    for key in box.keys():  # noqa: SIM118 (iterating a Maildir yields messages)
        with box.get_file(key) as handle:
            out.append(parse(handle.read()))
    return out


def parse(data: bytes) -> EmailMessage:
    parsed: EmailMessage = email.message_from_bytes(data, policy=policy.default)
    return parsed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SinkHandler:
    """aiosmtpd handler: accepts and keeps messages, or answers what the test asks."""

    messages: list[bytes] = field(default_factory=list)
    temporary_failures: int = 0  # answer 451 to this many DATA commands first
    refuse: set[str] = field(default_factory=set)  # RCPT answered 550
    lock: threading.Lock = field(default_factory=threading.Lock)
    pipelining: bool = False  # offer PIPELINING (RFC 2920) in the EHLO reply

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        return offer_pipelining(responses, self.pipelining, session, hostname)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.temporary_failures > 0:
                self.temporary_failures -= 1
                return "451 4.3.0 try again later"
            self.messages.append(bytes(envelope.original_content or envelope.content))
        return "250 Message accepted"


def offer_pipelining(responses: list[str], offer: bool, session: Any,
                     hostname: str) -> list[str]:
    """aiosmtpd's EHLO lines, with PIPELINING among them when ``offer``."""
    session.host_name = hostname  # with an EHLO hook, aiosmtpd leaves this to the hook
    if offer:
        return [responses[0], "250-PIPELINING", *responses[1:]]
    return responses


@contextmanager
def smtp_sink(handler: Any = None) -> Iterator[tuple[int, Any]]:
    """A real SMTP server on loopback with ``handler`` (a SinkHandler by default)."""
    handler = handler or SinkHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


@dataclass
class MisconfiguredRelay:
    """Refuses like a relay set up wrong: at MAIL FROM, or alike at every RCPT."""

    mail_reply: str | None = None
    rcpt_reply: str | None = None
    refuse_only: set[str] | None = None  # RCPT refusal for these addresses only
    defer: set[str] = field(default_factory=set)  # RCPT answered 451 4.2.2 forever
    messages: list[bytes] = field(default_factory=list)
    pipelining: bool = False

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        return offer_pipelining(responses, self.pipelining, session, hostname)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        if address in self.defer:
            return "451 4.2.2 mailbox full, try again later"
        if self.rcpt_reply and (self.refuse_only is None or address in self.refuse_only):
            return self.rcpt_reply.replace("ADDR", address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(bytes(envelope.original_content or envelope.content))
        return "250 OK"
