"""One scheduler per store: who leads, and who holds the lock (for `status`).

Two schedulers on one database would each run every job. APScheduler 3 has no
coordination between schedulers sharing a job store, so one of them leads:

- SQLite (one host): an flock beside the SQLite file. A second `syndicate run` is
  refused (``AlreadyRunningError``). The kernel releases it if the process dies, so a
  crash never leaves a stale lock.
- PostgreSQL (several hosts): a session-level advisory lock (``store/leader.py``). A
  second `syndicate run` waits as a standby and leads when the leader's session ends.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path
from typing import Any, Protocol

from .config import Config
from .errors import SyndicateError


class AlreadyRunningError(SyndicateError):
    """Another `syndicate run` holds this store: two would run every job twice."""


class Leadership(Protocol):
    """The scheduler's lock: ``try_acquire`` (False: another leads), ``held``, ``release``."""

    def try_acquire(self) -> bool: ...
    def held(self) -> bool: ...
    def release(self) -> None: ...


def owner_name() -> str:
    """host:pid, as a lock holder and a job_fires owner are shown to operators."""
    return f"{socket.gethostname()}:{os.getpid()}"


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

    def try_acquire(self) -> bool:
        """One host: a second scheduler is an error (AlreadyRunningError), never a standby."""
        self.acquire()
        return True

    def held(self) -> bool:
        return self._file is not None

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
