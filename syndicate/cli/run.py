"""`syndicate run [--once]` and `syndicate run-job NAME`."""

from __future__ import annotations

import argparse
import difflib
import logging
import sys
import threading
import time
from datetime import datetime
from typing import Any

from ..config import Config
from ..core import Syndicate
from ..core import load_config as load
from ..errors import SyndicateError
from ..progress import NO_PROGRESS
from .common import add_config_argument, console, print_results, stopped_by_signals
from .progress_view import ProgressView, terminal_progress, view_for

log = logging.getLogger("syndicate.run")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run", help="run the schedule until stopped (SIGTERM/Ctrl-C finish the running step)"
    )
    add_config_argument(parser)
    parser.add_argument(
        "--once", action="store_true", help="run every job once (unsubscribes → collect → feeds → digests) and exit"
    )
    parser.add_argument(
        "--poll", type=float, default=1.0, metavar="SECONDS",
        help="how often schedules.yaml is checked for edits (default 1)",
    )
    parser.set_defaults(handler=run)

    job = subparsers.add_parser("run-job", help="run one job now, as the scheduler would")
    add_config_argument(job)
    job.add_argument("name", help="the job's name in schedules.yaml")
    job.set_defaults(handler=run_job)


class UnknownJobError(SyndicateError):
    def __init__(self, name: str, known: list[str]) -> None:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known) or 'none'}"
        super().__init__(f"no job named {name!r} in schedules.yaml ({hint})")


def _where(config: Config) -> None:
    console.print(f"feeds:  {config.path(config.feeds.dir)}", markup=False)
    if config.delivery.transport == "maildir":
        console.print(f"outbox: {config.path(config.delivery.maildir)} (Maildir)", markup=False)
    elif config.delivery.smtp is not None:
        smtp = config.delivery.smtp
        console.print(f"outbox: SMTP relay {smtp.host}:{smtp.port}", markup=False)


def run_job(args: argparse.Namespace) -> int:
    config = load(args.config, for_running=True)
    names = [job.name for job in config.jobs]
    if args.name not in names:
        raise UnknownJobError(args.name, names)
    with terminal_progress() as progress, Syndicate(config, progress=progress) as syndicate:
        results = syndicate.run_job(config.job(args.name))
    print_results(results, title=args.name)
    if config.job(args.name).run != "unsubscribes":  # it writes neither feeds nor mail
        _where(config)
    return 0  # failed items are listed above; one failing source never fails the job


def run(args: argparse.Namespace) -> int:
    if args.once:
        config = load(args.config, for_running=True)
        with terminal_progress() as progress, Syndicate(config, progress=progress) as syndicate:
            results = syndicate.run_once()
        print_results(results, title="run --once")
        _where(config)
        # A failed item (one source, one subscriber) is listed above; a whole job failing is an error.
        return 1 if any(result.counter("job_failed") for result in results) else 0
    return _run_forever(args)


def _run_forever(args: argparse.Namespace) -> int:
    # Imported here: APScheduler loads for the long-running service only, not `--once`.
    from ..scheduler import Scheduler

    view = view_for(sys.stderr)  # None when not on a terminal: JSON-line logs only
    with stopped_by_signals(log, "finishing the running step, then exiting") as stop:
        scheduler = Scheduler(args.config, poll_s=args.poll,
                              progress=view if view is not None else NO_PROGRESS)
        scheduler.start()  # ConfigError / AlreadyRunningError: main() prints them
        log.info("scheduler running", extra={"event": "running", "config": str(scheduler.path),
                                             "jobs": [job.name for job in scheduler.config.jobs]})
        try:
            if view is not None:
                _live_status(scheduler, stop, view)
            else:
                stop.wait()
        finally:
            scheduler.stop()
    log.info("scheduler stopped", extra={"event": "stopped"})
    return 0


def _live_status(scheduler: Any, stop: threading.Event, view: ProgressView) -> None:
    """On a terminal: a status line (the running job and its elapsed time, or the next run)
    above the running job's progress bars, which the scheduler's steps feed."""
    started: dict[str, float] = {}

    def _on_event(event: str, details: dict[str, Any]) -> None:
        if event == "job_started":
            started[details["job"]] = time.monotonic()
            view.clear()  # each job on a clean slate; its bars stay until the next one

    scheduler.listeners.append(_on_event)
    with view:
        view.status("starting…")
        while not stop.wait(0.5):
            running = scheduler.state.running
            if running:
                elapsed = time.monotonic() - started.get(running, time.monotonic())
                view.status(f"running [bold]{running}[/] ({elapsed:.0f}s)")
                continue
            upcoming = [(when, name) for name, when in scheduler.next_runs().items() if when]
            if upcoming:
                when, name = min(upcoming)
                view.status(f"waiting — next: [bold]{name}[/] at {_short(when)}")
            else:
                view.status("waiting — no job scheduled (all paused or finished)")


def _short(when: datetime) -> str:
    return when.strftime("%a %Y-%m-%d %H:%M %Z")
