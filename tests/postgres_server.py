"""A real PostgreSQL server for the tests: Debian's binaries, a temporary directory, loopback.

pytest-postgresql's ``PostgreSQLExecutor`` runs ``pg_ctl`` (initdb, start, stop) and its
``DatabaseJanitor`` makes one database per test. What we add is the user: PostgreSQL
refuses to run as root (``initdb: error: cannot be run as root``, measured here, where the
tests and CI run as root), so as root ``pg_ctl`` runs through a small wrapper that drops to
the ``postgres`` account Debian's package creates (``setpriv``), in a directory it owns.

Binaries missing: a local run skips with the reason; under ``CI=true`` it fails loudly, so
CI never passes without the PostgreSQL half of the store tests.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

USER = "postgres"
# Durability is not under test: skip fsyncs so a database per test stays cheap.
FAST = "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"


def find_pg_ctl() -> Path | None:
    """The newest Debian PostgreSQL's pg_ctl (or one on PATH), if installed."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if found:
        return found[-1]
    on_path = shutil.which("pg_ctl")
    return Path(on_path) if on_path else None


def missing(reason: str) -> None:
    """Skip locally; fail under CI, where PostgreSQL must be there (.ci/run installs it)."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason} (apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _unprivileged_pg_ctl(pg_ctl: Path, workdir: Path) -> Path:
    """A pg_ctl that runs as the postgres account; the work directory becomes its own."""
    account = pwd.getpwnam(USER)
    os.chown(workdir, account.pw_uid, account.pw_gid)
    wrapper = workdir / "pg_ctl"
    wrapper.write_text(
        f'#!/bin/sh\nexec setpriv --reuid={account.pw_uid} --regid={account.pw_gid}'
        f' --init-groups {pg_ctl} "$@"\n',
        encoding="ascii",
    )
    wrapper.chmod(0o755)
    return wrapper


@contextmanager
def running_server() -> Iterator[Server]:
    """Start a throw-away cluster on 127.0.0.1; stop it and remove its files afterwards."""
    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        missing("no pg_ctl under /usr/lib/postgresql/*/bin or on PATH")
    assert pg_ctl is not None
    from pytest_postgresql.executors import PostgreSQLExecutor

    workdir = Path(tempfile.mkdtemp(prefix="syndicate-pg-"))
    executable = pg_ctl
    if os.geteuid() == 0:
        try:
            executable = _unprivileged_pg_ctl(pg_ctl, workdir)
        except KeyError:
            shutil.rmtree(workdir)
            missing(f"running as root and there is no {USER!r} account to run the server as")
    port = _free_port()
    executor = PostgreSQLExecutor(
        executable=str(executable),
        host="127.0.0.1",
        port=port,
        datadir=str(workdir / "data"),
        unixsocketdir=str(workdir),
        logfile=str(workdir / "server.log"),
        startparams="-w",
        dbname="syndicate_tests",
        user=USER,
        postgres_options=FAST,
    )
    executor.start()
    try:
        yield Server("127.0.0.1", port, USER)
    finally:
        executor.stop()
        shutil.rmtree(workdir, ignore_errors=True)


_numbers = itertools.count(1)


@contextmanager
def fresh_database(server: Server) -> Iterator[str]:
    """A new empty database on ``server`` (dropped afterwards); yields its SQLAlchemy URL."""
    from pytest_postgresql.janitor import DatabaseJanitor

    dbname = f"t{os.getpid()}_{next(_numbers)}"
    with DatabaseJanitor(user=server.user, host=server.host, port=server.port, dbname=dbname):
        yield server.url(dbname)
