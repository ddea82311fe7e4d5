"""ColumnDraft (as published) → Column (typed, UTC, sanitised): a pure function.

Every refusal is an ExtractError naming the URL and the reason, which the collect
step reports as a skip; oddities that do not stop a column (a future date, an
unreadable view count) come back as warnings to log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from .dates import parse_date
from .errors import DateParseError, ExtractError, SyndicateError
from .text.folding import dedupe_key
from .text.numbers import article_count_in, parse_count
from .text.sanitise import cut_text, excerpt, plain_text, sanitise_html, url_with_scheme
from .text.slug import slugify
from .types import Author, Column, ColumnDraft

# Clocks drift and sites round; only a date clearly ahead of the fetch is "future".
FUTURE_TOLERANCE = timedelta(minutes=10)
# How the warning for such a column starts (the collect table lists them by it).
FUTURE_DATED = "dated in the future"
# An author page's bio, as plain text on one line, at most this long.
BIO_CHARS = 600


@dataclass(frozen=True)
class Normalised:
    column: Column
    dedupe_key: str
    warnings: tuple[str, ...] = ()


_SITE_SLUG = re.compile(r"^(?=.*[a-z])[a-z0-9]+(?:-[a-z0-9]+)+$")
_PAGE_SUFFIX = re.compile(r"\.(html?|php|aspx?)$")


def author_slug(name: str, author_url: str | None) -> str:
    """An author's key within their paper.

    The site's own readable slug (``/authors/mariam-alkuwari``) when it has one, so keys
    match what operators see on the site; else the author page's path
    (``/writers/1234`` → ``writers-1234``): the paper's own identity for the person,
    which keeps apart two people whose names differ only by a title; else a
    transliteration of the name as printed, title included.
    """
    if author_url:
        path = unquote(urlsplit(author_url).path)
        last = PurePosixPath(path).name
        stem = _PAGE_SUFFIX.sub("", last.lower())
        if _SITE_SLUG.match(stem):
            return stem
        from_path = slugify(_PAGE_SUFFIX.sub("", path.lower()), max_length=120)
        if from_path != "author":
            return from_path
    return slugify(name)


def author_ref(source: str, key: str) -> str:
    """The public id of an author (feeds, followers): ``source.key``. Source names
    never hold a dot, so the first dot splits it back."""
    return f"{source}.{key}"


def _safe_url(url: str | None) -> str | None:
    """Links that reach feeds and e-mails: web URLs (file: only for the bundled sample)."""
    return url_with_scheme(url, ("http", "https", "file"))


def _one_line(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def normalise(
    draft: ColumnDraft, *, timezone: str, now: datetime, default_author: str | None = None,
    hijri_adjustment: int = 0,
) -> Normalised:
    url = _safe_url(draft.canonical_url) or _safe_url(draft.url)
    if url is None:
        raise ExtractError(draft.url, "no web URL for the column (only http, https or file)")
    title = _one_line(draft.title)
    if title is None:
        raise ExtractError(draft.url, "no title on the page")
    author_name = _one_line(draft.author_name) or _one_line(default_author)
    if author_name is None:
        raise ExtractError(draft.url, "no author on the page and no default_author configured")
    if _one_line(draft.published_text) is None:
        raise ExtractError(draft.url, "no publication date on the page")
    assert draft.published_text is not None
    try:
        published = parse_date(draft.published_text, tz=timezone, now=now,
                               hijri_adjustment=hijri_adjustment)
    except DateParseError as exc:
        raise ExtractError(draft.url, f"unreadable date {draft.published_text!r}") from exc
    except SyndicateError as exc:
        raise ExtractError(draft.url, f"date {draft.published_text!r}: {exc}") from exc
    body = sanitise_html(draft.body_html or "").strip()
    if not body or not excerpt(body):
        raise ExtractError(draft.url, "no column text on the page")
    warnings: list[str] = []
    future = published > now + FUTURE_TOLERANCE
    if future:
        # Both dates, so an operator can tell a site's clock or timezone error from a
        # post published early; readers see it dated by its first collection until
        # then (columns_policy).
        warnings.append(f"{FUTURE_DATED} ({published.isoformat()}, read at "
                        f"{now.isoformat()}); kept and flagged, shown as first collected "
                        "until then")
    views = parse_count(draft.views_text)
    if draft.views_text and views is None:
        warnings.append(f"unreadable view count {draft.views_text!r}; stored as unknown")
    article_count = article_count_in(draft.author_article_count)
    key = author_slug(author_name, draft.author_url)
    author = Author(
        name=author_name,
        slug=author_ref(draft.source, key),
        source=draft.source,
        key=key,
        credentials=_one_line(draft.author_credentials.lstrip("-–—• ")
                              if draft.author_credentials else None),
        article_count=article_count,
        url=_safe_url(draft.author_url),
        image_url=_safe_url(draft.author_image_url),
        bio=cut_text(plain_text(draft.author_bio), BIO_CHARS) or None
        if draft.author_bio else None,
    )
    column = Column(
        url=url,
        source=draft.source,
        title=title,
        author=author,
        published=published,
        body_html=body,
        excerpt=excerpt(body),
        views=views,
        image_url=_safe_url(draft.image_url),
        categories=tuple(dict.fromkeys(c for c in (_one_line(x) for x in draft.categories) if c)),
        language=draft.language or "ar",
        future_dated=future,
        coauthors=tuple(dict.fromkeys(
            n for n in (_one_line(x) for x in draft.coauthors) if n and n != author_name)),
        original_url=_safe_url(draft.original_url),
    )
    return Normalised(column, dedupe_key(author_name, title), tuple(warnings))
