"""Acting on a signed token: which subscriber it names, and unsubscribing them.

One place for the web pages (``web/subscribe.py``) and the unsubscribe mailbox
(``mailed_unsubscribes.py``), so a token means the same thing whichever way it comes.
"""

from __future__ import annotations

import logging
from datetime import datetime

from ..errors import TokenError
from ..store import Store
from ..types import Subscriber, SubscriberStatus
from .tokens import Purpose, TokenSigner

log = logging.getLogger("syndicate.subscriptions")


def subscriber_for_token(store: Store, signer: TokenSigner, token: str, purpose: Purpose,
                         now: datetime) -> Subscriber:
    """The subscriber a valid ``purpose`` token names; TokenError for anything else."""
    claims = signer.read(token)
    subscriber = store.subscribers.get_by_id(claims.subscriber_id)
    if subscriber is None or subscriber.newsletter != claims.newsletter:
        raise TokenError("this link is not valid")
    signer.verify(token, email=subscriber.email, purpose=claims.purpose, now=now)
    if claims.purpose != purpose:
        raise TokenError("this link is for something else")
    return subscriber


def unsubscribe(store: Store, subscriber: Subscriber, now: datetime, *, via: str) -> bool:
    """Mark ``subscriber`` unsubscribed; False when they already were (nothing changed)."""
    if subscriber.status is SubscriberStatus.UNSUBSCRIBED:
        return False
    assert subscriber.id is not None
    store.subscribers.set_status(subscriber.id, SubscriberStatus.UNSUBSCRIBED, now)
    log.info("unsubscribed %s from %s (%s)", subscriber.email, subscriber.newsletter, via)
    return True
