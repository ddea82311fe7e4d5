"""`syndicate feeds`: rebuild the RSS / Atom / JSON feeds now."""

from __future__ import annotations

import argparse

from ..core import Syndicate
from .common import add_config_argument, console, load_config, print_results
from .progress_view import terminal_progress


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("feeds", help="rebuild the feeds")
    add_config_argument(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args)
    with terminal_progress() as progress, Syndicate(config, progress=progress) as syndicate:
        result = syndicate.build_feeds()
    print_results([result], title="feeds")
    console.print(f"feeds in {config.path(config.feeds.dir)}")
    return 0
