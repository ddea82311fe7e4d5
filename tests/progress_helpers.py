"""A recording implementation of ``syndicate.progress.Progress`` for the progress tests."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class Task:
    totals: list[int | None] = field(default_factory=list)  # every start(), in order
    done: int = 0
    finished: int = 0
    # (done, total) seen at each advance: a bar must never run past what was planned
    seen: list[tuple[int, int | None]] = field(default_factory=list)

    @property
    def total(self) -> int | None:
        return self.totals[-1] if self.totals else None


class Recorder:
    """Keeps every call; thread-safe, as collect reports from fetch worker threads."""

    def __init__(self) -> None:
        self.tasks: dict[str, Task] = {}
        self.calls: list[tuple[str, str]] = []  # (method, task)
        self._lock = threading.Lock()

    def start(self, task: str, total: int | None) -> None:
        with self._lock:
            self.calls.append(("start", task))
            self.tasks.setdefault(task, Task()).totals.append(total)

    def advance(self, task: str, n: int = 1) -> None:
        with self._lock:
            self.calls.append(("advance", task))
            state = self.tasks.setdefault(task, Task())
            state.done += n
            state.seen.append((state.done, state.total))

    def finish(self, task: str) -> None:
        with self._lock:
            self.calls.append(("finish", task))
            self.tasks.setdefault(task, Task()).finished += 1

    def methods(self, task: str) -> list[str]:
        return [method for method, name in self.calls if name == task]
