"""Jinja2 templates written in schedules.yaml (a digest's subject and preheader).

Compiled once and kept; ``check_template`` lets ``config`` refuse a broken one at load,
and ``render`` renders the same compiled template later, without either importing the
other. Rendered without autoescape: the result is a header or a hidden text, and the
message builder encodes it.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2


@lru_cache(maxsize=64)
def compiled(source: str) -> jinja2.Template:
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)
    return env.from_string(source)


def check_template(source: str) -> str:
    """``source`` if Jinja2 can compile it, else ValueError (for config validation)."""
    try:
        compiled(source)
    except jinja2.TemplateSyntaxError as exc:
        raise ValueError(f"not a valid template: {exc.message} (line {exc.lineno})") from exc
    return source
