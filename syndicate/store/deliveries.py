"""Per-subscriber deliveries of a digest issue, and the claims senders take on them.

Exactly-once delivery rests on the deliveries table. A row is written ``pending``
when the issue is queued. A sender *claims* a batch of rows (``claim_batch``): one
atomic statement moves them to ``sending`` with its owner id and a lease, and only
rows nobody holds (``pending`` and due, or ``sending`` with a lease run out) can be
claimed, so two processes or two hosts never hold the same row. After the hand-over
the batch is settled in one commit (``settle``: ``sent``, ``failed``, or back to
``pending`` with a retry time), guarded by the owner id. A crash leaves at most the
claimed batch in ``sending``; once its lease is over (or its owner is known dead)
another sender claims it and resolves it against the transport before sending.

The statements are plain SQLAlchemy Core: on PostgreSQL the candidate ``SELECT``
takes ``FOR UPDATE SKIP LOCKED``, which SQLite (one writer at a time) leaves out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Engine,
    Row,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from . import schema

_deliveries = schema.deliveries


@dataclass(frozen=True)
class Delivery:
    issue_id: int
    subscriber_id: int
    state: str  # pending, sending, sent, failed (from claim_batch: before the claim)
    attempts: int  # hand-overs tried before this one
    message_id: str
    error: str | None


@dataclass(frozen=True)
class Settled:
    """How one claimed delivery ended: ``sent``, ``failed`` or back to ``pending``."""

    subscriber_id: int
    state: str
    error: str | None = None
    retry_at: datetime | None = None  # pending: not claimable before this
    attempted: bool = True  # False: never handed over, the claim's attempt is undone


# What a Delivery holds (a claim reads only these: no dates to parse per row).
_DELIVERY_FIELDS = (_deliveries.c.issue_id, _deliveries.c.subscriber_id, _deliveries.c.state,
                    _deliveries.c.attempts, _deliveries.c.message_id, _deliveries.c.error)


def _delivery(row: Row[*tuple[Any, ...]]) -> Delivery:
    return Delivery(
        row.issue_id, row.subscriber_id, row.state, row.attempts, row.message_id, row.error
    )


# The statements a sender runs per batch, built once with named parameters: building
# them per call (an IN list of 64 bound values, the claim condition) cost more than
# running them.
_d = _deliveries.c
_CLAIMABLE = and_(
    _d.issue_id == bindparam("c_issue"),
    _d.subscriber_id > bindparam("c_after"),
    or_(
        and_(_d.state == "pending",
             or_(_d.next_attempt_at.is_(None), _d.next_attempt_at <= bindparam("c_now"))),
        and_(_d.state == "sending",
             or_(_d.lease_until.is_(None), _d.lease_until < bindparam("c_lease_now"))),
    ),
)
_PICK = (
    select(*_DELIVERY_FIELDS)
    .where(_CLAIMABLE)
    .order_by(_d.subscriber_id)
    .limit(bindparam("c_limit"))
    .with_for_update(skip_locked=True)  # PostgreSQL; SQLite writes one at a time
)
_TAKE = (
    update(_deliveries)
    .where(and_(_CLAIMABLE, _d.subscriber_id.in_(bindparam("c_ids", expanding=True))))
    .values(state="sending", owner=bindparam("c_owner"),
            lease_until=bindparam("c_lease_until"), attempts=_d.attempts + 1,
            updated_at=bindparam("c_updated"))
    .returning(_d.subscriber_id)
)
_SETTLE = (
    update(_deliveries)
    .where(and_(_d.issue_id == bindparam("s_issue"),
                _d.subscriber_id.in_(bindparam("s_ids", expanding=True)),
                _d.owner == bindparam("s_owner")))
    .values(state=bindparam("s_state"), error=bindparam("s_error"),
            next_attempt_at=bindparam("s_retry"), attempts=_d.attempts - bindparam("s_undo"),
            owner=None, lease_until=None, updated_at=bindparam("s_updated"))
)


class DeliveryRepository:
    """The deliveries table; ``DigestRepository`` (issues, watermarks) builds on it."""

    _engine: Engine

    # -- deliveries --------------------------------------------------------

    def add_deliveries(
        self, issue_id: int, planned: Iterable[tuple[int, str]], now: datetime
    ) -> int:
        """Record (subscriber id, message id) pairs as pending; existing rows are kept.

        Two senders may plan the same issue at once: a row the other one wrote first
        is skipped by the database (ON CONFLICT DO NOTHING), never an IntegrityError.
        """
        batch = [
            {"issue_id": issue_id, "subscriber_id": subscriber_id, "state": "pending",
             "attempts": 0, "message_id": message_id, "updated_at": now}
            for subscriber_id, message_id in planned
        ]
        if not batch:
            return 0
        with self._engine.begin() as conn:
            dialect = {"sqlite": sqlite, "postgresql": postgresql}.get(conn.dialect.name)
            if dialect is None:  # another database: check first, insert the rest
                return self._add_missing(conn, issue_id, batch)
            statement = dialect.insert(_deliveries).on_conflict_do_nothing()
            before = self._count(conn, issue_id)
            conn.execute(statement, batch)
            return self._count(conn, issue_id) - before

    @staticmethod
    def _count(conn: Any, issue_id: int) -> int:
        return int(conn.execute(
            select(func.count()).where(_deliveries.c.issue_id == issue_id)
        ).scalar_one())

    @staticmethod
    def _add_missing(conn: Any, issue_id: int, batch: list[dict[str, Any]]) -> int:
        known = set(conn.execute(
            select(_deliveries.c.subscriber_id).where(and_(
                _deliveries.c.issue_id == issue_id,
                _deliveries.c.subscriber_id.in_([row["subscriber_id"] for row in batch]),
            ))
        ).scalars())
        missing = [row for row in batch if row["subscriber_id"] not in known]
        if missing:
            conn.execute(insert(_deliveries), missing)
        return len(missing)

    def deliveries(self, issue_id: int, states: tuple[str, ...]) -> Iterator[Delivery]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(_deliveries)
                .where(and_(_deliveries.c.issue_id == issue_id, _deliveries.c.state.in_(states)))
                .order_by(_deliveries.c.subscriber_id)
            ).all()
        for row in rows:
            yield Delivery(
                row.issue_id, row.subscriber_id, row.state, row.attempts, row.message_id, row.error
            )

    def set_delivery_state(
        self,
        issue_id: int,
        subscriber_id: int,
        state: str,
        now: datetime,
        *,
        error: str | None = None,
        count_attempt: bool = False,
    ) -> None:
        values: dict[str, Any] = {"state": state, "updated_at": now, "error": error}
        if count_attempt:
            values["attempts"] = _deliveries.c.attempts + 1
        with self._engine.begin() as conn:
            conn.execute(
                update(_deliveries)
                .where(
                    and_(
                        _deliveries.c.issue_id == issue_id,
                        _deliveries.c.subscriber_id == subscriber_id,
                    )
                )
                .values(**values)
            )

    # -- claims ------------------------------------------------------------

    def claim_batch(
        self,
        issue_id: int,
        owner: str,
        n: int,
        *,
        lease_until: datetime,
        now: datetime,
        lease_now: datetime | None = None,
        after: int | None = None,
    ) -> list[Delivery]:
        """Take up to ``n`` deliveries nobody holds, in subscriber order, for ``owner``.

        ``after``: only subscribers after this id. A sender passes the last id it
        claimed, so each claim starts where the last one ended instead of walking the
        issue's index past every row already sent (which made a run quadratic in its
        subscribers); it looks from the start once more before it ends.

        Claimable: ``pending`` and due (``next_attempt_at`` passed by ``now``), or
        ``sending`` with its lease over at ``lease_now`` (wall-clock time; defaults to
        ``now``). Claimed rows are ``sending``, owned, leased until ``lease_until``,
        one attempt more. They come back *as they were before the claim*, so the
        caller can tell a row in doubt (it was ``sending``: a crashed sender may have
        handed it over) from a fresh one.
        """
        condition = {"c_issue": issue_id, "c_now": now, "c_lease_now": lease_now or now,
                     "c_after": -1 if after is None else after}
        with self._engine.begin() as conn:
            rows = conn.execute(_PICK, {**condition, "c_limit": n}).all()
            if not rows:
                return []
            # The same condition again: on SQLite another process may have claimed some
            # of these rows between the SELECT and this UPDATE; those are not ours.
            taken = set(conn.execute(_TAKE, {
                **condition, "c_ids": [r.subscriber_id for r in rows], "c_owner": owner,
                "c_lease_until": lease_until, "c_updated": now,
            }).scalars())
        return [_delivery(r) for r in rows if r.subscriber_id in taken]

    def settle(
        self, issue_id: int, owner: str, outcomes: Iterable[Settled], now: datetime
    ) -> None:
        """Record how a claimed batch ended, in one commit; rows ``owner`` lost are left.

        Outcomes alike (most often: all sent) are one UPDATE over their subscribers, not
        one per row: a row's bound parameters cost more than its update.
        """
        alike: dict[tuple[str, str | None, datetime | None, bool], list[int]] = {}
        for o in outcomes:
            alike.setdefault((o.state, o.error, o.retry_at, o.attempted), []).append(
                o.subscriber_id)
        if not alike:
            return
        with self._engine.begin() as conn:
            for (state, error, retry_at, attempted), subscriber_ids in alike.items():
                conn.execute(_SETTLE, {
                    "s_issue": issue_id, "s_ids": subscriber_ids, "s_owner": owner,
                    "s_state": state, "s_error": error, "s_retry": retry_at,
                    "s_undo": 0 if attempted else 1, "s_updated": now,
                })

    def holders(self, issue_id: int, lease_now: datetime) -> dict[str, int]:
        """owner -> how many rows of ``issue_id`` it holds under a running lease."""
        d = _deliveries.c
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(d.owner, func.count())
                .where(and_(d.issue_id == issue_id, d.state == "sending",
                            d.owner.is_not(None), d.lease_until >= lease_now))
                .group_by(d.owner)
            )
            return {str(row[0]): int(row[1]) for row in rows}

    def end_lease(self, issue_id: int, owner: str) -> int:
        """Make ``owner``'s rows claimable now (the caller knows that owner is dead)."""
        d = _deliveries.c
        with self._engine.begin() as conn:
            result = conn.execute(
                update(_deliveries)
                .where(and_(d.issue_id == issue_id, d.owner == owner, d.state == "sending"))
                .values(lease_until=None)
            )
            return int(result.rowcount or 0)

    def delivery_counts(self, issue_id: int) -> dict[str, int]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(_deliveries.c.state, func.count())
                .where(_deliveries.c.issue_id == issue_id)
                .group_by(_deliveries.c.state)
            )
            return {row[0]: int(row[1]) for row in rows}
