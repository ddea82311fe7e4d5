"""How long steps report progress: a tiny protocol, and a null object that says nothing.

The steps in ``syndicate.core`` report through :class:`Progress` and never know who
listens: on a terminal the CLI passes a rich view (``syndicate.cli.progress_view``),
everywhere else (tests, CI, a scheduler logging JSON lines) :data:`NO_PROGRESS`.
Pure on purpose: no rich, no I/O, so core imports it freely.

A task is named like the step that owns it (``collect:<source>``, ``feeds``,
``digest:<newsletter>``). Calls may come from worker threads; implementations must
tolerate that.
"""

from __future__ import annotations

from typing import Final, Protocol

__all__ = ["NO_PROGRESS", "NoProgress", "Progress"]


class Progress(Protocol):
    def start(self, task: str, total: int | None) -> None:
        """Begin ``task`` with ``total`` units (None: not known yet).

        Called again for a started task, it revises the total: a crawl discovers
        its pages as it goes, a digest learns how many messages are left per issue.
        """

    def advance(self, task: str, n: int = 1) -> None:
        """``n`` more units of ``task`` are done."""

    def finish(self, task: str) -> None:
        """``task`` is over, whether or not every planned unit got done."""


class NoProgress:
    """The null object: every call does nothing."""

    def start(self, task: str, total: int | None) -> None:
        pass

    def advance(self, task: str, n: int = 1) -> None:
        pass

    def finish(self, task: str) -> None:
        pass


NO_PROGRESS: Final[Progress] = NoProgress()
