"""Links that must not do harm (issue 16 item 10), over real HTTP.

A subscriber id of 2**63 in a link is a clean 400, never a 500; an old confirm link
never re-activates someone who unsubscribed or bounced, nor resets a bounce count; a
new sign-up's link still does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from syndicate.errors import TokenError
from syndicate.store import Store
from syndicate.subscribers.tokens import TokenSigner, signer_for
from syndicate.types import Subscriber, SubscriberStatus
from syndicate.web.app import create_app

from .delivery_helpers import NOW, write_config
from .loopback import serve_app


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[dict[str, Any]]:
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    now = [NOW]
    with serve_app(create_app(config, store=store, clock=lambda: now[0])) as base, \
            httpx.Client(base_url=base, timeout=10) as client:
        yield {"config": config, "store": store, "client": client, "now": now,
               "signer": signer_for(config)}
    store.close()


@pytest.mark.parametrize("number", [str(2**63), str(2**64 + 5), "9" * 40, "0", "-1", "١٢"])
def test_a_subscriber_id_out_of_range_is_a_clean_400(site: dict[str, Any], number: str) -> None:
    token = f"u.{number}.daily.68c63a40.AAAAAAAAAAAAAAAAAAAAAAAA"
    with pytest.raises(TokenError):
        TokenSigner.read(token)
    client = site["client"]
    for method in ("GET", "POST"):
        answer = client.request(method, f"/unsubscribe/{token}",
                                content=b"List-Unsubscribe=One-Click")
        assert answer.status_code == 400, (method, answer.text[:200])
        answer = client.request(method, f"/confirm/{token.replace('u.', 'c.', 1)}")
        assert answer.status_code == 400, (method, answer.text[:200])


def _confirm_link(site: dict[str, Any], subscriber: Subscriber, issued: datetime) -> str:
    assert subscriber.id is not None
    token = site["signer"].make("confirm", subscriber_id=subscriber.id, email=subscriber.email,
                                newsletter="daily", issued=issued)
    return f"/confirm/{token}"


def _sign_up(site: dict[str, Any], email: str) -> Subscriber:
    answer = site["client"].post("/subscribe", data={"email": email, "newsletter": "daily"})
    assert answer.status_code == 200
    subscriber = site["store"].subscribers.get(email, "daily")
    assert subscriber is not None
    return subscriber  # type: ignore[no-any-return]


def test_an_old_confirm_link_does_not_undo_an_unsubscribe(site: dict[str, Any]) -> None:
    client, store, now = site["client"], site["store"], site["now"]
    pending = _sign_up(site, "reader@example.org")
    old_link = _confirm_link(site, pending, now[0])
    assert client.post(old_link).status_code == 200
    assert store.subscribers.get_by_id(pending.id).status is SubscriberStatus.ACTIVE
    now[0] += timedelta(days=1)
    unsubscribe = site["signer"].make("unsubscribe", subscriber_id=pending.id,
                                      email=pending.email, newsletter="daily", issued=now[0])
    assert client.post(f"/unsubscribe/{unsubscribe}").status_code == 200
    now[0] += timedelta(days=1)
    answer = client.post(old_link)  # still within its week
    assert answer.status_code == 400
    assert store.subscribers.get_by_id(pending.id).status is SubscriberStatus.UNSUBSCRIBED
    # They sign up again: the new link works, the old one still does nothing more.
    now[0] += timedelta(hours=2)
    _sign_up(site, "reader@example.org")
    assert client.post(old_link).status_code == 400
    assert store.subscribers.get_by_id(pending.id).status is SubscriberStatus.UNSUBSCRIBED
    assert client.post(_confirm_link(site, pending, now[0])).status_code == 200
    assert store.subscribers.get_by_id(pending.id).status is SubscriberStatus.ACTIVE


def test_an_old_confirm_link_neither_revives_a_bounced_address_nor_resets_bounces(
    site: dict[str, Any],
) -> None:
    client, store, now = site["client"], site["store"], site["now"]
    bounced = _sign_up(site, "gone@example.org")
    kept = _sign_up(site, "kept@example.org")
    links = {s.email: _confirm_link(site, s, now[0]) for s in (bounced, kept)}
    for link in links.values():
        assert client.post(link).status_code == 200
    for _ in range(2):  # bounce_limit: 2
        store.subscribers.record_bounce(bounced.id, bounce_limit=2, now=now[0])
    store.subscribers.record_bounce(kept.id, bounce_limit=2, now=now[0])
    now[0] += timedelta(days=2)
    assert client.post(links["gone@example.org"]).status_code == 400
    client.post(links["kept@example.org"])
    after = {s.email: (s.status, s.bounces) for s in store.subscribers.list("daily")}
    assert after == {"gone@example.org": (SubscriberStatus.BOUNCED, 2),
                     "kept@example.org": (SubscriberStatus.ACTIVE, 1)}
