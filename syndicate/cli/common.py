"""What every CLI command shares: the --config option, opening syndicate, printing results."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from ..config import Config
from ..core import load_config as load
from ..types import Outcome, StepResult

# emoji=False: rich would turn "FILE:100:5" into "FILE💯5" (":100:" is an emoji code);
# soft_wrap: a message or URL stays on one line when not on a terminal (logs, grep, copy)
console = Console(stderr=False, highlight=False, emoji=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


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
