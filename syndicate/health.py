"""The status report with the schedule's next runs, for `syndicate status` and /status.

``core.status`` gathers the report from the store and the files; the next run times
are APScheduler's arithmetic, which stays in scheduler.py (a floor above core), so the
two meet here, on the entry points' floor.
"""

from __future__ import annotations

from datetime import datetime

from .config import Config
from .core import Store
from .core.status import StatusReport
from .core.status import gather as gather_report


def gather(config: Config, store: Store, now: datetime, *, runs: int = 30) -> StatusReport:
    # Imported here: every CLI command module (and the web app) imports this one, and
    # APScheduler should load only when a report is actually gathered.
    from .scheduler_triggers import next_run_times

    return gather_report(config, store, now, next_runs=next_run_times, runs=runs)
