"""Double opt-in: a sign-up waits as *pending* until the confirmation mail's link is used.

``request_confirmation`` records the sign-up and claims the right to mail (at most one
confirmation an hour per address: a conditional UPDATE in the store, so several web
workers agree); ``send_confirmation`` writes the Arabic, right-to-left mail with its
signed link and hands it to the configured transport.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime, timedelta

from ..clock import Clock
from ..config import Config
from ..config.newsletters import Newsletter
from ..deliver import open_transport
from ..deliver.message import MailMessage, build_message, message_id, parse_sender
from ..errors import SyndicateError
from ..store import Store
from ..types import Cadence, Subscriber, SubscriberStatus
from .tokens import TokenSigner, signed_link

log = logging.getLogger("syndicate.web.subscribe")  # where operators have always seen it

CONFIRMATION_INTERVAL = timedelta(hours=1)
RLM = "\u200f"


def request_confirmation(
    store: Store, *, email: str, newsletter: str, name: str | None, cadence: Cadence,
    now: datetime,
) -> Subscriber | None:
    """The pending subscriber to mail a confirmation to, or None: already active, or
    mailed less than ``CONFIRMATION_INTERVAL`` ago (the form answers the same anyway)."""
    subscriber, _ = store.subscribers.insert_if_absent(
        Subscriber(email=email, newsletter=newsletter, name=name, cadence=cadence,
                   status=SubscriberStatus.PENDING),
        now,
    )
    if subscriber.status is SubscriberStatus.ACTIVE or subscriber.id is None:
        return None
    if not store.subscribers.claim_confirmation(subscriber.id, now, now - CONFIRMATION_INTERVAL):
        return None
    return subscriber


def confirm(store: Store, subscriber: Subscriber, now: datetime, issued: datetime) -> bool:
    """Activate ``subscriber`` by a confirm link issued at ``issued``; False when that link
    may not: one from before they unsubscribed or bounced (see SubscriberRepository.confirm)."""
    assert subscriber.id is not None
    return store.subscribers.confirm(subscriber.id, now, issued=issued)


def confirmation_message(config: Config, newsletter: Newsletter, subscriber: Subscriber,
                         signer: TokenSigner, now: datetime) -> MailMessage:
    assert subscriber.id is not None
    url = signed_link(signer, config.site.base_url, "confirm", subscriber_id=subscriber.id,
                      email=subscriber.email, newsletter=newsletter.id, issued=now).url
    greeting = f"مرحبًا {subscriber.name}،" if subscriber.name else "مرحبًا،"
    lines = [
        greeting,
        f"طلب أحدهم (نرجو أن تكون أنت) الاشتراك في نشرة «{newsletter.title}» بهذا العنوان.",
        "لتأكيد الاشتراك افتح الرابط التالي:",
        url,
        "إن لم تطلب ذلك فتجاهل هذه الرسالة، ولن يصلك منا شيء.",
    ]
    text = "\n".join(RLM + line for line in lines) + "\n"
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[:3])
    markup = (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"></head>'
        f'<body dir="rtl" style="font-family:Tahoma,Arial,sans-serif;text-align:right">{body}'
        f'<p><a href="{html.escape(url)}" style="background:#8a1538;color:#fff;padding:10px 22px;'
        f'border-radius:6px;text-decoration:none">تأكيد الاشتراك</a></p>'
        f"<p>{html.escape(lines[4])}</p></body></html>"
    )
    sender = parse_sender(newsletter.sender)
    return build_message(
        sender=newsletter.sender, to=subscriber.email, to_name=subscriber.name,
        subject=f"أكِّد اشتراكك في {newsletter.title}", text=text, html=markup,
        message_id=message_id("confirm", newsletter.id, subscriber.id, int(now.timestamp()),
                              domain=sender.domain),
        date=now, reply_to=newsletter.reply_to,
    )


def send_confirmation(config: Config, newsletter: Newsletter, subscriber: Subscriber,
                      signer: TokenSigner, clock: Clock) -> None:
    """Mail the confirmation (its link issued now, when it is sent); a transport failure
    is logged (the reader may ask again)."""
    message = confirmation_message(config, newsletter, subscriber, signer, clock())
    try:
        transport = open_transport(config.delivery, config.base_dir)
        try:
            transport.send(message)
        finally:
            transport.close()
    except SyndicateError as exc:
        log.warning("confirmation mail to %s not sent: %s", subscriber.email, exc)
