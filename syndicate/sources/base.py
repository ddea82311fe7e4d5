"""What every source kind yields: one ``Found`` per page it looked at.

Sources never touch the store (the core does): they fetch, extract and report, and
the core normalises, stores, and only then remembers the page's validators — so a
page that could not be stored is fetched in full again next time.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from ..config.sources import HttpSettings, SourceSettings
from ..errors import ExtractError, FetchError, NotAllowedError, SyndicateError
from ..types import ColumnDraft, Outcome
from .extract import AuthorPageSelectors, FieldSelectors, extract_column, parse
from .fetching import Page
from .http import Fetcher
from .page_values import looks_truncated

log = logging.getLogger("syndicate.sources")


class SourceBase(SourceSettings):
    """What every source kind's model has: the shared keys, and ``fields:`` (selectors
    for the column pages it reads; a feed, sitemap or API source follows links too)."""

    fields: FieldSelectors = Field(default_factory=FieldSelectors)
    # With follow_links, whose fields win: the page's (most feeds carry a teaser; the
    # index fills only what the page lacks) or the index's (feed item, sitemap entry,
    # API post; the page fills the gaps).
    prefer: Literal["page", "feed"] = "page"
    # This paper's own `http` settings over the top-level ones (only the keys given).
    # A host shared with other sources keeps the most polite delay and concurrency.
    http: HttpSettings | None = None
    author_page: AuthorPageSelectors | None = None  # read each column's author_url page


@dataclass(frozen=True)
class Found:
    """One page's result. A draft to store, or an outcome with the reason."""

    url: str
    draft: ColumnDraft | None = None
    page: Page | None = None  # whose validators to remember once the draft is stored
    outcome: Outcome | None = None  # NOT_MODIFIED, SKIPPED or FAILED when there is no draft
    reason: str = ""
    listing: bool = False  # a listing page, feed, sitemap or API page, not a column
    # Final as it stands: refused (robots.txt, an unconfigured host, a private address)
    # or a known skip; a feed item or API post must not stand in for the page.
    settled: bool = False
    memo: str | None = None  # kept with a listing's validators, given back with its 304


def drafts_memo(drafts: Iterable[ColumnDraft], **extra: Any) -> str:
    """What an index document (feed, sitemap, API page) said, to replay on its 304."""
    return json.dumps({"drafts": [dataclasses.asdict(d) for d in drafts], **extra},
                      ensure_ascii=False)


def read_memo(memo: str | None) -> dict[str, Any] | None:
    try:
        data = json.loads(memo) if memo else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def drafts_from_memo(data: dict[str, Any]) -> list[ColumnDraft]:
    drafts = []
    for item in data.get("drafts") or ():
        try:
            item = dict(item)
            item["categories"] = tuple(item.get("categories") or ())
            drafts.append(ColumnDraft(**item))
        except (TypeError, ValueError):
            continue  # written by another version: that item is simply not replayed
    return drafts


def skipped_memo(reason: str) -> str:
    """Kept with the validators of a page skipped for what it says: its 304 is a skip."""
    return json.dumps({"skipped": reason}, ensure_ascii=False)


def failure(url: str, error: SyndicateError, *, listing: bool = False) -> Found:
    """Refusals and unusable pages are skips; pages we could not get are failures."""
    if isinstance(error, (NotAllowedError, ExtractError)):
        outcome = Outcome.SKIPPED
    elif isinstance(error, FetchError):
        outcome = Outcome.FAILED
    else:
        outcome = Outcome.FAILED
    reason = getattr(error, "reason", None) or str(error)
    return Found(url, outcome=outcome, reason=reason, listing=listing,
                 settled=isinstance(error, NotAllowedError))


def unexpected(url: str, exc: Exception) -> Found:
    """A page that hit a bug in syndicate: a failure (asked again next run), with the
    traceback in the log for the report."""
    log.exception("%s: unexpected error while reading the page", url)
    return Found(url, outcome=Outcome.FAILED,
                 reason=f"unexpected error while reading the page ({type(exc).__name__}: "
                        f"{exc}); this is a bug in syndicate, please report it with the log")


