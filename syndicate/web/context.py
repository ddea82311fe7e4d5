"""What every web route needs, built once per server."""

from __future__ import annotations

from dataclasses import dataclass

from ..clock import Clock
from ..config import Config
from ..core import Store


@dataclass(frozen=True)
class WebContext:
    config: Config
    store: Store
    clock: Clock
