"""The web pages as Jinja2 templates (``templates/web/``): autoescaped, one base layout.

Every page extends ``base.html.j2`` (Arabic, right to left, one set of fonts and
colours); Python hands the templates plain values and never writes HTML itself, so
nothing a reader typed or a collected page said reaches a page unescaped.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
from starlette.responses import HTMLResponse

from ..bundled import bundled_templates_dir

# Pages readers see are never cached, sent elsewhere or framed (tokens are in their URLs).
READER_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                  "X-Frame-Options": "DENY"}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(bundled_templates_dir() / "web"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, **values: Any) -> str:
    return environment().get_template(name).render(**values)


def reader_page(name: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """A reader's page (subscribe, confirm, unsubscribe): ``templates/web/<name>``."""
    return HTMLResponse(render(name, **values), status_code=status, headers=READER_HEADERS)
