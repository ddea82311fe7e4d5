"""The subscriber roster as operators manage it (`syndicate subscribers add|list|remove`).

Entry points ask here rather than query the store themselves; the rules about who may
be added (never re-activating someone who unsubscribed) live in ``store.subscribers``
and ``syndicate.subscribers``, and are the same for the CLI, the web form and imports.
"""

from __future__ import annotations

from datetime import datetime

from ..store import Store
from ..types import Subscriber, SubscriberStatus


def add_subscriber(store: Store, subscriber: Subscriber, now: datetime) -> tuple[Subscriber, bool]:
    """The subscriber as stored, and whether they were new (a known address is not
    changed: an unsubscribed one stays unsubscribed)."""
    return store.subscribers.insert_if_absent(subscriber, now)


def list_subscribers(
    store: Store, newsletter: str | None = None, status: SubscriberStatus | None = None
) -> list[Subscriber]:
    return store.subscribers.list(newsletter, status)


def remove_subscriber(store: Store, email: str, newsletter: str | None = None) -> int:
    """Delete the address (of one newsletter, or all) with its delivery history; how many
    subscriptions went."""
    return store.subscribers.remove(email, newsletter)
