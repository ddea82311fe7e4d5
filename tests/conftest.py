"""Hypothesis profiles.

``default`` is derandomized: the suite (and CI) tries the same examples every run,
so main goes red only for a change, never for a lucky draw. ``explore`` draws fresh
random examples on every run, to hunt for new bugs (run it a few times):

    python -m pytest tests/ --hypothesis-profile=explore -k "property or consecutive"

(it found that hijridate's table has 31-day months before 1365 AH).

Tests that read a schedules.yaml without going through ``syndicate.core`` need the
built-in source kinds registered, as the core registers them for every entry point.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

import syndicate.sources  # noqa: F401 (registers the built-in source kinds)

from .postgres_server import Server, fresh_database, running_server

settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False)


# -- stores: every store-level test runs on SQLite and on a real PostgreSQL -------------



@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[Server]:
    """One PostgreSQL server for the whole session (Debian's binaries, 127.0.0.1)."""
    with running_server() as server:
        yield server


@pytest.fixture()
def postgresql_url(postgresql_server: Server) -> Iterator[str]:
    """A fresh, empty database on the session's server, dropped after the test."""
    with fresh_database(postgresql_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("postgresql_url"))
