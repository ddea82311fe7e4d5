"""Newsletter watermarks, digest issues and per-subscriber deliveries.

Exactly-once delivery rests on this table: a delivery row is written as
``pending`` when the issue is queued, flipped to ``sending`` just before the
transport is called and to ``sent`` right after. A crash leaves at most the
in-flight rows in ``sending``; the sender resolves those against the transport
(Maildir and SMTP both carry the stable Message-ID) before sending anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, and_, bindparam, func, insert, select, update

from ..types import DigestIssue
from . import schema
from .dialect import upsert

_state = schema.newsletter_state
_issues = schema.digest_issues
_deliveries = schema.deliveries


@dataclass(frozen=True)
class Delivery:
    issue_id: int
    subscriber_id: int
    state: str  # pending, sending, sent, failed
    attempts: int
    message_id: str
    error: str | None


def _issue(row: Row[Any]) -> DigestIssue:
    return DigestIssue(
        id=row.id,
        newsletter=row.newsletter,
        number=row.number,
        cutoff=row.cutoff,
        column_urls=tuple(json.loads(row.column_urls)),
        created_at=row.created_at,
        queued=bool(row.queued),
    )


class DigestRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # -- watermark ---------------------------------------------------------

    def cutoff(self, newsletter: str) -> datetime | None:
        """Columns collected after this instant are new for ``newsletter``."""
        with self._engine.connect() as conn:
            return conn.execute(
                select(_state.c.cutoff).where(_state.c.newsletter == newsletter)
            ).scalar()

    # -- issues ------------------------------------------------------------

    def open_issue(self, newsletter: str) -> DigestIssue | None:
        """The newest issue not yet fully queued (a crash mid-queue), if any."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(_issues)
                .where(and_(_issues.c.newsletter == newsletter, _issues.c.queued.is_(False)))
                .order_by(_issues.c.number.desc())
            ).first()
        return None if row is None else _issue(row)

    def create_issue(
        self, newsletter: str, cutoff: datetime, column_urls: tuple[str, ...], now: datetime
    ) -> DigestIssue:
        with self._engine.begin() as conn:
            last = conn.execute(
                select(func.max(_issues.c.number)).where(_issues.c.newsletter == newsletter)
            ).scalar()
            number = int(last or 0) + 1
            result = conn.execute(
                insert(_issues).values(
                    newsletter=newsletter,
                    number=number,
                    cutoff=cutoff,
                    column_urls=json.dumps(list(column_urls), ensure_ascii=False),
                    created_at=now,
                    queued=False,
                )
            )
            row = conn.execute(
                select(_issues).where(_issues.c.id == schema.inserted_id(result))
            ).one()
        return _issue(row)

    def mark_queued(self, issue: DigestIssue) -> None:
        """Every delivery of ``issue`` is recorded: advance the watermark to its cut-off."""
        assert issue.id is not None
        with self._engine.begin() as conn:
            conn.execute(update(_issues).where(_issues.c.id == issue.id).values(queued=True))
            upsert(conn, _state, {"newsletter": issue.newsletter, "cutoff": issue.cutoff,
                                  "last_issue_number": issue.number}, keys=("newsletter",))

    def issues(self, newsletter: str, limit: int = 50) -> list[DigestIssue]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(_issues)
                .where(_issues.c.newsletter == newsletter)
                .order_by(_issues.c.number.desc())
                .limit(limit)
            )
            return [_issue(row) for row in rows]

    # -- deliveries --------------------------------------------------------

    def add_deliveries(
        self, issue_id: int, planned: Iterable[tuple[int, str]], now: datetime
    ) -> int:
        """Record (subscriber id, message id) pairs as pending; existing rows are kept."""
        added = 0
        planned = list(planned)
        with self._engine.begin() as conn:
            # Only this batch's ids: callers plan in pages of ~1,000 subscribers.
            known = {
                row.subscriber_id
                for row in conn.execute(
                    select(_deliveries.c.subscriber_id).where(
                        and_(
                            _deliveries.c.issue_id == issue_id,
                            _deliveries.c.subscriber_id.in_([sid for sid, _ in planned]),
                        )
                    )
                )
            }
            batch = [
                {
                    "issue_id": issue_id,
                    "subscriber_id": subscriber_id,
                    "state": "pending",
                    "attempts": 0,
                    "message_id": message_id,
                    "updated_at": now,
                }
                for subscriber_id, message_id in planned
                if subscriber_id not in known
            ]
            if batch:
                conn.execute(insert(_deliveries), batch)
                added = len(batch)
        return added

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

    def delivery_batches(
        self, issue_id: int, states: tuple[str, ...], batch: int = 500
    ) -> Iterator[list[Delivery]]:
        """Deliveries in ``states`` by subscriber id, a page at a time (flat memory)."""
        last = 0
        while True:
            with self._engine.connect() as conn:
                rows = conn.execute(
                    select(_deliveries)
                    .where(
                        and_(
                            _deliveries.c.issue_id == issue_id,
                            _deliveries.c.state.in_(states),
                            _deliveries.c.subscriber_id > last,
                        )
                    )
                    .order_by(_deliveries.c.subscriber_id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            yield [
                Delivery(r.issue_id, r.subscriber_id, r.state, r.attempts, r.message_id, r.error)
                for r in rows
            ]
            last = rows[-1].subscriber_id

    def issue(self, issue_id: int) -> DigestIssue | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(_issues).where(_issues.c.id == issue_id)).first()
        return None if row is None else _issue(row)

    def unfinished_issues(self, newsletter: str) -> list[DigestIssue]:
        """Issues not fully queued, or with deliveries still pending or in flight (oldest first)."""
        with self._engine.connect() as conn:
            busy = select(_deliveries.c.issue_id).where(
                _deliveries.c.state.in_(("pending", "sending"))
            )
            rows = conn.execute(
                select(_issues)
                .where(
                    and_(
                        _issues.c.newsletter == newsletter,
                        _issues.c.queued.is_(False) | _issues.c.id.in_(busy),
                    )
                )
                .order_by(_issues.c.number)
            )
            return [_issue(row) for row in rows]

    def last_sent_numbers(self, newsletter: str, before_number: int) -> dict[int, int]:
        """subscriber id -> number of the latest issue (before ``before_number``) they got."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(_deliveries.c.subscriber_id, func.max(_issues.c.number))
                .join(_issues, _issues.c.id == _deliveries.c.issue_id)
                .where(
                    and_(
                        _issues.c.newsletter == newsletter,
                        _issues.c.number < before_number,
                        _deliveries.c.state == "sent",
                    )
                )
                .group_by(_deliveries.c.subscriber_id)
            )
            return {int(row[0]): int(row[1]) for row in rows}

    def set_delivery_states(
        self,
        issue_id: int,
        updates: Iterable[tuple[int, str, str | None]],
        now: datetime,
        *,
        count_attempt: bool = False,
    ) -> None:
        """Several (subscriber id, state, error) changes in one transaction (one commit)."""
        rows = [{"b_sid": sid, "b_state": state, "b_error": error} for sid, state, error in updates]
        if not rows:
            return
        values: dict[str, Any] = {
            "state": bindparam("b_state"), "error": bindparam("b_error"), "updated_at": now,
        }
        if count_attempt:
            values["attempts"] = _deliveries.c.attempts + 1
        statement = (
            update(_deliveries)
            .where(and_(_deliveries.c.issue_id == issue_id,
                        _deliveries.c.subscriber_id == bindparam("b_sid")))
            .values(**values)
        )
        with self._engine.begin() as conn:
            conn.execute(statement, rows)

    def delivery_counts(self, issue_id: int) -> dict[str, int]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(_deliveries.c.state, func.count())
                .where(_deliveries.c.issue_id == issue_id)
                .group_by(_deliveries.c.state)
            )
            return {row[0]: int(row[1]) for row in rows}
