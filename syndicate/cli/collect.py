"""`syndicate collect [SOURCE…]`: fetch new columns now, then one table of what happened.

The table has one row per source (pages fetched, 304s, old columns not re-validated
this time (http.revalidate_days), new, updated, skipped, errors); below it every skipped or failed page is listed with its reason, so an
operator can tell a site's broken page from a wrong selector at a glance. Columns
dated in the future (kept and flagged, the ``future_dated`` figure; see
``columns_policy``) are listed below it too, with both dates: the table stays within
80 columns.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from rich.table import Table

from ..core import Syndicate
from ..normalise import FUTURE_DATED
from ..types import Outcome, StepResult
from .common import add_config_argument, console, load_config
from .progress_view import terminal_progress

COLUMNS = (
    ("pages_fetched", "pages fetched"),
    ("not_modified", "304s"),
    ("not_revalidated", "old kept"),
    ("new", "new"),
    ("updated", "updated"),
    ("skipped", "skipped"),
    ("errors", "errors"),
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("collect", help="collect new columns from the sources")
    add_config_argument(parser)
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="only these sources")
    parser.set_defaults(handler=run)


def print_collect_table(results: Sequence[StepResult]) -> None:
    table = Table(title="collect", show_lines=False)
    table.add_column("source")
    for _, heading in COLUMNS:
        table.add_column(heading, justify="right")
    totals = dict.fromkeys((name for name, _ in COLUMNS), 0)
    for result in results:
        row = [result.counter(name) for name, _ in COLUMNS]
        for (name, _), value in zip(COLUMNS, row, strict=True):
            totals[name] += value
        table.add_row(result.step.removeprefix("collect:"), *(str(v) for v in row))
    if len(results) > 1:
        table.add_row("total", *(str(totals[name]) for name, _ in COLUMNS), style="bold")
    console.print(table)
    for result in results:
        for item in result.items:
            if item.outcome in (Outcome.SKIPPED, Outcome.FAILED):
                label = "skipped" if item.outcome is Outcome.SKIPPED else "error"
                console.print(f"  {result.step.removeprefix('collect:')}: {label} "
                              f"{item.key}: {item.reason}", soft_wrap=True)
    for result in results:
        for item in result.items:
            # A twin or a syndicated copy: stored as an alias of the column it names.
            if item.reason.startswith(("copy of ", "twin of ")):
                console.print(f"  {result.step.removeprefix('collect:')}: {item.key}: "
                              f"{item.reason.split(';')[0]}", soft_wrap=True)
    for result in results:
        if not result.counter("future_dated"):
            continue
        source = result.step.removeprefix("collect:")
        console.print(f"  {source}: future-dated {result.counter('future_dated')}",
                      soft_wrap=True)
        for item in result.items:
            if item.outcome is not Outcome.FAILED and FUTURE_DATED in item.reason:
                console.print(f"  {source}: future-dated {item.key}: {item.reason}",
                              soft_wrap=True)


def run(args: argparse.Namespace) -> int:
    config = load_config(args)
    with terminal_progress() as progress, Syndicate(config, progress=progress) as syndicate:
        results = syndicate.collect(args.sources or None)
    print_collect_table(results)
    return 0
