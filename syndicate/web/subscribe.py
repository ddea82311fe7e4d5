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

import html
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta
from threading import Lock

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from ..config.newsletters import Newsletter
from ..deliver import open_transport
from ..deliver.message import MailMessage, build_message, message_id, parse_sender
from ..errors import SyndicateError, TokenError
from ..subscribers.csv_file import email_problem
from ..subscribers.subscriptions import subscriber_for_token, unsubscribe
from ..subscribers.tokens import Purpose, TokenSigner, link, signer_for
from ..types import Cadence, Subscriber, SubscriberStatus
from .context import WebContext

log = logging.getLogger("syndicate.web.subscribe")

CONFIRMATION_INTERVAL = timedelta(hours=1)
CLIENT_LIMIT = (10, 600.0)  # subscribe requests per client address per 10 minutes
BAD_TOKEN_LIMIT = (20, 600.0)  # invalid confirm/unsubscribe links per client per 10 minutes
ADDRESS_LIMIT = (5, 3600.0)  # subscribe requests per e-mail address per hour
RLM = "\u200f"


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


# -- pages -------------------------------------------------------------------------

_STYLE = """
body{margin:0;background:#f4f1ea;color:#1d1d1b;font-family:"Noto Naskh Arabic","Noto Sans Arabic",
"Geeza Pro","Segoe UI",Tahoma,"Arabic Typesetting",sans-serif;font-size:18px;line-height:1.8}
main{max-width:34rem;margin:3rem auto;background:#fff;padding:2rem 2.2rem;border-radius:10px;
border-top:6px solid #8a1538;box-shadow:0 2px 12px rgba(0,0,0,.08);text-align:right}
h1{font-size:1.6rem;margin:0 0 1rem;color:#8a1538}label{display:block;margin:.9rem 0 .3rem;font-weight:bold}
input[type=email],input[type=text],select{width:100%;box-sizing:border-box;padding:.6rem .8rem;
font:inherit;border:1px solid #c9c2b5;border-radius:6px;background:#fffdf8}
input[type=email]{direction:ltr;text-align:left}
fieldset{border:0;padding:0;margin:.9rem 0}legend{font-weight:bold}
button{margin-top:1.4rem;font:inherit;font-weight:bold;background:#8a1538;color:#fff;border:0;
border-radius:6px;padding:.6rem 1.8rem;cursor:pointer}p.note{color:#6b655b;font-size:.9rem}
p.error{color:#a40000;font-weight:bold}
"""


def page(title: str, body: str, *, status: int = 200, site_title: str = "") -> HTMLResponse:
    document = (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{html.escape(title)}{' — ' + html.escape(site_title) if site_title else ''}"
        f"</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{html.escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
               "X-Frame-Options": "DENY"}
    return HTMLResponse(document, status_code=status, headers=headers)


def _form(newsletters: list[Newsletter], *, error: str = "", email: str = "") -> str:
    if len(newsletters) == 1:
        choice = (f'<input type="hidden" name="newsletter" value="{html.escape(newsletters[0].id)}">'
                  f"<p>النشرة: <strong>{html.escape(newsletters[0].title)}</strong></p>")
    else:
        options = "".join(
            f'<option value="{html.escape(n.id)}">{html.escape(n.title)}</option>'
            for n in newsletters
        )
        choice = f'<label for="newsletter">النشرة</label><select id="newsletter" name="newsletter">{options}</select>'
    problem = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return f"""{problem}<form method="post" action="/subscribe">
{choice}
<label for="email">البريد الإلكتروني</label>
<input id="email" name="email" type="email" required autocomplete="email" dir="ltr"
 value="{html.escape(email)}" placeholder="name@example.com">
<label for="name">الاسم (اختياري)</label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="120">
<fieldset><legend>كم مرة تصلك النشرة؟</legend>
<label><input type="radio" name="cadence" value="daily" checked> يوميًا</label>
<label><input type="radio" name="cadence" value="weekly"> أسبوعيًا (ملخص الأسبوع)</label>
</fieldset>
<button type="submit">اشترك</button>
<p class="note">سنرسل إليك رسالة لتأكيد الاشتراك، ولن نشارك بريدك مع أحد. يمكنك إلغاء الاشتراك في أي وقت.</p>
</form>"""


def _button(action: str, label: str, note: str) -> str:
    return (f'<p>{html.escape(note)}</p><form method="post" action="{html.escape(action)}">'
            f'<button type="submit">{html.escape(label)}</button></form>')


# -- the confirmation mail ----------------------------------------------------------


