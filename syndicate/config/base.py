"""Shared building blocks of the configuration models."""

from __future__ import annotations

import difflib
import os
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator

from ..triggers import shown


class Model(BaseModel):
    """Every config section: frozen, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# IANA names zones after one city per zone; operators write their own city.
_GULF_CITIES = {
    "doha": "Asia/Qatar",
    "abu_dhabi": "Asia/Dubai",
    "sharjah": "Asia/Dubai",
    "manama": "Asia/Bahrain",
    "jeddah": "Asia/Riyadh",
    "mecca": "Asia/Riyadh",
    "makkah": "Asia/Riyadh",
    "kuwait_city": "Asia/Kuwait",
    "cairo": "Africa/Cairo",
}


_MAX_ZONE_NAME = 64  # the longest IANA name is 32 characters


def checked_timezone(name: str) -> str:
    """``name`` if it is an IANA zone; else ValueError with a hint (did you mean …?)."""
    if len(name) > _MAX_ZONE_NAME:
        raise ValueError(f"unknown timezone {shown(name)}: a name of {len(name):,} characters "
                         "(use an IANA name such as Asia/Qatar)")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: "name too long" and kin
        city = name.rsplit("/", 1)[-1].lower().replace(" ", "_")
        close = [_GULF_CITIES[city]] if city in _GULF_CITIES else difflib.get_close_matches(
            name, sorted(available_timezones()), n=1, cutoff=0.7
        )
        hint = f"did you mean {close[0]!r}?" if close else "use an IANA name such as Asia/Qatar"
        raise ValueError(f"unknown timezone {name!r} ({hint})") from exc
    return name


TimeZoneName = Annotated[str, AfterValidator(checked_timezone)]


class Secret(Model):
    """A secret is a reference to the environment, never a value in YAML."""

    env: str

    def value(self) -> str:
        return os.environ.get(self.env, "")

    def present(self) -> bool:
        return self.env in os.environ

    @model_validator(mode="before")
    @classmethod
    def _no_plain_values(cls, data: Any) -> Any:
        if isinstance(data, str):
            raise ValueError(  # noqa: TRY004 (pydantic reports ValueError only)
                "secrets are not written in schedules.yaml: use {env: VARIABLE_NAME}"
            )
        return data
