"""The one source of "now": injected everywhere so tests pin time instead of sleeping.

An operator pins it too, for a whole command: ``syndicate --now 2025-09-25T12:00+03:00
collect`` (or ``SYNDICATE_NOW=…`` in the environment) replays or backfills as of that
instant: every "future date", window and cut-off uses it. ``utc_now`` is the clock
every command defaults to, so pinning it once (``pinned``) reaches all of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from .errors import SyndicateError

Clock = Callable[[], datetime]
NOW_VARIABLE = "SYNDICATE_NOW"

_pinned: datetime | None = None


def utc_now() -> datetime:
    return _pinned if _pinned is not None else datetime.now(UTC)


def fixed_clock(instant: datetime) -> Clock:
    """A clock stopped at ``instant`` (aware), for tests and reproducible runs."""
    if instant.tzinfo is None:
        raise ValueError("fixed_clock needs an aware datetime")
    return lambda: instant


class BadNowError(SyndicateError):
    def __init__(self, value: str, where: str) -> None:
        super().__init__(f"{where}: {value!r} is not an ISO 8601 date and time "
                         "(e.g. 2025-09-25T12:00:00+03:00; without an offset it is UTC)")


def parse_now(value: str, where: str = "--now") -> datetime:
    try:
        instant = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadNowError(value, where) from None
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


@contextmanager
def pinned(value: str | None) -> Iterator[datetime | None]:
    """``utc_now`` stopped at ``value`` (``--now``), else at ``$SYNDICATE_NOW``, for
    the block; the real clock when neither is given."""
    global _pinned
    where = "--now"
    if not value:
        value, where = os.environ.get(NOW_VARIABLE) or None, NOW_VARIABLE
    previous = _pinned
    _pinned = parse_now(value, where) if value else previous
    try:
        yield _pinned
    finally:
        _pinned = previous
