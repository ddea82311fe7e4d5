"""One `syndicate run` per store: an advisory file lock, and who holds it (for `status`).

Two schedulers on one database would each run every job. APScheduler 3 has no
coordination between schedulers sharing a job store, so we take an flock beside the
SQLite file (or beside schedules.yaml for a server database: one host only). The
kernel releases it if the process dies, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

from .config import Config
from .errors import SyndicateError


class AlreadyRunningError(SyndicateError):
    """Another `syndicate run` holds this store: two would run every job twice."""


def lock_path(config: Config) -> Path:
    """Beside the SQLite file; for a server database, beside schedules.yaml (one host)."""
    url = config.store_url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///") + ".scheduler.lock")
    return config.base_dir / ".syndicate-scheduler.lock"


class RunLock:
    """An advisory flock held while the scheduler runs; the kernel drops it if we die."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: Any = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="ascii")  # noqa: SIM115 (held until release)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise AlreadyRunningError(
                f"another `syndicate run` (pid {holder}) already runs the jobs of this store;"
                f" lock {self.path}"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def running_scheduler_pid(config: Config) -> int | None:
    """The pid of the `syndicate run` holding this store, or None (for `status`)."""
    path = lock_path(config)
    if not path.exists():
        return None
    with open(path, encoding="ascii") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = handle.read().strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return None
