"""Where the templates shipped with syndicate live (no template engine imported here).

On a low floor of its own (ARCHITECTURE.md) so that ``config`` can tell an operator at
load that a newsletter's ``template`` does not exist, and ``render`` can read the same
folder, without either importing the other (nor MJML and premailer for a check).
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

from .errors import RenderError

DEFAULT_TEMPLATE = "digest.mjml.j2"


def bundled_templates_dir() -> Path:
    """The templates shipped with syndicate.

    One copy, the top-level ``templates/`` folder: found next to the package in a
    checkout or an editable install, else where ``[tool.setuptools.data-files]``
    installs it (``<prefix>/share/syndicate/templates``).
    """
    candidates = [
        Path(__file__).resolve().parents[1] / "templates",
        Path(sysconfig.get_path("data")) / "share" / "syndicate" / "templates",
        Path(sys.prefix) / "share" / "syndicate" / "templates",
    ]
    for candidate in candidates:
        if (candidate / DEFAULT_TEMPLATE).is_file():
            return candidate
    raise RenderError(DEFAULT_TEMPLATE, f"bundled templates not found in {candidates[0]}")
