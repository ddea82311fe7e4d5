"""What each subscriber of one issue gets: the new columns, the draft issue, ``Contents``.

Pure given the store's state: selection (the newsletter's sources and authors after its
cut-off) and, per subscriber, the digest their cadence and follows make due. Split from
``core/digest.py``, which queues and sends.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..config import Config
from ..config.newsletters import Newsletter
from ..render.digest_model import DigestContent, build_content, edition_for
from ..store import Store
from ..types import Cadence, Column, DigestIssue, Subscriber

WEEKLY_GAP = timedelta(days=6, hours=12)  # a weekly job drifting by hours is still weekly
MAX_MISSED = 14  # issues a weekly digest gathers at most


def draft_issue(
    store: Store, newsletter: Newsletter, columns: list[Column], now: datetime
) -> DigestIssue:
    """The issue a run would create now, unsaved (dry runs and previews)."""
    last = store.digests.issues(newsletter.id, limit=1)
    return DigestIssue(
        newsletter=newsletter.id,
        number=(last[0].number if last else 0) + 1,
        cutoff=now,
        column_urls=tuple(c.url for c in columns),
        created_at=now,
        id=0,
    )


# Follows that name no author (a bare key in a config with several papers): they must
# match nothing rather than read as "everyone" (an empty set). No slug is empty.
NOBODY = ("",)


def newsletter_authors(config: Config, newsletter: Newsletter) -> tuple[str, ...] | None:
    """The newsletter's authors as ``source.key`` slugs; None for every author."""
    if not newsletter.authors:
        return None
    return config.author_slugs(newsletter.authors) or NOBODY


def select_new(config: Config, store: Store, newsletter: Newsletter,
               now: datetime) -> list[Column]:
    """Columns first collected after the cut-off and up to ``now``, newest first."""
    return store.columns.list(
        sources=tuple(newsletter.sources) or None,
        author_slugs=newsletter_authors(config, newsletter),
        collected_after=store.digests.cutoff(newsletter.id),
        collected_until=now,
        limit=newsletter.max_items,
    )


class Contents:
    """The digest each subscriber of one issue gets (pure given the store's state).

    Cached by (first missed issue, followed authors), so 100,000 subscribers cost a
    handful of ``build_content`` calls.
    """

    def __init__(self, config: Config, store: Store, newsletter: Newsletter, issue: DigestIssue):
        self.config, self.store, self.newsletter, self.issue = config, store, newsletter, issue
        self._recent = {i.number: i for i in store.digests.issues(newsletter.id, limit=60)}
        self._recent[issue.number] = issue
        self._last_sent: dict[int, int] | None = None
        self._base: dict[tuple[int, bool], DigestContent] = {}
        self._narrow: dict[tuple[int, frozenset[str], bool], DigestContent] = {}
        self._most_read: list[Column] | None = None

    def for_subscriber(self, subscriber: Subscriber) -> DigestContent | None:
        """None when the subscriber is not due this issue or nothing new concerns them."""
        if subscriber.paused_at(self.issue.created_at):
            return None  # paused on the preference page
        since = self.issue.number - 1
        if subscriber.cadence is Cadence.WEEKLY:
            if self._last_sent is None:
                self._last_sent = self.store.digests.last_sent_numbers(
                    self.newsletter.id, self.issue.number
                )
            last = self._last_sent.get(subscriber.id or 0)
            if last is not None:
                previous = self._recent.get(last)
                if previous is not None and (
                    self.issue.created_at - previous.created_at < WEEKLY_GAP
                ):
                    return None
                since = max(last, self.issue.number - MAX_MISSED)
        # A follow names a paper's author (source.key) or a linked person: both come
        # down to the papers' authors here, never to another paper's namesake.
        followed = subscriber.followed_authors
        weekly = subscriber.cadence is Cadence.WEEKLY
        key = (since, frozenset(self.config.author_slugs(followed) or NOBODY)
               if followed else frozenset(), weekly)
        content = self._narrow.get(key)
        if content is None:
            content = self._base_content(since, weekly).for_authors(key[1])
            self._narrow[key] = content
        return None if content.is_empty else content

    def issue_content(self) -> DigestContent:
        """The issue as everyone's digest showed it, before any narrowing (web copy)."""
        return self._base_content(self.issue.number - 1)

    def weekly_content(self) -> DigestContent:
        """The week's harvest ending with this issue, before any narrowing (web copy of
        what a subscriber on the weekly cadence got): the issues of the last
        ``WEEKLY_GAP``, at most ``MAX_MISSED`` back, as ``for_subscriber`` bounds it."""
        created = self.issue.created_at
        first = min((n for n, i in self._recent.items()
                     if n <= self.issue.number and created - i.created_at < WEEKLY_GAP),
                    default=self.issue.number)
        return self._base_content(max(first - 1, self.issue.number - MAX_MISSED), weekly=True)

    def _base_content(self, since: int, weekly: bool = False) -> DigestContent:
        content = self._base.get((since, weekly))
        if content is None:
            urls: list[str] = []
            for number in range(since + 1, self.issue.number + 1):
                issue = self._recent.get(number)
                if issue is not None:
                    urls.extend(u for u in issue.column_urls if u not in urls)
            # Counts as they stood when the issue was made, so that its web copy
            # (rebuilt later) shows what the e-mail showed.
            columns = self.store.columns.list(
                urls=tuple(urls), views_as_of=self.issue.created_at) if urls else []
            content = build_content(
                self.newsletter,
                columns[: self.newsletter.max_items],
                self._most_read_columns(),
                issue_number=self.issue.number,
                now=self.issue.created_at,
                base_url=self.config.site.base_url,
                tz=self.config.timezone,
                edition=edition_for(self.newsletter, self.issue.number, weekly=weekly),
                home_url=self.config.site.home_url or "",
            )
            self._base[(since, weekly)] = content
        return content

    def _most_read_columns(self) -> list[Column]:
        if self._most_read is None:
            n = self.newsletter
            self._most_read = self.store.columns.list(
                sources=tuple(n.sources) or None,
                author_slugs=newsletter_authors(self.config, n),
                published_since=self.issue.created_at - timedelta(days=n.most_read_days),
                collected_until=self.issue.cutoff,
                order="views",
                limit=n.most_read_items + n.max_items,  # "new" ones are left out of it
                views_as_of=self.issue.created_at,  # ranked as when it was sent
            )
        return self._most_read
