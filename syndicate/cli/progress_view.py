"""Progress bars on a terminal: a rich view of :class:`syndicate.progress.Progress`.

One bar per task (``collect:<source>``, ``feeds``, ``digest:<newsletter>``), with
done / total and the elapsed time; above them an optional status line (the
scheduler's "running …" / "waiting — next: …"). Only on a terminal:
:func:`terminal_progress` gives the null object when stderr is a pipe or a file,
so tests, CI and log shippers keep plain JSON lines.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self, TextIO

from rich.console import Console, RenderableType
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichBars
from rich.text import Text

from ..progress import NO_PROGRESS, Progress

__all__ = ["ProgressView", "terminal_progress"]


class _Bars(RichBars):
    """rich's Progress with a status line above the bars."""

    status: str = ""

    def get_renderables(self) -> Iterable[RenderableType]:
        if self.status:
            yield Text.from_markup(self.status)
        if self.tasks:
            yield self.make_tasks_table(self.tasks)


class ProgressView:
    """The rich implementation of the Progress protocol; use it as a context manager.

    Steps may report from worker threads (collect's fetchers, the scheduler's job
    thread): the name → task table is guarded, rich guards its own state.
    """

    def __init__(self, console: Console) -> None:
        self._bars = _Bars(
            TextColumn("[bold]{task.description}", justify="left"),
            BarColumn(bar_width=30),
            MofNCompleteColumn(),
            TextColumn("•"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            refresh_per_second=8,
        )
        self._ids: dict[str, TaskID] = {}
        self._finished: set[str] = set()
        self._lock = threading.Lock()

    def __enter__(self) -> Self:
        self._bars.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._bars.stop()

    # -- the Progress protocol -------------------------------------------------

    def start(self, task: str, total: int | None) -> None:
        with self._lock:
            found = self._ids.get(task)
            if found is None:
                self._ids[task] = self._bars.add_task(task, total=total)
            elif task in self._finished:
                # The same step again (run --once rebuilds the feeds after the digests):
                # its bar starts over rather than count on past its total.
                self._finished.discard(task)
                self._bars.reset(found, total=total)
            else:
                self._bars.update(found, total=total)

    def advance(self, task: str, n: int = 1) -> None:
        with self._lock:
            found = self._ids.get(task)
            if found is None:  # advanced without a start: show it anyway, total unknown
                found = self._ids[task] = self._bars.add_task(task, total=None)
        self._bars.advance(found, n)

    def finish(self, task: str) -> None:
        with self._lock:
            found = self._ids.get(task)
            if found is not None:
                self._finished.add(task)
        if found is None:
            return
        state = next(t for t in self._bars.tasks if t.id == found)
        if state.total is None:
            # Nothing was ever planned (a source with no page, no feed): a full bar of 0/0
            # says "done" better than an endless pulse.
            self._bars.update(found, total=state.completed)
        self._bars.stop_task(found)  # the elapsed time stops; a short bar stays short

    # -- beyond the protocol --------------------------------------------------------

    def status(self, text: str) -> None:
        """The line above the bars (rich markup); "" hides it."""
        self._bars.status = text
        self._bars.refresh()

    def clear(self) -> None:
        """Forget every bar (the scheduler starts each job on a clean slate)."""
        with self._lock:
            ids, self._ids = list(self._ids.values()), {}
            self._finished.clear()
        for task_id in ids:
            self._bars.remove_task(task_id)


def view_for(stream: TextIO) -> ProgressView | None:
    """A view drawing on ``stream`` when it is a terminal, else None.

    When the terminal log handler writes to the same stream, the bars share its
    console: rich then prints each log line above the bars. Two consoles on one
    terminal would each move the cursor behind the other's back.
    """
    if not stream.isatty():
        return None
    return ProgressView(_log_console(stream) or Console(file=stream, highlight=False, emoji=False))


def _log_console(stream: TextIO) -> Console | None:
    for handler in logging.getLogger("syndicate").handlers:
        if isinstance(handler, RichHandler) and handler.console.file is stream:
            return handler.console
    return None


@contextmanager
def terminal_progress(stream: TextIO | None = None) -> Iterator[Progress]:
    """Bars on ``stream`` (default stderr) when it is a terminal, else NO_PROGRESS."""
    view = view_for(stream if stream is not None else sys.stderr)
    if view is None:
        yield NO_PROGRESS
        return
    with view:
        yield view
