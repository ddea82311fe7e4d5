"""Newsletter watermarks and digest issues; their per-subscriber deliveries and the
claims on them are ``deliveries.py``'s (``DeliveryRepository``, a base of
``DigestRepository``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Row,
    and_,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from ..types import DigestIssue
from . import schema
from .deliveries import DeliveryRepository
from .dialect import upsert

_state = schema.newsletter_state
_issues = schema.digest_issues
_deliveries = schema.deliveries  # last_sent_numbers, unfinished_issues


def _holding(newsletter: str, watermark: datetime | None) -> ColumnElement[bool]:
    """The issues of ``newsletter`` that hold the columns after ``watermark``."""
    mine = _issues.c.newsletter == newsletter
    return mine if watermark is None else and_(mine, _issues.c.cutoff > watermark)


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


class DigestRepository(DeliveryRepository):
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
        """Issue number max + 1 of ``newsletter`` (tests and tools; senders use
        ``create_or_join_issue``)."""
        created = self._insert_issue(newsletter, None, cutoff, column_urls, now, guarded=False)
        assert created is not None
        return created

    def create_or_join_issue(
        self,
        newsletter: str,
        *,
        watermark: datetime | None,
        cutoff: datetime,
        column_urls: tuple[str, ...],
        now: datetime,
    ) -> tuple[DigestIssue, bool]:
        """The issue for the columns after ``watermark``: a new one, or the one another
        sender created for them meanwhile (then ``False``), never two.

        ``watermark`` is the cut-off the caller selected its columns from. An issue
        with a later cut-off already holds those columns (a second process, or the
        same fire time run twice): join it. The look and the insert are one statement
        (``INSERT … SELECT … WHERE NOT EXISTS``): a look made before another sender's
        issue existed cannot create a second issue after it. Two creators racing for
        the same number meet at the unique (newsletter, number) constraint; the loser
        joins the winner.
        """
        for _ in range(5):
            joined = self._issue_after(newsletter, watermark)
            if joined is not None:
                return joined, False
            try:
                created = self._insert_issue(newsletter, watermark, cutoff, column_urls, now,
                                             guarded=True)
            except IntegrityError:
                continue  # another sender took this number first: join its issue
            if created is not None:
                return created, True
        raise RuntimeError(f"could not create or find the issue of {newsletter}")  # pragma: no cover

    def _insert_issue(self, newsletter: str, watermark: datetime | None, cutoff: datetime,
                      column_urls: tuple[str, ...], now: datetime, *, guarded: bool
                      ) -> DigestIssue | None:
        """One statement: number max + 1, and with ``guarded`` only while no issue holds
        the columns after ``watermark``; None when one does."""
        i = _issues.c
        mine = i.newsletter == newsletter
        number = select(func.coalesce(func.max(i.number), 0) + 1).where(mine).scalar_subquery()
        values = select(
            literal(newsletter, i.newsletter.type), number, literal(cutoff, i.cutoff.type),
            literal(json.dumps(list(column_urls), ensure_ascii=False), i.column_urls.type),
            literal(now, i.created_at.type), literal(False, i.queued.type))
        if guarded:
            values = values.where(~exists().where(_holding(newsletter, watermark)))
        statement = insert(_issues).from_select(
            ["newsletter", "number", "cutoff", "column_urls", "created_at", "queued"], values
        ).returning(i.id)
        with self._engine.begin() as conn:
            new_id = conn.execute(statement).scalar()
            if new_id is None:
                return None
            row = conn.execute(select(_issues).where(i.id == new_id)).one()
        return _issue(row)

    def _issue_after(self, newsletter: str, watermark: datetime | None) -> DigestIssue | None:
        query = select(_issues).where(_holding(newsletter, watermark))
        with self._engine.connect() as conn:
            row = conn.execute(query.order_by(_issues.c.number.desc())).first()
        return None if row is None else _issue(row)

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