def _confirmation_message(context: WebContext, newsletter: Newsletter, subscriber: Subscriber,
                          signer: TokenSigner) -> MailMessage:
    assert subscriber.id is not None
    now = context.clock()
    token = signer.make("confirm", subscriber_id=subscriber.id, email=subscriber.email,
                        newsletter=newsletter.id, issued=now)
    url = link(context.config.site.base_url, "confirm", token)
    greeting = f"مرحبًا {subscriber.name}،" if subscriber.name else "مرحبًا،"
    lines = [
        greeting,
        f"طلب أحدهم (نرجو أن تكون أنت) الاشتراك في نشرة «{newsletter.title}» بهذا العنوان.",
        "لتأكيد الاشتراك افتح الرابط التالي:",
        url,
        "إن لم تطلب ذلك فتجاهل هذه الرسالة، ولن يصلك منا شيء.",
    ]
    text = "\n".join(RLM + line for line in lines) + "\n"
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[:3])
    markup = (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"></head>'
        f'<body dir="rtl" style="font-family:Tahoma,Arial,sans-serif;text-align:right">{body}'
        f'<p><a href="{html.escape(url)}" style="background:#8a1538;color:#fff;padding:10px 22px;'
        f'border-radius:6px;text-decoration:none">تأكيد الاشتراك</a></p>'
        f"<p>{html.escape(lines[4])}</p></body></html>"
    )
    sender = parse_sender(newsletter.sender)
    return build_message(
        sender=newsletter.sender, to=subscriber.email, to_name=subscriber.name,
        subject=f"أكِّد اشتراكك في {newsletter.title}", text=text, html=markup,
        message_id=message_id("confirm", newsletter.id, subscriber.id, int(now.timestamp()),
                              domain=sender.domain),
        date=now, reply_to=newsletter.reply_to,
    )


def _send_confirmation(context: WebContext, newsletter: Newsletter, subscriber: Subscriber,
                       signer: TokenSigner) -> None:
    message = _confirmation_message(context, newsletter, subscriber, signer)
    try:
        transport = open_transport(context.config.delivery, context.config.base_dir)
        try:
            transport.send(message)
        finally:
            transport.close()
    except SyndicateError as exc:
        log.warning("confirmation mail to %s not sent: %s", subscriber.email, exc)


# -- routes ------------------------------------------------------------------------


