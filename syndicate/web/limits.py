"""A size limit on every request body, checked while it streams in.

Every POST the site takes is a tiny form (subscribe, confirm, a one-click unsubscribe
of 26 bytes), so anything over ``MAX_BODY_BYTES`` is refused with 413: at once when
``Content-Length`` says so, and otherwise as soon as the bytes received pass the
limit, before the rest is read (a chunked upload has no length to check up front).
Without it, eight 100 MB posts to a valid unsubscribe link took the server from
112 MB to 1.24 GB.
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024


class _TooLarge(Exception):
    pass


def _too_large(limit: int) -> PlainTextResponse:
    # Connection: close — the rest of the body is never read, so the connection
    # cannot carry another request.
    return PlainTextResponse(f"request body over the {limit:,}-byte limit\n", status_code=413,
                             headers={"Connection": "close"})


class BodyLimit:
    """ASGI middleware: 413 for a body over ``limit`` bytes, read no further than that.

    Installed inside Starlette's error middleware (``Middleware(BodyLimit)``), so the
    exception that stops the endpoint's read becomes this 413 and not a 500.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > self.limit):
                await _too_large(self.limit)(scope, receive, send)
                return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if started:  # too late for a status: end the exchange here
                raise
            await _too_large(self.limit)(scope, receive, send)
