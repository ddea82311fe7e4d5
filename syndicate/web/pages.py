"""HTML responses for the pages rendered from ``templates/web/`` (core.pages)."""

from __future__ import annotations

from starlette.responses import HTMLResponse

from ..config import Config
from ..core import pages

# Pages with a personal token: never cached, never referred, never framed.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                   "X-Frame-Options": "DENY"}


def render_page(config: Config, template: str, *, status: int = 200,
                headers: dict[str, str] | None = None, **context: object) -> HTMLResponse:
    return HTMLResponse(pages.render_page(config, template, **context), status_code=status,
                        headers=headers)
