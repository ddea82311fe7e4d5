"""Shared by tests/test_config_*, test_scheduler_* and test_status_*: small real configs and a CLI runner."""

from __future__ import annotations

import argparse
import io
import itertools
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from syndicate.errors import ConfigError, SyndicateError

# The commands of issue 7, registered exactly as syndicate.cli.main registers them.
MY_COMMANDS = ("run", "schedules", "status")


def run_cli(argv: Sequence[str]) -> tuple[int, str, str]:
    """Run our subcommands in-process with main()'s error contract; return (code, out, err)."""
    import importlib

    from rich.console import Console

    from syndicate.cli import common

    parser = argparse.ArgumentParser(prog="syndicate")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in MY_COMMANDS:
        importlib.import_module(f"syndicate.cli.{name}").register(sub)
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    wide = {"width": 200, "highlight": False, "force_terminal": False}
    saved = common.console, common.err_console
    modules = [importlib.import_module(f"syndicate.cli.{name}") for name in MY_COMMANDS]
    patched: list[tuple[object, str, object]] = []
    # The command modules bound the consoles at import; point them at buffers.
    for module in [common, *modules]:
        for attr, stream in (("console", out), ("err_console", err)):
            if hasattr(module, attr):
                patched.append((module, attr, getattr(module, attr)))
                setattr(module, attr, Console(file=stream, **wide))  # type: ignore[arg-type]
    try:
        try:
            code = int(args.handler(args) or 0)
        except ConfigError as exc:
            for problem in exc.problems:
                print(str(problem), file=err)
            code = 2
        except SyndicateError as exc:
            print(f"error: {exc}", file=err)
            code = 1
    finally:
        for owner, attr, value in patched:
            setattr(owner, attr, value)
        common.console, common.err_console = saved
    return code, out.getvalue(), err.getvalue()


def write_config(folder: Path, jobs_yaml: str, extra: str = "") -> Path:
    """A minimal real schedules.yaml with its own SQLite store inside ``folder``."""
    path = folder / "schedules.yaml"
    path.write_text(
        "timezone: Asia/Qatar\n"
        "store: var/syndicate.db\n"
        + extra
        + "jobs:\n"
        + jobs_yaml,
        encoding="utf-8",
    )
    return path


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def alias_bomb() -> str:
    """The 342-byte schedules.yaml of issue 16: nine levels of nine aliases each, which
    expand to about 430 million values (tests/test_config_hostile.py, bench/config_bomb.py)."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghi"
    for previous, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"
