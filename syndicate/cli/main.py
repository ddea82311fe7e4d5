"""`syndicate` command line: one subcommand module per area, errors as one clear line."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import ConfigError, SyndicateError
from ..logs import configure_logging
from .common import err_console

# Each module defines register(subparsers); its commands set `handler` on the namespace.
COMMAND_MODULES = (
    "run",
    "collect",
    "feeds",
    "digest",
    "subscribers",
    "schedules",
    "status",
    "serve",
    "date",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="syndicate",
        description="Collect Arabic opinion columns; publish feeds and e-mail digests.",
    )
    parser.add_argument("--version", action="version", version=f"syndicate {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"syndicate.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose)
    try:
        return int(args.handler(args) or 0)
    except ConfigError as exc:
        for problem in exc.problems:
            err_console.print(str(problem), markup=False)
        return 2
    except SyndicateError as exc:
        err_console.print(f"error: {exc}", markup=False)
        return 1
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False)
        return 130
    finally:
        logging.shutdown()


if __name__ == "__main__":
    sys.exit(main())
