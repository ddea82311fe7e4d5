"""`syndicate digest NEWSLETTER [--dry-run]` and `syndicate digest preview NEWSLETTER`.

``preview`` writes the HTML a subscriber would get to a file for a browser, without
sending or recording anything: the next issue if there are new columns, else the
last issue sent. With ``--subscriber`` it is that subscriber's segment (followed
authors, cadence) with their name and their real, signed unsubscribe link.

The words are positional so that ``syndicate digest daily`` keeps working: one word
is a newsletter to send, ``preview NEWSLETTER`` previews (a newsletter that is itself
called "preview" is previewed with ``preview preview``).
"""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path
from typing import Any

from ..clock import utc_now
from ..config import Config
from ..core import Syndicate
from .common import add_config_argument, console, load_config, print_results
from .progress_view import terminal_progress


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "digest",
        help="send a newsletter's digest now, or preview it",
        # argparse would print "[preview] NEWSLETTER [[preview] NEWSLETTER ...]"
        usage="syndicate digest [--dry-run | --queue-only] [--config PATH] NEWSLETTER\n"
        "       syndicate digest preview NEWSLETTER --out FILE.html [--subscriber EMAIL]"
        " [--config PATH]",
        description="Send the digest of NEWSLETTER now (`syndicate digest daily`), or "
        "write what a subscriber would get to an HTML file "
        "(`syndicate digest preview daily --out daily.html`).",
    )
    parser.add_argument(
        "words", nargs="+", metavar="NEWSLETTER",
        help="newsletter id from the config (`preview NEWSLETTER` to preview it)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would be sent; send nothing"
    )
    parser.add_argument(
        "--queue-only", action="store_true",
        help="draft and queue the issue; leave sending to `syndicate worker` (any host)",
    )
    parser.add_argument(
        "--subscriber", metavar="EMAIL", help="preview: that subscriber's digest"
    )
    parser.add_argument("--out", metavar="FILE.html", help="preview: where to write the HTML")
    add_config_argument(parser)
    parser.set_defaults(handler=run, digest_parser=parser)


def _check_newsletter(parser: argparse.ArgumentParser, config: Config, newsletter_id: str) -> None:
    # The slip is on the command line, not in schedules.yaml: say so, not "schedules.yaml:1:1".
    known = [n.id for n in config.newsletters]
    if newsletter_id not in known:
        close = difflib.get_close_matches(newsletter_id, known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known) or 'none'}"
        parser.error(f"no newsletter {newsletter_id!r} in {config.source_path} ({hint})")


def run(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args.digest_parser
    words: list[str] = args.words
    if len(words) == 2 and words[0] == "preview":
        if not args.out:
            parser.error("preview needs --out FILE.html")
        if args.dry_run:
            parser.error("--dry-run is for sending; preview never sends")
        return run_preview(args, words[1])
    if len(words) != 1:
        parser.error("expected NEWSLETTER or preview NEWSLETTER")
    if args.dry_run and args.queue_only:
        parser.error("--dry-run sends nothing and queues nothing; --queue-only queues")
    if args.subscriber or args.out:
        parser.error("--subscriber and --out are for `syndicate digest preview NEWSLETTER`")
    config = load_config(args)
    _check_newsletter(parser, config, words[0])
    with terminal_progress() as progress, Syndicate(config, progress=progress) as syndicate:
        result = syndicate.send_digest(words[0], dry_run=args.dry_run,
                                       queue_only=args.queue_only)
    mode = " (dry run)" if args.dry_run else " (queued only)" if args.queue_only else ""
    print_results([result], title=f"digest {words[0]}{mode}")
    return 1 if result.failed else 0


def run_preview(args: argparse.Namespace, newsletter_id: str) -> int:
    # Imported here: every command module loads at start-up, and only a preview needs
    # MJML and premailer.
    from ..core.preview import build_preview

    config = load_config(args)
    _check_newsletter(args.digest_parser, config, newsletter_id)
    with Syndicate(config) as app:
        preview = build_preview(
            config, app.store, newsletter_id, now=utc_now(), subscriber_email=args.subscriber
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(preview.html, encoding="utf-8")
    console.print(
        f"issue {preview.issue_number} ({preview.state}), {preview.items} items, "
        f"{preview.size_bytes:,} bytes of HTML: {out}",
        markup=False,
        soft_wrap=True,  # a path cut in two cannot be copied
    )
    console.print(f"Subject: {preview.subject}", markup=False, soft_wrap=True)
    if preview.trimmed:
        console.print(f"{preview.trimmed} items left out to stay under Gmail's clip", markup=False)
    return 0
