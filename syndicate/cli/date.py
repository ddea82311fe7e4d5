"""`syndicate date ISO`: print a date exactly as digests and feeds will write it."""

from __future__ import annotations

import argparse
from typing import Any

from ..dates import format_combined, format_date

_LOCALES = "ar, ar-QA, ar-SA, ar-AE, ar-EG, ar-LB, ar-SY, ar-MA, ar-DZ, ar-TN (ar_QA works too)"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "date",
        help="format a date in Arabic, Gregorian or Hijri (Umm al-Qura)",
        description="Format an ISO 8601 date or datetime as ICU/CLDR would for the locale. "
        "A datetime without an offset is UTC; a bare day (2025-09-14) is that calendar day.",
    )
    parser.add_argument("when", metavar="ISO", help="e.g. 2025-09-14T00:05:00Z or 2025-09-14")
    parser.add_argument("--locale", default="ar-QA", help=f"default ar-QA; {_LOCALES}")
    parser.add_argument(
        "--calendar",
        choices=("gregorian", "hijri", "combined"),
        default="gregorian",
        help="combined prints the byline form: weekday, Hijri الموافق Gregorian",
    )
    parser.add_argument("--style", choices=("full", "long", "medium", "short"), default="full")
    parser.add_argument(
        "--digits", choices=("arab", "latn"), default=None, help="default: the locale's"
    )
    parser.add_argument(
        "--tz", default=None,
        help="time zone for the day (default: the --config file's timezone, else Asia/Qatar)",
    )
    # Like every command; optional here, and read only for its timezone.
    parser.add_argument("--config", metavar="PATH", default=None,
                        help="schedules.yaml whose timezone is the default for --tz")
    parser.add_argument("--time", choices=("short", "medium"), default=None, help="append time")
    parser.add_argument(
        "--hijri-adjustment",
        type=int,
        choices=range(-2, 3),
        default=0,
        metavar="{-2..2}",
        help="days added to the Hijri date for local moon sighting",
    )
    parser.set_defaults(handler=run, date_parser=parser)


def run(args: argparse.Namespace) -> int:
    if args.tz is None and args.config is not None:
        # Imported here: formatting a date needs no configuration (nor the store) unless
        # --config gives the timezone.
        from ..core import load_config

        args.tz = load_config(args.config).timezone
    if args.calendar == "combined" and args.time is not None:
        args.date_parser.error("--time does not apply to --calendar combined (the byline has no time)")
    if args.calendar == "combined":
        text = format_combined(
            args.when,
            locale=args.locale,
            digits=args.digits,
            tz=args.tz,
            hijri_adjustment=args.hijri_adjustment,
        )
    else:
        text = format_date(
            args.when,
            locale=args.locale,
            calendar=args.calendar,
            style=args.style,
            digits=args.digits,
            tz=args.tz,
            time=args.time,
            hijri_adjustment=args.hijri_adjustment,
        )
    print(text)
    return 0
