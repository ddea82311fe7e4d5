"""Subscribers of each newsletter, their status and bounce count."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, and_, bindparam, delete, insert, select, update

from ..types import Cadence, Subscriber, SubscriberStatus
from . import schema
from .dialect import insert_statement

_t = schema.subscribers
_LEFT = (SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.BOUNCED)


# What a Subscriber holds: reading only these spares the dates it does not (created_at,
# confirmed_at, …), parsed per row, in the reads a digest run makes per subscriber.
_FIELDS = (_t.c.id, _t.c.email, _t.c.newsletter, _t.c.name, _t.c.cadence,
           _t.c.followed_authors, _t.c.status, _t.c.bounces, _t.c.paused_until)

# Built once: a sender reads a batch of subscribers per claimed batch.
_BY_IDS = select(*_FIELDS).where(_t.c.id.in_(bindparam("ids", expanding=True)))


def _subscriber(row: Row[*tuple[Any, ...]]) -> Subscriber:
    return Subscriber(
        id=row.id,
        email=row.email,
        newsletter=row.newsletter,
        name=row.name,
        cadence=Cadence(row.cadence),
        followed_authors=tuple(json.loads(row.followed_authors)),
        status=SubscriberStatus(row.status),
        bounces=row.bounces,
        paused_until=row.paused_until,
    )


class SubscriberRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, subscriber: Subscriber, now: datetime) -> tuple[Subscriber, bool]:
        """Insert or refresh a subscriber; return it and whether it was new."""
        email = subscriber.email.strip().lower()
        values = {
            "name": subscriber.name,
            "cadence": subscriber.cadence.value,
            "followed_authors": json.dumps(list(subscriber.followed_authors)),
            "status": subscriber.status.value,
        }
        with self._engine.begin() as conn:
            existing = conn.execute(
                select(_t.c.id).where(
                    and_(_t.c.email == email, _t.c.newsletter == subscriber.newsletter)
                )
            ).scalar()
            if existing is None:
                confirmed = now if subscriber.status is SubscriberStatus.ACTIVE else None
                result = conn.execute(
                    insert(_t).values(
                        email=email,
                        newsletter=subscriber.newsletter,
                        created_at=now,
                        confirmed_at=confirmed,
                        **values,
                    )
                )
                new_id, created = schema.inserted_id(result), True
            else:
                conn.execute(update(_t).where(_t.c.id == existing).values(**values))
                new_id, created = int(existing), False
            row = conn.execute(select(_t).where(_t.c.id == new_id)).one()
        return _subscriber(row), created

    def insert_if_absent(self, subscriber: Subscriber, now: datetime) -> tuple[Subscriber, bool]:
        """Insert unless the address is known for that newsletter; never touch an existing row.

        Imports and sign-ups go through here so that re-importing a CSV can never
        re-activate someone who unsubscribed or bounced.
        """
        email = subscriber.email.strip().lower()
        with self._engine.begin() as conn:
            row = conn.execute(
                select(_t).where(and_(_t.c.email == email, _t.c.newsletter == subscriber.newsletter))
            ).first()
            if row is not None:
                return _subscriber(row), False
            # ON CONFLICT: a sign-up for the same address on another host may win the race.
            result = conn.execute(
                insert_statement(conn, _t).values(
                    email=email,
                    newsletter=subscriber.newsletter,
                    name=subscriber.name,
                    cadence=subscriber.cadence.value,
                    followed_authors=json.dumps(list(subscriber.followed_authors)),
                    status=subscriber.status.value,
                    bounces=subscriber.bounces,
                    created_at=now,
                    confirmed_at=now if subscriber.status is SubscriberStatus.ACTIVE else None,
                ).on_conflict_do_nothing(index_elements=["email", "newsletter"])
                .returning(_t.c.id)  # a row back only when this insert made it
            )
            created = result.first() is not None
            row = conn.execute(
                select(_t).where(and_(_t.c.email == email, _t.c.newsletter == subscriber.newsletter))
            ).one()
        return _subscriber(row), created

    def iter_active(self, newsletter: str, batch: int = 1000) -> Iterator[Subscriber]:
        """Active subscribers by id, read in pages so memory stays flat."""
        last = 0
        while True:
            with self._engine.connect() as conn:
                rows = conn.execute(
                    select(*_FIELDS)
                    .where(
                        and_(
                            _t.c.newsletter == newsletter,
                            _t.c.status == SubscriberStatus.ACTIVE.value,
                            _t.c.id > last,
                        )
                    )
                    .order_by(_t.c.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            for row in rows:
                yield _subscriber(row)
            last = rows[-1].id

    def get_many(self, ids: Iterable[int]) -> dict[int, Subscriber]:
        wanted = list(ids)
        if not wanted:
            return {}
        with self._engine.connect() as conn:
            rows = conn.execute(_BY_IDS, {"ids": wanted})
            return {row.id: _subscriber(row) for row in rows}

    def confirm(self, subscriber_id: int, now: datetime, *, issued: datetime) -> bool:
        """Double opt-in completed: active, bounce count reset. False when the link may not.

        A pending subscriber is activated by any valid confirm link. One who left
        (unsubscribed, bounced) only by a link from a confirmation asked for *after*
        leaving: leaving clears ``confirmation_sent_at`` and a new sign-up sets it, so
        an old link (issued before that request) re-activates nobody and resets no
        bounce count. An active subscriber is left as is.
        """
        pending = _t.c.status == SubscriberStatus.PENDING.value
        # The link's time is whole seconds, the request's is not: a second of slack.
        asked_again = and_(
            _t.c.status.in_([SubscriberStatus.UNSUBSCRIBED.value, SubscriberStatus.BOUNCED.value]),
            _t.c.confirmation_sent_at.is_not(None),
            _t.c.confirmation_sent_at <= issued + timedelta(seconds=1),
        )
        with self._engine.begin() as conn:
            result = conn.execute(
                update(_t)
                .where(and_(_t.c.id == subscriber_id, pending | asked_again))
                .values(status=SubscriberStatus.ACTIVE.value, confirmed_at=now, bounces=0)
            )
            return bool(result.rowcount)

    def confirmation_sent_at(self, subscriber_id: int) -> datetime | None:
        with self._engine.connect() as conn:
            return conn.execute(
                select(_t.c.confirmation_sent_at).where(_t.c.id == subscriber_id)
            ).scalar()

    def claim_confirmation(self, subscriber_id: int, now: datetime, not_before: datetime) -> bool:
        """Record a confirmation mail unless one went out after ``not_before``.

        One conditional UPDATE, so two concurrent requests cannot both win.
        """
        with self._engine.begin() as conn:
            result = conn.execute(
                update(_t)
                .where(
                    and_(
                        _t.c.id == subscriber_id,
                        (_t.c.confirmation_sent_at.is_(None))
                        | (_t.c.confirmation_sent_at <= not_before),
                    )
                )
                .values(confirmation_sent_at=now)
            )
            return bool(result.rowcount)

    def get(self, email: str, newsletter: str) -> Subscriber | None:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(_t).where(
                    and_(_t.c.email == email.strip().lower(), _t.c.newsletter == newsletter)
                )
            ).first()
        return None if row is None else _subscriber(row)

    def get_by_id(self, subscriber_id: int) -> Subscriber | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(_t).where(_t.c.id == subscriber_id)).first()
        return None if row is None else _subscriber(row)

    def list(
        self, newsletter: str | None = None, status: SubscriberStatus | None = None
    ) -> list[Subscriber]:
        query = select(_t).order_by(_t.c.id)
        if newsletter is not None:
            query = query.where(_t.c.newsletter == newsletter)
        if status is not None:
            query = query.where(_t.c.status == status.value)
        with self._engine.connect() as conn:
            return [_subscriber(row) for row in conn.execute(query)]

    def set_status(self, subscriber_id: int, status: SubscriberStatus, now: datetime) -> None:
        values: dict[str, Any] = {"status": status.value}
        if status is SubscriberStatus.ACTIVE:
            values["confirmed_at"] = now
        if status in _LEFT:
            values["confirmation_sent_at"] = None  # older confirm links re-activate no one
        with self._engine.begin() as conn:
            conn.execute(update(_t).where(_t.c.id == subscriber_id).values(**values))

    def record_bounce(self, subscriber_id: int, *, bounce_limit: int, now: datetime) -> int:
        """Count a permanent failure; mark the subscriber bounced at the limit."""
        with self._engine.begin() as conn:
            bounces = int(
                conn.execute(select(_t.c.bounces).where(_t.c.id == subscriber_id)).scalar_one()
            ) + 1
            values: dict[str, Any] = {"bounces": bounces}
            if bounces >= bounce_limit:
                values["status"] = SubscriberStatus.BOUNCED.value
                values["confirmation_sent_at"] = None  # see confirm()
            conn.execute(update(_t).where(_t.c.id == subscriber_id).values(**values))
        return bounces

    def remove(self, email: str, newsletter: str | None = None) -> int:
        condition = _t.c.email == email.strip().lower()
        if newsletter is not None:
            condition = and_(condition, _t.c.newsletter == newsletter)
        with self._engine.begin() as conn:
            ids = [row.id for row in conn.execute(select(_t.c.id).where(condition))]
            if ids:
                conn.execute(delete(schema.deliveries).where(
                    schema.deliveries.c.subscriber_id.in_(ids)))
            return int(conn.execute(delete(_t).where(condition)).rowcount or 0)

    def set_preferences(
        self, subscriber_id: int, *, cadence: Cadence, followed_authors: Iterable[str],
        paused_until: datetime | None,
    ) -> None:
        """What the preference page changes; the next issue is planned with it."""
        with self._engine.begin() as conn:
            conn.execute(update(_t).where(_t.c.id == subscriber_id).values(
                cadence=cadence.value,
                followed_authors=json.dumps(sorted(set(followed_authors))),
                paused_until=paused_until,
            ))
