"""When a column is *shown*, which date it carries: the one rule for future dates.

A site's clock or timezone error, or a scheduled post published early, gives us a
column dated hours or days ahead of when we read it. Collection keeps it with the
date the page states and sets ``Column.future_dated`` (an operator's flag, counted
and logged by the collect step); this module decides how every *reader* sees it.

The rule: a column is shown with its stated date once that date has arrived; before
then, with the instant we first collected it (``collected_at``), never later than the
stated date. Feeds (item published/updated, document order, the change digests of
``core.feed_plan``) and digests (date text, order of the "new" section) all call
``display_published`` and nothing else, with ``now`` from the injected clock (a
digest uses its issue's creation instant, so a resumed send renders the same text).

Why this rule:

* Feed readers and mail clients sort by date: a column dated tomorrow would sit at
  the top of every reader for days, and a digest printing tomorrow's date looks
  broken. ``collected_at`` is the truthful "first seen" instant, always in the past.
* It is stable: between the first collection and the stated date the shown date does
  not move with the clock, so an unchanged feed rebuild writes nothing. When the
  stated date passes the shown date changes exactly once (to the stated date, which
  is what the newspaper meant) — a legitimate, one-time rewrite of the feeds listing it.
* It depends on the clock, not on the flag: the flag is set against the fetch time
  with a tolerance (``normalise.FUTURE_TOLERANCE``), but what matters to a reader is
  the moment of display, so even a column a few minutes ahead (unflagged) is never
  shown ahead of the clock. The stored date stays as published; nothing is rewritten
  in the store, except when the page later states another date: that correction
  replaces a flagged date (``store.columns``), and only a flagged one.
* A column never stored (``collected_at`` unknown: a preview of a draft) is shown at
  ``now`` until its date arrives; no stored column takes that branch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol, TypeVar


class Dated(Protocol):
    """What the rule reads: ``Column`` and ``ColumnStamp`` both qualify."""

    @property
    def published(self) -> datetime: ...

    @property
    def collected_at(self) -> datetime | None: ...


D = TypeVar("D", bound=Dated)


def is_ahead(column: Dated, now: datetime) -> bool:
    """The stated date has not arrived yet at ``now``: the column is shown clamped."""
    return column.published > now


def display_published(column: Dated, now: datetime) -> datetime:
    """The publication date readers see at ``now`` (UTC): the stated date once it has
    arrived, else the first collection instant (never later than the stated date)."""
    if column.published <= now:
        return column.published
    first_seen = column.collected_at if column.collected_at is not None else now
    return min(column.published, first_seen)


def newest_first(columns: Iterable[D], now: datetime) -> list[D]:
    """``columns`` ordered by the date readers see, newest first.

    The sort is stable, so columns whose shown date equals their stated date keep the
    order they came in (the store's ``published DESC, id DESC``); only the columns
    shown clamped move, down to where their first collection puts them.
    """
    listed = list(columns)
    if not any(is_ahead(column, now) for column in listed):
        return listed  # the common case: the store's order already is the shown order
    return sorted(listed, key=lambda column: display_published(column, now), reverse=True)
