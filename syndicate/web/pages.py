"""Web pages as HTTP responses; the templates themselves are ``syndicate.page_templates``."""

from __future__ import annotations

from typing import Any

from starlette.responses import HTMLResponse

from ..page_templates import render_page

# Pages readers see are never cached, sent elsewhere or framed (tokens are in their URLs).
READER_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                  "X-Frame-Options": "DENY"}

def reader_page(name: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """A reader's page (subscribe, confirm, unsubscribe): ``templates/web/<name>``."""
    return HTMLResponse(render_page(name, **values), status_code=status, headers=READER_HEADERS)
