"""What the preference and issue pages' templates need from render: the ``bdi``
filter (Latin-script runs isolated, as in the e-mails), ``safe_url`` and where the
templates live (an operator's ``templates_dir`` first). Entry points reach render
only through core (ARCHITECTURE.md); the Jinja2 environment is ``web/pages.py``'s.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..render.bidi import bdi_html
from ..render.digest import templates_dirs
from ..render.digest_segment import safe_url


def template_dirs(config: Config) -> tuple[Path, ...]:
    """Folders holding ``web/`` templates: the operator's first, then the bundled."""
    return templates_dirs(config)


__all__ = ["bdi_html", "safe_url", "template_dirs"]
