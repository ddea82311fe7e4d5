"""Upserts that hold under concurrent writers, on SQLite and on PostgreSQL alike.

"Look, then insert" is safe on SQLite (one writer at a time) but not on PostgreSQL,
where two hosts can both look, both miss, and one insert then fails on the unique key.
``INSERT … ON CONFLICT`` settles it in the database; both dialects spell it the same
way in SQLAlchemy, only the ``insert`` construct differs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

Row = Mapping[str, Any]


def insert_statement(conn: Connection, table: Table) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_nothing`` / ``_do_update``."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for the {conn.dialect.name} dialect")


def upsert(
    conn: Connection, table: Table, rows: Row | Sequence[Row], keys: Sequence[str]
) -> None:
    """Insert ``rows``; a row whose ``keys`` exist replaces that row's other columns."""
    batch = [rows] if isinstance(rows, Mapping) else list(rows)
    if not batch:
        return
    statement = insert_statement(conn, table)
    replaced = {name: statement.excluded[name] for name in batch[0] if name not in keys}
    conn.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=replaced), batch)


def insert_ignoring_duplicates(
    conn: Connection, table: Table, rows: Row | Sequence[Row], keys: Sequence[str]
) -> None:
    """Insert ``rows``; a row whose ``keys`` already exist is left as it is."""
    batch = [rows] if isinstance(rows, Mapping) else list(rows)
    if batch:
        statement = insert_statement(conn, table).on_conflict_do_nothing(index_elements=list(keys))
        conn.execute(statement, batch)
