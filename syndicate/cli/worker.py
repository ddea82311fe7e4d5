"""`syndicate worker [--once]`: send queued deliveries in claimed batches (any host)."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from .common import add_config_argument, load_config, print_results, stopped_by_signals

log = logging.getLogger("syndicate.worker")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="send queued deliveries in claimed batches, alongside other workers on any host",
        description="Take queued deliveries (from `syndicate digest NEWSLETTER --queue-only` "
        "or the scheduler's digest jobs) in claimed batches, send them and record them. "
        "Run as many as you like, on one host or many (PostgreSQL store): no delivery is "
        "sent by two of them. SIGTERM finishes the batch in hand, then exits.",
    )
    parser.add_argument(
        "--once", action="store_true",
        help="exit when nothing is left to claim (default: keep waiting for new issues)",
    )
    add_config_argument(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: every command module is imported to build the parser; core's
    # imports load only for the command that runs.
    from ..core import Syndicate

    config = load_config(args)
    with stopped_by_signals(log, "finishing the batches in hand, then exiting") as stop, \
            Syndicate(config) as syndicate:
        results = syndicate.work(once=args.once, stop=stop)
    print_results(results, title="worker")
    return 1 if any(result.failed for result in results) else 0
