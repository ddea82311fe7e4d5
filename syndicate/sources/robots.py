"""robots.txt rules, read by protego (the only module importing it).

The standard library's parser matches prefixes only: ``Disallow: /*?print=`` let the
print copies through. protego (Scrapy's parser) follows Google's reading: ``*`` and
``$`` wildcards, the longest matching rule wins between Allow and Disallow, and
``Crawl-delay`` (fractions of a second too).
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

MAX_BYTES = 500_000  # Google reads the first 500 KiB; so do we
CRAWL_DELAY_CAP_S = 30.0  # a site asking for more would never be read in a run


@dataclass(frozen=True)
class RobotsRules:
    """What one host's robots.txt allows ``agent``; ``refusal`` when it is unreadable."""

    text: str = ""
    agent: str = "*"
    refusal: str | None = None  # robots.txt unreachable or 5xx: the host is not fetched

    def __post_init__(self) -> None:
        object.__setattr__(self, "_parsed", Protego.parse(self.text) if self.text else None)

    def allows(self, url: str) -> bool:
        parsed: Protego | None = getattr(self, "_parsed")  # noqa: B009 - set in __post_init__
        return parsed is None or bool(parsed.can_fetch(url, self.agent))

    @property
    def sitemaps(self) -> list[str]:
        """Its ``Sitemap:`` lines (for discovery)."""
        parsed: Protego | None = getattr(self, "_parsed")  # noqa: B009
        return [str(url) for url in parsed.sitemaps] if parsed is not None else []

    @property
    def crawl_delay(self) -> float | None:
        parsed: Protego | None = getattr(self, "_parsed")  # noqa: B009
        if parsed is None:
            return None
        delay = parsed.crawl_delay(self.agent)
        return None if delay is None else min(float(delay), CRAWL_DELAY_CAP_S)


def parse_robots(body: bytes, agent: str) -> RobotsRules:
    return RobotsRules(body[:MAX_BYTES].decode("utf-8", "replace"), agent)
