"""What every CLI command shares: the --config option, opening syndicate, printing results."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

from rich.console import Console
from rich.table import Table

from ..config import Config
from ..core import load_config as load
from ..types import Outcome, StepResult

# emoji=False: rich would turn "FILE:100:5" into "FILE💯5" (":100:" is an emoji code);
# soft_wrap: a message or URL stays on one line when not on a terminal (logs, grep, copy)
console = Console(stderr=False, highlight=False, emoji=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


@contextmanager
def stopped_by_signals(log: logging.Logger, doing: str) -> Iterator[threading.Event]:
    """An event set by SIGTERM or SIGINT (logged: "signal X: ``doing``"); the previous
    handlers come back afterwards."""
    stop = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: %s", signal.Signals(signum).name, doing,
                 extra={"event": "stopping"})
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        default="schedules.yaml",
        metavar="PATH",
        help="configuration file (default: ./schedules.yaml)",
    )


def load_config(args: argparse.Namespace) -> Config:
    return load(args.config)


def print_results(results: Sequence[StepResult], *, title: str = "") -> None:
    """One row per step with the outcomes that occurred; figures and reasons below it."""
    used = [o for o in Outcome if any(r.count(o) for r in results)]
    table = Table(title=title or None, show_lines=False)
    table.add_column("step", no_wrap=True)
    for outcome in used:
        table.add_column(outcome.value.replace("_", " "), justify="right")
    for result in results:
        table.add_row(result.step, *(str(result.count(o) or "") for o in used))
    console.print(table)
    for result in results:
        if result.counters:
            figures = ", ".join(f"{name}={value}" for name, value in result.counters)
            console.print(f"  {result.step}: {figures}", markup=False)
        for item in result.items:
            if item.outcome in (Outcome.SKIPPED, Outcome.FAILED):
                console.print(
                    f"  {result.step}: {item.outcome.value} {item.key}: {item.reason}",
                    markup=False,
                )
