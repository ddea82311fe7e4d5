"""The web pages' templates (preferences, issues): render's filters wired to
``templates/web/`` (an operator's ``templates_dir/web/`` first), autoescaped.

In core because the pages use render's helpers (``bdi``, ``safe_url``) and entry
points do not reach a stage directly (ARCHITECTURE.md).
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from markupsafe import Markup

from ..config import Config
from ..render.bidi import bdi_html
from ..render.digest import safe_url, templates_dirs


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


def render_page(config: Config, template: str, **context: object) -> str:
    env = _environment(tuple(str(d) for d in templates_dirs(config)))
    return env.get_template(template).render(site_title=config.site.title, **context)
