"""Checks that need the whole validated config: names that refer to each other."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from .model import Config

Loc = tuple[str | int, ...]


def _hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known) or 'none'})"


def _duplicates(names: list[str]) -> Iterator[int]:
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            yield index
        seen.add(name)


def cross_reference_problems(config: Config) -> Iterator[tuple[Loc, str]]:
    source_names = [s.name for s in config.sources]
    newsletter_ids = [n.id for n in config.newsletters]
    job_names = [j.name for j in config.jobs]
    for index in _duplicates(source_names):
        yield ("sources", index, "name"), f"source name {source_names[index]!r} is used twice"
    for index in _duplicates(newsletter_ids):
        yield ("newsletters", index, "id"), f"newsletter id {newsletter_ids[index]!r} is used twice"
    for index in _duplicates(job_names):
        yield ("jobs", index, "name"), f"job name {job_names[index]!r} is used twice"
    for n_index, newsletter in enumerate(config.newsletters):
        for s_index, name in enumerate(newsletter.sources):
            if name not in source_names:
                yield (
                    ("newsletters", n_index, "sources", s_index),
                    f"unknown source {name!r}{_hint(name, source_names)}",
                )
    if config.delivery.transport == "smtp" and config.delivery.smtp is None:
        yield ("delivery", "transport"), "transport is smtp but there is no delivery.smtp section"
    for j_index, job in enumerate(config.jobs):
        if job.cron is None and job.every is None:
            yield ("jobs", j_index, "name"), f"job {job.name!r} needs either cron or every"
        if job.cron is not None and job.every is not None:
            yield ("jobs", j_index, "every"), f"job {job.name!r} has both cron and every: pick one"
        if job.run == "digest":
            if job.newsletter is None:
                yield ("jobs", j_index, "run"), f"digest job {job.name!r} needs a newsletter"
            elif job.newsletter not in newsletter_ids:
                yield (
                    ("jobs", j_index, "newsletter"),
                    f"unknown newsletter {job.newsletter!r}{_hint(job.newsletter, newsletter_ids)}",
                )
        for s_index, name in enumerate(job.sources):
            if name not in source_names:
                yield (
                    ("jobs", j_index, "sources", s_index),
                    f"unknown source {name!r}{_hint(name, source_names)}",
                )
