"""``/preferences/<token>``: the subscriber's own page (Arabic, right to left).

GET shows the page; only POST changes anything (mail scanners pre-fetch links).
The token is signed for the ``preferences`` purpose by ``subscribers/tokens.py``,
like every other token; a wrong or tampered one gets the same "invalid link" page
as unsubscribe links do, and counts towards the client's bad-token limit.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ..core.preferences import (
    KEEP_PAUSE,
    PreferenceError,
    PreferenceView,
    apply_change,
    leave,
    posted_view,
    preference_view,
    read_change,
)
from ..errors import TokenError
from ..subscribers.subscriptions import subscriber_for_token
from ..subscribers.tokens import signer_for
from ..types import Subscriber
from .context import WebContext
from .pages import READER_HEADERS, render_page
from .subscribe import BAD_TOKEN_LIMIT, RateLimiter

MAX_FORM_FIELDS = 600


def routes(context: WebContext) -> list[BaseRoute]:
    config, store = context.config, context.store
    signer = signer_for(config)
    bad_tokens = RateLimiter(*BAD_TOKEN_LIMIT)

    def show(request: Request, view: PreferenceView, *, message: str = "", error: str = "",
             status: int = 200) -> Response:
        return render_page(
            config, "preferences.html.j2", status=status, headers=READER_HEADERS,
            view=view, action=request.url.path, message=message, error=error,
            keep_pause=KEEP_PAUSE,
        )

    def invalid(request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        status = 400 if bad_tokens.allow(client) else 429
        return render_page(config, "invalid_link.html.j2", status=status,
                           headers=READER_HEADERS)

    def verified(token: str) -> Subscriber:
        subscriber = subscriber_for_token(store, signer, token, "preferences", context.clock())
        config.newsletter(subscriber.newsletter)  # KeyError: a newsletter since removed
        return subscriber

    async def page(request: Request) -> Response:
        token = str(request.path_params["token"])
        try:
            subscriber = await run_in_threadpool(verified, token)
        except (TokenError, KeyError):
            return invalid(request)
        now = context.clock()
        if request.method == "GET":
            view = await run_in_threadpool(preference_view, config, store, subscriber, now)
            message = "saved" if request.query_params.get("saved") == "1" else ""
            return show(request, view, message=message)
        form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
        fields: dict[str, list[str]] = {}
        for key, value in form.multi_items():
            if isinstance(value, str):
                fields.setdefault(key, []).append(value)
        if fields.get("do") == ["unsubscribe"]:
            await run_in_threadpool(leave, store, subscriber, now)
            view = await run_in_threadpool(preference_view, config, store, subscriber, now)
            return show(request, view, message="left")
        view = await run_in_threadpool(preference_view, config, store, subscriber, now)
        try:
            change = read_change(fields, view)
        except PreferenceError as exc:
            return show(request, posted_view(view, fields), error=str(exc), status=400)
        await run_in_threadpool(apply_change, config, store, subscriber, change, now)
        # Post/redirect/get: a reload does not post the form again.
        return RedirectResponse(f"{request.url.path}?saved=1", status_code=303,
                                headers=READER_HEADERS)

    return [Route("/preferences/{token}", page, methods=["GET", "POST"])]
