"""`syndicate serve`: feeds, subscription pages and the status page over HTTP."""

from __future__ import annotations

import argparse
from urllib.parse import urlsplit

from .common import add_config_argument, console, err_console, load_config


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="serve feeds, subscribe pages and status")
    add_config_argument(parser)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: every command module loads at start-up (cli/main.py builds one
    # parser), and only `serve` needs uvicorn and Starlette.
    import uvicorn

    from ..web.app import create_app

    config = load_config(args)
    mismatch = _base_url_mismatch(config.site.base_url, args.host, args.port)
    if mismatch:
        err_console.print(mismatch, markup=False)
    token = config.site.status_token
    if token is not None and not token.value():
        err_console.print(f"warning: site.status_token: {token.env} is not set; /status "
                          "answers only on this machine", markup=False)
    app = create_app(config)
    console.print(f"serving on http://{args.host}:{args.port}/ (feeds under /feeds/)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _base_url_mismatch(base_url: str, host: str, port: int) -> str:
    """A warning when links in e-mails and feeds (site.base_url) cannot reach this server.

    Only for a local base_url: behind a proxy the public URL rightly differs.
    """
    parts = urlsplit(base_url)
    local = {"localhost", "127.0.0.1", "::1"}
    if parts.hostname not in local:
        return ""
    default_port = 443 if parts.scheme == "https" else 80
    if (parts.port or default_port) == port and (host in local or host == "0.0.0.0"):
        return ""
    return (
        f"warning: site.base_url is {base_url} but this server listens on {host}:{port}; "
        "links in e-mails and feeds will not reach it"
    )
