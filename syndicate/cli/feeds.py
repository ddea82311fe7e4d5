"""`syndicate feeds`: rebuild the RSS / Atom / JSON feeds now."""

from __future__ import annotations

import argparse
from collections import defaultdict

from ..core import Syndicate
from ..types import Outcome, StepResult
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
    for line in explain(result, config.feeds.views_refresh):
        console.print(line, markup=False)
    console.print(f"feeds in {config.path(config.feeds.dir)}")
    return 0


def explain(result: StepResult, views_refresh: str) -> list[str]:
    """What changed and why: documents grouped by reason (new / edited / views refresh)."""
    by_reason: dict[str, list[str]] = defaultdict(list)
    for item in result.items:
        if item.outcome in (Outcome.NEW, Outcome.UPDATED) and "; " in item.reason:
            for part in item.reason.split("; ", 1)[1].split(", "):
                by_reason[part.rstrip("0123456789 ")].append(item.key)
    lines = []
    for reason, paths in sorted(by_reason.items()):
        shown = ", ".join(paths[:4]) + (f", … ({len(paths) - 4} more)" if len(paths) > 4 else "")
        lines.append(f"  why: {reason} — {len(paths)} documents: {shown}")
    if views_refresh == "0":
        lines.append("  views: published on every build (feeds.views_refresh: 0)")
    elif result.counter("views_refreshed"):
        lines.append(f"  views: refreshed in this build (next in {views_refresh})")
    else:
        lines.append(f"  views: held as last published (refreshed every {views_refresh})")
    return lines
