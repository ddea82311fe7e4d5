"""Subscribe, confirm and unsubscribe over real HTTP (uvicorn on loopback, httpx client).

Includes the RFC 8058 one-click unsubscribe end to end: a digest goes to the Maildir,
the test reads its List-Unsubscribe URL and POSTs ``List-Unsubscribe=One-Click``
exactly as a mail provider would.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from syndicate.clock import fixed_clock, utc_now
from syndicate.core.digest import run_digest
from syndicate.store import Store
from syndicate.types import Subscriber, SubscriberStatus
from syndicate.web.app import create_app

from .delivery_helpers import (
    AUTHORS,
    NOW,
    column,
    free_port,
    read_maildir,
    seed_columns,
    serve_app,
    write_config,
)
from .loopback import serve_command


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[dict[str, Any]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = write_config(tmp_path, base_url=base)
    store = Store.open(config.store_url)
    with serve_app(create_app(config, store=store), port), httpx.Client(
        base_url=base, timeout=10
    ) as client:
        yield {"config": config, "store": store, "client": client, "outbox": tmp_path / "outbox",
               "tmp": tmp_path}


def _mails(outbox: Path, to: str, *, expect: int, wait: float = 5.0) -> list[Any]:
    deadline = time.monotonic() + wait
    while True:
        # The server creates the Maildir while we poll: read it only once it is whole.
        ready = all((outbox / sub).is_dir() for sub in ("tmp", "cur", "new"))
        found = [m for m in (read_maildir(outbox) if ready else [])
                 if str(m["To"].addresses[0].addr_spec) == to]
        if len(found) >= expect or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _answer_text(response: httpx.Response, email: str) -> str:
    return response.text.replace(email, "ADDRESS")


def test_double_opt_in_then_confirm(site: dict[str, Any]) -> None:
    client, store, outbox = site["client"], site["store"], site["outbox"]
    form = client.get("/subscribe")
    assert form.status_code == 200
    assert '<html lang="ar" dir="rtl">' in form.text and 'name="email"' in form.text

    answer = client.post("/subscribe", data={"email": "New@Example.org", "name": "منى",
                                             "cadence": "weekly", "newsletter": "daily"})
    assert answer.status_code == 200 and "تحقق من بريدك" in answer.text
    pending = store.subscribers.get("new@example.org", "daily")
    assert pending is not None and pending.status is SubscriberStatus.PENDING
    mails = _mails(outbox, "new@example.org", expect=1)
    assert len(mails) == 1
    confirmation = mails[0]
    assert "أكِّد اشتراكك" in confirmation["Subject"]
    text = confirmation.get_body(("plain",)).get_content()
    assert all(line.startswith("\u200f") for line in text.splitlines() if line.strip())
    link = re.search(r"(http://127\.0\.0\.1:\d+/confirm/\S+)", text)
    assert link, text
    assert link.group(1) in confirmation.get_body(("html",)).get_content()

    # Asking again within the hour: the same answer, no second mail.
    again = client.post("/subscribe", data={"email": "new@example.org", "newsletter": "daily"})
    assert _answer_text(again, "new@example.org") == _answer_text(answer, "new@example.org")
    assert len(_mails(outbox, "new@example.org", expect=2, wait=0.5)) == 1

    # GET (what a link scanner does) changes nothing; the button's POST confirms.
    page = client.get(link.group(1))
    assert page.status_code == 200 and "<form method=\"post\"" in page.text
    assert store.subscribers.get("new@example.org", "daily").status is (  # type: ignore[union-attr]
        SubscriberStatus.PENDING)
    done = client.post(link.group(1))
    assert done.status_code == 200 and "تم تأكيد اشتراكك" in done.text
    active = store.subscribers.get("new@example.org", "daily")
    assert active is not None and active.status is SubscriberStatus.ACTIVE
    assert active.name == "منى" and active.cadence.value == "weekly"


def test_same_answer_whether_or_not_the_address_exists(site: dict[str, Any]) -> None:
    client, store, outbox = site["client"], site["store"], site["outbox"]
    store.subscribers.add(Subscriber("known@example.org", "daily"), NOW)
    known = client.post("/subscribe", data={"email": "known@example.org", "newsletter": "daily"})
    unknown = client.post("/subscribe", data={"email": "other@example.org",
                                              "newsletter": "daily"})
    assert known.status_code == unknown.status_code == 200
    assert _answer_text(known, "known@example.org") == _answer_text(unknown, "other@example.org")
    assert _mails(outbox, "other@example.org", expect=1)
    assert _mails(outbox, "known@example.org", expect=1, wait=0.5) == []  # active: no mail
    bad = client.post("/subscribe", data={"email": "nonsense", "newsletter": "daily"})
    assert bad.status_code == 400 and "صالحًا" in bad.text


def test_tokens_cannot_be_forged_or_moved_to_another_address(site: dict[str, Any]) -> None:
    client, store, config = site["client"], site["store"], site["config"]
    from syndicate.subscribers.tokens import link, signer_for

    a, _ = store.subscribers.add(Subscriber("a@example.org", "daily"), NOW)
    b, _ = store.subscribers.add(Subscriber("b@example.org", "daily"), NOW)
    signer = signer_for(config)
    token = signer.make("unsubscribe", subscriber_id=a.id or 0, email=a.email,
                        newsletter="daily", issued=NOW)
    moved = token.replace(f"u.{a.id}.", f"u.{b.id}.", 1)
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    confirm_for_unsub = token.replace("u.", "c.", 1)
    base = config.site.base_url
    for forged in (moved, flipped, confirm_for_unsub, "garbage", "u.1.daily.zz.sig"):
        response = client.post(link(base, "unsubscribe", forged),
                               content=b"List-Unsubscribe=One-Click",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 400, forged
    for sub in (a, b):
        assert store.subscribers.get_by_id(sub.id or 0).status is SubscriberStatus.ACTIVE  # type: ignore[union-attr]
    # A confirmation link older than a week has expired.
    old = signer.make("confirm", subscriber_id=a.id or 0, email=a.email, newsletter="daily",
                      issued=utc_now() - timedelta(days=8))
    assert client.get(link(base, "confirm", old)).status_code == 400


def test_one_click_unsubscribe_from_a_real_digest(site: dict[str, Any]) -> None:
    client, store, config, outbox = site["client"], site["store"], site["config"], site["outbox"]
    seed_columns(store)
    for address in ("stay@example.org", "leave@example.org"):
        store.subscribers.add(Subscriber(address, "daily"), NOW)
    run_digest(config, store, "daily", clock=fixed_clock(NOW))
    digest = _mails(outbox, "leave@example.org", expect=1)[0]
    url = re.search(r"<(https?://[^>]+)>", digest["List-Unsubscribe"])
    assert url and digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page = client.get(url.group(1))  # a person clicking the link in the footer
    assert page.status_code == 200 and "إلغاء الاشتراك" in page.text
    assert store.subscribers.get("leave@example.org", "daily").status is (  # type: ignore[union-attr]
        SubscriberStatus.ACTIVE)
    response = client.post(url.group(1), content=b"List-Unsubscribe=One-Click",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    assert store.subscribers.get("leave@example.org", "daily").status is (  # type: ignore[union-attr]
        SubscriberStatus.UNSUBSCRIBED)
    assert client.post(url.group(1), content=b"List-Unsubscribe=One-Click").status_code == 200

    later = NOW + timedelta(days=1)
    fresh = column(77, AUTHORS[1], views=3, published=later)
    store.columns.upsert(fresh, dedupe_key="k77", seen_urls=(fresh.url,), now=later)
    result = run_digest(config, store, "daily", clock=fixed_clock(later))
    assert [i.key for i in result.items] == ["stay@example.org"]
    assert len(_mails(outbox, "leave@example.org", expect=2, wait=0.3)) == 1


def test_clients_are_rate_limited(site: dict[str, Any]) -> None:
    client = site["client"]
    codes = [client.post("/subscribe", data={"email": f"x{i}@example.org",
                                             "newsletter": "daily"}).status_code
             for i in range(12)]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]


def _one_click_url(site: dict[str, Any], address: str) -> str:
    store, config, outbox = site["store"], site["config"], site["outbox"]
    seed_columns(store)
    store.subscribers.add(Subscriber(address, "daily"), NOW)
    run_digest(config, store, "daily", clock=fixed_clock(NOW))
    digest = _mails(outbox, address, expect=1)[0]
    url = re.search(r"<(https?://[^>]+)>", digest["List-Unsubscribe"])
    assert url
    return url.group(1)


def test_one_click_unsubscribe_is_not_blocked_by_earlier_subscribes(
    site: dict[str, Any],
) -> None:
    """A provider posting from a busy shared address must still unsubscribe its user."""
    client, store = site["client"], site["store"]
    url = _one_click_url(site, "leave@example.org")
    codes = [client.post("/subscribe", data={"email": f"x{i}@example.org",
                                             "newsletter": "daily"}).status_code
             for i in range(11)]
    assert codes[-1] == 429  # the same client is now over the subscribe limit
    assert client.get(url).status_code == 200  # the page a person sees
    response = client.post(url, content=b"List-Unsubscribe=One-Click",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    assert store.subscribers.get("leave@example.org", "daily").status is (  # type: ignore[union-attr]
        SubscriberStatus.UNSUBSCRIBED)


def test_guessing_tokens_is_rate_limited_but_valid_tokens_still_work(
    site: dict[str, Any],
) -> None:
    client, store, config = site["client"], site["store"], site["config"]
    from syndicate.subscribers.tokens import link
    from syndicate.web.subscribe import BAD_TOKEN_LIMIT

    url = _one_click_url(site, "leave@example.org")
    codes = [client.post(link(config.site.base_url, "unsubscribe", f"u.1.daily.1.guess{i}"),
                         content=b"List-Unsubscribe=One-Click").status_code
             for i in range(BAD_TOKEN_LIMIT[0] + 2)]
    assert codes[:BAD_TOKEN_LIMIT[0]] == [400] * BAD_TOKEN_LIMIT[0]
    assert codes[BAD_TOKEN_LIMIT[0]:] == [429, 429]
    # Subscribing is a separate budget: guessing links does not use it up ...
    assert client.post("/subscribe", data={"email": "new@example.org",
                                           "newsletter": "daily"}).status_code == 200
    # ... and a validly signed link still works from the same client.
    response = client.post(url, content=b"List-Unsubscribe=One-Click",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    assert store.subscribers.get("leave@example.org", "daily").status is (  # type: ignore[union-attr]
        SubscriberStatus.UNSUBSCRIBED)


def test_one_click_through_syndicate_serve(tmp_path: Path) -> None:
    """The real command: `syndicate serve` in its own process, a digest's header, one POST."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = write_config(tmp_path, base_url=base)
    store = Store.open(config.store_url)
    seed_columns(store)
    store.subscribers.add(Subscriber("reader@example.org", "daily"), NOW)
    run_digest(config, store, "daily", clock=fixed_clock(NOW))
    digest = read_maildir(tmp_path / "outbox")[0]
    url = re.search(r"<(http://[^>]+)>", digest["List-Unsubscribe"])
    assert url and url.group(1).startswith(base)
    with serve_command(tmp_path / "schedules.yaml", port):
        response = httpx.post(url.group(1), content=b"List-Unsubscribe=One-Click",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 200
    assert store.subscribers.get("reader@example.org", "daily").status is (  # type: ignore[union-attr]
        SubscriberStatus.UNSUBSCRIBED)
