"""Build the MIME message of a digest (or a confirmation mail) from finished parts.

``multipart/alternative`` with a UTF-8 text/plain part first and text/html last
(clients show the last part they understand). Arabic Subject and From name are
RFC 2047 encoded by the ``email`` package when serialised. The bodies are base64:
Arabic is 2 bytes a character in UTF-8, and quoted-printable would triple that
(Gmail clips at ~102 KB), while 8bit needs every relay on the way to say 8BITMIME.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, getaddresses
from typing import Any

from ..errors import DeliveryError


# Headers written exactly as set. The default policy turns any "word" longer than a
# line (a long unsubscribe URL) into an RFC 2047 encoded-word, which no mail client
# reads back as a URL: these ASCII headers are folded at their commas instead.
_VERBATIM = frozenset({"list-unsubscribe", "list-unsubscribe-post"})


class _MailPolicy(EmailPolicy):
    def _fold(self, name: str, value: Any, refold_binary: bool = False) -> Any:
        if name.lower() in _VERBATIM:
            parts = [part.strip() for part in str(value).split(",")]
            return f"{name}: " + f",{self.linesep} ".join(parts) + self.linesep
        return super()._fold(name, value, refold_binary)  # type: ignore[misc]


POLICY = _MailPolicy(linesep="\r\n")


def to_bytes(message: EmailMessage) -> bytes:
    """The message as it goes on the wire (CRLF, 7-bit headers), for every transport."""
    return message.as_bytes(policy=POLICY)


@dataclass(frozen=True)
class ListHeaders:
    """RFC 2369 / 2919 / 8058 headers of a mailing list message."""

    list_id: str  # "<digest.example.org>"
    unsubscribe_url: str  # https one-click URL, unique to the recipient
    unsubscribe_mailto: str | None = None  # "unsubscribe@example.org"
    title: str | None = None  # shown in List-Id's phrase


def parse_sender(sender: str) -> Address:
    """``"اسم <a@example.org>"`` → Address, or DeliveryError naming the setting."""
    pairs = getaddresses([sender])
    if not pairs or "@" not in pairs[0][1]:
        raise DeliveryError(sender, "sender is not 'Name <address@domain>'")
    name, addr = pairs[0]
    local, _, domain = addr.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def message_id(*parts: object, domain: str) -> str:
    """A Message-ID that depends only on its parts: the same delivery, the same id."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:20]
    readable = ".".join(str(p) for p in parts if isinstance(p, int | str))[:80]
    safe = "".join(c if c.isalnum() or c in "-._" else "-" for c in readable)
    return f"<{safe}.{digest}@{domain}>"


def list_id(newsletter_id: str, sender: Address) -> str:
    return f"<{newsletter_id}.{sender.domain}>"


def build_message(
    *,
    sender: str,
    to: str,
    to_name: str | None,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: datetime,
    list_headers: ListHeaders | None = None,
    reply_to: str | None = None,
) -> EmailMessage:
    if date.tzinfo is None:
        raise ValueError("message Date needs an aware datetime")
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = parse_sender(sender)
    local, _, domain = to.rpartition("@")
    if not local or not domain:
        raise DeliveryError(to, "not an e-mail address")
    message["To"] = Address(display_name=to_name or "", username=local, domain=domain)
    if reply_to:
        message["Reply-To"] = reply_to
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    if list_headers is not None:
        phrase = f'"{list_headers.title}" ' if list_headers.title else ""
        message["List-Id"] = f"{phrase}{list_headers.list_id}"
        targets = [f"<{list_headers.unsubscribe_url}>"]
        if list_headers.unsubscribe_mailto:
            targets.append(f"<mailto:{list_headers.unsubscribe_mailto}?subject=unsubscribe>")
        message["List-Unsubscribe"] = ", ".join(targets)
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message["Precedence"] = "list"
        message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, subtype="plain", charset="utf-8", cte="base64")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    return message
