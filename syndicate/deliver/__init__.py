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

from pathlib import Path
from typing import Protocol

from ..config.newsletters import DeliverySettings
from .message import MailMessage


class Transport(Protocol):
    """Hands messages over; thread-safe for up to ``concurrency`` callers at once."""

    name: str
    concurrency: int  # how many ``send`` calls may usefully run at the same time
    exact_recovery: bool  # does ``already_delivered`` know for sure (Maildir) or not (SMTP)

    def send(self, message: MailMessage) -> None:
        """Deliver one message to its recipient or raise ``DeliveryError``."""

    def already_delivered(self, message_id: str) -> bool:
        """Whether a message with this Message-ID surely left (for crash recovery)."""

    def close(self) -> None: ...


def open_transport(settings: DeliverySettings, base_dir: Path) -> Transport:
    """The transport ``delivery:`` asks for; Maildir paths are relative to ``base_dir``."""
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


__all__ = ["MailMessage", "Transport", "open_transport"]
