"""Icons and logos beside the feeds, and the byline date of each item.

An operator's icon file (``feeds.icon``, ``feeds.logo``, ``feeds.source_icons``) is
copied to ``icons/`` in the feeds folder, so ``syndicate serve`` and a plain web
server (nginx) publish it with the feeds; a file that is missing, unreadable, too big
or not the image its name says is reported by name and left out of the feeds (they
still build, without that icon).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from ..config import Config
from ..config.feeds import MAX_IMAGE_BYTES
from ..dates import default_digits, format_combined, format_date
from ..types import ItemResult, Outcome
from .feed_plan import icon_files

# The first bytes of each kind of image file (SVG is text: checked for its root).
_MAGIC = {".png": (b"\x89PNG\r\n\x1a\n",), ".gif": (b"GIF87a", b"GIF89a"),
          ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".ico": (b"\x00\x00\x01\x00",),
          ".webp": (b"RIFF",)}


def _problem(data: bytes, suffix: str) -> str | None:
    if len(data) > MAX_IMAGE_BYTES:
        return f"{len(data)} bytes, more than the {MAX_IMAGE_BYTES} allowed"
    if suffix == ".svg":
        return None if b"<svg" in data[:4096] else "not an SVG image"
    if not data.startswith(_MAGIC[suffix]):
        return f"not a {suffix[1:].upper()} image"
    return None


def read_icons(config: Config) -> tuple[dict[str, bytes], list[ItemResult]]:
    """The icon files to publish (path under the feeds folder -> bytes), and failures."""
    found: dict[str, bytes] = {}
    failed: list[ItemResult] = []
    for icon in icon_files(config):
        path = config.path(icon.file)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_IMAGE_BYTES + 1)
        except OSError as exc:
            failed.append(ItemResult(icon.relative, Outcome.FAILED,
                                     f"{icon.file} ({path}): {exc.strerror or exc}"))
            continue
        problem = _problem(data, "." + icon.relative.rsplit(".", 1)[1])
        if problem is not None:
            failed.append(ItemResult(icon.relative, Outcome.FAILED, f"{icon.file}: {problem}"))
            continue
        found[icon.relative] = data
    return found, failed


def icon_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def byline_dates(config: Config) -> Callable[[datetime], str]:
    """Publication instant -> the date as the byline shows it (feeds.calendar, locale)."""
    settings = config.feeds
    zone = ZoneInfo(config.timezone)
    digits = default_digits(settings.locale)

    @lru_cache(maxsize=4096)  # thousands of columns share a few hundred days
    def on(day: date) -> str:
        if settings.calendar == "both":
            return format_combined(day, locale=settings.locale, digits=digits,
                                   hijri_adjustment=settings.hijri_adjustment)
        return format_date(day, locale=settings.locale, calendar=settings.calendar,
                           style="full", digits=digits,
                           hijri_adjustment=settings.hijri_adjustment)

    return lambda when: on(when.astimezone(zone).date())
