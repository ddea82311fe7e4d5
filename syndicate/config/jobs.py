"""`jobs:` — what runs when."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import Model, TimeZoneName

JobKind = Literal["collect", "feeds", "digest"]


class Job(Model):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    run: JobKind
    cron: str | None = None  # 5-field cron
    every: str | None = None  # "15m", "2h", "1d"
    timezone: TimeZoneName | None = None  # default: the top-level timezone
    days: str | None = None  # e.g. "sun-thu" (Gulf working week)
    jitter: str | None = None  # e.g. "30s"
    paused: bool = False
    sources: list[str] = Field(default_factory=list)  # collect: empty = all
    newsletter: str | None = None  # digest: which newsletter
