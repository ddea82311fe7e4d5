"""`syndicate subscribers import|add|list|remove|unsubscribe-mail`: who gets the digests.

``import`` reports every bad row by line number and imports the good ones; it exits
1 when some rows were bad (so scripts notice) and 0 otherwise; a file that cannot be
read is one error line and exit 1 (no rows counted). A missing or unknown
``--newsletter`` is a usage error (exit 2) listing the configured newsletters.
Addresses already known for a newsletter are left as they are: importing or adding
never re-activates someone who unsubscribed or bounced.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from dataclasses import replace
from pathlib import Path

from rich.table import Table

from ..clock import utc_now
from ..config import Config
from ..core import Syndicate
from ..core.roster import add_subscriber, list_subscribers, remove_subscriber
from ..subscribers.csv_file import (
    email_problem,
    import_subscribers,
    normalise_email,
    write_subscribers_csv,
)
from ..subscribers.mailed_unsubscribes import (
    MAX_MESSAGE_BYTES,
    file_message,
    flag_for,
    handle_message,
)
from ..subscribers.tokens import signer_for
from ..types import Cadence, Outcome, StepResult, Subscriber, SubscriberStatus
from .common import add_config_argument, console, err_console, load_config, print_results


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("subscribers", help="import, add, list or remove subscribers")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    imp = actions.add_parser("import", help="import subscribers from a CSV file")
    imp.add_argument("csv", metavar="CSV", type=Path,
                     help="columns: email, name, cadence, authors, newsletter (header row)")
    _common(imp)
    imp.set_defaults(handler=run_import, action_parser=imp)

    add = actions.add_parser("add", help="add one subscriber (active at once)")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--name")
    add.add_argument("--cadence", choices=[c.value for c in Cadence], default="daily")
    add.add_argument("--author", action="append", default=[], metavar="SLUG",
                     help="follow only this author: source:key, or a person of `authors:` "
                          "(repeatable; default: all)")
    _common(add)
    add.set_defaults(handler=run_add, action_parser=add)

    lst = actions.add_parser("list", help="list subscribers")
    lst.add_argument("--status", choices=[s.value for s in SubscriberStatus])
    lst.add_argument("--csv", action="store_true",
                     help="write CSV (the columns `import` reads, plus status and bounces)")
    _common(lst, required=False)
    lst.set_defaults(handler=run_list, action_parser=lst)

    rem = actions.add_parser("remove", help="delete a subscriber and their delivery history")
    rem.add_argument("email", metavar="EMAIL")
    _common(rem, required=False)
    rem.set_defaults(handler=run_remove, action_parser=rem)

    mail = actions.add_parser(
        "unsubscribe-mail",
        help="act on unsubscribe requests sent to delivery.unsubscribe_mailto",
        description="Read the mails sent to List-Unsubscribe's mailto address and "
        "unsubscribe whoever each one's signed token names. SOURCE is a Maildir "
        "(default: delivery.unsubscribe_maildir) or '-' for one message on standard "
        "input, as a mail server's pipe alias delivers it.",
    )
    mail.add_argument("source", metavar="SOURCE", nargs="?",
                      help="Maildir folder, or - for one message on stdin")
    add_config_argument(mail)
    mail.set_defaults(handler=run_unsubscribe_mail, action_parser=mail)


def _common(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    add_config_argument(parser)
    parser.add_argument(
        "--newsletter", metavar="ID",
        help="newsletter id" + (" (default: the only one configured)" if required else
                                " (default: all)"),
    )


def _newsletter(args: argparse.Namespace, config: Config, given: str | None) -> str:
    # A missing or mistyped --newsletter is a slip on the command line, not in
    # schedules.yaml: a usage error (exit 2) naming the choices, not "schedules.yaml:1:1".
    parser: argparse.ArgumentParser = args.action_parser
    ids = [n.id for n in config.newsletters]
    if not ids:
        parser.error(f"no newsletters are configured in {config.source_path}")
    if given is None:
        if len(ids) == 1:
            return ids[0]
        parser.error(f"{config.source_path} has {len(ids)} newsletters: pick one with "
                     f"--newsletter ({', '.join(ids)})")
    if given not in ids:
        close = difflib.get_close_matches(given, ids, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        parser.error(f"unknown newsletter {given!r} ({hint}known: {', '.join(ids)})")
    return given


def run_import(args: argparse.Namespace) -> int:
    config = load_config(args)
    newsletter = _newsletter(args, config, args.newsletter)
    with Syndicate(config) as app:
        report = import_subscribers(
            app.store, args.csv, newsletter=newsletter, now=utc_now(),
            known_newsletters=[n.id for n in config.newsletters],
        )
    for problem in report.problems:
        err_console.print(f"{args.csv}:{problem.line}: {problem.reason}", markup=False)
    console.print(
        f"imported {len(report.added)}, already known {len(report.already_known)}, "
        f"bad rows {len(report.problems)}", markup=False,
    )
    return 1 if report.problems else 0


def run_add(args: argparse.Namespace) -> int:
    config = load_config(args)
    newsletter = _newsletter(args, config, args.newsletter)
    problem = email_problem(args.email)
    if problem:
        err_console.print(f"error: {problem}", markup=False)
        return 1
    with Syndicate(config) as app:
        subscriber, created = add_subscriber(
            app.store,
            Subscriber(email=normalise_email(args.email), newsletter=newsletter, name=args.name,
                       cadence=Cadence(args.cadence), followed_authors=tuple(args.author)),
            utc_now(),
        )
    if created:
        console.print(f"added {subscriber.email} to {newsletter}", markup=False)
    else:
        console.print(f"{subscriber.email} is already known to {newsletter} "
                      f"(status: {subscriber.status.value}); not changed", markup=False)
    return 0


def run_list(args: argparse.Namespace) -> int:
    config = load_config(args)
    newsletter = _newsletter(args, config, args.newsletter) if args.newsletter else None
    status = SubscriberStatus(args.status) if args.status else None
    with Syndicate(config) as app:
        subscribers = list_subscribers(app.store, newsletter, status)
    if args.csv:
        write_subscribers_csv(subscribers, sys.stdout)
        return 0
    table = Table(title=f"{len(subscribers)} subscribers")
    for name in ("email", "newsletter", "name", "status", "cadence", "authors", "bounces"):
        # An address is never cut short ("john.cart…"), however narrow the output.
        table.add_column(name, overflow="fold", min_width=12 if name == "email" else None)
    for s in subscribers:
        table.add_row(s.email, s.newsletter, s.name or "", s.status.value, s.cadence.value,
                      ", ".join(s.followed_authors) or "all", str(s.bounces))
    console.print(table)
    return 0


def run_remove(args: argparse.Namespace) -> int:
    config = load_config(args)
    newsletter = _newsletter(args, config, args.newsletter) if args.newsletter else None
    with Syndicate(config) as app:
        removed = remove_subscriber(app.store, args.email, newsletter)
    if not removed:
        err_console.print(f"error: {args.email.strip().lower()} is not a subscriber", markup=False)
        return 1
    console.print(f"removed {args.email.strip().lower()} ({removed} subscription(s))",
                  markup=False)
    return 0


def run_unsubscribe_mail(args: argparse.Namespace) -> int:
    """Exit 0 when every message was read (those without a valid token are reported
    and kept, not errors: a mail server must not bounce them back to a forged sender)."""
    config = load_config(args)
    with Syndicate(config) as app:
        if args.source == "-":
            raw = sys.stdin.buffer.read(MAX_MESSAGE_BYTES)
            item = handle_message(raw, key="stdin", store=app.store,
                                  signer=signer_for(config), now=app.clock())
            keep = config.delivery.unsubscribe_maildir
            if keep is not None:
                key = file_message(config.path(keep), raw, flag_for(item))
                item = replace(item, reason=f"{item.reason}; kept in {keep} as {key}")
            elif item.outcome is Outcome.SKIPPED:
                err_console.print("warning: this message is not kept anywhere: set "
                                  "delivery.unsubscribe_maildir to keep such mail for a person",
                                  markup=False)
            result = StepResult("unsubscribes", (item,), (("messages", 1),))
        else:
            result = app.read_unsubscribe_mail(Path(args.source) if args.source else None)
    print_results([result])
    for item in result.items:
        if item.outcome in (Outcome.UPDATED, Outcome.UNCHANGED):
            console.print(f"  {item.key}: {item.reason}", markup=False)
    return 1 if result.failed else 0
