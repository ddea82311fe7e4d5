"""MIME messages for digests and confirmation mails, written straight to wire bytes.

Layout: ``multipart/alternative`` with a UTF-8 text/plain part first and text/html
last (clients show the last part they understand), both base64: Arabic is 2 bytes
a character in UTF-8 and quoted-printable would triple that (Gmail clips at
~102 KB), while 8bit needs every relay on the way to say 8BITMIME.

Why not ``email.message.EmailMessage``: building and serialising one through the
email package costs ~3 ms (it re-parses and re-folds every header), which caps a
100,000-subscriber digest far below the 2,000 messages/s target. Here
``MessageFactory`` encodes the headers shared by a whole issue (From, Reply-To,
Date, List-Id, and each segment's Subject) once; per subscriber only To,
Message-ID, List-Unsubscribe and the two base64 bodies are produced, a join of
bytes. Tests parse every message back with the email package.

Header rules kept here: only ASCII on the wire; non-ASCII phrases (Arabic Subject,
From and To names, List-Id title) as RFC 2047 ``=?utf-8?b?…?=`` words of at most
60 characters folded on their own lines; List-Unsubscribe written verbatim (an
encoded-word there would not be read as a URL by any client); CR/LF never reach a
header (no header injection through a column title or a subscriber's name).
"""

from __future__ import annotations

import base64
import email
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, getaddresses

from ..errors import DeliveryError

_ATEXT_PHRASE = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ .-]*$")
_WORD_BYTES = 36  # 48 base64 chars + 12 of "=?utf-8?b?…?=" = 60 <= RFC 2047's 75


@dataclass(frozen=True)
class MailMessage:
    """A finished message: envelope addresses and the exact bytes to hand over."""

    message_id: str
    sender: str  # envelope MAIL FROM
    recipient: str  # envelope RCPT TO (the one address in To)
    data: bytes
    # True when built here: CRLF line endings only and no line starting with a dot
    # (ASCII headers, base64 bodies), so SMTP sends the bytes without rewriting them.
    wire_ready: bool = False

    def parsed(self) -> EmailMessage:
        """The message read back by the email package (tests, previews)."""
        return email.message_from_bytes(self.data, policy=default_policy)


@dataclass(frozen=True)
class ListHeaders:
    """RFC 2369 / 2919 / 8058 headers of a mailing list message."""

    list_id: str  # "<daily.example.org>"
    unsubscribe_url: str  # https one-click URL, unique to the recipient
    unsubscribe_mailto: str | None = None  # "unsubscribe@example.org"
    title: str | None = None  # shown in List-Id's phrase
    unsubscribe_token: str | None = None  # carried in the mailto's subject


# -- small encoders ------------------------------------------------------------------

_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")


def _one_line(text: str) -> str:
    return " ".join(text.replace("\r", " ").replace("\n", " ").split())


def encoded_words(text: str, max_bytes: int = _WORD_BYTES) -> str:
    """RFC 2047 base64 words for non-ASCII ``text``, folded one word per line.

    Words break after a space when one is near: RFC 2047 says the folding between
    two words is ignored, but some parsers (Python's own, in display names) keep
    it, and then a break inside a word would split it.
    """
    words: list[bytes] = []
    chunk = b""
    for char in text:
        raw = char.encode("utf-8")
        if len(chunk) + len(raw) > max_bytes:
            space = chunk.rfind(b" ")
            if space > max_bytes // 2:
                words.append(chunk[: space + 1])
                chunk = chunk[space + 1 :]
            else:
                words.append(chunk)
                chunk = b""
        chunk += raw
    if chunk:
        words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words)


def phrase(text: str) -> str:
    """A display name as it may appear before ``<address>``."""
    name = _one_line(text)
    if not name.isascii():
        # 45 bytes = one 72-character word: most names need no break at all.
        return encoded_words(name, max_bytes=45)
    if _ATEXT_PHRASE.match(name) and "." not in name:
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ascii_address(address: str) -> str:
    address = address.strip()
    if not address.isascii() or address.count("@") != 1 or any(c in address for c in " <>\r\n"):
        raise DeliveryError(address, "not an ASCII e-mail address")
    return address


def mailbox(name: str | None, address: str) -> str:
    address = _ascii_address(address)
    if not name or not _one_line(name):
        return address
    shown = phrase(name)
    return f"{shown}\r\n <{address}>" if len(shown) > 60 else f"{shown} <{address}>"


def unstructured(text: str) -> str:
    value = _one_line(text)
    return value if value.isascii() else encoded_words(value)


def _b64_body(text: str) -> bytes:
    crlf = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if not crlf.endswith("\r\n"):
        crlf += "\r\n"
    # encodebytes breaks lines at 76 characters in C; slicing in Python cost more
    # than the encoding itself on a 90 KB digest.
    return base64.encodebytes(crlf.encode("utf-8")).rstrip(b"\n").replace(b"\n", b"\r\n")


