"""Transports: how a finished MIME message leaves the machine.

Two transports share one small protocol. The digest sender calls ``send`` with a
message whose ``Message-ID`` is stable per (issue, subscriber); after a crash it
asks ``already_delivered`` about deliveries left in ``sending``:

* Maildir answers exactly (the Message-ID is part of the file name), so the
  outbox gets every message exactly once.
* SMTP cannot know whether the relay kept a message whose "250 OK" we never
  recorded; it answers ``False`` and the message is sent again *with the same
  Message-ID*. Receivers (Gmail, most MUAs) collapse duplicates by Message-ID,
  and the window is at most the few messages in flight at the crash. We chose
  "maybe twice, same Message-ID" over "maybe never": a lost digest is silent,
  a duplicate one is deduplicated downstream.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

from ..config.newsletters import DeliverySettings
from ..errors import DeliveryError
from .message import MailMessage


class NotAttempted(DeliveryError):
    """Never handed over: the run stopped, or the relay failed, before its turn."""


def send_each(
    transport: Transport, messages: Sequence[MailMessage], stop: threading.Event
) -> Future[list[DeliveryError | None]]:
    """``send_batch`` for a transport that works in the caller's thread (Maildir)."""
    results: list[DeliveryError | None] = []
    for message in messages:
        if stop.is_set():
            results.append(NotAttempted(message.recipient, "not tried: the run stopped"))
            continue
        try:
            transport.send(message)
        except DeliveryError as exc:
            results.append(exc)
        else:
            results.append(None)
    done: Future[list[DeliveryError | None]] = Future()
    done.set_result(results)
    return done


class Transport(Protocol):
    """Hands messages over; ``send`` is thread-safe."""

    name: str
    concurrency: int  # how many messages it hands over at the same time
    exact_recovery: bool  # does ``already_delivered`` know for sure (Maildir) or not (SMTP)

    def send(self, message: MailMessage) -> None:
        """Deliver one message to its recipient or raise ``DeliveryError``."""

    def send_batch(
        self, messages: Sequence[MailMessage], stop: threading.Event
    ) -> Future[list[DeliveryError | None]]:
        """Start handing ``messages`` over; the future has one result per message.

        None: delivered; else the error (``NotAttempted`` for those not tried because
        ``stop`` was set, or because the relay failed on this batch). Returns at once
        when the transport works in the background (SMTP), so the caller prepares the
        next batch meanwhile.
        """

    def already_delivered(self, message_id: str) -> bool:
        """Whether a message with this Message-ID surely left (for crash recovery)."""

    def close(self) -> None: ...


def open_transport(settings: DeliverySettings, base_dir: Path) -> Transport:
    """The transport ``delivery:`` asks for; Maildir paths are relative to ``base_dir``.

    With ``delivery.dkim`` every message is signed on its way in (``deliver/dkim.py``).
    """
    if settings.dkim is not None:
        # Imported only when signing: dkimpy and cryptography cost start-up time.
        from .dkim import SigningTransport, signer_for

        signer = signer_for(settings.dkim)  # before anything is opened: a bad key stops here
        return SigningTransport(_open_plain(settings, base_dir), signer)
    return _open_plain(settings, base_dir)


def _open_plain(settings: DeliverySettings, base_dir: Path) -> Transport:
    if settings.transport == "smtp":
        from .smtp import SmtpTransport  # lazy: aiosmtplib and asyncio only for SMTP

        assert settings.smtp is not None  # config checks guarantee it
        bundle = settings.smtp.cert_bundle
        if bundle and not Path(bundle).expanduser().is_absolute():
            bundle = str(base_dir / bundle)
        return SmtpTransport(settings.smtp, rate_per_s=settings.rate_per_s, cert_bundle=bundle)
    from .maildir import MaildirTransport  # lazy, like SmtpTransport above

    path = Path(settings.maildir).expanduser()
    return MaildirTransport(
        path if path.is_absolute() else base_dir / path, rate_per_s=settings.rate_per_s
    )


__all__ = ["MailMessage", "NotAttempted", "Transport", "open_transport", "send_each"]
