"""The preference page offers the authors a newsletter covers, however it names them.

Found by the issue-13 acceptance audit: the page compared the newsletter's
``authors:`` *references* (``sharq:moza-almarri``, a person id ``moza``) with stored
author *slugs* (``sharq.moza-almarri``), so a newsletter restricted to chosen authors
offered no author at all to follow, while its digests (which resolve the references)
carried their columns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.core.collect import run_collect
from syndicate.core.preferences import preference_view
from syndicate.store import Store
from syndicate.types import Subscriber

from .collect_helpers import serve
from .desk_sites import desk_config, write_desk
from .test_collect_authors import LINKED

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("authors", "expected"), [
    ('["sharq:moza-almarri"]', {"sharq.moza-almarri"}),
    ("[moza]", {"sharq.moza-almarri", "raya.moza-almarri"}),
])
def test_authors_named_by_reference_or_person_are_offered(
        tmp_path: Path, authors: str, expected: set[str]) -> None:
    with serve(write_desk(tmp_path / "desk")) as site:
        path = tmp_path / "schedules.yaml"
        path.write_text(desk_config(site.base, extra=LINKED + f"    authors: {authors}\n"),
                        encoding="utf-8")
        config = load(str(path))
        store = Store.open(config.store_url)
        run_collect(config, store, clock=fixed_clock(NOW))
    subscriber, _ = store.subscribers.add(Subscriber("r@example.org", "daily"), NOW)
    view = preference_view(config, store, subscriber, NOW)
    assert {a.slug for a in view.authors} == expected
    store.close()
