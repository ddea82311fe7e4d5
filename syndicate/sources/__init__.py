"""Collecting columns from newspaper sites: one module per source kind, one HTTP module.

A kind module declares its config model and its collector and registers both with
``kinds.source_kind``; importing this package registers every built-in kind (the
core imports it before any configuration is read). ``collect_source`` runs the
collector of a source's kind and yields ``Found`` records; it never touches the
store (``syndicate.core.collect`` does).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Sequence

from ..config.sources import SourceSettings
from .base import Found, SourceBase
from .http import Fetcher
from .kinds import collector_for, source_kind

__all__ = ["Found", "SourceBase", "collect_source", "source_kind"]


def collect_source(
    source: SourceSettings, fetcher: Fetcher, *, locations: Sequence[str]
) -> Iterator[Found]:
    """``locations`` are the source's addresses (``source.addresses()``), made absolute."""
    return collector_for(source)(source, fetcher, locations)


# Every module of this package is imported, so that a new kind is one new module and
# nothing else: the ones that call ``source_kind`` register themselves. The order is the
# order of "one of …" in configuration errors: html, the commonest kind, first.
for _name in sorted((m.name for m in pkgutil.iter_modules(__path__)),
                    key=lambda name: (name != "html", name)):
    importlib.import_module(f"{__name__}.{_name}")
