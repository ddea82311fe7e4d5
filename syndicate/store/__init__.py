"""The store: SQLAlchemy Core over a SQLite file (default) or PostgreSQL.

``Store.open(url)`` migrates the schema and exposes one repository per concern:
``store.columns``, ``store.fetch_cache``, ``store.subscribers``, ``store.digests``,
``store.jobs``, ``store.feed_state``. SQLAlchemy is imported nowhere outside this package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import StoreError
from .columns import ColumnRepository
from .digests import DigestRepository
from .feed_state import FeedStateRepository
from .fetch_cache import FetchCacheRepository
from .jobs import JobRepository
from .leader import AdvisoryLeaderLock
from .migrations import SCHEMA_VERSION, migrate
from .safety import check_file, mark_created, translate_errors
from .subscribers import SubscriberRepository

__all__ = ["SCHEMA_VERSION", "Store"]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web server read while a job writes; a busy timeout instead of
    # "database is locked" when the scheduler and the CLI overlap.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _shown(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


class Store:
    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.columns = ColumnRepository(engine)
        self.fetch_cache = FetchCacheRepository(engine)
        self.subscribers = SubscriberRepository(engine)
        self.digests = DigestRepository(engine)
        self.jobs = JobRepository(engine)
        self.feed_state = FeedStateRepository(engine)

    @classmethod
    def open(cls, url: str) -> Store:
        """Open (creating and migrating as needed) the database at ``url``."""
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        check_file(url)  # a store that existed and vanished is not started afresh
        engine: Engine | None = None
        try:
            engine = create_engine(url, future=True)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            translate_errors(engine, _shown(url))
            with engine.begin() as conn:
                migrate(conn, url)
        except (ModuleNotFoundError, SQLAlchemyError) as exc:
            if engine is not None:
                engine.dispose()  # no pooled connection outlives a failed open
            if isinstance(exc, ModuleNotFoundError):  # the URL names a driver not installed
                hint = " (pip install 'syndicate[postgres]')" if url.startswith("postgres") else ""
                raise StoreError(_shown(url), f"no driver {exc.name!r}{hint}") from exc
            raise StoreError(_shown(url), str(exc).splitlines()[0]) from exc
        except BaseException:
            if engine is not None:
                engine.dispose()
            raise
        mark_created(url)
        return cls(engine, url)

    def leader_lock(self, owner: str) -> AdvisoryLeaderLock | None:
        """The scheduler's lock shared by hosts (PostgreSQL); None for SQLite (one host)."""
        if self.engine.dialect.name == "postgresql":
            return AdvisoryLeaderLock(self.engine, owner)
        return None

    def close(self) -> None:
        self.engine.dispose()
