"""`syndicate collect [SOURCE…]`: fetch new columns now."""

from __future__ import annotations

import argparse

from ..core import Syndicate
from .common import add_config_argument, load_config, print_results


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("collect", help="collect new columns from the sources")
    add_config_argument(parser)
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="only these sources")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args)
    with Syndicate(config) as syndicate:
        results = syndicate.collect(args.sources or None)
    print_results(results, title="collect")
    return 0
