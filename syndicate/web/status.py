"""The operator status page (`/status`, Arabic, right to left) and its JSON twin (`/status.json`).

Names that are Latin by nature (job and source ids, errors, paths) sit in ``<bdi>`` so
they never reorder the Arabic sentence around them.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..core.status import StatusReport
from ..health import gather
from ..page_templates import render_page
from .access import operator_may_see
from .context import WebContext

_OUTCOMES = {"ok": "نجح", "partial": "نجح جزئيًا", "failed": "فشل", "running": "قيد التشغيل"}
_STATES = {"ok": "سليم", "failing": "متعثّر", "never": "لم يُجمع بعد"}
_KINDS = {"collect": "جمع المقالات", "feeds": "بناء الخلاصات", "digest": "إرسال النشرة",
          "unsubscribes": "طلبات إلغاء الاشتراك بالبريد"}
# The figures steps report (collect, feeds, digest); an unknown one is shown as is.
_COUNTS = {
    "new": "جديدة", "updated": "محدّثة", "unchanged": "دون تغيير", "not_modified": "لم تتغير",
    "skipped": "متروكة", "failed": "فاشلة", "errors": "أخطاء", "pages_fetched": "صفحات مجلوبة",
    "columns": "مقالات", "feeds_planned": "خلاصات مقررة", "feeds_rendered": "خلاصات كُتبت",
    "feeds_unchanged": "خلاصات دون تغيير", "queued": "في الانتظار", "seeded": "مشتركون أضيفوا",
    "segments": "شرائح", "sent": "أُرسلت", "recovered": "استُكملت", "bounced": "ارتدّت",
    "temporary": "تعذّرت مؤقتًا", "gave_up": "توقفت المحاولة",
    "not_revalidated": "قديمة لم يُعد فحصها", "issues": "أعداد جديدة",
    "resumed_issues": "أعداد استُكملت", "job_failed": "مهام فشلت",
    "future_dated": "بتاريخ مستقبلي", "removed": "حُذفت", "messages": "رسائل",
}

def render(report: StatusReport, title: str) -> str:
    return render_page("status.html.j2", report=report, heading=title, site_title="",
                        outcomes=_OUTCOMES, states=_STATES, kinds=_KINDS, count_words=_COUNTS)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def routes(context: WebContext) -> list[BaseRoute]:
    def _report() -> StatusReport:
        return gather(context.config, context.store, context.clock())

    setting = context.config.site.status_token
    token = setting.value() if setting is not None else None

    def refused(request: Request, *, as_json: bool) -> Response | None:
        if operator_may_see(request, token):
            return None
        if token:
            status_code, reason = 401, "a valid status token is required"
        else:
            status_code, reason = 403, ("the status page answers only on this machine; set "
                                        "site.status_token to reach it from elsewhere")
        headers = {"Cache-Control": "no-store"}
        if token:
            headers["WWW-Authenticate"] = "Bearer"
        if as_json:
            return JSONResponse({"error": reason}, status_code=status_code, headers=headers)
        return HTMLResponse(render_page("status_refused.html.j2", reason=reason, site_title=""),
                            status_code=status_code, headers=headers)

    def page(request: Request) -> Response:  # sync: Starlette runs it in a thread (DB I/O)
        denied = refused(request, as_json=False)
        if denied is not None:
            return denied
        html = render(_report(), context.config.site.title)
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    def as_json(request: Request) -> Response:
        denied = refused(request, as_json=True)
        if denied is not None:
            return denied
        return JSONResponse(_jsonable(asdict(_report())), headers={"Cache-Control": "no-store"})

    return [Route("/status", page, methods=["GET"]), Route("/status.json", as_json, methods=["GET"])]