def merge(primary: ColumnDraft, fallback: ColumnDraft) -> ColumnDraft:
    """``primary`` with its gaps (None, empty) filled from ``fallback``."""
    filled = {
        f.name: getattr(fallback, f.name)
        for f in dataclasses.fields(primary)
        if not getattr(primary, f.name) and getattr(fallback, f.name)
    }
    filled.pop("source", None)
    filled.pop("url", None)
    return dataclasses.replace(primary, **filled)


# What a column page says better than its index entry: most Arabic feeds carry a teaser
# of ~15 words where the page has the column, and only the page prints the byline as
# the paper shows it, the credentials and the views. Dates stay the index's: a feed's
# pubDate or a sitemap's publication_date is exact where a page often prints the day;
# so does the identity (the index's link, as before).
PAGE_FIELDS = ("body_html", "author_name", "author_credentials", "author_article_count",
               "author_url", "author_image_url", "views_text", "image_url")


def combine(from_index: ColumnDraft, from_page: ColumnDraft, prefer: str) -> ColumnDraft:
    """A column listed by an index (feed, sitemap, API) whose page was fetched too: the
    page's ``PAGE_FIELDS`` win, the index fills only what the page lacks. ``prefer:
    feed`` (per source) lets the index win everything it has."""
    merged = merge(from_index, from_page)
    if prefer == "feed":
        return merged
    won = {name: getattr(from_page, name) for name in PAGE_FIELDS if getattr(from_page, name)}
    return dataclasses.replace(merged, **won)


ColumnReader = Callable[[str, Page], ColumnDraft]


def page_reader(source: str, fields: FieldSelectors, language: str) -> ColumnReader:
    def read(url: str, page: Page) -> ColumnDraft:
        if looks_truncated(page.text):
            raise ExtractError(url, "truncated HTML (the page ends before </html>)")
        draft = extract_column(parse(page.text), url=url, final_url=page.final_url,
                               source=source, fields=fields, language=language,
                               html=page.text)
        if draft.canonical_url is None and page.final_url != url:
            # Redirected and no canonical link: where it landed is the better identity
            # (the URL asked for is kept as an alias by the store).
            draft = dataclasses.replace(draft, canonical_url=page.final_url)
        return draft

    return read


def fetch_columns(
    fetcher: Fetcher,
    urls: Iterable[str],
    read: ColumnReader,
    *,
    complete: Callable[[str, Page, ColumnDraft], ColumnDraft] | None = None,
) -> Iterator[Found]:
    """Fetch column pages (concurrently, politely) and read each into a draft."""
    for url, result in fetcher.fetch_many(urls):
        if isinstance(result, SyndicateError):
            yield failure(url, result)
            continue
        if result.not_modified:
            # Unchanged since it was stored (or skipped): nothing to read or store (a feed
            # item or API post without its page would lack what the page gave).
            remembered = read_memo(result.memo)
            skipped = remembered.get("skipped") if remembered else None
            if isinstance(skipped, str):
                yield Found(url, outcome=Outcome.SKIPPED, reason=f"{skipped} (page unchanged)",
                            settled=True)
            elif result.kept:
                days = fetcher.settings.revalidate_days
                yield Found(url, page=result, outcome=Outcome.NOT_MODIFIED, settled=True,
                            reason=f"not re-validated: published over {days} days ago "
                                   "(http.revalidate_days)")
            else:
                yield Found(url, page=result, outcome=Outcome.NOT_MODIFIED)
            continue
        try:
            draft = read(url, result)
            if complete is not None:
                draft = complete(url, result, draft)
        except SyndicateError as exc:
            # Fetched in full and unreadable (truncated, not a page): remembered with
            # its validators, so the next run asks conditionally instead.
            fetcher.remember_failure(result, getattr(exc, "reason", None) or str(exc))
            yield failure(url, exc)
            continue
        except Exception as exc:  # noqa: BLE001 (a bug met on one page must not lose the others)
            yield unexpected(url, exc)
            continue
        yield Found(url, draft=draft, page=result)
