"""The store's contract, run on a SQLite file and on a real PostgreSQL server alike.

Each test takes ``store_url`` (tests/conftest.py): once a SQLite file, once a fresh
database on the session's PostgreSQL (tests/postgres_server.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest

from syndicate.errors import StoreError
from syndicate.store import SCHEMA_VERSION, Store
from syndicate.store.deliveries import Settled
from syndicate.store.fetch_cache import Validators
from syndicate.store.migrations import current_version
from syndicate.types import Author, Column, Outcome, Subscriber, SubscriberStatus

NOW = datetime(2026, 3, 1, 6, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    yield opened
    opened.close()


def column(url: str, *, title: str = "عنوان", views: int | None = 10,
           author: str = "aisha", source: str = "alsharq") -> Column:
    return Column(
        url=url, source=source, title=title,
        author=Author(name="عائشة المري", slug=author, credentials="كاتبة"),
        published=NOW - timedelta(hours=3), body_html="<p>نص</p>", excerpt="نص",
        views=views, categories=("رأي",),
    )


def test_a_new_database_is_stamped_at_the_latest_version(store: Store) -> None:
    with store.engine.connect() as conn:
        assert current_version(conn) == SCHEMA_VERSION
    Store.open(store.url).close()  # a second open finds it current and changes nothing


def test_columns_round_trip_with_aware_utc_datetimes_to_the_microsecond(store: Store) -> None:
    doha = timezone(timedelta(hours=3))
    first = store.columns.upsert(column("https://a.example/1"), dedupe_key="k1", seen_urls=(),
                                 now=NOW.astimezone(doha))
    assert first.outcome is Outcome.NEW
    got = store.columns.get("https://a.example/1")
    assert got is not None
    assert got.collected_at == NOW and got.collected_at.tzinfo is UTC
    assert got.published == NOW - timedelta(hours=3) and got.published.tzinfo is UTC
    assert got.categories == ("رأي",) and got.author.credentials == "كاتبة"
    assert got.future_dated is False
    count, last = store.columns.source_stats()["alsharq"]
    assert count == 1 and last == NOW and last.tzinfo is UTC


def test_columns_are_found_again_by_alias_and_views_are_snapshots(store: Store) -> None:
    store.columns.upsert(column("https://a.example/1"), dedupe_key="k1",
                         seen_urls=("https://a.example/1?amp", "https://a.example/1?amp"), now=NOW)
    later = NOW + timedelta(hours=1)
    again = store.columns.upsert(column("https://a.example/1?amp", views=25), dedupe_key="k1",
                                 seen_urls=(), now=later)
    assert again.outcome is Outcome.UNCHANGED
    edited = store.columns.upsert(column("https://a.example/1", title="عنوان جديد"),
                                  dedupe_key="k1", seen_urls=(), now=later)
    assert edited.outcome is Outcome.UPDATED and edited.changes == ("title",)
    assert store.columns.view_history("https://a.example/1?amp") == [
        (NOW, 10), (later, 25), (later, 10)]
    assert store.columns.count() == 1
    assert [a.slug for a in store.columns.authors()] == ["aisha"]


def test_columns_ranked_and_counted_as_of_an_instant(store: Store) -> None:
    """``views_as_of``: the latest snapshot at or before it (the last one written at
    that very instant); a column with none by then has no count and no rank."""
    later, then = NOW + timedelta(hours=2), NOW + timedelta(hours=1)
    for url, counts in (("https://a.example/1", ((NOW, 10), (later, 900))),
                        ("https://a.example/2", ((NOW, 30), (then, 40), (then, 35))),
                        ("https://a.example/3", ((later, 5000),))):
        for at, views in counts:
            store.columns.upsert(column(url, views=views), dedupe_key=url, seen_urls=(), now=at)
    ranked = store.columns.list(order="views", views_as_of=then)
    assert [(c.url[-1], c.views) for c in ranked] == [("2", 35), ("1", 10)]
    listed = store.columns.list(urls=("https://a.example/3", "https://a.example/1"),
                                views_as_of=then)
    assert {c.url[-1]: c.views for c in listed} == {"1": 10, "3": None}
    now = store.columns.list(order="views")  # today's counts, as before
    assert [(c.url[-1], c.views) for c in now] == [("3", 5000), ("1", 900), ("2", 35)]


def test_one_author_when_hosts_collect_their_columns_at_once(store: Store) -> None:
    """Look-then-insert races on PostgreSQL: ON CONFLICT settles them in the database."""

    def collect(n: int) -> Outcome:
        return store.columns.upsert(
            column(f"https://a.example/{n}", title=f"عنوان {n}"), dedupe_key=f"k{n}",
            seen_urls=(f"https://mirror.example/{n}",), now=NOW,
        ).outcome

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(collect, range(8)))
    assert outcomes == [Outcome.NEW] * 8
    assert len(store.columns.authors()) == 1


def test_subscribers_insert_if_absent_never_reactivates(store: Store) -> None:
    long_address = "a" * 64 + "@" + "b" * 250 + ".qa"  # 318 characters: within RFC 5321
    added, created = store.subscribers.insert_if_absent(
        Subscriber(email=long_address.upper(), newsletter="daily"), NOW)
    assert created and added.email == long_address
    assert added.id is not None
    store.subscribers.set_status(added.id, SubscriberStatus.UNSUBSCRIBED, NOW)
    again, created = store.subscribers.insert_if_absent(
        Subscriber(email=long_address, newsletter="daily"), NOW)
    assert not created and again.status is SubscriberStatus.UNSUBSCRIBED
    assert list(store.subscribers.iter_active("daily")) == []


def test_concurrent_sign_ups_for_one_address_make_one_row(store: Store) -> None:
    def sign_up(_: int) -> bool:
        return store.subscribers.insert_if_absent(
            Subscriber(email="x@example.org", newsletter="daily"), NOW)[1]

    with ThreadPoolExecutor(max_workers=4) as pool:
        created = list(pool.map(sign_up, range(8)))
    assert created.count(True) == 1
    assert len(store.subscribers.list()) == 1


def test_issue_deliveries_and_watermark(store: Store) -> None:
    ids = [store.subscribers.insert_if_absent(
        Subscriber(email=f"s{n}@example.org", newsletter="daily"), NOW)[0].id for n in range(3)]
    issue = store.digests.create_issue("daily", NOW, ("https://a.example/1",), NOW)
    assert issue.number == 1 and issue.queued is False and issue.cutoff.tzinfo is UTC
    assert store.digests.open_issue("daily") == issue
    planned = [(sid, f"<{sid}@x>") for sid in ids if sid is not None]
    assert store.digests.add_deliveries(issue.id or 0, planned, NOW) == 3
    assert store.digests.add_deliveries(issue.id or 0, planned, NOW) == 0
    store.digests.mark_queued(issue)
    store.digests.mark_queued(issue)  # a repeat (crash and resume) is harmless
    assert store.digests.cutoff("daily") == NOW
    assert store.digests.open_issue("daily") is None
    assert [i.id for i in store.digests.unfinished_issues("daily")] == [issue.id]
    lease = NOW + timedelta(minutes=10)
    claimed = store.digests.claim_batch(issue.id or 0, "h:1:a", 10, lease_until=lease, now=NOW)
    assert [d.subscriber_id for d in claimed] == [sid for sid, _ in planned]
    assert store.digests.claim_batch(issue.id or 0, "h:2:b", 10, lease_until=lease, now=NOW) == []
    store.digests.settle(issue.id or 0, "h:1:a", [Settled(sid, "sent") for sid, _ in planned], NOW)
    assert store.digests.delivery_counts(issue.id or 0) == {"sent": 3}
    assert store.digests.unfinished_issues("daily") == []
    second = store.digests.create_issue("daily", NOW + timedelta(days=1), (), NOW)
    assert second.number == 2
    assert store.digests.last_sent_numbers("daily", 2) == {sid: 1 for sid, _ in planned}


def test_fetch_cache_and_feed_state_replace_in_place(store: Store) -> None:
    url = "https://a.example/opinion"
    store.fetch_cache.put(url, Validators('"v1"', None, None), status=200, now=NOW)
    store.fetch_cache.put(url, Validators('"v2"', "Sun, 01 Mar 2026 06:00:00 GMT", "memo"),
                          status=200, now=NOW)
    got = store.fetch_cache.get_many([url])[url]
    assert (got.etag, got.memo, got.fetched_at) == ('"v2"', "memo", NOW)
    store.feed_state.record("columns.atom", "d1", NOW)
    store.feed_state.record_many([("columns.atom", "d2"), ("columns.rss", "d3")], NOW)
    store.feed_state.mark_removed(["columns.rss"], NOW)
    assert store.feed_state.digests() == {"columns.atom": "d2"}
    assert store.feed_state.is_removed("columns.rss")


def test_job_runs_keep_counts_and_order(store: Store) -> None:
    first = store.jobs.start("collect", NOW)
    store.jobs.finish(first, NOW + timedelta(seconds=5), outcome="ok", counts={"new": 3})
    second = store.jobs.start("collect", NOW + timedelta(minutes=30))
    runs = store.jobs.recent(job="collect")
    assert [r.id for r in runs] == [second, first]
    assert runs[1].counts == {"new": 3} and runs[1].finished_at == NOW + timedelta(seconds=5)
    assert runs[0].outcome == "running"


def test_an_unreachable_server_is_one_clear_store_error() -> None:
    with pytest.raises(StoreError, match="127.0.0.1"):
        Store.open("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_a_missing_driver_names_the_extra_to_install_and_hides_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql+nosuchdriver://user:s3cret@127.0.0.1:1/db")
    assert "s3cret" not in str(caught.value)


def test_a_source_is_collected_by_one_process_at_a_time(store: Store) -> None:
    lease = NOW + timedelta(minutes=15)
    assert store.jobs.claim_source("alsharq", owner="a:1", lease_until=lease, now=NOW) is None
    assert store.jobs.claim_source("alsharq", owner="b:2", lease_until=lease, now=NOW) == "a:1"
    assert store.jobs.claim_source("alwatan", owner="b:2", lease_until=lease, now=NOW) is None
    # The holder died: once its lease is over, another takes the source.
    later = lease + timedelta(seconds=1)
    assert store.jobs.claim_source("alsharq", owner="b:2", lease_until=later + timedelta(
        minutes=15), now=later) is None
    store.jobs.release_source("alsharq", owner="a:1")  # not the holder any more: no effect
    assert store.jobs.claim_source("alsharq", owner="c:3", lease_until=lease, now=later) == "b:2"
    store.jobs.release_source("alsharq", owner="b:2")
    assert store.jobs.claim_source("alsharq", owner="c:3", lease_until=lease, now=later) is None


def test_concurrent_claims_of_one_source_leave_one_holder(store: Store) -> None:
    lease = NOW + timedelta(minutes=15)

    def claim(n: int) -> str | None:
        return store.jobs.claim_source("alsharq", owner=f"p:{n}", lease_until=lease, now=NOW)

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(claim, range(8)))
    assert answers.count(None) == 1
