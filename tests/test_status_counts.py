"""The counts a job run records (shown by `syndicate status` and /status) equal what the step reported."""

from __future__ import annotations

from syndicate.core import summarise
from syndicate.types import ItemResult, Outcome, StepResult


def test_a_figure_named_like_an_outcome_is_not_counted_twice() -> None:
    # collect reports its items *and* the figures new/skipped (the CLI prints both);
    # the job run must say new=2, skipped=1 — not 4 and 2.
    collect = StepResult(
        "collect:alwaha",
        (ItemResult("a", Outcome.NEW), ItemResult("b", Outcome.NEW),
         ItemResult("c", Outcome.SKIPPED, "truncated HTML")),
        (("pages_fetched", 4), ("new", 2), ("skipped", 1)),
    )
    other = StepResult("collect:other", (ItemResult("d", Outcome.NEW),), (("pages_fetched", 1),))
    assert summarise([collect, other]) == {"new": 3, "skipped": 1, "pages_fetched": 5}


def test_outcomes_without_a_figure_are_still_counted() -> None:
    feeds = StepResult("feeds", (ItemResult("columns.rss", Outcome.NEW),), (("feeds_rendered", 1),))
    assert summarise([feeds]) == {"new": 1, "feeds_rendered": 1}
