"""`syndicate status`: next runs, last runs, failures, per-source health, feed and outbox figures."""

from __future__ import annotations

import argparse
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.table import Table
from rich.text import Text

from ..clock import utc_now
from ..core import Syndicate
from ..core.status import StatusReport
from ..health import gather
from ..trigger_words import format_run_time
from .common import add_config_argument, console, load_config


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("status", help="what runs next, what ran, what failed")
    add_config_argument(parser)
    parser.add_argument("--lang", choices=("ar", "en"), default="en",
                        help="language of triggers and times (default en)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args)
    with Syndicate(config) as app:
        report = gather(config, app.store, utc_now())
    print_report(report, args.lang)
    return 0


# `--lang ar`: the words of the report too, not only its dates and triggers.
_AR = {
    "jobs": "المهام", "job": "المهمة", "trigger": "الموعد", "next runs": "التشغيلات القادمة",
    "last run": "آخر تشغيل", "outcome": "النتيجة", "last runs": "آخر التشغيلات",
    "started": "البدء", "took": "المدة", "counts": "الأعداد", "sources": "المصادر",
    "source": "المصدر", "state": "الحالة", "columns": "المقالات", "last collected": "آخر جمع",
    "last collect run": "آخر تشغيل للجمع", "paused": "موقوفة مؤقتًا",
    "no upcoming run": "لا تشغيل قادم", "never run": "لم يُشغَّل بعد", "failures": "الإخفاقات",
    "failures: none": "الإخفاقات: لا شيء", "running": "قيد التشغيل",
}


def _t(text: str, lang: str) -> str:
    return _AR.get(text, text) if lang == "ar" else text


def _add_row(table: Table, *cells: str) -> None:
    # Plain text: an error such as "…/[/opinion]…" is not rich markup (it would crash the table).
    table.add_row(*(Text(cell) for cell in cells))


def _when(value: datetime | None, zone: str, lang: str) -> str:
    return format_run_time(value.astimezone(ZoneInfo(zone)), lang) if value else "—"


def print_report(report: StatusReport, lang: str = "en") -> None:
    zone = report.timezone
    if report.scheduler_leader is not None:
        console.print(f"scheduler: running (leader {report.scheduler_leader})", markup=False)
    elif report.scheduler_pid is None:
        console.print("scheduler: not running (start it with `syndicate run`)", markup=False)
    else:
        console.print(f"scheduler: running (pid {report.scheduler_pid})", markup=False)
    jobs = Table(title=_t("jobs", lang), show_lines=True)
    for title in ("job", "trigger", "next runs", "last run", "outcome"):
        jobs.add_column(_t(title, lang))
    for job in report.jobs:
        upcoming = _t("paused", lang) if job.paused else "\n".join(
            format_run_time(t, lang) for t in job.next_runs
        ) or _t("no upcoming run", lang)
        last = job.last
        _add_row(
            jobs,
            f"{job.name}\n({job.run}{' ' + job.target if job.target else ''})",
            job.words_ar if lang == "ar" else job.words_en,
            upcoming,
            _when(last.started_at if last else None, zone, lang),
            (last.outcome + (f": {last.error}" if last.error else "")) if last
            else _t("never run", lang),
        )
    console.print(jobs)

    runs = Table(title=_t("last runs", lang))
    for title in ("job", "started", "took", "outcome", "counts"):
        runs.add_column(_t(title, lang))
    for run in report.recent_runs[:10]:
        took = f"{(run.finished_at - run.started_at).total_seconds():.1f}s" if run.finished_at else _t("running", lang)
        counts = ", ".join(f"{k}={v}" for k, v in run.counts.items())
        _add_row(runs, run.job, _when(run.started_at, zone, lang), took, run.outcome, counts)
    console.print(runs)

    if report.failures:
        console.print(f"[bold red]{_t('failures', lang)}[/]")
        for run in report.failures:
            console.print(f"  {_when(run.started_at, zone, lang)} {run.job}: {run.outcome} "
                          f"{run.error or ''}", markup=False)
    else:
        console.print(_t("failures: none", lang), markup=False)

    sources = Table(title=_t("sources", lang))
    for title in ("source", "state", "columns", "last collected", "last collect run"):
        sources.add_column(_t(title, lang))
    for source in report.sources:
        last = source.last_run
        _add_row(
            sources,
            source.name, source.state, str(source.columns),
            _when(source.last_collected, zone, lang),
            f"{last.job} {last.outcome}" + (f": {last.error}" if last and last.error else "")
            if last else "—",
        )
    console.print(sources)
    feeds = report.feeds
    console.print(f"feeds: {feeds.files} file(s), {feeds.bytes} bytes in {feeds.path}"
                  f" (newest {_when(feeds.newest, zone, lang)})", markup=False)
    if report.outbox.path is not None:
        console.print(f"outbox: {report.outbox.new} new, {report.outbox.cur} read "
                      f"in {report.outbox.path}", markup=False)
    else:
        console.print("outbox: SMTP relay (no local outbox)", markup=False)