def routes(context: WebContext) -> list[BaseRoute]:
    config = context.config
    store = context.store
    site_title = config.site.title
    signer = signer_for(config)
    by_client = RateLimiter(*CLIENT_LIMIT)
    by_address = RateLimiter(*ADDRESS_LIMIT)
    # Its own counter: subscribing must never use up a client's unsubscribes.
    bad_tokens = RateLimiter(*BAD_TOKEN_LIMIT)

    def newsletters() -> list[Newsletter]:
        return [n for n in config.newsletters if not n.paused] or list(config.newsletters)

    def show(title: str, body: str, status: int = 200) -> HTMLResponse:
        return page(title, body, status=status, site_title=site_title)

    def client_of(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def limited(request: Request) -> bool:
        return not by_client.allow(client_of(request))

    too_many = ("طلبات كثيرة", "<p>وصلتنا طلبات كثيرة من جهازك. حاول مرة أخرى بعد دقائق.</p>")

    async def subscribe_form(request: Request) -> Response:
        if not newsletters():
            return show("لا توجد نشرات", "<p>لا توجد نشرة للاشتراك فيها حاليًا.</p>", 404)
        return show("اشترك في النشرة", _form(newsletters()))

    async def subscribe(request: Request) -> Response:
        if limited(request):
            return show(*too_many, status=429)
        form = await request.form()
        email = str(form.get("email", "")).strip().lower()
        wanted = str(form.get("newsletter", ""))
        choices = {n.id: n for n in newsletters()}
        newsletter = choices.get(wanted) or (next(iter(choices.values())) if len(choices) == 1
                                             else None)
        if newsletter is None:
            return show("اشترك في النشرة", _form(newsletters(), error="اختر نشرة."), 400)
        if email_problem(email):
            return show("اشترك في النشرة",
                        _form(newsletters(), error="هذا ليس عنوان بريد إلكتروني صالحًا.",
                              email=email), 400)
        answer = show(
            "تحقق من بريدك",
            f"<p>إن كان العنوان <bdi dir=\"ltr\">{html.escape(email)}</bdi> يحتاج إلى تأكيد، "
            "فستصله خلال دقائق رسالة فيها رابط التأكيد.</p>"
            "<p class=\"note\">لم تصلك الرسالة؟ تفقد مجلد البريد غير المرغوب فيه. "
            "لا نرسل أكثر من رسالة تأكيد واحدة في الساعة.</p>",
        )
        if not by_address.allow(f"{newsletter.id}:{email}"):
            return answer  # silently: the same answer, no mail
        name = " ".join(str(form.get("name", "")).split())[:120] or None
        cadence = Cadence.WEEKLY if form.get("cadence") == "weekly" else Cadence.DAILY
        now = context.clock()

        def register() -> Subscriber | None:
            subscriber, _ = store.subscribers.insert_if_absent(
                Subscriber(email=email, newsletter=newsletter.id, name=name, cadence=cadence,
                           status=SubscriberStatus.PENDING),
                now,
            )
            if subscriber.status is SubscriberStatus.ACTIVE or subscriber.id is None:
                return None
            if not store.subscribers.claim_confirmation(
                subscriber.id, now, now - CONFIRMATION_INTERVAL
            ):
                return None
            return subscriber

        subscriber = await run_in_threadpool(register)
        if subscriber is not None:
            answer.background = BackgroundTask(
                _send_confirmation, context, newsletter, subscriber, signer
            )
        return answer

    def _verified(token: str, purpose: Purpose) -> Subscriber:
        return subscriber_for_token(store, signer, token, purpose, context.clock())

    def title_of(subscriber: Subscriber) -> str:
        try:
            return config.newsletter(subscriber.newsletter).title
        except KeyError:
            return subscriber.newsletter

    invalid = ("الرابط غير صالح",
               ("<p>هذا الرابط غير صالح أو انتهت صلاحيته. يمكنك "
               '<a href="/subscribe">طلب رابط جديد</a>.</p>'))

    def token_page(
        purpose: Purpose, act: Callable[[Request, Subscriber], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            token = str(request.path_params["token"])
            try:
                subscriber = await run_in_threadpool(_verified, token, purpose)
            except TokenError:
                # Checking costs one HMAC and one indexed lookup, so every token is
                # checked; only the failures count towards the limit.
                if not bad_tokens.allow(client_of(request)):
                    return show(*too_many, status=429)
                if request.method == "POST" and purpose == "unsubscribe":
                    body = await request.body()
                    if b"One-Click" in body:
                        return PlainTextResponse("invalid unsubscribe link", status_code=400)
                return show(*invalid, status=400)
            return await act(request, subscriber)

        return endpoint

    async def confirm_page(request: Request, subscriber: Subscriber) -> Response:
        if request.method == "GET":
            if subscriber.status is SubscriberStatus.ACTIVE:
                return show("اشتراكك مؤكد", f"<p>أنت مشترك في «{html.escape(title_of(subscriber))}».</p>")
            return show("تأكيد الاشتراك", _button(
                request.url.path, "تأكيد الاشتراك",
                f"اضغط الزر لتأكيد اشتراكك في «{title_of(subscriber)}».",
            ))
        assert subscriber.id is not None
        issued = TokenSigner.read(str(request.path_params["token"])).issued
        confirmed = await run_in_threadpool(
            lambda: store.subscribers.confirm(subscriber.id or 0, context.clock(), issued=issued))
        if not confirmed and subscriber.status is not SubscriberStatus.ACTIVE:
            # A link from before they unsubscribed (or bounced): it must not undo that.
            return show("الرابط قديم",
                        "<p>هذا رابط تأكيد قديم. إن أردت الاشتراك من جديد فيمكنك "
                        '<a href="/subscribe">طلب رابط جديد</a>.</p>', 400)
        return show("تم تأكيد اشتراكك",
                    f"<p>شكرًا لك. ستصلك «{html.escape(title_of(subscriber))}» ابتداءً من العدد القادم.</p>")

    async def unsubscribe_page(request: Request, subscriber: Subscriber) -> Response:
        if request.method == "GET":
            if subscriber.status is SubscriberStatus.UNSUBSCRIBED:
                return show("ألغيت اشتراكك", "<p>لن تصلك هذه النشرة بعد الآن.</p>")
            return show("إلغاء الاشتراك", _button(
                request.url.path, "إلغاء الاشتراك",
                f"اضغط الزر لإيقاف وصول «{title_of(subscriber)}» إلى بريدك.",
            ))
        await run_in_threadpool(unsubscribe, store, subscriber, context.clock(), via="web")
        body = (await request.body()).decode("latin-1")
        if "List-Unsubscribe=One-Click" in body:  # RFC 8058: a mail client, not a person
            return PlainTextResponse("unsubscribed")
        return show("ألغيت اشتراكك",
                    f"<p>لن تصلك «{html.escape(title_of(subscriber))}» بعد الآن. "
                    'إن غيرت رأيك فيمكنك <a href="/subscribe">الاشتراك من جديد</a>.</p>')

    return [
        Route("/subscribe", subscribe_form, methods=["GET"]),
        Route("/subscribe", subscribe, methods=["POST"]),
        Route("/confirm/{token}", token_page("confirm", confirm_page), methods=["GET", "POST"]),
        Route("/unsubscribe/{token}", token_page("unsubscribe", unsubscribe_page),
              methods=["GET", "POST"]),
    ]
