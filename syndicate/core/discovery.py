"""What ``syndicate sources discover`` and ``sources test`` ask of the core: a polite
fetcher from the file's ``http:`` settings, the discovery, the preview and the write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from ..config import Config
from ..config.append import append_source, block_text
from ..config.base import checked_timezone
from ..config.sources import SourceSettings, source_model
from ..discover import Discovery, DiscoveryError, discover
from ..discover.preview import Preview, preview
from ..errors import SyndicateError
from ..sources.http import Fetcher, build_client
from .collect import source_http, source_locations, source_ports, source_scope

__all__ = ["Discovered", "DiscoveryError", "Preview", "block_comment", "block_text",
           "discover_source", "test_source", "write_source"]


@dataclass(frozen=True)
class Discovered:
    discovery: Discovery
    preview: Preview
    requests: int  # pages fetched (robots.txt aside), to show the visit stayed small


def discover_source(config: Config, url: str, *, name: str | None, timezone: str | None,
                    now: datetime, limit: int = 5) -> Discovered:
    host = urlsplit(url).hostname
    if urlsplit(url).scheme not in ("http", "https") or not host:
        raise DiscoveryError(f"{url!r}: give the http(s) address of the opinion section")
    if timezone is not None:
        try:
            checked_timezone(timezone)  # before any request: the block could not be written
        except ValueError as exc:
            raise DiscoveryError(f"--timezone: {exc}") from exc
    model_name = name
    with build_client(config.http) as client:
        fetcher = Fetcher(client, config.http, hosts={host.lower()})
        found = discover(url, fetcher, name=model_name, timezone=timezone,
                         default_timezone=config.timezone, now=now)
        source = _model(found.block)
        shown = preview(source, fetcher, locations=_locations(found), timezone=found.timezone,
                        now=now, limit=limit)
        return Discovered(found, shown, fetcher.stats.pages_fetched)


def _locations(found: Discovery) -> list[str]:
    block = found.block
    return list(block["start_urls"]) if "start_urls" in block else [str(block["url"])]


def _model(block: dict[str, object]) -> SourceSettings:
    """The block validated by the model of its kind, as `sources:` entries are."""
    model = source_model(block["kind"])
    if model is None:
        raise DiscoveryError(f"no source kind {block['kind']!r} is registered")
    try:
        return model.model_validate(block)
    except ValueError as exc:  # pydantic's ValidationError: one line per problem, no traceback
        errors = getattr(exc, "errors", None)
        problems = ([f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors()]
                    if callable(errors) else [str(exc)])
        raise DiscoveryError("the discovered block is not a valid source: "
                             + "; ".join(problems)) from exc


def test_source(config: Config, name: str, *, now: datetime, limit: int) -> Preview:
    """A configured source's first ``limit`` columns, collected without storing them."""
    source = next((s for s in config.sources if s.name == name), None)
    if source is None:
        known = ", ".join(s.name for s in config.sources) or "none"
        raise SyndicateError(f"no source named {name!r} in the configuration (sources: {known})")
    locations = source_locations(config, source)
    hosts, roots = source_scope(locations, source)
    # As `collect` reads it: the source's own http settings and the ports it names.
    http = source_http(config, source)
    with build_client(http) as client:
        fetcher = Fetcher(client, http, hosts=hosts, ports=source_ports(locations, source),
                          file_roots=roots)
        return preview(source, fetcher, locations=locations,
                       timezone=source.timezone or config.timezone, now=now, limit=limit)


def block_comment(found: Discovery) -> str:
    return (f"discovered from {found.url}: {found.reason}.\n"
            f"timezone {found.timezone}: {found.timezone_origin}")


def write_source(path: str | Path, found: Discovery) -> str:
    """Append the discovered block to ``path`` (comments and layout kept); the new text."""
    return append_source(path, found.block, block_comment(found))
