"""A source is collected by one process at a time, whichever host it runs on.

The sample site through the real collector, on SQLite and on PostgreSQL: while another
process (here: a claim in the store under another host's name) holds a source, collect
skips it and says who holds it; once released, or once its lease ran out, it is collected.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.core import Syndicate
from syndicate.types import Outcome

from .test_pipeline_e2e import NOW, SITE, sample_config


def test_a_source_held_elsewhere_is_skipped_until_released(tmp_path: Path, store_url: str) -> None:
    config = load(sample_config(tmp_path, str(SITE / "opinion" / "index.html"),
                                private_ok=False, store=store_url))
    source = config.sources[0].name
    with Syndicate(config, clock=fixed_clock(NOW)) as syndicate:
        jobs = syndicate.store.jobs
        wall = datetime.now(UTC)
        assert jobs.claim_source(source, owner="other-host:4242:ab", now=wall,
                                 lease_until=wall + timedelta(minutes=15)) is None
        [held] = syndicate.collect()
        assert held.count(Outcome.NEW) == 0
        assert [(i.outcome, i.reason) for i in held.items] == [
            (Outcome.SKIPPED, "being collected by other-host:4242:ab right now")]
        assert syndicate.store.columns.count() == 0

        jobs.release_source(source, owner="other-host:4242:ab")
        [collected] = syndicate.collect()
        assert collected.count(Outcome.NEW) >= 12
        # Released after the run: the next collector (any process) takes it at once.
        assert jobs.claim_source(source, owner="next:1:cd", now=wall,
                                 lease_until=wall + timedelta(minutes=1)) is None
