"""The operator status page (`/status`, Arabic, right to left) and its JSON twin (`/status.json`).

Names that are Latin by nature (job and source ids, errors, paths) sit in ``<bdi>`` so
they never reorder the Arabic sentence around them.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..health import StatusReport, gather
from ..store.jobs import JobRun
from ..text.digits import to_digits
from ..triggers import format_run_time
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

_CSS = """
body{font-family:"Noto Naskh Arabic","Noto Sans Arabic","Noto Sans",sans-serif;margin:0;
 background:#f6f4ef;color:#222;line-height:1.7}
header{background:#6b1d2a;color:#fff;padding:1rem 2rem}
header h1{margin:0;font-size:1.6rem} .stopped{background:#fff3;padding:0 .4rem;border-radius:4px} header p{margin:.2rem 0 0;opacity:.85}
main{padding:1rem 2rem;max-width:1200px}
section{background:#fff;border-radius:8px;padding:.5rem 1.2rem 1rem;margin:1rem 0;
 box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{font-size:1.2rem;color:#6b1d2a;border-bottom:1px solid #eee;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%} th,td{text-align:start;padding:.35rem .6rem;
 border-bottom:1px solid #f0ece4;vertical-align:top} th{color:#555;font-weight:600}
.ok{color:#1b6e3a}.failed,.failing{color:#b3261e;font-weight:600}.partial{color:#a15c00}
.never,.muted{color:#888} bdi{font-family:"Noto Sans Mono",monospace;font-size:.92em}
td:first-child bdi{white-space:nowrap}
.figures{display:flex;gap:1rem;flex-wrap:wrap} .figure{background:#faf7f0;border-radius:6px;
 padding:.6rem 1rem;min-width:10rem} .figure b{display:block;font-size:1.5rem}
ul.times{margin:0;padding-inline-start:1rem} ul.times li{white-space:nowrap}
"""


def _n(value: object) -> str:
    # Digits before escaping: an entity such as &#x27; must keep its Latin digits.
    return escape(to_digits(str(value), "arab").replace(".", "\u066b"))


def _when(value: datetime | None, zone: str) -> str:
    if value is None:
        return '<span class="muted">—</span>'
    return escape(format_run_time(value.astimezone(ZoneInfo(zone)), "ar", zone=False))


def _outcome(run: JobRun | None) -> str:
    if run is None:
        return '<span class="never">لم يُشغَّل بعد</span>'
    label = _OUTCOMES.get(run.outcome, run.outcome)
    error = f' <bdi>{escape(run.error)}</bdi>' if run.error else ""
    return f'<span class="{escape(run.outcome)}">{escape(label)}</span>{error}'


def _took(run: JobRun) -> str:
    if run.finished_at is None:
        return "—"
    return f"{_n(f'{(run.finished_at - run.started_at).total_seconds():.1f}')} ث"


def _counts(run: JobRun) -> str:
    return "، ".join(
        f"{escape(_COUNTS[k])} {_n(v)}" if k in _COUNTS else f"<bdi>{escape(k)}</bdi> {_n(v)}"
        for k, v in run.counts.items()
    ) or "—"


def render(report: StatusReport, title: str) -> str:
    zone = report.timezone
    jobs = "".join(
        "<tr>"
        f"<td><bdi>{escape(job.name)}</bdi></td>"
        f"<td>{escape(_KINDS.get(job.run, job.run))}"
        + (f" <bdi>{escape(job.target)}</bdi>" if job.target else "")
        + "</td>"
        f"<td>{escape(job.words_ar)}</td>"
        "<td>"
        + ('<span class="muted">موقوفة مؤقتًا</span>' if job.paused else (
            '<ul class="times">' + "".join(f"<li>{escape(format_run_time(t, 'ar', zone=False))}</li>"
                                          for t in job.next_runs) + "</ul>"
            if job.next_runs else '<span class="muted">لا تشغيل قادم</span>'))
        + "</td>"
        f"<td>{_when(job.last.started_at if job.last else None, zone)}<br>{_outcome(job.last)}</td>"
        "</tr>"
        for job in report.jobs
    )
    runs = "".join(
        f"<tr><td><bdi>{escape(run.job)}</bdi></td><td>{_when(run.started_at, zone)}</td>"
        f"<td>{_took(run)}</td><td>{_outcome(run)}</td><td>{_counts(run)}</td></tr>"
        for run in report.recent_runs
    ) or '<tr><td colspan="5" class="muted">لم يُشغَّل شيء بعد</td></tr>'
    failures = "".join(
        f"<tr><td><bdi>{escape(run.job)}</bdi></td><td>{_when(run.started_at, zone)}</td>"
        f"<td>{_outcome(run)}</td></tr>"
        for run in report.failures
    ) or '<tr><td colspan="3" class="ok">لا إخفاقات</td></tr>'
    sources = "".join(
        f"<tr><td>{escape(s.title)} <bdi>{escape(s.name)}</bdi></td>"
        f'<td class="{escape(s.state)}">{escape(_STATES.get(s.state, s.state))}</td>'
        f"<td>{_n(s.columns)}</td><td>{_when(s.last_collected, zone)}</td>"
        f"<td>{_outcome(s.last_run)}</td></tr>"
        for s in report.sources
    ) or '<tr><td colspan="5" class="muted">لا مصادر في الإعدادات</td></tr>'
    outbox = (
        f'<div class="figure"><b>{_n(report.outbox.new)}</b>رسائل جديدة في صندوق الصادر</div>'
        f'<div class="figure"><b>{_n(report.outbox.cur)}</b>رسائل مقروءة</div>'
        if report.outbox.path is not None
        else '<div class="figure"><b>SMTP</b>الإرسال عبر خادم بريد</div>'
    )
    scheduler = (
        f"المجدول يعمل (<bdi>{escape(report.scheduler_leader)}</bdi>)"
        if report.scheduler_leader is not None
        else '<span class="stopped">المجدول متوقف</span> (<bdi>syndicate run</bdi>)'
        if report.scheduler_pid is None
        else f"المجدول يعمل (<bdi>pid {report.scheduler_pid}</bdi>)"
    )
    return f"""<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="30">
<title>حالة التشغيل — {escape(title)}</title><style>{_CSS}</style></head>
<body>
<header><h1>حالة التشغيل — {escape(title)}</h1>
<p>{scheduler} — حُدِّثت {_when(report.generated_at, zone)} — الأوقات كلها بتوقيت <bdi>{escape(zone)}</bdi></p></header>
<main>
<section><h2>الأرقام</h2><div class="figures">
<div class="figure"><b>{_n(report.columns_total)}</b>المقالات المخزّنة</div>
<div class="figure"><b>{_n(report.feeds.files)}</b>ملفات الخلاصات ({_n(report.feeds.bytes // 1024)} ك.ب)
<br><small>آخر تحديث {_when(report.feeds.newest, zone)}</small></div>
{outbox}
</div></section>
<section><h2>المهام ومواعيدها القادمة</h2><table>
<tr><th>المهمة</th><th>العمل</th><th>الموعد</th><th>التشغيلات القادمة</th><th>آخر تشغيل</th></tr>
{jobs}</table></section>
<section><h2>الإخفاقات الأخيرة</h2><table>
<tr><th>المهمة</th><th>الوقت</th><th>السبب</th></tr>{failures}</table></section>
<section><h2>صحة المصادر</h2><table>
<tr><th>المصدر</th><th>الحالة</th><th>المقالات</th><th>آخر جمع</th><th>آخر تشغيل للجمع</th></tr>
{sources}</table></section>
<section><h2>آخر التشغيلات</h2><table>
<tr><th>المهمة</th><th>البدء</th><th>المدة</th><th>النتيجة</th><th>الأعداد</th></tr>
{runs}</table></section>
</main></body></html>"""


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


_REFUSED = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>صفحة الحالة</title></head>
<body><h1>صفحة الحالة للمشغّلين فقط</h1>
<p dir="ltr" lang="en">{reason}</p></body></html>
"""


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
        return HTMLResponse(_REFUSED.format(reason=escape(reason)), status_code=status_code,
                            headers=headers)

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
