"""`syndicate` command line: one subcommand module per area, errors as one clear line."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..clock import pinned
from ..errors import ConfigError, SyndicateError
from ..logs import configure_logging
from .common import err_console

NOW_HELP = ("run as of this instant (ISO 8601; no offset: UTC) instead of the clock: "
            "replays and backfills; default $SYNDICATE_NOW")

# Each module defines register(subparsers); its commands set `handler` on the namespace.
COMMAND_MODULES = (
    "run",
    "collect",
    "sources",
    "feeds",
    "digest",
    "worker",
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
    parser.add_argument("--now", metavar="ISO", default=None, help=NOW_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"syndicate.cli.{name}")
        module.register(subparsers)
    for command in subparsers.choices.values():
        # Also after the command (`syndicate collect --now …`); SUPPRESS keeps a value
        # given before the command when none is given after it.
        command.add_argument("--now", metavar="ISO", default=argparse.SUPPRESS,
                             help=NOW_HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose)
    try:
        with pinned(args.now):
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
    except BrokenPipeError:
        # `syndicate subscribers list --csv | head -1`: the reader has gone, which is
        # not an error. Point stdout at /dev/null so the final flush is quiet too.
        _quiet_stdout()
        return 0
    except OSError as exc:
        # A full disk or a file-size limit while writing the outbox or the feeds.
        where = f"{exc.filename}: " if exc.filename else ""
        err_console.print(f"error: {where}{exc.strerror or exc}", markup=False)
        return 1
    finally:
        logging.shutdown()


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
