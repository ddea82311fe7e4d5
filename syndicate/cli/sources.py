"""`syndicate sources discover URL` and `syndicate sources test NAME`.

discover: how to read a paper's opinion section, found from its address (feeds, news
sitemaps, the WordPress API, structured data, else inferred selectors), proven by a
preview of sample columns; ``--write`` appends the block to schedules.yaml. test: the
same preview for a configured source, collected without storing anything.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..clock import utc_now
from ..core.discovery import (
    Discovered,
    Preview,
    block_comment,
    block_text,
    discover_source,
    test_source,
    write_source,
)
from ..errors import ConfigError
from .common import add_config_argument, console, err_console, load_config


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("sources", help="discover a paper's section, or test a source")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    find = actions.add_parser("discover", help="find how to read URL and preview 5 columns")
    add_config_argument(find)
    find.add_argument("url", metavar="URL", help="the address of the opinion section")
    find.add_argument("--name", help="the source's name (default: from the host name)")
    find.add_argument("--timezone", metavar="TZ", help="the paper's own zone, e.g. Asia/Qatar")
    find.add_argument("--write", action="store_true",
                      help="append the source block to the configuration file")
    find.add_argument("--json", action="store_true", help="print block and preview as JSON")
    find.set_defaults(handler=run_discover)
    test = actions.add_parser("test", help="collect a few columns of a source without storing")
    add_config_argument(test)
    test.add_argument("name", metavar="NAME")
    test.add_argument("--limit", type=int, default=5, help="columns to show (default 5)")
    test.add_argument("--json", action="store_true", help="print the preview as JSON")
    test.set_defaults(handler=run_test)


def preview_data(shown: Preview) -> dict[str, Any]:
    return {
        "columns": [{name: {"value": v.value, "origin": v.origin} for name, v in c.items()}
                    for c in shown.columns],
        "confidence": shown.confidence,
        "missing": shown.missing,
        "failures": [{"url": url, "reason": reason} for url, reason in shown.failures],
    }


def print_preview(shown: Preview) -> None:
    for number, column in enumerate(shown.columns, 1):
        console.print(f"column {number}:", markup=False)
        for name, value in column.items():
            if value.value is None:
                console.print(f"  {name:<21} —", markup=False)
                continue
            console.print(f"  {name:<21} {value.value}  [{value.origin}, confidence "
                          f"{shown.confidence[name]:.0%}]", markup=False)
    for url, reason in shown.failures:
        console.print(f"not read: {url}: {reason}", markup=False)
    if shown.missing:
        console.print("missing:", markup=False)
        for name, hint in shown.missing.items():
            console.print(f"  {name}: {hint}", markup=False)
    if not shown.columns:
        console.print("no column could be read from the samples", markup=False)


def _print_discovery(found: Discovered) -> None:
    d = found.discovery
    console.print(f"discover {d.url}", markup=False)
    console.print("ways in:", markup=False)
    for way in d.ways:
        mark = "*" if way is d.chosen else "-"
        console.print(f"  {mark} {way.kind:<9} {way.url}  {way.note}", markup=False)
    for line in d.log:
        console.print(f"  ({line})", markup=False)
    console.print(f"chosen: {d.chosen.kind}: {d.reason}", markup=False)
    console.print(f"timezone: {d.timezone} ({d.timezone_origin})", markup=False)
    console.print(f"requests: {found.requests}", markup=False)
    console.print("fields:", markup=False)
    for name, origin in d.origins.items():
        console.print(f"  {name:<21} {origin}", markup=False)
    print_preview(found.preview)
    console.print("source block:", markup=False)
    console.print(block_text(d.block, block_comment(d)).rstrip(), markup=False)


def run_discover(args: argparse.Namespace) -> int:
    config = load_config(args)
    found = discover_source(config, args.url, name=args.name, timezone=args.timezone,
                            now=utc_now())
    if args.json:
        d = found.discovery
        console.print_json(json.dumps({
            "url": d.url, "chosen": d.chosen.kind, "reason": d.reason,
            "ways": [{"kind": w.kind, "url": w.url, "note": w.note} for w in d.ways],
            "timezone": d.timezone, "timezone_origin": d.timezone_origin,
            "fields": d.origins, "block": d.block, "preview": preview_data(found.preview),
            "requests": found.requests,
        }, ensure_ascii=False))
    else:
        _print_discovery(found)
    if args.write:
        try:
            write_source(Path(args.config), found.discovery)
        except ConfigError as exc:
            for problem in exc.problems:
                err_console.print(str(problem), markup=False)
            err_console.print(f"{args.config}: not written: `schedules check` would fail "
                              "on the file with this source", markup=False)
            return 2
        err_console.print(f"{args.config}: source {found.discovery.block['name']!r} appended",
                          markup=False)
    return 0 if found.preview.columns else 1


def run_test(args: argparse.Namespace) -> int:
    config = load_config(args)
    shown = test_source(config, args.name, now=utc_now(), limit=max(1, args.limit))
    if args.json:
        console.print_json(json.dumps(preview_data(shown), ensure_ascii=False))
    else:
        print_preview(shown)
    return 0 if shown.columns else 1
