"""Every sent issue on the web: which issues are published, and what each shows.

An issue is published once it is queued (its deliveries are planned and its
columns fixed). Its page shows the same ``DigestContent`` the daily digest showed,
rebuilt from the store, with no subscriber in it: no name, no token.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..render.digest_model import (
    WEEKLY_COPY,
    DigestContent,
    format_when,
    locale_digits,
    number_text,
)
from ..store import Store
from ..types import DigestIssue
from .digest_contents import Contents

__all__ = ["MAX_LISTED", "MAX_REACHABLE", "WEEKLY_COPY", "IssueEntry", "issue_content",
           "issue_index", "published"]  # WEEKLY_COPY: the web's route, through core

MAX_LISTED = 500  # issues on one index page, newest first
MAX_REACHABLE = 5000  # how far back /issues/<id>/<number> looks (bounded query)


@dataclass(frozen=True)
class IssueEntry:
    number: int
    number_text: str
    date_text: str
    lead_title: str
    count: int


def published(store: Store, newsletter_id: str, limit: int = MAX_LISTED) -> list[DigestIssue]:
    return [i for i in store.digests.issues(newsletter_id, limit=limit) if i.queued]


def issue_index(config: Config, store: Store, newsletter_id: str) -> list[IssueEntry]:
    """Newest first; KeyError for a newsletter the configuration does not know."""
    newsletter = config.newsletter(newsletter_id)
    digits = locale_digits(newsletter)
    entries = []
    for issue in published(store, newsletter_id):
        lead = store.columns.list(urls=issue.column_urls[:1]) if issue.column_urls else []
        entries.append(IssueEntry(
            number=issue.number,
            number_text=number_text(issue.number, digits).replace("\u066c", ""),
            date_text=format_when(issue.created_at, newsletter, digits, config.timezone),
            lead_title=lead[0].title if lead else "",
            count=len(issue.column_urls),
        ))
    return entries


def issue_content(config: Config, store: Store, newsletter_id: str,
                  number: int, *, weekly: bool = False) -> DigestContent | None:
    """The published issue ``number``, or None (unknown, not yet sent, too old).

    ``weekly``: the week's harvest ending with it, as the weekly cadence sent it.
    """
    newsletter = config.newsletter(newsletter_id)
    recent = store.digests.issues(newsletter_id, limit=1)
    if not recent or not 1 <= number <= recent[0].number:
        return None
    back = recent[0].number - number + 1
    if back > MAX_REACHABLE:
        return None
    found = [i for i in store.digests.issues(newsletter_id, limit=back) if i.number == number]
    if not found or not found[0].queued:
        return None
    contents = Contents(config, store, newsletter, found[0])
    return contents.weekly_content() if weekly else contents.issue_content()
