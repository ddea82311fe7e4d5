"""`syndicate schedules check [FILE]` and `syndicate schedules list [--lang ar|en]`."""

from __future__ import annotations

import argparse

from rich.table import Table

from ..clock import utc_now
from ..config.deliverability import deliverability_warnings
from ..config.load import load_located
from ..core import load_config as load
from ..errors import ConfigError
from ..trigger_words import describe, format_run_time
from .common import add_config_argument, console, err_console


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("schedules", help="check or list schedules.yaml")
    actions = parser.add_subparsers(dest="schedules_command", metavar="ACTION", required=True)

    check = actions.add_parser(
        "check", help="report every problem as FILE:LINE:COL: message; exit 0 only when valid"
    )
    add_config_argument(check)
    check.add_argument("file", nargs="?", help="file to check (default: --config)")
    check.set_defaults(handler=run_check)

    listing = actions.add_parser("list", help="each job, its trigger in words, its next three runs")
    add_config_argument(listing)
    listing.add_argument("--lang", choices=("ar", "en"), default="en")
    listing.add_argument("--count", type=int, default=3, help="how many next runs (default 3)")
    listing.set_defaults(handler=run_list)


def run_check(args: argparse.Namespace) -> int:
    # Imported here: APScheduler loads only when schedules are checked or listed.
    from ..scheduler_triggers import never_firing

    path = args.file or args.config
    try:
        config, positions = load_located(path, for_running=True)
    except ConfigError as exc:
        for problem in exc.problems:
            err_console.print(str(problem), markup=False, soft_wrap=True)
        err_console.print(f"{len(exc.problems)} problem(s) in {path}", markup=False)
        return 2
    # Valid, but a job that will never run again is worth a look (exit code stays 0).
    for loc, warning in never_firing(config, utc_now()):
        line, column = positions.of(loc)
        err_console.print(f"{path}:{line}:{column}: warning: {warning}", markup=False)
    console.print(
        f"{path}: OK — {len(config.jobs)} job(s), {len(config.sources)} source(s), "
        f"{len(config.newsletters)} newsletter(s)",
        markup=False,
    )
    for warning in deliverability_warnings(config):
        err_console.print(f"{path}: warning: {warning}", markup=False, soft_wrap=True)
    return 0


def run_list(args: argparse.Namespace) -> int:
    # Imported here: `schedules check` needs no APScheduler, only `list` does.
    from ..scheduler_triggers import next_run_times

    config = load(args.config)
    now = utc_now()
    ar = args.lang == "ar"
    table = Table(show_lines=True)
    for title in (("المهمة", "التشغيل", "الموعد", "التشغيلات القادمة") if ar
                  else ("job", "runs", "trigger", "next runs")):
        table.add_column(title)
    for job in config.jobs:
        spec = job.spec(config.timezone)
        what = job.run + (f" {job.newsletter}" if job.newsletter else "")
        words = describe(spec, args.lang)
        if job.paused:
            upcoming = "موقوفة مؤقتًا (paused)" if ar else "paused"
        else:
            times = next_run_times(spec, now, args.count)
            upcoming = "\n".join(format_run_time(t, args.lang) for t in times) or (
                "لا تشغيل قادم" if ar else "no upcoming run (window over)"
            )
        table.add_row(job.name, what, words, upcoming)
    console.print(table)
    return 0
