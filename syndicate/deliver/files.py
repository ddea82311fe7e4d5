"""Atomic file writes: a reader (nginx, a feed reader, our own server) sees the old
file or the new one, never half of either.

``FileBatch`` does the same for many files at once (a full feed build writes
hundreds): every file is staged as a temporary file, *one* ``os.sync()`` makes all
their bytes durable (one flush instead of hundreds of journal commits, which were
most of a full build's time), then each is renamed into place. The new set also
appears together, so an archive link never points at a page not yet written.

The bytes go to a temporary file in the *same* folder (``os.replace`` is atomic
only within one file system), are fsync'ed, get ordinary ``0644``-style
permissions (``mkstemp`` creates ``0600``, which a web server running as another
user could not read), replace the target, and the folder is fsync'ed so the
rename itself survives a power cut.
"""

from __future__ import annotations

import enum
import os
import tempfile
from pathlib import Path
from typing import Self

from ..errors import DeliveryError


class WriteOutcome(enum.Enum):
    NEW = "new"
    UPDATED = "updated"
    SAME = "same"  # the file already held exactly these bytes: not touched


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; raises ``DeliveryError`` naming the path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, 0o666 & ~_umask())
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
    except OSError as exc:
        raise DeliveryError(str(path), exc.strerror or str(exc)) from exc


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # some platforms cannot open a folder; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_if_changed(path: Path, data: bytes) -> WriteOutcome:
    """Write only when the bytes differ, so an unchanged file keeps its mtime, inode
    and therefore its ETag / Last-Modified for every cache downstream."""
    outcome = _compare(path, data)
    if outcome is not WriteOutcome.SAME:
        write_atomic(path, data)
    return outcome


def _compare(path: Path, data: bytes) -> WriteOutcome:
    """SAME when ``path`` already holds ``data``; else NEW or UPDATED (what a write would be)."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return WriteOutcome.SAME
        return WriteOutcome.UPDATED
    except FileNotFoundError:
        return WriteOutcome.NEW
    except OSError as exc:
        raise DeliveryError(str(path), exc.strerror or str(exc)) from exc


class FileBatch:
    """Stage files, then ``commit()``: durable first, then renamed into place."""

    def __init__(self) -> None:
        self._staged: list[tuple[Path, str]] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abort()  # after commit() nothing is left to remove

    def __len__(self) -> int:
        return len(self._staged)

    def stage(self, path: Path, data: bytes) -> WriteOutcome:
        """Stage ``data`` for ``path``; SAME (nothing staged) when the file already holds it."""
        outcome = _compare(path, data)
        if outcome is WriteOutcome.SAME:
            return outcome
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                            suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp_name, 0o666 & ~_umask())
        except OSError as exc:
            raise DeliveryError(str(path), exc.strerror or str(exc)) from exc
        self._staged.append((path, tmp_name))
        return outcome

    def commit(self) -> list[tuple[Path, str]]:
        """Make every staged file durable, then visible; returns (path, error) failures."""
        if not self._staged:
            return []
        if hasattr(os, "sync"):
            os.sync()
        else:  # pragma: no cover - platforms without sync(2)
            for _path, tmp_name in self._staged:
                with open(tmp_name, "rb+") as handle:
                    os.fsync(handle.fileno())
        failures: list[tuple[Path, str]] = []
        folders: set[Path] = set()
        for path, tmp_name in self._staged:
            try:
                os.replace(tmp_name, path)
                folders.add(path.parent)
            except OSError as exc:
                Path(tmp_name).unlink(missing_ok=True)
                failures.append((path, exc.strerror or str(exc)))
        self._staged.clear()
        for folder in folders:
            _fsync_dir(folder)
        return failures

    def abort(self) -> None:
        for _path, tmp_name in self._staged:
            Path(tmp_name).unlink(missing_ok=True)
        self._staged.clear()
