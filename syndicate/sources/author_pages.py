"""Author pages: what a column's author page adds to the column page (``author_page:``).

On blog platforms and many portals the column page shows only the author's name,
linked to a page holding their credentials, article count, bio and photo. That page is
read here, once per run however many columns link it, through the source's own fetcher
(same hosts, robots.txt and per-host gate as everything else). What it said is kept with
its validators (the fetch cache's memo), so the next runs ask nothing for
``author_pages.revalidate_days`` and then one conditional GET: an unchanged author costs
0 or 1 request (304) a run. The column page's own values win; the author page only fills
what it lacks.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from ..errors import SyndicateError
from ..types import ColumnDraft
from .base import merge
from .extract import AuthorPageSelectors, page_view, parse
from .fetching import Cached
from .http import Fetcher
from .page_values import absolute, looks_truncated, text_of, url_of
from .structured import articles_written, read_structured

log = logging.getLogger("syndicate.sources.author_pages")


@dataclass(frozen=True)
class AuthorInfo:
    """What an author page says, as published (None = not said)."""

    name: str | None = None
    credentials: str | None = None
    article_count: str | None = None  # as printed: "له ٣١ مقالاً"
    bio: str | None = None
    photo_url: str | None = None


def read_author_page(html: str, *, url: str, final_url: str,
                     selectors: AuthorPageSelectors) -> AuthorInfo:
    """Selectors first, then the page's ``Person`` / ``ProfilePage`` structured data."""
    tree = parse(html)
    page = page_view(tree, final_url)
    person = read_structured(html, url=url).person()
    image = person.get("image")
    return AuthorInfo(
        name=page.text(selectors.name) or text_of(person.get("name")),
        credentials=page.text(selectors.credentials) or text_of(person.get("jobTitle")),
        article_count=page.text(selectors.article_count) or articles_written(person),
        # Its markup, scripts dropped: normalise turns it into plain text.
        bio=page.body(selectors.bio, ["script", "style", "noscript"])
        or text_of(person.get("description")),
        photo_url=page.url(selectors.photo) or absolute(page.base, url_of(image)),
    )


def _memo(info: AuthorInfo) -> str:
    return json.dumps({"author_page": dataclasses.asdict(info)}, ensure_ascii=False)


def _from_memo(cached: Cached | None) -> AuthorInfo | None:
    try:
        data = json.loads(cached.memo) if cached is not None and cached.memo else None
        return AuthorInfo(**data["author_page"]) if isinstance(data, dict) else None
    except (ValueError, TypeError, KeyError):
        return None  # kept by another version: read the page again


def _page_url(draft: ColumnDraft) -> str | None:
    url = draft.author_url
    return url if url and urlsplit(url).scheme in ("http", "https", "file") else None


class AuthorPages:
    """Author pages read during one collect run (shared by every source of the run).

    ``prefetch`` starts reading a page on one of ``workers`` threads while the column
    that links it waits its turn, so a first run reads new authors' pages side by side;
    the fetcher's gate per host still decides how many reach one host at once. ``close``
    ends the threads (the run's end)."""

    def __init__(self, *, now: datetime, revalidate_days: int, workers: int = 4) -> None:
        self.now = now
        self.revalidate_days = revalidate_days
        self.workers = workers
        self._known: dict[str, Future[AuthorInfo | None]] = {}
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def prefetch(self, draft: ColumnDraft, fetcher: Fetcher,
                 selectors: AuthorPageSelectors) -> None:
        """Start reading ``draft``'s author page, unless it is known or on its way."""
        url = _page_url(draft)
        if url is None:
            return
        with self._lock:
            if url in self._known:
                return
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers,
                                                thread_name_prefix="author-pages")
            self._known[url] = self._pool.submit(self._read, url, fetcher, selectors)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def fill(self, draft: ColumnDraft, fetcher: Fetcher,
             selectors: AuthorPageSelectors) -> ColumnDraft:
        """``draft`` with what its author page adds (nothing the column page said)."""
        url = _page_url(draft)
        if url is None:
            return draft
        info = self.info(url, fetcher, selectors)
        if info is None:
            return draft
        extra = ColumnDraft(
            source=draft.source, url=draft.url, canonical_url=None, title=None,
            author_name=info.name, author_credentials=info.credentials,
            author_article_count=info.article_count, author_url=None,
            author_image_url=info.photo_url, published_text=None, views_text=None,
            body_html=None, author_bio=info.bio)
        return merge(draft, extra)

    def info(self, url: str, fetcher: Fetcher, selectors: AuthorPageSelectors
             ) -> AuthorInfo | None:
        """What the page at ``url`` says: asked at most once a run, and not at all while
        what it said last is younger than ``revalidate_days``."""
        with self._lock:
            known = self._known.get(url)
            if known is None:
                known = self._known[url] = Future()
                known.set_running_or_notify_cancel()
                mine = True
            else:
                mine = False
        if mine:
            try:
                known.set_result(self._read(url, fetcher, selectors))
            except BaseException as exc:  # whoever else waits for this page learns it too
                known.set_exception(exc)
                raise
        return known.result()

    def _read(self, url: str, fetcher: Fetcher, selectors: AuthorPageSelectors
              ) -> AuthorInfo | None:
        cached = fetcher.cache.get(url) if fetcher.cache is not None else None
        remembered = _from_memo(cached)
        fresh = (remembered is not None and cached is not None and self.revalidate_days > 0
                 and cached.checked_at is not None
                 and cached.checked_at > self.now - timedelta(days=self.revalidate_days))
        return remembered if fresh else self._ask(url, fetcher, selectors, cached, remembered)

    def _ask(self, url: str, fetcher: Fetcher, selectors: AuthorPageSelectors,
             cached: Cached | None, remembered: AuthorInfo | None) -> AuthorInfo | None:
        try:
            page = fetcher.fetch(url, conditional=remembered is not None)
        except SyndicateError as exc:
            log.warning("%s: author page not read (%s); the column keeps what its own page "
                        "says", url, exc)
            return remembered
        if page.not_modified:
            if fetcher.cache is not None and cached is not None:
                # Confirmed: the next re-validation counts from now.
                fetcher.cache.put(url, Cached(page.etag or cached.etag,
                                              page.last_modified or cached.last_modified,
                                              cached.memo), status=304)
            return remembered
        if looks_truncated(page.text):
            log.warning("%s: author page cut short; not read", url)
            return remembered
        info = read_author_page(page.text, url=url, final_url=page.final_url,
                                selectors=selectors)
        fetcher.remember(page, _memo(info))
        return info
