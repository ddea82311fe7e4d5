"""`sources:` — where columns are collected from."""

from __future__ import annotations

from typing import Annotated, Any, Union, get_args
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    Field,
    HttpUrl,
    TypeAdapter,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

from .base import Model, TimeZoneName


def checked_location(value: str) -> str:
    """A source address: an http(s) or file URL, or a path relative to schedules.yaml
    (whose file must exist: load.py checks that, knowing the folder)."""
    if "://" not in value:
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https", "file"):
        raise ValueError(f"{value!r}: the scheme must be https, http or file, "
                         f"not {parts.scheme!r}")
    if parts.scheme != "file" and not parts.hostname:
        raise ValueError(f"{value!r} has no host name")
    return value


Location = Annotated[str, AfterValidator(checked_location)]


def host_and_port(entry: str) -> tuple[str, int | None]:
    """An ``allowed_hosts`` entry, ``cdn.example`` or ``cdn.example:8443`` (an IPv6
    address in brackets when it names a port), as (host, port or None)."""
    if entry.count(":") > 1 and not entry.startswith("["):
        return entry.lower(), None  # a bare IPv6 address
    parts = urlsplit("//" + entry)
    return parts.hostname or "", parts.port  # a port that is no port: ValueError


def checked_host(value: str) -> str:
    try:
        host, _port = host_and_port(value)
    except ValueError as exc:
        raise ValueError(f"{value!r}: the port must be a number from 1 to 65535") from exc
    if not host or any(c in value for c in "/?#@ \t"):
        raise ValueError(f"{value!r} is not a host name (or host:port), "
                         "like cdn.example or cdn.example:8443")
    return value


AllowedHost = Annotated[str, AfterValidator(checked_host)]


class SourceSettings(Model):
    """The keys every source kind shares; each kind's model adds its own.

    A kind is one module under ``syndicate/sources/`` that declares its model (a
    subclass with ``kind: Literal["…"]``) and its collector, and registers both
    with ``syndicate.sources.kinds.source_kind``; this floor keeps only the models,
    so that ``sources:`` entries are validated here with the file's line numbers.
    """

    kind: str
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    title: str | None = None
    language: str = "ar"
    timezone: TimeZoneName | None = None  # default: the top-level timezone
    default_author: str | None = None  # when a page names no author
    # Days this site's Hijri dates run ahead of Umm al-Qura (local moon sighting); used
    # only for a page that gives a Hijri date and no Gregorian one.
    hijri_adjustment: int = Field(default=0, ge=-2, le=2)
    # Besides the start URLs' hosts; "host:port" allows that port of it too (pages are
    # read only on a scheme's default port or a port a source's address names).
    allowed_hosts: list[AllowedHost] = Field(default_factory=list)
    follow_links: bool = True  # fetch each column page (feed/sitemap/wordpress)

    def addresses(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Where this source is read from, each with the keys that say so
        (``(("url",), "https://…")``): the core makes them absolute, the loader checks
        that a relative one names an existing file."""
        raise NotImplementedError(f"{type(self).__name__} does not say where it reads from")


_MODELS: dict[str, type[SourceSettings]] = {}
_ADAPTER: list[TypeAdapter[SourceSettings]] = []  # of the current union; rebuilt on register


def kind_name(model: type[SourceSettings]) -> str:
    """``"html"`` for a model declaring ``kind: Literal["html"]``."""
    names = get_args(model.model_fields["kind"].annotation)
    if len(names) != 1 or not isinstance(names[0], str):
        raise TypeError(f"{model.__name__}.kind must be a Literal of one name")
    return names[0]


def register_source_model(model: type[SourceSettings]) -> None:
    """Make ``kind: <name>`` entries of ``sources:`` validate with ``model``."""
    _MODELS[kind_name(model)] = model
    _ADAPTER.clear()


def source_model(kind: object) -> type[SourceSettings] | None:
    return _MODELS.get(str(kind))


def source_kinds() -> tuple[str, ...]:
    return tuple(_MODELS)


def _by_kind(value: Any, _handler: ValidatorFunctionWrapHandler) -> SourceSettings:
    """Validate one ``sources:`` entry with the model of its ``kind`` (errors keep the
    usual ``sources.N.<kind>.key`` locations and the "one of …" message)."""
    if not _MODELS:
        raise ValueError("no source kinds are registered (importing syndicate.sources "
                         "registers the built-in ones; syndicate.core does)")
    if not _ADAPTER:
        models = tuple(_MODELS.values())
        shape: Any = (Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007
                      if len(models) > 1 else models[0])
        _ADAPTER.append(TypeAdapter(shape))
    return _ADAPTER[0].validate_python(value)


Source = Annotated[SourceSettings, WrapValidator(_by_kind)]


class AuthorPagesSettings(Model):
    """``author_pages:`` (top level): how often a known author page is asked again."""

    # An author page read (or confirmed by a 304) fewer than this many days ago is not
    # asked about at all; after that, one conditional GET. 0: asked on every run.
    revalidate_days: int = Field(default=7, ge=0, le=365)


class HttpSettings(Model):
    user_agent: str = "syndicate/0.1 (+https://github.com/syndicate-news/syndicate)"
    timeout_s: float = Field(default=15.0, gt=0, le=300)
    # The whole of one request (connect, headers, body): a server dripping a byte a
    # second never trips timeout_s, which is per read.
    total_timeout_s: float = Field(default=60.0, gt=0, le=3600)
    per_host_concurrency: int = Field(default=2, ge=1, le=16)
    min_delay_s: float = Field(default=0.5, ge=0, le=60)
    retries: int = Field(default=3, ge=0, le=10)
    backoff_s: float = Field(default=1.0, ge=0, le=60)  # first retry wait; doubles each time
    max_retry_wait_s: float = Field(default=30.0, ge=0, le=600)  # cap, even for Retry-After
    # 429/503 answers in a row after which a host is left for the run (its pages wait
    # for the next run); each one pauses the whole host and widens its spacing.
    max_throttles: int = Field(default=6, ge=1, le=50)
    max_page_bytes: int = Field(default=2_000_000, ge=10_000, le=1_000_000_000)
    max_redirects: int = Field(default=5, ge=0, le=20)
    respect_robots: bool = True
    # A column published more than this many days ago is re-validated (one conditional
    # GET) at most once in that many days rather than on every run: its view count no
    # longer matters for "most read this week", and every request costs the site a
    # round trip. Widened, per source, to the most_read_days of any newsletter ranking
    # its columns. 0: every known column page is re-validated on every run.
    revalidate_days: int = Field(default=14, ge=0, le=3650)
    # Only tests and a bundled sample site on loopback should turn this on.
    allow_private_addresses: bool = False


__all__ = [
    "AuthorPagesSettings",
    "HttpSettings",
    "HttpUrl",
    "Location",
    "Source",
    "SourceSettings",
    "register_source_model",
    "source_kinds",
    "source_model",
]
