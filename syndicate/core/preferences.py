"""The preference centre's decisions: what a subscriber sees and what a change does.

The web page (``web/preferences.py``) only shows a ``PreferenceView`` and hands the
posted form to ``apply_change``; everything that touches the store is here. A change
is written to the subscriber's row at once, and the next issue is planned from that
row, so it applies from the next issue on (an issue already queued keeps its plan).

"Other newsletters": the signed link proves the address, so subscribing to another
newsletter of this installation from here is active at once (no second opt-in mail);
an address that unsubscribed or bounced there comes back only by this explicit choice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ..config import Config
from ..config.newsletters import Newsletter
from ..errors import SyndicateError
from ..render.digest_model import format_when, locale_digits, number_text, web_url
from ..store import Store
from ..subscribers.subscriptions import unsubscribe
from ..types import Cadence, Subscriber, SubscriberStatus
from .digest_contents import newsletter_authors

MAX_PAUSE_WEEKS = 12
# The pause menu's choice while paused, selected by default: saving another change
# (cadence, authors) must not lift a pause the reader did not touch.
KEEP_PAUSE = "keep"
MAX_FOLLOWED = 200  # a form cannot make a row of unbounded size


class PreferenceError(SyndicateError):
    """A posted preference form that makes no sense (shown to the subscriber)."""


@dataclass(frozen=True)
class AuthorChoice:
    slug: str
    name: str
    image_url: str | None  # http(s) only: file:// photos of the sample site are left out
    papers: tuple[str, ...]  # the titles of the sources their columns come from
    followed: bool


@dataclass(frozen=True)
class OtherNewsletter:
    id: str
    title: str
    subscribed: bool


@dataclass(frozen=True)
class PreferenceView:
    subscriber: Subscriber
    newsletter_title: str
    cadence: Cadence
    paused_until: datetime | None  # None, or a pause still running at ``now``
    follows_all: bool
    authors: tuple[AuthorChoice, ...]
    others: tuple[OtherNewsletter, ...]
    paused_text: str = ""  # the end of the pause, in the newsletter's calendar and digits
    pause_choices: tuple[tuple[int, str], ...] = ()  # (weeks, "أسبوعين")
    # False once unsubscribed or bounced: no issue comes, so there is nothing to save
    # (coming back goes through the subscribe page and its confirmation mail).
    subscribed: bool = True
    pause_choice: str = "0"  # the pause menu's selected value: KEEP_PAUSE while paused


@dataclass(frozen=True)
class PreferenceChange:
    cadence: Cadence
    followed_authors: tuple[str, ...]  # empty: every author
    pause_weeks: int | None  # 0: no pause (an existing one is lifted); None: keep it
    subscribe_to: tuple[str, ...] = ()  # other newsletters wanted
    unsubscribe_from: tuple[str, ...] = ()  # other newsletters no longer wanted


def _paper_titles(config: Config) -> dict[str, str]:
    return {s.name: s.title or s.name for s in config.sources}


def _covered_authors(config: Config, store: Store, newsletter: Newsletter,
                     followed: Iterable[str]) -> tuple[AuthorChoice, ...]:
    followed_set = set(followed)
    papers = store.columns.author_papers()
    titles = _paper_titles(config)
    sources = set(newsletter.sources)
    # The newsletter names authors by reference (source:key, a person id): resolved
    # to slugs as its digests resolve them.
    covered = newsletter_authors(config, newsletter)
    choices = []
    for author in store.columns.authors():
        theirs = papers.get(author.slug, [])
        if covered is not None and author.slug not in covered:
            continue
        if sources and not sources.intersection(theirs):
            continue
        if not theirs:
            continue  # an author row without columns: nothing to follow yet
        choices.append(AuthorChoice(
            slug=author.slug, name=author.name, image_url=web_url(author.image_url),
            papers=tuple(titles.get(p, p) for p in theirs),
            followed=author.slug in followed_set,
        ))
    return tuple(sorted(choices, key=lambda c: c.name))


def weeks_text(count: int, newsletter: Newsletter) -> str:
    """"أسبوعًا واحدًا", "أسبوعين", "٣ أسابيع", "١٢ أسبوعًا" (Arabic number agreement)."""
    if count == 1:
        return "أسبوعًا واحدًا"
    if count == 2:
        return "أسبوعين"
    n = number_text(count, locale_digits(newsletter))
    return f"{n} أسابيع" if count <= 10 else f"{n} أسبوعًا"


def preference_view(config: Config, store: Store, subscriber: Subscriber,
                    now: datetime) -> PreferenceView:
    newsletter = config.newsletter(subscriber.newsletter)
    paused_until = subscriber.paused_until if subscriber.paused_at(now) else None
    others = []
    for other in config.newsletters:
        if other.id == subscriber.newsletter:
            continue
        row = store.subscribers.get(subscriber.email, other.id)
        others.append(OtherNewsletter(
            other.id, other.title,
            subscribed=row is not None and row.status is SubscriberStatus.ACTIVE))
    return PreferenceView(
        subscriber=subscriber,
        newsletter_title=newsletter.title,
        cadence=subscriber.cadence,
        paused_until=paused_until,
        follows_all=not subscriber.followed_authors,
        authors=_covered_authors(config, store, newsletter, subscriber.followed_authors),
        others=tuple(others),
        paused_text=(format_when(paused_until, newsletter, locale_digits(newsletter),
                                 config.timezone) if paused_until else ""),
        pause_choices=tuple((w, weeks_text(w, newsletter))
                            for w in range(1, MAX_PAUSE_WEEKS + 1)),
        subscribed=subscriber.status is SubscriberStatus.ACTIVE,
        pause_choice=KEEP_PAUSE if paused_until else "0",
    )


def _authors_choice(form: dict[str, list[str]],
                    view: PreferenceView) -> tuple[bool, tuple[str, ...]]:
    """(follows only chosen authors, the known authors ticked, in order)."""
    known = {a.slug for a in view.authors}
    ticked = tuple(dict.fromkeys(s for s in form.get("author", []) if s in known))
    # A reader who follows everyone and ticks authors is choosing them, even with the
    # radio left on «كل الكتّاب» (the page has no script to move it). One who follows
    # some and selects «كل الكتّاب» leaves their boxes ticked: that stays "all".
    chosen = (form.get("authors_mode") or ["all"])[0] == "chosen"
    return chosen or (view.follows_all and bool(ticked)), ticked


def posted_view(view: PreferenceView, form: dict[str, list[str]]) -> PreferenceView:
    """``view`` showing what the reader posted, for a form refused with an error: they
    fix the one thing named, not everything else again."""
    cadence = (form.get("cadence") or [""])[0]
    pause = (form.get("pause_weeks") or [""])[0]
    offered = {"0", *(str(w) for w, _ in view.pause_choices)}
    if view.paused_until:
        offered.add(KEEP_PAUSE)
    chosen, ticked = _authors_choice(form, view)
    wanted = set(form.get("newsletter", []))
    return replace(
        view,
        cadence=Cadence(cadence) if cadence in ("daily", "weekly") else view.cadence,
        follows_all=not chosen,
        authors=tuple(replace(a, followed=a.slug in ticked) for a in view.authors),
        others=tuple(replace(o, subscribed=o.id in wanted) for o in view.others),
        pause_choice=pause if pause in offered else view.pause_choice,
    )


def read_change(form: dict[str, list[str]], view: PreferenceView) -> PreferenceChange:
    """The posted form as a change; PreferenceError (in Arabic) for what cannot be."""
    if not view.subscribed:  # a page left open while they unsubscribed elsewhere
        raise PreferenceError("اشتراكك في هذه النشرة ملغًى، فلم يُحفظ شيء.")
    cadence_text = (form.get("cadence") or ["daily"])[0]
    if cadence_text not in ("daily", "weekly"):
        raise PreferenceError("اختر يوميًا أو أسبوعيًا.")
    pause_text = (form.get("pause_weeks") or ["0"])[0] or "0"
    weeks: int | None = None
    if pause_text != KEEP_PAUSE:
        try:
            weeks = int(pause_text)
        except ValueError:
            raise PreferenceError("مدة الإيقاف عدد من الأسابيع.") from None
    if weeks is not None and not 0 <= weeks <= MAX_PAUSE_WEEKS:
        raise PreferenceError(f"يمكن الإيقاف من أسبوع إلى {MAX_PAUSE_WEEKS} أسبوعًا.")
    followed: tuple[str, ...] = ()
    chosen, ticked = _authors_choice(form, view)
    if chosen:
        followed = ticked
        if not followed:
            raise PreferenceError("اختر كاتبًا واحدًا على الأقل، أو اختر «كل الكتّاب».")
        followed = followed[:MAX_FOLLOWED]
    others = {o.id for o in view.others}
    wanted = {n for n in form.get("newsletter", []) if n in others}
    subscribed = {o.id for o in view.others if o.subscribed}
    return PreferenceChange(
        cadence=Cadence(cadence_text),
        followed_authors=followed,
        pause_weeks=weeks,
        subscribe_to=tuple(sorted(wanted - subscribed)),
        unsubscribe_from=tuple(sorted(subscribed - wanted)),
    )


def apply_change(config: Config, store: Store, subscriber: Subscriber,
                 change: PreferenceChange, now: datetime) -> Subscriber:
    """Write ``change``; the next issue is planned with it. Returns the updated row."""
    assert subscriber.id is not None
    if change.pause_weeks is None:
        paused_until = subscriber.paused_until if subscriber.paused_at(now) else None
    else:
        paused_until = now + timedelta(weeks=change.pause_weeks) if change.pause_weeks else None
    store.subscribers.set_preferences(
        subscriber.id, cadence=change.cadence, followed_authors=change.followed_authors,
        paused_until=paused_until,
    )
    for newsletter_id in change.subscribe_to:
        row, created = store.subscribers.insert_if_absent(
            Subscriber(email=subscriber.email, newsletter=newsletter_id, name=subscriber.name,
                       cadence=change.cadence, status=SubscriberStatus.ACTIVE), now)
        if not created and row.id is not None and row.status is not SubscriberStatus.ACTIVE:
            # The token proves the address is theirs: joining from here needs no new
            # confirmation mail (an old confirm link still could not do this).
            store.subscribers.set_status(row.id, SubscriberStatus.ACTIVE, now)
    for newsletter_id in change.unsubscribe_from:
        other = store.subscribers.get(subscriber.email, newsletter_id)
        if other is not None:
            unsubscribe(store, other, now, via="preferences")
    updated = store.subscribers.get_by_id(subscriber.id)
    assert updated is not None
    return updated


def leave(store: Store, subscriber: Subscriber, now: datetime) -> None:
    """The page's own unsubscribe button."""
    unsubscribe(store, subscriber, now, via="preferences")
