"""`syndicate collect [SOURCE…]`: fetch new columns now, then one table of what happened.

The table has one row per source (pages fetched, failed transfers included; 304s; old
columns not re-validated this time (http.revalidate_days); new, updated, skipped,
errors); below it every skipped or failed page is listed with its reason, so an
operator can tell a site's broken page from a wrong selector at a glance. A host left
for the run after throttling is one line, however many pages wait for the next run.
Second copies of a column (a print version) are listed as duplicates of the first.
Columns dated in the future (kept and flagged, the ``future_dated`` figure; see
``columns_policy``) are listed below it too, with both dates: the table stays within
80 columns. URLs are printed decoded (Arabic, not %D8%…) and shortened in the middle.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

from rich.table import Table

from ..core import Syndicate
from ..core.collect import DUPLICATE
from ..errors import HOST_LEFT
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


URL_WIDTH = 72


def shown_url(url: str, width: int = URL_WIDTH) -> str:
    """A URL as a person reads it: percent-escapes decoded (Arabic paths print as
    Arabic), an IDNA host in its own script, the middle cut when too long (the host
    and the end of the path are what tell pages apart)."""
    text = unquote(url, errors="replace")
    host = urlsplit(url).hostname or ""
    if "xn--" in host:
        try:
            text = text.replace(host, host.encode("ascii").decode("idna"), 1)
        except UnicodeError:
            pass
    if len(text) <= width:
        return text
    parts = urlsplit(text)
    head = f"{parts.scheme}://{parts.netloc}/" if parts.netloc else ""
    rest = text[len(head):]
    room = width - len(head) - 1
    if room < 8:  # a host too long to keep whole: cut the whole URL in the middle
        head, rest, room = "", text, width - 1
    start = room // 2
    return head + rest[:start] + "…" + rest[len(rest) - (room - start):]


def _fetched(result: StepResult) -> int:
    return result.counter("pages_fetched") + result.counter("failed_transfers")


def print_collect_table(results: Sequence[StepResult]) -> None:
    table = Table(title="collect", show_lines=False)
    table.add_column("source")
    for _, heading in COLUMNS:
        table.add_column(heading, justify="right")
    totals = dict.fromkeys((name for name, _ in COLUMNS), 0)
    for result in results:
        row = [_fetched(result) if name == "pages_fetched" else result.counter(name)
               for name, _ in COLUMNS]
        for (name, _), value in zip(COLUMNS, row, strict=True):
            totals[name] += value
        table.add_row(result.step.removeprefix("collect:"), *(str(v) for v in row))
    if len(results) > 1:
        table.add_row("total", *(str(totals[name]) for name, _ in COLUMNS), style="bold")
    console.print(table)
    left: dict[str, tuple[str, list[str]]] = {}  # host -> (reason, sources)
    for result in results:
        source = result.step.removeprefix("collect:")
        for item in result.items:
            if item.outcome is Outcome.FAILED and HOST_LEFT in item.reason:
                host = urlsplit(item.key).netloc
                reason = item.reason[item.reason.index(HOST_LEFT):]
                left.setdefault(host, (reason, []))[1].append(source)
            elif item.outcome in (Outcome.SKIPPED, Outcome.FAILED):
                label = "skipped" if item.outcome is Outcome.SKIPPED else "error"
                console.print(f"  {source}: {label} {shown_url(item.key)}: {item.reason}",
                              soft_wrap=True)
            elif item.reason.startswith(DUPLICATE):
                first = item.reason.removeprefix(DUPLICATE).split(";")[0].strip()
                console.print(f"  {source}: duplicate {shown_url(item.key)} of "
                              f"{shown_url(first)}", soft_wrap=True)
    for result in results:
        throttled = result.counter("throttled")
        if throttled:
            console.print(f"  {result.step.removeprefix('collect:')}: asked to slow down "
                          f"{throttled} time{'s' if throttled > 1 else ''} (HTTP 429/503): "
                          "paused and slowed to the site's pace", soft_wrap=True)
    for host, (reason, sources) in left.items():
        names = ", ".join(dict.fromkeys(sources))
        console.print(f"  {host}: {reason} ({len(sources)} pages of {names})", soft_wrap=True)
    for result in results:
        if not result.counter("future_dated"):
            continue
        source = result.step.removeprefix("collect:")
        console.print(f"  {source}: future-dated {result.counter('future_dated')}",
                      soft_wrap=True)
        for item in result.items:
            if item.outcome is not Outcome.FAILED and FUTURE_DATED in item.reason:
                console.print(f"  {source}: future-dated {shown_url(item.key)}: {item.reason}",
                              soft_wrap=True)


def run(args: argparse.Namespace) -> int:
    config = load_config(args)
    with terminal_progress() as progress, Syndicate(config, progress=progress) as syndicate:
        results = syndicate.collect(args.sources or None)
    print_collect_table(results)
    return 0
