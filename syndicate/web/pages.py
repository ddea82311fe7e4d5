"""Pages as HTTP responses: the readers' headers, and the subscriber pages' templates.

Reader pages (subscribe, confirm, unsubscribe, notices) come from the one environment of
``syndicate.page_templates``; the preference centre and the web issues come from their
own environment below, which also searches the operator's ``templates_dir/web`` and has
render's ``bdi`` and ``safe_url`` filters (through ``core.pages``).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.responses import HTMLResponse

from ..config import Config
from ..core import pages
from ..page_templates import render_page as render_template
from ..page_templates import render_searched

# Pages readers see are never cached, sent elsewhere or framed (tokens are in their URLs).
READER_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                  "X-Frame-Options": "DENY"}


def reader_page(name: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """A reader's page (subscribe, confirm, unsubscribe): ``templates/web/<name>``."""
    return HTMLResponse(render_template(name, **values), status_code=status,
                        headers=READER_HEADERS)


def _bdi(value: object) -> Markup:
    return Markup(pages.bdi_html(str(value)))


# Module-level functions, so the searched environment's cache key stays the same.
_FILTERS = {"bdi": _bdi, "safe_url": pages.safe_url}


def render_page(config: Config, template: str, *, status: int = 200,
                headers: dict[str, str] | None = None, **context: object) -> HTMLResponse:
    """A page of the preference centre or the web issues (their own ``_layout.html.j2``):
    render's ``bdi`` and ``safe_url`` filters, the operator's ``templates_dir/web`` first."""
    dirs = tuple(str(d) for d in pages.template_dirs(config))
    body = render_searched(dirs, template, _FILTERS, site_title=config.site.title, **context)
    return HTMLResponse(body, status_code=status, headers=headers)
