"""Source kinds, registered once: a kind is one module declaring its model and its collector.

reader mounts a retriever or a parser in one call; here a kind module does the same::

    class RssSource(SourceBase):
        kind: Literal["rss"]
        url: Location

        def addresses(self): return [(("url",), self.url)]

    @source_kind(RssSource)
    def collect_rss(source: RssSource, fetcher: Fetcher, locations: Sequence[str]) -> ...

and nothing else changes: ``sources:`` entries with ``kind: rss`` validate with the model
(``syndicate.config.sources`` keeps the registered models), and the core collects them
with the collector. The built-in kinds are the modules of this package that call
``source_kind``; importing ``syndicate.sources`` registers them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from ..config.sources import SourceSettings, kind_name, register_source_model
from .base import Found
from .http import Fetcher

S = TypeVar("S", bound=SourceSettings)
Collector = Callable[[S, Fetcher, Sequence[str]], Iterator[Found]]

_COLLECTORS: dict[str, Collector[Any]] = {}


def source_kind(model: type[S]) -> Callable[[Collector[S]], Collector[S]]:
    """Register ``model`` for ``kind: <its name>`` and the decorated function as its
    collector: ``collect(source, fetcher, locations)``, ``locations`` being the
    source's addresses made absolute, in the order ``addresses()`` gives them."""

    def register(collect: Collector[S]) -> Collector[S]:
        register_source_model(model)
        _COLLECTORS[kind_name(model)] = collect
        return collect

    return register


def collector_for(source: SourceSettings) -> Collector[Any]:
    try:
        return _COLLECTORS[source.kind]
    except KeyError:
        raise LookupError(f"source kind {source.kind!r} has no collector registered") from None
