"""``/issues/<newsletter>/`` and ``/issues/<newsletter>/<number>``: every sent issue,
and ``…/<number>/weekly``: the week's harvest ending with it (the weekly cadence).

Public pages with no personal token (every digest's "view in browser" link points
here), so they may be cached and indexed; the index lists a newsletter's issues
newest first.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..core.issues import WEEKLY_COPY, issue_content, issue_index
from .context import WebContext
from .pages import render_page

PUBLIC_HEADERS = {"Cache-Control": "public, max-age=300"}


def routes(context: WebContext) -> list[BaseRoute]:
    config, store = context.config, context.store

    def newsletter_title(newsletter_id: str) -> str | None:
        try:
            return config.newsletter(newsletter_id).title
        except KeyError:
            return None

    def not_found() -> Response:
        return render_page(config, "not_found.html.j2", status=404)

    async def index(request: Request) -> Response:
        newsletter_id = str(request.path_params["newsletter"])
        title = newsletter_title(newsletter_id)
        if title is None:
            return not_found()
        entries = await run_in_threadpool(issue_index, config, store, newsletter_id)
        return render_page(config, "issue_index.html.j2", headers=PUBLIC_HEADERS,
                           newsletter_id=newsletter_id, newsletter_title=title,
                           entries=entries)

    async def issue(request: Request) -> Response:
        newsletter_id = str(request.path_params["newsletter"])
        number = int(request.path_params["number"])
        if newsletter_title(newsletter_id) is None:
            return not_found()
        weekly = request.url.path.endswith("/" + WEEKLY_COPY)
        content = await run_in_threadpool(
            lambda: issue_content(config, store, newsletter_id, number, weekly=weekly))
        if content is None:
            return not_found()
        return render_page(config, "issue.html.j2", headers=PUBLIC_HEADERS, content=content)

    return [
        Route("/issues/{newsletter}/", index, methods=["GET", "HEAD"]),
        Route("/issues/{newsletter}/{number:int}", issue, methods=["GET", "HEAD"]),
        Route("/issues/{newsletter}/{number:int}/" + WEEKLY_COPY, issue, methods=["GET", "HEAD"]),
    ]
