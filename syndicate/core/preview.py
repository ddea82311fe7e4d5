"""`syndicate digest preview`: the HTML one subscriber (or a sample reader) would get.

The next issue if there are new columns, else the last issue sent; nothing is sent or
recorded. With a subscriber it is their segment (followed authors, cadence) with their
name and their real, signed unsubscribe link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..config import Config
from ..errors import ConfigError, ConfigProblem, SyndicateError
from ..render.digest import render_segment, templates_dirs
from ..render.digest_model import SubscriberTokens
from ..store import Store
from ..subscribers.tokens import signed_link, signer_for
from ..types import Subscriber
from .digest_contents import Contents, draft_issue, select_new


@dataclass(frozen=True)
class Preview:
    subject: str
    html: str
    text: str
    issue_number: int
    state: str  # "next issue" or "last issue"
    items: int
    size_bytes: int
    trimmed: int


def build_preview(
    config: Config,
    store: Store,
    newsletter_id: str,
    *,
    now: datetime,
    subscriber_email: str | None = None,
) -> Preview:
    """Render the next (else the last) issue as one subscriber, or a sample reader, sees it."""
    try:
        newsletter = config.newsletter(newsletter_id)
    except KeyError:
        known = ", ".join(n.id for n in config.newsletters) or "none"
        raise ConfigError([ConfigProblem(
            config.source_path, 1, 1, f"unknown newsletter {newsletter_id!r} (known: {known})"
        )]) from None
    columns = select_new(config, store, newsletter, now)
    last = store.digests.issues(newsletter.id, limit=1)
    if columns:
        issue, state = draft_issue(store, newsletter, columns, now), "next issue"
    elif last:
        issue, state = last[0], "last issue"
    else:
        raise SyndicateError(
            f"{newsletter_id}: nothing to preview (no new columns and no issue sent yet); "
            "run `syndicate collect` first"
        )
    contents = Contents(config, store, newsletter, issue)
    base = config.site.base_url.rstrip("/")
    if subscriber_email:
        subscriber = store.subscribers.get(subscriber_email, newsletter.id)
        if subscriber is None or subscriber.id is None:
            hint = (
                f" (the sample list {newsletter.seed_subscribers} is imported by the first "
                f"`syndicate digest {newsletter_id}`, or `syndicate subscribers import`)"
                if newsletter.seed_subscribers else ""
            )
            raise SyndicateError(
                f"{subscriber_email}: not a subscriber of {newsletter_id}{hint}"
            )
        content = contents.for_subscriber(subscriber)
        if content is None:
            raise SyndicateError(
                f"{subscriber_email} gets nothing in issue {issue.number} of {newsletter_id} "
                f"(status {subscriber.status.value}, cadence {subscriber.cadence.value}, "
                "or no new column by the authors they follow)"
            )
        unsubscribe = signed_link(
            signer_for(config), base, "unsubscribe", subscriber_id=subscriber.id,
            email=subscriber.email, newsletter=newsletter.id, issued=issue.created_at,
        )
        tokens = SubscriberTokens(
            unsubscribe_url=unsubscribe.url,
            name=subscriber.name,
            email=subscriber.email,
        )
    else:
        sample = _sample_subscriber(newsletter.id)
        content = contents.for_subscriber(sample)
        if content is None:
            raise SyndicateError(f"{newsletter_id}: issue {issue.number} has no new column")
        tokens = SubscriberTokens(unsubscribe_url=f"{base}/unsubscribe")
    segment = render_segment(
        content, templates_dirs=templates_dirs(config), template=newsletter.template
    )
    html, text = segment.personalise(tokens)
    return Preview(
        subject=segment.subject,
        html=html,
        text=text,
        issue_number=issue.number,
        state=state,
        items=len(segment.content.items),
        size_bytes=len(html.encode("utf-8")),
        trimmed=segment.trimmed,
    )


def _sample_subscriber(newsletter_id: str) -> Subscriber:
    """A daily reader following every author: the widest digest of the issue."""
    return Subscriber(email="preview@example.invalid", newsletter=newsletter_id, id=0)
