"""`syndicate serve`: feeds, subscription pages and the status page over HTTP."""

from __future__ import annotations

import argparse

from .common import add_config_argument, console, load_config


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="serve feeds, subscribe pages and status")
    add_config_argument(parser)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from ..web.app import create_app

    config = load_config(args)
    app = create_app(config)
    console.print(f"serving on http://{args.host}:{args.port}/ (feeds under /feeds/)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
