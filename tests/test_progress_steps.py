"""The steps report progress through the Progress seam: real collections of loopback sites,
a real digest into a Maildir, a real feeds build, each heard by a recording Progress."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import Config, load
from syndicate.core import Syndicate
from syndicate.core.collect import run_collect
from syndicate.core.digest import run_digest
from syndicate.core.feeds import run_feeds
from syndicate.store import Store
from syndicate.types import Outcome, StepResult, Subscriber

from .collect_helpers import SITES, Site, serve
from .delivery_helpers import NOW as DIGEST_NOW
from .delivery_helpers import seed_columns, write_config
from .progress_helpers import Recorder, Task
from .test_collect_sites import GULF_FIELDS, UA

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[str, Site]]:
    with serve(SITES / "gulf") as gulf, serve(SITES / "levant") as levant, \
            serve(SITES / "wp") as wp:
        yield {"gulf": gulf, "levant": levant, "wp": wp}


def _config(tmp_path: Path, sites: dict[str, Site]) -> Config:
    g, lv, w = sites["gulf"], sites["levant"], sites["wp"]
    path = tmp_path / "schedules.yaml"
    path.write_text(f"""
store: syndicate.db
http:
  user_agent: "{UA}"
  timeout_s: 2
  retries: 1
  min_delay_s: 0
  allow_private_addresses: true
sources:
  - name: gulf
    kind: html
    start_urls: ["{g.url('/opinion/clean.html')}"]
    links: a.col
    next_page: a.next
    max_pages: 3
{GULF_FIELDS}
  - name: levant
    kind: feed
    url: "{lv.url('/feed.xml')}"
    timezone: Asia/Beirut
    default_author: أسرة التحرير
    fields:
      published: .date
      views: .views
      author_credentials: .bio
  - name: wp
    kind: wordpress
    url: "{w.base}"
    per_page: 2
    max_pages: 3
    fields:
      views: .post-views
""", encoding="utf-8")
    return load(str(path))


def _pages_answered(result: StepResult) -> int:
    """Pages that came back (200 or 304, or kept without asking)."""
    return (result.counter("pages_fetched") + result.counter("not_modified")
            + result.counter("not_revalidated"))


def _check_counts(task: Task, result: StepResult) -> None:
    # Every page that came back was counted, and so was every page that did not
    # (refused, failed): each of those leaves an item with its reason.
    assert _pages_answered(result) <= task.done <= _pages_answered(result) + len(result.items)
    assert task.done > 1, result


def _check_task(task: Task) -> None:
    assert task.totals[0] is None  # started before anything is known
    assert task.finished == 1
    assert task.total == task.done  # every page planned was reported done
    # Planned before done, always: a bar never runs past its total.
    assert all(total is not None and done <= total for done, total in task.seen)
    known = [t for t in task.totals if t is not None]
    assert known == sorted(known)  # the total only grows as pages are discovered


def test_collection_reports_each_source_pages_done_over_pages_to_fetch(
        tmp_path: Path, sites: dict[str, Site]) -> None:
    config = _config(tmp_path, sites)
    store = Store.open(config.store_url)
    try:
        recorder = Recorder()
        served = {name: len(site.served) for name, site in sites.items()}
        results = run_collect(config, store, clock=fixed_clock(NOW), progress=recorder)
        assert set(recorder.tasks) == {"collect:gulf", "collect:levant", "collect:wp"}
        for result in results:
            task = recorder.tasks[result.step]
            _check_task(task)
            methods = recorder.methods(result.step)
            assert methods[0] == "start" and methods[-1] == "finish"
            _check_counts(task, result)
        # One source after the other: each one finished before the next started.
        order = [name for method, name in recorder.calls if method in ("start", "finish")]
        firsts = [order.index(f"collect:{n}") for n in ("gulf", "levant", "wp")]
        lasts = [len(order) - 1 - order[::-1].index(f"collect:{n}")
                 for n in ("gulf", "levant", "wp")]
        assert firsts[1] > lasts[0] and firsts[2] > lasts[1]
        # The clean gulf listing: every page answered, each one a request its server saw
        # (robots.txt is not a page).
        gulf = recorder.tasks["collect:gulf"]
        requests = [p for p, _status in sites["gulf"].served[served["gulf"]:]
                    if not p.endswith("robots.txt")]
        assert gulf.done == len(requests) == by_step(results)["gulf"].counter("pages_fetched")

        # Again: all 304s, and still every page counted, over the same totals.
        again = Recorder()
        second = run_collect(config, store, clock=fixed_clock(NOW), progress=again)
        for result in second:
            assert result.counter("pages_fetched") == 0
            _check_task(again.tasks[result.step])
            _check_counts(again.tasks[result.step], result)
        assert again.tasks["collect:gulf"].done == by_step(second)["gulf"].counter("not_modified")
    finally:
        store.close()


def test_an_unreachable_source_still_starts_and_finishes(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text("""
store: syndicate.db
http: {timeout_s: 0.3, retries: 0, min_delay_s: 0, allow_private_addresses: true}
sources:
  - name: gone
    kind: feed
    url: "http://127.0.0.1:9/feed.xml"
""", encoding="utf-8")
    config = load(str(path))
    recorder = Recorder()
    with Syndicate(config, clock=fixed_clock(NOW), progress=recorder) as syndicate:
        [result] = syndicate.collect()
    assert len(result.items) == 1 and result.counter("pages_fetched") == 0  # nothing came back
    task = recorder.tasks["collect:gone"]
    assert task.finished == 1 and task.done == task.total == 1


def by_step(results: list[StepResult]) -> dict[str, StepResult]:
    return {r.step.removeprefix("collect:"): r for r in results}


def _subscribe(store: Store, *emails: str) -> None:
    for email in emails:
        store.subscribers.add(Subscriber(email, "daily"), DIGEST_NOW)


def test_a_digest_reports_messages_settled_over_messages_queued(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    try:
        seed_columns(store)
        _subscribe(store, "a@example.org", "b@example.org", "c@example.org")
        recorder = Recorder()
        result = run_digest(config, store, "daily", clock=fixed_clock(DIGEST_NOW),
                            progress=recorder)
        assert result.count(Outcome.SENT) == 3
        task = recorder.tasks["digest:daily"]
        assert task.totals == [3] and task.done == 3 and task.finished == 1
        assert all(total is not None and done <= total for done, total in task.seen)

        # Nothing new: no bar to fill, but the task is still closed.
        quiet = Recorder()
        run_digest(config, store, "daily", clock=fixed_clock(DIGEST_NOW), progress=quiet)
        assert quiet.methods("digest:daily") == ["finish"]
    finally:
        store.close()


def test_a_feeds_build_reports_documents_done_over_documents_planned(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    try:
        seed_columns(store)
        recorder = Recorder()
        result = run_feeds(config, store, clock=fixed_clock(DIGEST_NOW), progress=recorder)
        planned = result.counter("feeds_planned")
        task = recorder.tasks["feeds"]
        assert planned > 3
        assert task.totals == [None, planned] and task.done == planned and task.finished == 1

        # Nothing changed: every document is done at once, none rendered.
        again = Recorder()
        second = run_feeds(config, store, clock=fixed_clock(DIGEST_NOW), progress=again)
        assert second.counter("feeds_unchanged") == planned
        assert again.tasks["feeds"].seen == [(planned, planned)]
    finally:
        store.close()
