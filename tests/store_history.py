"""Databases as older syndicates left them, for migration tests.

``tests/data/schema/v2.sqlite.sql`` is the DDL of schema version 2 exactly as it shipped
(``v2.postgresql.sql`` the same tables as that version created them on PostgreSQL);
a database at a later version N is that one migrated step by step to N by the real
migrations. So a migration test never builds "the previous schema" from today's tables
(which would already hold the columns later steps add).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from syndicate.store import migrations

V2_DDL = Path(__file__).parent / "data" / "schema" / "v2.sqlite.sql"
V2_DDL_POSTGRESQL = V2_DDL.with_name("v2.postgresql.sql")


def step_of(name_suffix: str) -> int:
    """The version a migration function (named ``_vN_<suffix>``) takes a database to."""
    return next(number for number, step in enumerate(migrations.MIGRATIONS, 1)
                if step.__name__.endswith(name_suffix))


def database_at(url: str, version: int) -> None:
    """Create the database at ``url`` (SQLite or PostgreSQL) as schema ``version`` (>= 2)
    left it."""
    assert 2 <= version <= migrations.SCHEMA_VERSION
    engine = create_engine(url)
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        if conn.dialect.name == "postgresql":
            raw.execute(V2_DDL_POSTGRESQL.read_text(encoding="utf-8"))  # no parameters: many
        else:
            raw.executescript(V2_DDL.read_text(encoding="utf-8"))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (2)"))
        for number in range(3, version + 1):
            migrations.MIGRATIONS[number - 1](conn)
        conn.execute(text("UPDATE schema_version SET version = :v"), {"v": version})
    engine.dispose()


sqlite_database_at = database_at  # the name older tests use
