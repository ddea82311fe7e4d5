"""Numbered schema migrations: the database says which version it is at.

Migration N takes a database at version N-1 to version N. Never edit a shipped
migration; append a new one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, insert, inspect, select, text, update

from . import schema

Migration = Callable[[Connection], None]


def _v1_initial(conn: Connection) -> None:
    schema.metadata.create_all(conn)


def _v2_fetch_cache_memo(conn: Connection) -> None:
    # v1 runs create_all with today's tables, so a new database already has the column.
    if "memo" not in {c["name"] for c in inspect(conn).get_columns("fetch_cache")}:
        conn.execute(text("ALTER TABLE fetch_cache ADD COLUMN memo TEXT"))


MIGRATIONS: list[Migration] = [_v1_initial, _v2_fetch_cache_memo]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    version = conn.execute(select(schema.schema_version.c.version)).scalar()
    return int(version or 0)


def migrate(conn: Connection) -> int:
    """Bring the database to ``SCHEMA_VERSION``; return the version it was at."""
    start = current_version(conn)
    if start > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema is version {start}, newer than this syndicate ({SCHEMA_VERSION})"
        )
    for number in range(start + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[number - 1](conn)
        if number == 1:
            conn.execute(insert(schema.schema_version).values(version=1))
        else:
            conn.execute(update(schema.schema_version).values(version=number))
    return start
