"""Who is the scheduler among several hosts: a PostgreSQL session-level advisory lock.

The lock lives as long as the database session of one dedicated connection. A process
that dies (kill -9, a crash) has its socket closed by its kernel and the server ends
the session at once, so the lock is free within a standby's next poll. A host that
loses power or its network closes nothing: the server notices through TCP keepalives,
which this connection asks for (``KEEPALIVE_*``), so the lock is freed within about
``KEEPALIVE_IDLE_S + KEEPALIVE_INTERVAL_S * KEEPALIVE_COUNT`` seconds. The leader checks
its own session every poll, so one cut off from the server stops scheduling too; and
the ``job_fires`` ledger makes sure that even then no job runs twice for one fire time.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("syndicate.leader")

LOCK_KEY = 0x73796E64  # "synd": the scheduler's advisory lock key (one per database)
KEEPALIVE_IDLE_S = 10
KEEPALIVE_INTERVAL_S = 5
KEEPALIVE_COUNT = 3


class AdvisoryLeaderLock:
    """``try_acquire`` / ``held`` / ``release`` of the scheduler's lock on one connection."""

    def __init__(self, engine: Engine, owner: str) -> None:
        self._engine = engine
        self.owner = owner  # shown to operators as the session's application_name
        self._conn: Connection | None = None
        self._held = False
        self._unreachable = False

    def _connection(self) -> Connection:
        if self._conn is None:
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            for setting, value in (
                ("tcp_keepalives_idle", KEEPALIVE_IDLE_S),
                ("tcp_keepalives_interval", KEEPALIVE_INTERVAL_S),
                ("tcp_keepalives_count", KEEPALIVE_COUNT),
            ):
                conn.execute(text(f"SET {setting} = {int(value)}"))
            conn.execute(text("SELECT set_config('application_name', :name, false)"),
                         {"name": f"syndicate scheduler {self.owner}"[:63]})
            self._conn = conn
        return self._conn

    def _drop(self) -> None:
        conn, self._conn, self._held = self._conn, None, False
        if conn is not None:
            try:
                conn.invalidate()  # never back to the pool: its session may hold the lock
                conn.close()
            except SQLAlchemyError:
                pass

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False (and no error) if another session has it."""
        try:
            got = bool(self._connection().execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar())
        except SQLAlchemyError as exc:
            if not self._unreachable:  # once per outage, not once per poll
                log.warning("leader lock: the server is unreachable (%s); retrying",
                            str(exc).splitlines()[0])
            self._unreachable = True
            self._drop()
            return False
        self._unreachable = False
        self._held = got
        return got

    def held(self) -> bool:
        """Whether our session still exists and holds the lock (asks the server)."""
        if not self._held or self._conn is None:
            return False
        try:
            still = bool(self._conn.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND pid = pg_backend_pid() AND objid = :key"), {"key": LOCK_KEY}).scalar())
        except SQLAlchemyError:
            still = False
        if not still:
            self._drop()
        return still

    def release(self) -> None:
        if self._conn is not None and self._held:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            except SQLAlchemyError:
                pass  # ending the session below frees it anyway
        self._drop()

    def holder(self) -> str | None:
        """The application_name of the session holding the lock, if any (for `status`)."""
        with self._engine.connect() as conn:
            return conn.execute(text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a"
                " ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                " AND l.objid = :key"), {"key": LOCK_KEY}).scalar()
