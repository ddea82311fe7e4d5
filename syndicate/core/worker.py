"""`syndicate worker`: send the queued deliveries of every newsletter, from any host.

A worker does not decide what to send: `syndicate digest NEWSLETTER --queue-only` (or
the scheduler's digest job) drafts an issue and queues one delivery row per
subscriber. Workers, on as many hosts as wanted, then take those rows in claimed
batches (``store.digests.claim_batch``: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a
conditional update on SQLite, each with an owner and a lease), hand them to the
transport and settle each batch in one commit. Two workers never hold the same row.

A worker killed mid-batch (kill -9, power) leaves that batch ``sending`` under its
lease: on the same host the next pass frees it at once (its pid is gone), elsewhere
when the lease runs out (``core.claims.LEASE``). Only that batch is in doubt; it is
sent again with the same Message-ID.
"""

from __future__ import annotations

import logging
import threading

from ..clock import Clock
from ..config import Config
from ..progress import NO_PROGRESS, Progress
from ..store import Store
from ..types import ItemResult, StepResult
from .digest import send_queued

log = logging.getLogger("syndicate.worker")

IDLE_S = 5.0  # between passes that found nothing to send (without --once)


def run_worker(
    config: Config, store: Store, *, clock: Clock, once: bool,
    stop: threading.Event | None = None, progress: Progress = NO_PROGRESS,
    idle_s: float = IDLE_S,
) -> list[StepResult]:
    """Pass over every newsletter until a pass claims nothing (``once``) or ``stop`` is set.

    Returns one result per newsletter that had anything to send, summed over passes.
    """
    stop = stop or threading.Event()
    totals: dict[str, tuple[list[ItemResult], dict[str, int]]] = {}
    while not stop.is_set():
        claimed = 0
        for newsletter in config.newsletters:
            if stop.is_set():
                break
            result, taken = send_queued(config, store, newsletter.id, clock=clock,
                                        progress=progress, stop=stop)
            claimed += taken
            if result.items or result.counters:
                items, counters = totals.setdefault(result.step, ([], {}))
                items.extend(result.items)
                for name, value in result.counters:
                    counters[name] = counters.get(name, 0) + value
        if claimed:
            log.info("worker pass: %d deliveries claimed", claimed,
                     extra={"event": "worker_pass", "claimed": claimed})
            continue  # more may have been queued, or freed by a dead worker meanwhile
        if once:
            break
        stop.wait(idle_s)
    return [StepResult(step, tuple(items), tuple(sorted(counters.items())))
            for step, (items, counters) in totals.items()]
