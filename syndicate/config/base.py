"""Shared building blocks of the configuration models."""

from __future__ import annotations

import os
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator


class Model(BaseModel):
    """Every config section: frozen, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r} (use an IANA name such as Asia/Qatar)") from exc
    return name


TimeZoneName = Annotated[str, AfterValidator(_timezone)]


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
            raise ValueError(
                "secrets are not written in schedules.yaml: use {env: VARIABLE_NAME}"
            )
        return data
