"""The Starlette application: each area contributes its own routes."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ..clock import Clock, utc_now
from ..config import Config
from ..core import Store
from . import feeds, issues, preferences, status, subscribe
from .context import WebContext
from .limits import BodyLimit


def create_app(config: Config, *, store: Store | None = None, clock: Clock = utc_now) -> Starlette:
    context = WebContext(
        config=config,
        store=store if store is not None else Store.open(config.store_url),
        clock=clock,
    )
    routes: list[BaseRoute] = [
        Route("/", _home, methods=["GET", "HEAD"]),
        *feeds.routes(context),
        *subscribe.routes(context),
        *preferences.routes(context),
        *issues.routes(context),
        *status.routes(context),
    ]
    # Inside Starlette's error handling, so an over-long body is a 413, not a 500.
    app = Starlette(routes=routes, middleware=[Middleware(BodyLimit)])
    app.state.context = context
    return app


async def _home(request: Request) -> Response:
    # The site's front page is the feeds index (Arabic, RTL, with autodiscovery links);
    # 307, not 308: an operator may put a real home page here one day.
    return RedirectResponse(url="/feeds/", status_code=307)
