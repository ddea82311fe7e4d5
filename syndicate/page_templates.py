"""The HTML pages' Jinja2 templates (``templates/web/``): autoescaped, one base layout.

Every page extends ``base.html.j2`` (Arabic, right to left, one set of fonts and
colours): the pages ``syndicate serve`` answers (``web/``) and the feeds index written
beside the feeds (``render/feed_index.py``, served by nginx as well). Python hands the
templates plain values and never writes HTML itself, so nothing a reader typed or a
collected page said reaches a page unescaped. On the helpers' floor so that both
``web`` and ``render`` use this one environment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from .bundled import bundled_templates_dir
from .text.digits import Digits, to_digits
from .trigger_words import format_run_time


def figure(value: object, digits: Digits = "arab") -> str:
    """``n``: a figure in the given digits (default Arabic-Indic), with the Arabic decimal
    separator when they are Arabic (٣٫٥)."""
    text = to_digits(str(value), digits)
    return text.replace(".", "\u066b") if digits == "arab" else text


def run_time(value: datetime, zone: str | None = None) -> str:
    """``run_time``: a run's time in Arabic words, in ``zone`` when given."""
    return format_run_time(value.astimezone(ZoneInfo(zone)) if zone else value, "ar", zone=False)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(bundled_templates_dir() / "web"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["n"] = figure
    env.filters["run_time"] = run_time
    return env


def render_page(name: str, **values: Any) -> str:
    """``templates/web/<name>`` with ``values``."""
    return environment().get_template(name).render(**values)


@lru_cache(maxsize=8)
def _searched_environment(dirs: tuple[str, ...],
                          filters: tuple[tuple[str, Callable[..., Any]], ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([f"{d}/web" for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=True,
    )
    env.filters.update(dict(filters))
    return env


def render_searched(dirs: tuple[str, ...], name: str, filters: Mapping[str, Callable[..., Any]],
                    **values: Any) -> str:
    """``<dir>/web/<name>`` from the first of ``dirs`` that has it (an operator's
    ``templates_dir`` before the bundled one), with extra ``filters``."""
    env = _searched_environment(dirs, tuple(sorted(filters.items())))
    return env.get_template(name).render(**values)
