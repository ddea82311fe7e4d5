"""A store that vanished, or a disk that failed, says so in one line.

* **Missing or empty SQLite file.** SQLite creates a database wherever it is asked
  to, so a deleted (or truncated to 0 bytes) ``var/syndicate.db`` used to start again
  empty: every subscriber, issue and watermark gone, exit code 0. Now a new database
  leaves a marker beside it (``.<name>.created``, holding when and where). The rule:
  the file may be created only when neither it nor its marker exists (the very first
  run, e.g. the README's first command); a marker without its database, or a
  database of 0 bytes, is a ``StoreError`` telling the operator to restore the file,
  or to delete the marker (or the empty file) to start a new store on purpose. A
  database from before the marker existed gets one the next time it is opened.
* **Disk full, damaged pages.** SQLite's "database or disk is full" and "database
  disk image is malformed" (and kin) become a ``StoreError`` naming the store and
  what to do, raised from the engine's error hook so every repository gets it.
  Integrity errors (the races the repositories handle) are left alone.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from ..errors import StoreError

_PREFIX = "sqlite:///"


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for :memory: and server databases)."""
    if not url.startswith(_PREFIX) or url == "sqlite:///:memory:":
        return None
    return Path(url.removeprefix(_PREFIX))


def marker_of(database: Path) -> Path:
    return database.with_name(f".{database.name}.created")


def check_file(url: str) -> None:
    """Refuse to open a SQLite store that existed and is now missing or empty."""
    database = sqlite_path(url)
    if database is None:
        return
    marker = marker_of(database)
    try:
        size = database.stat().st_size
    except FileNotFoundError:
        if marker.exists():
            raise StoreError(url, (
                f"the database file is missing, but {marker} says one was created there "
                f"({_first_line(marker)}): restore it from a backup; to start a new, "
                f"empty store on purpose, delete {marker}")) from None
        return
    except OSError as exc:
        raise StoreError(url, f"cannot read the database file: {exc.strerror or exc}") from exc
    if size == 0:
        raise StoreError(url, (
            "the database file is empty (0 bytes): restore it from a backup; to start a "
            f"new, empty store on purpose, delete {database}"
            + (f" and {marker}" if marker.exists() else "")))


def mark_created(url: str) -> None:
    """Leave the marker beside a SQLite store that now exists (once)."""
    database = sqlite_path(url)
    if database is None or not database.exists():
        return
    marker = marker_of(database)
    if marker.exists():
        return
    try:
        marker.write_text(f"created {datetime.now(UTC):%Y-%m-%d %H:%M} UTC for {database.name}; "
                          "syndicate refuses to start a new store while this file exists "
                          "and the database does not\n", encoding="utf-8")
    except OSError:
        pass  # a read-only folder: the store works, only unprotected


def _first_line(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").split(";")[0].strip()
    except OSError:
        return "date unknown"


# SQLite's words for a full disk and for a damaged file (sqlite3 raises them as
# OperationalError or DatabaseError, never as IntegrityError).
_FULL = ("database or disk is full", "file too large")
_IO = ("disk i/o error",)  # how SQLite reports EFBIG (a size limit) and failing disks
_DAMAGED = ("malformed", "file is not a database", "file is encrypted", "database corrupt")


def translate_errors(engine: Engine, url: str) -> None:
    """Make disk-full and damaged-database errors of ``engine`` a StoreError."""
    if engine.dialect.name != "sqlite":
        return

    def _on_error(context: Any) -> None:
        error = context.original_exception
        if isinstance(error, sqlite3.IntegrityError) or not isinstance(error, sqlite3.Error):
            return
        text = str(error).lower()
        if any(words in text for words in _FULL):
            raise StoreError(url, f"cannot write: the disk is full ({error}); free some space "
                             "and run the command again") from error
        if any(words in text for words in _IO):
            raise StoreError(url, f"cannot write ({error}): the disk is full, the file is at "
                             "a size limit, or the disk is failing; check it and run the "
                             "command again") from error
        if any(words in text for words in _DAMAGED):
            raise StoreError(url, f"the database file is damaged ({error}): restore it from a "
                             "backup (`sqlite3 FILE .recover` may save what is left)") from error

    event.listen(engine, "handle_error", _on_error)

