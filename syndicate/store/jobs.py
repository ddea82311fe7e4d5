"""Job runs: start, end, outcome, counts and error of every scheduled or manual run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, delete, desc, insert, select, update

from . import schema
from .dialect import insert_statement

_t = schema.job_runs


@dataclass(frozen=True)
class JobRun:
    id: int
    job: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str  # running, ok, failed
    counts: dict[str, int]
    error: str | None


class JobRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def start(self, job: str, now: datetime) -> int:
        with self._engine.begin() as conn:
            result = conn.execute(insert(_t).values(job=job, started_at=now, outcome="running"))
            return schema.inserted_id(result)

    def finish(
        self,
        run_id: int,
        now: datetime,
        *,
        outcome: str,
        counts: dict[str, int] | None = None,
        error: str | None = None,
    ) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                update(_t)
                .where(_t.c.id == run_id)
                .values(
                    finished_at=now,
                    outcome=outcome,
                    counts=json.dumps(counts or {}, sort_keys=True),
                    error=error,
                )
            )

    def claim_fire(self, job: str, fire_time: datetime, *, owner: str, now: datetime) -> bool:
        """Take ``job``'s run for ``fire_time``; False when a scheduler already took it."""
        with self._engine.begin() as conn:
            taken = conn.execute(
                insert_statement(conn, schema.job_fires)
                .values(job=job, fire_time=fire_time, owner=owner, claimed_at=now)
                .on_conflict_do_nothing(index_elements=["job", "fire_time"])
                .returning(schema.job_fires.c.job)
            ).first()
        return taken is not None

    def fires(self, job: str | None = None) -> list[tuple[str, datetime, str]]:
        """(job, fire time, owner) of every fire time taken, oldest first."""
        t = schema.job_fires
        query = select(t.c.job, t.c.fire_time, t.c.owner).order_by(t.c.fire_time, t.c.job)
        if job is not None:
            query = query.where(t.c.job == job)
        with self._engine.connect() as conn:
            return [(row.job, row.fire_time, row.owner) for row in conn.execute(query)]

    def claim_source(
        self, source: str, *, owner: str, lease_until: datetime, now: datetime
    ) -> str | None:
        """Take ``source`` for collecting until ``lease_until``; None when taken, else
        the owner who holds it. A lease that ran out (its collector died) is taken over."""
        t = schema.source_claims
        with self._engine.begin() as conn:
            statement = insert_statement(conn, t).values(
                source=source, owner=owner, lease_until=lease_until)
            taken = conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["source"],
                    set_={"owner": statement.excluded.owner,
                          "lease_until": statement.excluded.lease_until},
                    where=t.c.lease_until < now,
                ).returning(t.c.source)
            ).first()
            if taken is not None:
                return None
            holder = conn.execute(select(t.c.owner).where(t.c.source == source)).scalar()
        return str(holder or "?")

    def release_source(self, source: str, *, owner: str) -> None:
        t = schema.source_claims
        with self._engine.begin() as conn:
            conn.execute(delete(t).where(and_(t.c.source == source, t.c.owner == owner)))

    def recent(self, limit: int = 50, job: str | None = None) -> list[JobRun]:
        query = select(_t).order_by(desc(_t.c.started_at), desc(_t.c.id)).limit(limit)
        if job is not None:
            query = query.where(_t.c.job == job)
        with self._engine.connect() as conn:
            return [
                JobRun(
                    id=row.id,
                    job=row.job,
                    started_at=row.started_at,
                    finished_at=row.finished_at,
                    outcome=row.outcome,
                    counts=json.loads(row.counts),
                    error=row.error,
                )
                for row in conn.execute(query)
            ]
