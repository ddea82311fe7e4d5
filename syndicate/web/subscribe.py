"""Subscribe (double opt-in), confirm and unsubscribe pages, in Arabic, right to left.

* ``GET /subscribe`` shows the form; ``POST /subscribe`` answers the *same page*
  whatever the address's state (new, pending, active, unsubscribed), so the form
  cannot be used to learn who subscribes. The confirmation mail goes out after the
  response (a background task), so timing does not tell either.
* A confirmation mail is sent at most once an hour per address (a conditional
  UPDATE on ``subscribers.confirmation_sent_at``), subscribe requests are
  rate-limited per client address (429) and per e-mail address (silently: same answer).
* Only what can be abused is rate-limited: the subscribe form, and links whose token
  does not verify (guessing). A validly signed token is always honoured, whatever the
  client did before: mail providers post one-click unsubscribes from shared
  addresses, and nobody must be able to block an unsubscribe by flooding first.
* ``GET /confirm/<token>`` and ``GET /unsubscribe/<token>`` show a page with a
  button; only ``POST`` changes anything, because mail scanners pre-fetch links.
* ``POST /unsubscribe/<token>`` is also RFC 8058 one-click: a mail client posts
  ``List-Unsubscribe=One-Click`` and gets a short 200 answer.

Rate limits live in this process's memory: behind several workers each has its own
(good enough against a flood; the hourly confirmation limit is in the database).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from threading import Lock

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from ..config.newsletters import Newsletter
from ..errors import TokenError
from ..subscribers.confirmation import confirm, request_confirmation, send_confirmation
from ..subscribers.csv_file import email_problem, normalise_email
from ..subscribers.subscriptions import subscriber_for_token, unsubscribe
from ..subscribers.tokens import Purpose, TokenSigner, signer_for
from ..types import Cadence, Subscriber, SubscriberStatus
from .context import WebContext
from .pages import reader_page

log = logging.getLogger("syndicate.web.subscribe")

CLIENT_LIMIT = (10, 600.0)  # subscribe requests per client address per 10 minutes
BAD_TOKEN_LIMIT = (20, 600.0)  # invalid confirm/unsubscribe links per client per 10 minutes
ADDRESS_LIMIT = (5, 3600.0)  # subscribe requests per e-mail address per hour


class RateLimiter:
    """Sliding window: at most ``limit`` events per ``period`` seconds for each key."""

    def __init__(self, limit: int, period: float, *, max_keys: int = 100_000) -> None:
        self.limit, self.period, self.max_keys = limit, period, max_keys
        self._events: dict[str, deque[float]] = {}
        self._lock = Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        at = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and at - events[0] >= self.period:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(at)
            if len(self._events) > self.max_keys:  # forget the idle first
                for stale in [k for k, v in self._events.items() if not v][:1000]:
                    del self._events[stale]
                if len(self._events) > self.max_keys:
                    self._events.pop(next(iter(self._events)))
            return True


# -- handlers ----------------------------------------------------------------------


class SubscribePages:
    """The handlers of ``/subscribe``, ``/confirm/<token>`` and ``/unsubscribe/<token>``,
    with the rate limiters they share for the life of the server."""

    def __init__(self, context: WebContext) -> None:
        self.context = context
        self.config = context.config
        self.store = context.store
        self.signer = signer_for(context.config)
        self.by_client = RateLimiter(*CLIENT_LIMIT)
        self.by_address = RateLimiter(*ADDRESS_LIMIT)
        # Its own counter: subscribing must never use up a client's unsubscribes.
        self.bad_tokens = RateLimiter(*BAD_TOKEN_LIMIT)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/subscribe", self.form, methods=["GET"]),
            Route("/subscribe", self.subscribe, methods=["POST"]),
            Route("/confirm/{token}", self.confirm, methods=["GET", "POST"]),
            Route("/unsubscribe/{token}", self.unsubscribe, methods=["GET", "POST"]),
        ]

    # -- helpers --

    def page(self, name: str, *, status: int = 200, **values: object) -> Response:
        return reader_page(name, status=status, site_title=self.config.site.title, **values)

    def too_many(self) -> Response:
        return self.page("notice.html.j2", what="too_many", status=429)

    def newsletters(self) -> list[Newsletter]:
        return [n for n in self.config.newsletters if not n.paused] or list(self.config.newsletters)

    @staticmethod
    def client_of(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def title_of(self, subscriber: Subscriber) -> str:
        try:
            return self.config.newsletter(subscriber.newsletter).title
        except KeyError:
            return subscriber.newsletter

    async def token_holder(self, request: Request, purpose: Purpose) -> Subscriber | Response:
        """The subscriber the URL's token names, or the answer to a bad token."""
        token = str(request.path_params["token"])
        try:
            return await run_in_threadpool(subscriber_for_token, self.store, self.signer, token,
                                           purpose, self.context.clock())
        except TokenError:
            # Checking costs one HMAC and one indexed lookup, so every token is
            # checked; only the failures count towards the limit.
            if not self.bad_tokens.allow(self.client_of(request)):
                return self.too_many()
            if request.method == "POST" and purpose == "unsubscribe":
                body = await request.body()
                if b"One-Click" in body:
                    return PlainTextResponse("invalid unsubscribe link", status_code=400)
            return self.page("notice.html.j2", what="invalid_link", status=400)

    # -- endpoints --

    async def form(self, request: Request) -> Response:
        if not self.newsletters():
            return self.page("notice.html.j2", what="no_newsletters", status=404)
        return self.page("subscribe.html.j2", newsletters=self.newsletters(), error="", email="")

    async def subscribe(self, request: Request) -> Response:
        if not self.by_client.allow(self.client_of(request)):
            return self.too_many()
        form = await request.form()
        email = str(form.get("email", "")).strip().lower()
        choices = {n.id: n for n in self.newsletters()}
        newsletter = choices.get(str(form.get("newsletter", ""))) or (
            next(iter(choices.values())) if len(choices) == 1 else None)
        if newsletter is None:
            return self.page("subscribe.html.j2", newsletters=self.newsletters(),
                             error="اختر نشرة.", email="", status=400)
        if email_problem(email):
            return self.page("subscribe.html.j2", newsletters=self.newsletters(),
                             error="هذا ليس عنوان بريد إلكتروني صالحًا.", email=email, status=400)
        email = normalise_email(email)  # an international domain in its ASCII form
        answer = self.page("check_mail.html.j2", email=email)
        if not self.by_address.allow(f"{newsletter.id}:{email}"):
            return answer  # silently: the same answer, no mail
        name = " ".join(str(form.get("name", "")).split())[:120] or None
        cadence = Cadence.WEEKLY if form.get("cadence") == "weekly" else Cadence.DAILY
        now = self.context.clock()
        subscriber = await run_in_threadpool(
            lambda: request_confirmation(self.store, email=email, newsletter=newsletter.id,
                                         name=name, cadence=cadence, now=now))
        if subscriber is not None:
            answer.background = BackgroundTask(
                send_confirmation, self.config, newsletter, subscriber, self.signer,
                self.context.clock,
            )
        return answer

    async def confirm(self, request: Request) -> Response:
        subscriber = await self.token_holder(request, "confirm")
        if isinstance(subscriber, Response):
            return subscriber
        title = self.title_of(subscriber)
        if request.method == "GET":
            state = "active" if subscriber.status is SubscriberStatus.ACTIVE else "ask"
            return self.page("confirm.html.j2", state=state, action=request.url.path,
                             newsletter_title=title)
        issued = TokenSigner.read(str(request.path_params["token"])).issued
        confirmed = await run_in_threadpool(confirm, self.store, subscriber,
                                            self.context.clock(), issued)
        if not confirmed and subscriber.status is not SubscriberStatus.ACTIVE:
            # A link from before they unsubscribed (or bounced): it must not undo that.
            return self.page("notice.html.j2", what="old_link", status=400)
        return self.page("confirm.html.j2", state="done", action="", newsletter_title=title)

    async def unsubscribe(self, request: Request) -> Response:
        subscriber = await self.token_holder(request, "unsubscribe")
        if isinstance(subscriber, Response):
            return subscriber
        title = self.title_of(subscriber)
        if request.method == "GET":
            state = "gone" if subscriber.status is SubscriberStatus.UNSUBSCRIBED else "ask"
            return self.page("unsubscribe.html.j2", state=state, action=request.url.path,
                             newsletter_title=title)
        await run_in_threadpool(unsubscribe, self.store, subscriber, self.context.clock(),
                                via="web")
        body = (await request.body()).decode("latin-1")
        if "List-Unsubscribe=One-Click" in body:  # RFC 8058: a mail client, not a person
            return PlainTextResponse("unsubscribed")
        return self.page("unsubscribe.html.j2", state="done", action="", newsletter_title=title)


def routes(context: WebContext) -> list[BaseRoute]:
    return SubscribePages(context).routes()
