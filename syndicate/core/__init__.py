"""Wiring only: the one place that connects sources, store, render and deliver.

Each step lives in its own module (``core/collect.py``, ``core/feeds.py``,
``core/digest.py``) as a function of (config, store, clock); ``Syndicate`` opens
the store once and records every job run, whatever the outcome.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Self
from zoneinfo import ZoneInfo

from .. import sources  # noqa: F401 (registers the built-in source kinds: see load_config)
from ..clock import Clock, utc_now
from ..config import Config, load
from ..config.jobs import Job
from ..errors import InputFileError, SyndicateError
from ..progress import NO_PROGRESS, Progress
from ..store import Store
from ..subscribers.mailed_unsubscribes import process_maildir
from ..subscribers.tokens import signer_for
from ..types import ItemResult, Outcome, StepResult

__all__ = ["Store", "Syndicate", "load_config"]

log = logging.getLogger("syndicate.core")


def load_config(path: str | Path = "schedules.yaml", *, for_running: bool = False) -> Config:
    """schedules.yaml read and validated, every registered source kind known (the
    built-in ones are, since this module imports ``syndicate.sources``)."""
    return load(path, for_running=for_running)


class Syndicate:
    def __init__(self, config: Config, *, clock: Clock = utc_now, store: Store | None = None,
                 progress: Progress = NO_PROGRESS):
        self.config = config
        self.clock = clock
        self.progress = progress  # a rich view on a terminal (cli/progress_view.py)
        self.store = store if store is not None else Store.open(config.store_url)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- steps -------------------------------------------------------------
    # Each step imports its module when it runs: `syndicate status` or a digest need not
    # load Babel (normalise), feedgen or MJML and premailer for the steps they skip.

    def collect(self, source_names: Sequence[str] | None = None) -> list[StepResult]:
        from .collect import run_collect  # lazy: see above

        return run_collect(self.config, self.store, clock=self.clock, source_names=source_names,
                           progress=self.progress)

    def build_feeds(self) -> StepResult:
        from .feeds import run_feeds  # lazy: see above

        return run_feeds(self.config, self.store, clock=self.clock, progress=self.progress)

    def send_digest(
        self, newsletter_id: str, *, dry_run: bool = False, queue_only: bool = False
    ) -> StepResult:
        from .digest import run_digest  # lazy: see above

        return run_digest(
            self.config, self.store, newsletter_id, clock=self.clock, dry_run=dry_run,
            queue_only=queue_only, progress=self.progress,
        )

    def work(self, *, once: bool, stop: threading.Event | None = None) -> list[StepResult]:
        """`syndicate worker`: send queued deliveries in claimed batches, on any host."""
        from .worker import run_worker  # as the other steps: loaded when used

        return run_worker(self.config, self.store, clock=self.clock, once=once,
                          stop=stop, progress=self.progress)

    def read_unsubscribe_mail(self, maildir: Path | None = None) -> StepResult:
        """Act on the unsubscribe requests in ``maildir`` (default: the configured one)."""
        if maildir is None:
            configured = self.config.delivery.unsubscribe_maildir
            if configured is None:
                raise InputFileError(str(self.config.source_path),
                                     "delivery.unsubscribe_maildir is not set")
            maildir = self.config.path(configured)
        return process_maildir(maildir, store=self.store, signer=signer_for(self.config),
                               now=self.clock())

    # -- jobs --------------------------------------------------------------

    def run_job(self, job: Job) -> list[StepResult]:
        """Run one configured job now, recording start, end, outcome and counts."""
        run_id = self.store.jobs.start(job.name, self.clock())
        try:
            if job.run == "collect":
                results = self.collect(job.sources or None)
            elif job.run == "feeds":
                results = [self.build_feeds()]
            elif job.run == "unsubscribes":
                results = [self.read_unsubscribe_mail()]
            else:
                assert job.newsletter is not None  # guaranteed by config checks
                results = [self.send_digest(job.newsletter)]
        except SyndicateError as exc:
            self.store.jobs.finish(run_id, self.clock(), outcome="failed", error=str(exc))
            raise
        except Exception as exc:
            # An unexpected bug: record it so the status page shows it, then re-raise.
            self.store.jobs.finish(
                run_id, self.clock(), outcome="failed", error=f"{type(exc).__name__}: {exc}"
            )
            raise
        counts = summarise(results)
        failed = sum(len(r.failed) for r in results)
        self.store.jobs.finish(
            run_id, self.clock(), outcome="ok" if failed == 0 else "partial", counts=counts
        )
        return results

    def jobs_in_order(self) -> list[Job]:
        """Every job once, in pipeline order: collect, then feeds, then digests."""
        # Unsubscribes first: nobody who asked by mail gets the digest that follows.
        order = {"unsubscribes": 0, "collect": 1, "feeds": 2, "digest": 3}
        return sorted(self.config.jobs, key=lambda job: order[job.run])

    def run_once(self) -> list[StepResult]:
        """Every job once, in order, except paused ones and those out of their season."""
        results: list[StepResult] = []
        for job in self.jobs_in_order():
            reason = self.not_running_because(job)
            if reason:
                log.info("job %s not run: %s", job.name, reason)
                continue
            try:
                results.extend(self.run_job(job))
            except SyndicateError as exc:
                # One job failing (a broken operator template, a store error) must not
                # keep the next ones from running; run_job has recorded it already.
                log.error("job %s failed: %s", job.name, exc)
                results.append(StepResult(
                    job.name, (ItemResult(job.name, Outcome.FAILED, str(exc)),), (("job_failed", 1),)
                ))
        if any(r.step.startswith("digest:") and r.counter("issues") for r in results):
            # Newsletter archive feeds list the issues just made: bring them up to date
            # now rather than one run later (incremental, so only those feeds change).
            for job in self.jobs_in_order():
                if job.run == "feeds" and not self.not_running_because(job):
                    results.extend(self.run_job(job))
                    break
        return results

    def not_running_because(self, job: Job) -> str:
        """Why ``job`` does not run today ("" when it does): paused, or outside from/until."""
        if job.paused:
            return "paused"
        today = self.clock().astimezone(ZoneInfo(job.timezone or self.config.timezone)).date()
        if job.window_from is not None and today < job.window_from:
            return f"its season starts on {job.window_from.isoformat()}"
        if job.until is not None and today > job.until:
            return f"its season ended on {job.until.isoformat()}"
        return ""


def summarise(results: Sequence[StepResult]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        step = {o.value: result.count(o) for o in Outcome if result.count(o)}
        # A step that also reports a figure named like an outcome (collect's "new",
        # digest's "sent") counts the same things once: its own figure wins.
        step.update(dict(result.counters))
        for name, value in step.items():
            counts[name] = counts.get(name, 0) + value
    return counts
