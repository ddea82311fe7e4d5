"""Logging set-up: readable lines on a terminal, JSON lines otherwise (for log shippers)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(*, verbose: bool = False, stream: object = None) -> None:
    out = stream if stream is not None else sys.stderr
    handler: logging.Handler
    if getattr(out, "isatty", lambda: False)():
        # Imported here: rich only draws on a terminal; services log JSON lines without it.
        from rich.console import Console
        from rich.logging import RichHandler

        # Its own console on ``out``: progress bars (cli/progress_view.py) draw through
        # the same one, so a log line lands above the bars instead of through them.
        handler = RichHandler(console=Console(file=out), show_path=False, markup=False,  # type: ignore[arg-type]
                              rich_tracebacks=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(out)  # type: ignore[arg-type]
        handler.setFormatter(JsonLinesFormatter())
    root = logging.getLogger("syndicate")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.propagate = False
    # APScheduler's own warnings (a job store error, a missed run) must come out in the
    # same format, not as plain text that breaks a JSON-lines log.
    scheduler = logging.getLogger("apscheduler")
    scheduler.handlers[:] = [handler]
    scheduler.setLevel(logging.WARNING)
    scheduler.propagate = False
    # cssutils (under premailer) warns about every e-mail CSS hack; not our problem.
    logging.getLogger("CSSUTILS").setLevel(logging.CRITICAL)
