"""Jinja2 for the pages this installation serves (preferences, issues): autoescaped.

Templates live in ``templates/web/`` (an operator's ``templates_dir/web/`` first),
each extending ``_layout.html.j2``: Arabic, right to left, the newspaper's colours.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from markupsafe import Markup
from starlette.responses import HTMLResponse

from ..config import Config
from ..render.bidi import bdi_html
from ..render.digest import safe_url, templates_dirs

# Pages with a personal token: never cached, never referred, never framed.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                   "X-Frame-Options": "DENY"}


@lru_cache(maxsize=8)
def _environment(dirs: tuple[str, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([f"{d}/web" for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=True,
    )
    env.filters["bdi"] = lambda value: Markup(bdi_html(str(value)))
    env.filters["safe_url"] = safe_url
    return env


def render_page(config: Config, template: str, *, status: int = 200,
                headers: dict[str, str] | None = None, **context: object) -> HTMLResponse:
    env = _environment(tuple(str(d) for d in templates_dirs(config)))
    body = env.get_template(template).render(site_title=config.site.title, **context)
    return HTMLResponse(body, status_code=status, headers=headers)
