"""Is this operator-written Jinja2 text valid? (config checks ``subject:`` and
``preheader:`` at load with it; rendering them is render's job)."""

from __future__ import annotations

import jinja2


def check_template(source: str) -> str:
    """``source`` if Jinja2 can compile it, else ValueError naming the problem."""
    try:
        jinja2.Environment(autoescape=False).parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise ValueError(f"not a valid template: {exc.message} (line {exc.lineno})") from exc
    return source
