"""Maildir outbox: the default transport, openable by any mail client.

Each message is written to ``tmp/``, flushed to disk, then renamed into ``new/``
(rename is atomic on one file system), so a reader never sees half a message and
a crash leaves at most a stray file in ``tmp/`` that is not a delivery.

The file name carries a digest of the Message-ID (``<time>.M<digest>P<pid>.<host>``),
which makes ``already_delivered`` a directory listing rather than reading every
message: that is what gives the outbox exactly-once after a ``kill -9``.
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path

from ..errors import DeliveryError
from . import send_each
from .message import MailMessage
from .pacing import Pacer

# "new" last: a reader (or a test) that sees new/ then finds a complete Maildir.
_SUBDIRS = ("tmp", "cur", "new")


def message_key(message_id: str) -> str:
    """The part of a Maildir file name that identifies a Message-ID."""
    return "M" + hashlib.sha256(message_id.strip().encode()).hexdigest()[:24]


def _host() -> str:
    # Maildir forbids "/" and ":" in the host part; the spec escapes them as octal.
    return socket.gethostname().replace("/", r"\057").replace(":", r"\072") or "localhost"


class MaildirTransport:
    name = "maildir"
    concurrency = 1  # a local disk gains nothing from parallel writers
    exact_recovery = True  # the Message-ID is in the file name

    def __init__(self, path: Path, *, rate_per_s: float | None = None) -> None:
        self.path = Path(path)
        self._pacer = Pacer(rate_per_s)
        self._host = _host()
        self._lock = threading.Lock()
        self._known: set[str] | None = None  # keys in new/ + cur/, read lazily once
        try:
            for sub in _SUBDIRS:
                (self.path / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DeliveryError(str(self.path), f"cannot create the Maildir: {exc}") from exc

    def send(self, message: MailMessage) -> None:
        key = message_key(message.message_id)
        self._pacer.wait()
        data = message.data
        name = f"{time.time_ns() // 1000}.{key}P{os.getpid()}.{self._host}"
        tmp = self.path / "tmp" / name
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.rename(tmp, self.path / "new" / name)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise DeliveryError(message.recipient, f"Maildir write failed: {exc}") from exc
        with self._lock:
            if self._known is not None:
                self._known.add(key)

    def send_batch(
        self, messages: Sequence[MailMessage], stop: threading.Event
    ) -> Future[list[DeliveryError | None]]:
        return send_each(self, messages, stop)

    def already_delivered(self, message_id: str) -> bool:
        key = message_key(message_id)
        with self._lock:
            if self._known is None:
                self._known = set()
                for sub in ("new", "cur"):
                    for entry in os.scandir(self.path / sub):
                        part = entry.name.split(".", 2)
                        if len(part) >= 2:
                            self._known.add(part[1].split("P", 1)[0])
            return key in self._known

    def close(self) -> None:
        self._known = None
