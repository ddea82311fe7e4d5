"""The web pages as Jinja2 templates (``templates/web/``): autoescaped, one base layout.

Every page extends ``base.html.j2`` (Arabic, right to left, one set of fonts and
colours); Python hands the templates plain values and never writes HTML itself, so
nothing a reader typed or a collected page said reaches a page unescaped.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from starlette.responses import HTMLResponse

from ..bundled import bundled_templates_dir
from ..text.digits import to_digits
from ..triggers import format_run_time

# Pages readers see are never cached, sent elsewhere or framed (tokens are in their URLs).
READER_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                  "X-Frame-Options": "DENY"}


def arabic_figure(value: object) -> str:
    """``n``: a figure in Arabic-Indic digits with the Arabic decimal separator (٣٫٥)."""
    return to_digits(str(value), "arab").replace(".", "\u066b")


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
    env.filters["n"] = arabic_figure
    env.filters["run_time"] = run_time
    return env


def render(name: str, **values: Any) -> str:
    return environment().get_template(name).render(**values)


def reader_page(name: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """A reader's page (subscribe, confirm, unsubscribe): ``templates/web/<name>``."""
    return HTMLResponse(render(name, **values), status_code=status, headers=READER_HEADERS)