def _b64_lines(data: bytes) -> bytes:
    """base64 of ``data`` (a multiple of 3 bytes unless it is the last piece) in lines."""
    raw = base64.b64encode(data)
    if len(raw) <= 76:
        return raw
    return b"\r\n".join(raw[i : i + 76] for i in range(0, len(raw), 76))


class BodyTemplate:
    """A base64 body encoded once per segment; per message only its slots are.

    ``parts`` alternate literal text (even indexes) and slot names (odd). base64
    works on 3-byte groups, so each literal is encoded ahead three times, once for
    each number of bytes (0, 1 or 2) the slot before it may leave over; per message
    the slots' values and the few bytes at each seam are encoded and joined with
    the literals' ready lines. MIME allows base64 lines shorter than 76 characters
    (RFC 2045 6.8), which is what lets the pieces keep their own line breaks. The
    bytes decode exactly to what ``_b64_body`` of the filled-in text would.
    """

    def __init__(self, parts: tuple[str, ...]) -> None:
        literals = [p.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
                    for p in parts[0::2]]
        if literals[-1] and not literals[-1].endswith(b"\r\n"):
            literals[-1] += b"\r\n"
        self._open_end = not literals[-1]  # the last slot's value ends the text
        self._ends = [literal[-2:] for literal in literals]
        self.slots = parts[1::2]
        # For each literal and leftover length r: (bytes completing the seam's group,
        # the ready base64 lines of the aligned middle, the bytes left over after it).
        self._literals: list[tuple[tuple[bytes, bytes, bytes], ...]] = []
        for literal in literals:
            variants = []
            for r in (0, 1, 2):
                k = min((3 - r) % 3, len(literal))
                rest = literal[k:]
                cut = len(rest) - len(rest) % 3
                variants.append((literal[:k], _b64_lines(rest[:cut]) if cut else b"", rest[cut:]))
            self._literals.append(tuple(variants))

    def fill(self, values: dict[str, str]) -> bytes:
        pieces: list[bytes] = []
        carry = b""
        end = b""  # the text's last bytes so far, for its final CRLF
        for i, variants in enumerate(self._literals):
            if i:
                value = values[self.slots[i - 1]].encode("utf-8")
                end = (end + value)[-2:]
                data = carry + value
                cut = len(data) - len(data) % 3
                if cut:
                    pieces.append(_b64_lines(data[:cut]))
                carry = data[cut:]
            end = (end + self._ends[i])[-2:]
            head, middle, tail = variants[len(carry)]
            carry += head
            if len(carry) == 3:
                pieces.append(base64.b64encode(carry))
                carry = b""
            if middle:
                pieces.append(middle)
                carry = tail
            else:
                carry += tail
        if self._open_end and end != b"\r\n":
            carry += b"\r\n"
        if carry:
            pieces.append(_b64_lines(carry))
        return b"\r\n".join(pieces)


# -- identities ----------------------------------------------------------------------


def parse_sender(sender: str) -> Address:
    """``"اسم <a@example.org>"`` → Address, or DeliveryError naming the setting."""
    pairs = getaddresses([sender])
    if not pairs or "@" not in pairs[0][1]:
        raise DeliveryError(sender, "sender is not 'Name <address@domain>'")
    name, addr = pairs[0]
    local, _, domain = addr.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


_NOT_IN_ID = re.compile(r"[^\w.-]")  # letters, digits and "_" stay; "-" and "." too


