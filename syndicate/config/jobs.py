"""`jobs:` — what runs when.

The schedule keys are parsed here (by ``syndicate.triggers``, which is pure) so a bad
cron or duration is reported at its own line; whether the keys fit together (cron xor
every, days meeting the cron, the window's order) is checked in ``checks.py``, where
it is reported even when other parts of the file are broken too.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from ..triggers import TriggerSpec, build_spec, parse_cron, parse_days, parse_duration
from .base import Model, TimeZoneName

JobKind = Literal["collect", "feeds", "digest", "unsubscribes"]


def _text(value: Any, example: str) -> Any:
    # YAML reads `every: 15` as a number; say what is missing instead of "not a string".
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"{value!r} has no unit: write e.g. {example}")  # noqa: TRY004 (pydantic)
    return value


class Job(Model):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    run: JobKind
    cron: str | None = None  # 5-field cron, crontab numbering (0 and 7 = Sunday)
    every: str | None = None  # "15m", "2h", "1d", "1h30m"
    timezone: TimeZoneName | None = None  # default: the top-level timezone
    days: str | None = None  # e.g. "sun-thu" (Gulf working week), "fri,sat"
    jitter: str | None = None  # e.g. "30s": random delay added to each run
    paused: bool = False
    window_from: date | None = Field(default=None, alias="from")  # seasonal: first day
    until: date | None = None  # seasonal: last day (inclusive)
    misfire_grace: str = "1h"  # a run missed by less than this (machine asleep) still runs, once
    sources: list[str] = Field(default_factory=list)  # collect: empty = all
    newsletter: str | None = None  # digest: which newsletter

    @field_validator("cron", mode="before")
    @classmethod
    def _cron(cls, value: Any) -> Any:
        if isinstance(value, str):
            parse_cron(value)
        return value

    @field_validator("every", "jitter", "misfire_grace", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        value = _text(value, "'15m', '2h' or '30s'")
        if isinstance(value, str):
            parse_duration(value)
        return value

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value: Any) -> Any:
        if isinstance(value, str):
            parse_days(value)
        return value

    def spec(self, default_timezone: str) -> TriggerSpec:
        """The resolved trigger (valid configs only: checks.py has vetted the combination)."""
        return build_spec(
            timezone=self.timezone or default_timezone,
            cron=self.cron,
            every=self.every,
            days=self.days,
            jitter=self.jitter,
            start=self.window_from,
            end=self.until,
        )

    def misfire_grace_seconds(self) -> int:
        return int(parse_duration(self.misfire_grace).total_seconds())
