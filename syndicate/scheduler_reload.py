"""Hot reload of schedules.yaml for `syndicate run`: the file's side, without APScheduler.

The scheduler (``scheduler.py``, the only APScheduler import) looks at the file every
``poll_s``; :class:`ScheduleFile` decides what that look found: nothing new, a valid
edit to reconcile, a refused one (logged with the same messages as `schedules check`;
the previous schedule keeps running), or a file that cannot be read just now.
Content is compared, not mtime.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .config.guard import MAX_FILE_BYTES
from .config.load import parse_bytes
from .errors import ConfigError

log = logging.getLogger("syndicate.scheduler")


@dataclass(frozen=True)
class Reload:
    """The outcome of one look at an edited schedules.yaml."""

    accepted: bool
    problems: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unreadable:
    """The file could not be read (mid-save by an editor, or removed): said once."""

    outcome: Reload


class ScheduleFile:
    """schedules.yaml as the running scheduler last read it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_bytes() if path.exists() else b""
        self._settled = True  # the text above is the running schedule
        self._rejected: tuple[str, ...] | None = None  # the last verdict logged, if a refusal

    def look(self) -> Config | Reload | Unreadable | None:
        """Read the file once: a valid edit's Config, a refusal, or None when nothing new.

        A rejected file is validated again at every look, even unchanged: what made it
        fail may lie outside it (a templates_dir or source file created a moment later,
        an error that was not the file's fault). It is logged again only when the
        verdict changes. A valid edit counts as running only after :meth:`settle`.
        """
        try:
            with self.path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)  # parse_bytes refuses anything longer
        except OSError as exc:
            # Mid-save by an editor, or removed: keep the running schedule, say so once.
            data = f"unreadable: {exc}".encode()
            if data == self.text:
                return None
            self.text = data
            outcome = Reload(False, problems=(f"{self.path}:1:1: cannot read the file: {exc.strerror}",))
            log.error(outcome.problems[0], extra={"event": "reload_rejected"})
            return Unreadable(outcome)
        if data == self.text and self._settled:
            return None
        same_text = data == self.text
        self.text, self._settled = data, False
        try:
            return parse_bytes(data, self.path, for_running=True)
        except ConfigError as exc:
            outcome = Reload(False, problems=tuple(str(p) for p in exc.problems))
            if same_text and outcome.problems == self._rejected:
                return None  # still the same verdict: said once already
            self._rejected = outcome.problems
            for problem in outcome.problems:
                log.error(problem, extra={"event": "reload_rejected"})
            log.error("schedules.yaml edit rejected; the previous schedule keeps running",
                      extra={"event": "reload_rejected", "problems": len(outcome.problems)})
            return outcome

    def settle(self) -> None:
        """The text last read is now the running schedule."""
        self._settled, self._rejected = True, None