def message_id(*parts: object, domain: str) -> str:
    """A Message-ID that depends only on its parts: the same delivery, the same id."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:20]
    readable = ".".join(str(p) for p in parts if isinstance(p, int | str))[:80]
    safe = _NOT_IN_ID.sub("-", readable)  # run per subscriber when an issue is planned
    return f"<{safe}.{digest}@{domain}>"


def list_id(newsletter_id: str, sender: Address) -> str:
    return f"<{newsletter_id}.{sender.domain}>"


# -- building ------------------------------------------------------------------------


class MessageFactory:
    """Builds many messages that share a sender, a date and list headers.

    Construct once per issue; ``build`` once per subscriber. Subjects (one per
    segment) are encoded once and remembered.
    """

    def __init__(
        self,
        *,
        sender: str,
        date: datetime,
        reply_to: str | None = None,
        list_id: str | None = None,
        list_title: str | None = None,
        unsubscribe_mailto: str | None = None,
    ) -> None:
        if date.tzinfo is None:
            raise ValueError("message Date needs an aware datetime")
        parsed = parse_sender(sender)
        self.envelope_sender = _ascii_address(parsed.addr_spec)
        lines = [f"From: {mailbox(parsed.display_name, parsed.addr_spec)}"]
        if reply_to:
            reply = parse_sender(reply_to) if "<" in reply_to else None
            lines.append("Reply-To: " + (
                mailbox(reply.display_name, reply.addr_spec) if reply else
                _ascii_address(reply_to)))
        lines.append(f"Date: {format_datetime(date)}")
        self._head = "\r\n".join(lines)
        self._list = list_id is not None
        list_lines = []
        if list_id is not None:
            title = f"{phrase(list_title)} " if list_title else ""
            list_lines.append(f"List-Id: {title}{list_id}")
        self._list_head = "\r\n".join(list_lines)
        self._mailto = _ascii_address(unsubscribe_mailto) if unsubscribe_mailto else None
        self._subjects: dict[str, str] = {}

    def _mailto_target(self, recipient: str, token: str | None) -> str:
        # The signed token rides in the subject: the mail that comes back is acted on
        # for that token's subscriber only, whoever it claims to be From
        # (syndicate.subscribers.mailed_unsubscribes).
        if token is None:
            return f"<mailto:{self._mailto}?subject=unsubscribe>"
        if not _TOKEN_CHARS.issuperset(token):
            raise DeliveryError(recipient, f"unsubscribe token is not URL-safe: {token!r}")
        return f"<mailto:{self._mailto}?subject=unsubscribe%20{token}>"

    def _subject(self, subject: str) -> str:
        found = self._subjects.get(subject)
        if found is None:
            if len(self._subjects) > 1024:
                self._subjects.clear()
            found = self._subjects[subject] = f"Subject: {unstructured(subject)}"
        return found

    def build(
        self,
        *,
        to: str,
        to_name: str | None,
        subject: str,
        text: str,
        html: str,
        message_id: str,
        unsubscribe_url: str | None = None,
        unsubscribe_token: str | None = None,
    ) -> MailMessage:
        return self.build_encoded(
            to=to, to_name=to_name, subject=subject, text_body=_b64_body(text),
            html_body=_b64_body(html), message_id=message_id,
            unsubscribe_url=unsubscribe_url, unsubscribe_token=unsubscribe_token)

    def build_encoded(
        self,
        *,
        to: str,
        to_name: str | None,
        subject: str,
        text_body: bytes,
        html_body: bytes,
        message_id: str,
        unsubscribe_url: str | None = None,
        unsubscribe_token: str | None = None,
    ) -> MailMessage:
        """``build`` with both bodies already in base64 lines (``BodyTemplate.fill``)."""
        recipient = _ascii_address(to)
        if not (message_id.startswith("<") and message_id.endswith(">")
                and message_id.isascii() and " " not in message_id):
            raise DeliveryError(recipient, f"malformed Message-ID {message_id!r}")
        boundary = "=_syndicate_" + hashlib.sha256(message_id.encode()).hexdigest()[:24]
        head = [self._subject(subject), self._head, f"To: {mailbox(to_name, recipient)}",
                f"Message-ID: {message_id}"]
        if self._list:
            head.append(self._list_head)
            if unsubscribe_url is not None:
                url = unsubscribe_url.strip()
                if not url.isascii() or any(c in url for c in " <>\r\n,"):
                    raise DeliveryError(recipient, f"unsubscribe URL is not plain ASCII: {url!r}")
                targets = [f"<{url}>"]
                if self._mailto:
                    targets.append(self._mailto_target(recipient, unsubscribe_token))
                head.append("List-Unsubscribe: " + ",\r\n ".join(targets))
                head.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
            head.append("Precedence: list\r\nAuto-Submitted: auto-generated")
        head.append("MIME-Version: 1.0")
        head.append(f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"')
        part = 'Content-Type: text/{}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        data = b"".join((
            "\r\n".join(head).encode("ascii"), b"\r\n\r\n",
            f"--{boundary}\r\n{part.format('plain')}".encode("ascii"), text_body,
            f"\r\n--{boundary}\r\n{part.format('html')}".encode("ascii"), html_body,
            f"\r\n--{boundary}--\r\n".encode("ascii"),
        ))
        return MailMessage(message_id, self.envelope_sender, recipient, data, wire_ready=True)


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
) -> MailMessage:
    """One message (a confirmation mail, a preview); use MessageFactory for many."""
    factory = MessageFactory(
        sender=sender,
        date=date,
        reply_to=reply_to,
        list_id=list_headers.list_id if list_headers else None,
        list_title=list_headers.title if list_headers else None,
        unsubscribe_mailto=list_headers.unsubscribe_mailto if list_headers else None,
    )
    return factory.build(
        to=to, to_name=to_name, subject=subject, text=text, html=html, message_id=message_id,
        unsubscribe_url=list_headers.unsubscribe_url if list_headers else None,
        unsubscribe_token=list_headers.unsubscribe_token if list_headers else None,
    )


def to_bytes(message: MailMessage) -> bytes:
    """The message as it goes on the wire (CRLF, 7-bit), for every transport."""
    return message.data
