"""The root of schedules.yaml."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from ..triggers import shown
from .base import Model, Secret, TimeZoneName
from .feeds import FeedsSettings
from .jobs import Job
from .newsletters import DeliverySettings, Newsletter
from .people import checked_people, resolve_authors
from .sources import AuthorPagesSettings, HttpSettings, Source, SourceSettings


class SiteSettings(Model):
    """Where readers reach this installation (links in e-mails and feeds)."""

    base_url: str = "http://127.0.0.1:8080"
    title: str = "syndicate"
    secret: Secret = Field(default_factory=lambda: Secret(env="SYNDICATE_SECRET"))
    # Lets operators reach /status from other machines ({env: SYNDICATE_STATUS_TOKEN});
    # without it the status page answers only on this machine (web/access.py).
    status_token: Secret | None = None
    # The newspaper's own site, linked from every digest's footer (base_url is this
    # installation, which only serves feeds and subscription pages). Unset: base_url.
    home_url: str | None = None
    # Reverse proxies (addresses or networks) whose X-Forwarded-For / X-Forwarded-Proto
    # are believed: the client address then is the reader's, for rate limits. Empty:
    # those headers are ignored (nobody picks their own rate-limit bucket).
    trusted_proxies: list[str] = Field(default_factory=list)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise ValueError(
                    f"{shown(value)} is not an IP address or network (e.g. 127.0.0.1 or "
                    "10.0.0.0/8)") from None
        return values

    @field_validator("base_url", "home_url")
    @classmethod
    def _web_address(cls, url: str | None) -> str | None:
        if url is None:
            return None
        # Unsubscribe links and feed URLs are built on it: "news.example" without a
        # scheme would put relative, dead links into every e-mail.
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{url!r} is not a web address: write e.g. https://news.example.org")
        return url


class Config(Model):
    timezone: TimeZoneName = "Asia/Qatar"
    store: str = "var/syndicate.db"  # a file path (SQLite) or an SQLAlchemy URL
    site: SiteSettings = Field(default_factory=SiteSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    sources: list[Source] = Field(default_factory=list)
    author_pages: AuthorPagesSettings = Field(default_factory=AuthorPagesSettings)
    feeds: FeedsSettings = Field(default_factory=FeedsSettings)
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    newsletters: list[Newsletter] = Field(default_factory=list)
    # One person across papers, linked explicitly: person id -> [source:key, ...].
    authors: dict[str, list[str]] = Field(default_factory=dict)
    templates_dir: str | None = None  # operator overrides, searched before templates/
    jobs: list[Job] = Field(default_factory=list)

    # Set by the loader, not by YAML: the file this came from.
    source_path: str = Field(default="schedules.yaml", exclude=True)

    @field_validator("authors")
    @classmethod
    def _people(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return checked_people(value)

    def author_slugs(self, refs: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """The authors (``source.key``) that followed or configured ``refs`` name."""
        return resolve_authors(refs, people=self.authors,
                               sources=[s.name for s in self.sources])

    @property
    def base_dir(self) -> Path:
        return Path(self.source_path).resolve().parent

    def path(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        candidate = Path(value).expanduser()
        return candidate if candidate.is_absolute() else self.base_dir / candidate

    @property
    def store_url(self) -> str:
        if "://" in self.store:
            return self.store
        return f"sqlite:///{self.path(self.store)}"

    def source(self, name: str) -> SourceSettings:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)

    def newsletter(self, newsletter_id: str) -> Newsletter:
        for newsletter in self.newsletters:
            if newsletter.id == newsletter_id:
                return newsletter
        raise KeyError(newsletter_id)

    def job(self, name: str) -> Job:
        for job in self.jobs:
            if job.name == name:
                return job
        raise KeyError(name)
