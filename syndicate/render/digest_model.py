"""The pure data a digest template gets, and how subscribers share one render.

Nothing here touches Jinja2, MJML or premailer: ``build_content`` turns stored
``Column`` records into display-ready text (dates in the newsletter's calendar and
digits, view counts in the locale's digits, excerpts cut at a word) so that the
renderer only lays things out, and so that two subscribers whose digests would be
identical get *equal* ``DigestContent`` values.

Segments: ``DigestContent`` is frozen and hashable, so the delivery side can key a
dict of renders by it. A subscriber's content is ``content.for_authors(followed)``:
following authors narrows the "new" section; "most read this week" is the
newspaper-wide ranking for everyone (it is the discovery part of the digest).
Two subscribers who follow different authors but whose authors wrote the same
columns this issue therefore share a segment. ``segment_key`` gives a short stable
string for the same equality (logs, Message-ID, bench).

Dates: a column is dated, and the "new" section ordered, by the date readers see at
the issue's instant (``columns_policy.display_published``): a column dated in the
future shows when we first collected it, never tomorrow's date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from ..columns_policy import display_published, newest_first
from ..text.digits import Digits, to_digits
from ..text.sanitise import cut_text, url_with_scheme
from ..types import Calendar, Column

if TYPE_CHECKING:
    from ..config.newsletters import Newsletter

SectionName = Literal["new", "most_read"]
DigitSystem = Digits  # defined once, in text/digits.py
# daily: since the previous issue; weekly: a week's harvest with its date range;
# welcome: a newsletter's first issue, a few recent columns to start with.
Edition = Literal["daily", "weekly", "welcome"]
WEEK = timedelta(days=7)

# What greets a subscriber whose name we do not know ("our dear reader").
DEFAULT_GREETING_NAME = "قارئنا العزيز"



# Characters of an author's bio shown in a byline when they have no credentials.
BIO_IN_BYLINE = 120


@dataclass(frozen=True)
class DigestItem:
    """One column as a digest shows it; every text is ready to print."""

    title: str
    url: str
    author_name: str
    author_credentials: str | None
    author_image_url: str | None
    author_url: str | None
    excerpt: str
    dates_text: str  # in the newsletter's calendar(s) and digits
    views_text: str | None  # in the locale's digits; None = unknown (never "0")
    section: SectionName
    author_slug: str = ""  # for followed-authors filtering; not displayed
    lead_image_url: str | None = None  # the column's own image (``images: lead``)
    # A copy of a page on no configured host: where it was first published.
    original_url: str | None = None
    original_site: str | None = None  # that page's host, as shown


@dataclass(frozen=True)
class DigestFrame:
    """What frames every issue of one newsletter: subject and preheader templates,
    who sends it and from where, and the links of the footer."""

    subject_template: str = ""  # Jinja2; "" = the default (see render.digest_subject)
    preheader_template: str = ""
    sender_name: str = ""
    sender_address: str = ""
    postal_address: str = ""
    home_url: str = ""  # the newspaper's own site (site.home_url); "" = no such link
    issue_url: str = ""  # this issue on the web, no personal token ("view in browser")


@dataclass(frozen=True)
class DigestContent:
    """Everything one rendered digest shows except the per-subscriber tokens."""

    newsletter_id: str
    newsletter_title: str
    locale: str
    digits: DigitSystem
    issue_number: int
    issue_number_text: str  # the number in the newsletter's digits
    issue_date_text: str
    new_items: tuple[DigestItem, ...]
    most_read_items: tuple[DigestItem, ...]
    base_url: str
    trimmed: int = 0  # items left out to stay under Gmail's clip (see render.digest)
    trimmed_text: str = ""  # ``trimmed`` in the newsletter's digits
    edition: Edition = "daily"
    period_text: str = ""  # weekly: the week's range in both calendars
    period_brief_text: str = ""  # the same in one calendar (the preheader's room is short)
    frame: DigestFrame = DigestFrame()
    # A subscriber following chosen authors: the names of those in this issue. Only
    # names present in the issue, so two subscribers who see the same columns still
    # share one render.
    followed_names: tuple[str, ...] = ()
    filtered: bool = False

    @property
    def items(self) -> tuple[DigestItem, ...]:
        return self.new_items + self.most_read_items

    @property
    def is_empty(self) -> bool:
        """No new column: such a digest is not worth sending."""
        return not self.new_items

    @property
    def followed_text(self) -> str:
        """The followed authors of this issue as a footer names them: "أ، ب وج"."""
        return join_names(self.followed_names)

    def section(self, name: SectionName) -> tuple[DigestItem, ...]:
        return self.new_items if name == "new" else self.most_read_items

    def for_authors(self, followed: Iterable[str]) -> DigestContent:
        """This content as a subscriber following ``followed`` (slugs; empty = all) sees it."""
        wanted = frozenset(followed)
        if not wanted:
            return self
        kept = tuple(i for i in self.new_items if i.author_slug in wanted)
        names = tuple(dict.fromkeys(i.author_name for i in kept))
        return replace(self, new_items=kept, followed_names=names, filtered=True)

    def without_items(self, drop_most_read: int, drop_new: int) -> DigestContent:
        """Trimmed copy: the last items of each section go first, counted in ``trimmed``."""
        most_read = self.most_read_items[: len(self.most_read_items) - drop_most_read]
        new = self.new_items[: len(self.new_items) - drop_new]
        trimmed = self.trimmed + (len(self.most_read_items) - len(most_read))
        trimmed += len(self.new_items) - len(new)
        return replace(
            self,
            new_items=new,
            most_read_items=most_read,
            trimmed=trimmed,
            trimmed_text=number_text(trimmed, self.digits),
        )


def join_names(names: Sequence[str]) -> str:
    """"أ" / "أ وب" / "أ، ب وج" (the last joined with و, as Arabic writes lists)."""
    if len(names) <= 1:
        return "".join(names)
    return "، ".join(names[:-1]) + " و" + names[-1]


def segment_key(content: DigestContent) -> str:
    """A short stable id for a segment: equal contents give equal keys, across runs."""
    digest = hashlib.sha256()
    for part in (content.newsletter_id, str(content.issue_number), content.issue_date_text,
                 content.edition, "|".join(content.followed_names), str(content.filtered)):
        digest.update(part.encode())
        digest.update(b"\x00")
    for item in content.items:
        for part in (item.section, item.url, item.title, item.views_text or "-"):
            digest.update(part.encode())
            digest.update(b"\x00")
    digest.update(str(content.trimmed).encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class SubscriberTokens:
    """The per-subscriber values substituted into a rendered segment."""

    unsubscribe_url: str
    name: str | None = None
    preferences_url: str | None = None  # None: the unsubscribe page doubles as it
    email: str = field(default="", repr=False)


# -- building --------------------------------------------------------------------


def number_text(value: int, digits: DigitSystem) -> str:
    """``value`` grouped by thousands in ``digits`` (Arabic uses U+066C as separator)."""
    grouped = f"{value:,}"
    if digits == "arab":
        return to_digits(grouped.replace(",", "\u066c"), "arab")
    return grouped


def cut_excerpt(text: str, limit: int) -> str:
    """At most ``limit`` characters of plain text, cut at a word, with an ellipsis."""
    return cut_text(text, limit)


def locale_digits(newsletter: Newsletter) -> DigitSystem:
    """The newsletter's digits, else its locale's CLDR default (ar-QA: arab)."""
    if newsletter.digits is not None:
        return newsletter.digits
    from ..dates import default_digits  # lazy: Babel loads when a date is written

    return default_digits(newsletter.locale)


def format_when(when: datetime, newsletter: Newsletter, digits: DigitSystem, tz: str) -> str:
    """A day in the newsletter's calendar setting: hijri, gregorian or both."""
    from ..dates import format_combined, format_date  # lazy: Babel, as above

    if newsletter.calendar == "both":
        return format_combined(
            when,
            locale=newsletter.locale,
            digits=digits,
            tz=tz,
            hijri_adjustment=newsletter.hijri_adjustment,
        )
    return format_date(
        when,
        locale=newsletter.locale,
        calendar=newsletter.calendar,
        style="full",
        digits=digits,
        tz=tz,
        hijri_adjustment=newsletter.hijri_adjustment,
    )


def web_url(url: str | None) -> str | None:
    """``url`` if a mail client can fetch it (http or https), else None.

    A photo or profile link read through ``file://`` (the bundled sample site) or a
    ``javascript:`` link must not reach an e-mail: the photo is left out instead of
    showing as a broken image.
    """
    return url_with_scheme(url, ("http", "https"))


def build_item(
    column: Column,
    section: SectionName,
    newsletter: Newsletter,
    *,
    digits: DigitSystem,
    tz: str,
    now: datetime,
) -> DigestItem:
    """``now``: the issue's instant, which decides the date shown for a column dated
    in the future (``columns_policy``)."""
    author = column.author
    original = web_url(column.original_url)
    lead_image = web_url(column.image_url) if newsletter.images == "lead" else None
    return DigestItem(
        lead_image_url=lead_image,
        title=column.title,
        url=column.url,
        author_name=column.byline,  # "X و Y" with co-authors
        # No credentials on either page: the start of the author page's bio instead.
        author_credentials=author.credentials
        or (cut_text(author.bio, BIO_IN_BYLINE) if author.bio else None),
        author_image_url=web_url(author.image_url),
        author_url=web_url(author.url),
        excerpt=cut_excerpt(column.excerpt, newsletter.excerpt_chars),
        dates_text=format_when(display_published(column, now), newsletter, digits, tz),
        views_text=None if column.views is None else number_text(column.views, digits),
        section=section,
        author_slug=author.slug,
        original_url=original,
        original_site=urlsplit(original).hostname if original else None,
    )


def build_content(
    newsletter_cfg: Newsletter,
    columns_new: Sequence[Column],
    columns_most_read: Sequence[Column],
    *,
    issue_number: int,
    now: datetime,
    base_url: str,
    tz: str = "Asia/Qatar",
    edition: Edition | None = None,
    home_url: str = "",
) -> DigestContent:
    """The digest for one issue, before any per-subscriber narrowing.

    Sections the newsletter does not list stay empty; ``max_items`` caps "new" and
    ``most_read_items`` caps "most read" (the caller passes them ranked). In a daily,
    a column that is new in this issue is not repeated under "most read"; a weekly
    ranks the whole week, this issue's columns included (else a weekly, whose
    columns are all new, would never have that section). "New" is listed newest
    first by the date shown at ``now`` (a future-dated column by its first
    collection, not at the top).

    ``edition``: None picks it: the first issue welcomes, a newsletter with
    ``edition: weekly`` is weekly, else daily.
    """
    if edition is None:
        edition = edition_of(newsletter_cfg, issue_number)
    digits = locale_digits(newsletter_cfg)
    sections = set(newsletter_cfg.sections)
    new: tuple[DigestItem, ...] = ()
    if "new" in sections:
        new = tuple(
            build_item(c, "new", newsletter_cfg, digits=digits, tz=tz, now=now)
            for c in newest_first(columns_new[: newsletter_cfg.max_items], now)
        )
    most_read: tuple[DigestItem, ...] = ()
    if "most_read" in sections:
        new_urls = {item.url for item in new} if edition != "weekly" else set()
        ranked = [c for c in columns_most_read if c.url not in new_urls]
        most_read = tuple(
            build_item(c, "most_read", newsletter_cfg, digits=digits, tz=tz, now=now)
            for c in ranked[: newsletter_cfg.most_read_items]
        )
    return DigestContent(
        newsletter_id=newsletter_cfg.id,
        newsletter_title=newsletter_cfg.title,
        locale=newsletter_cfg.locale,
        digits=digits,
        issue_number=issue_number,
        issue_number_text=number_text(issue_number, digits).replace("\u066c", ""),
        issue_date_text=format_when(now, newsletter_cfg, digits, tz),
        new_items=new,
        most_read_items=most_read,
        base_url=base_url.rstrip("/"),
        edition=edition,
        period_text=week_text(now, newsletter_cfg, digits, tz) if edition == "weekly" else "",
        period_brief_text=(week_text(now, newsletter_cfg, digits, tz, brief=True)
                           if edition == "weekly" else ""),
        frame=frame_for(newsletter_cfg, base_url=base_url, home_url=home_url,
                        issue_number=issue_number, edition=edition),
    )


def edition_of(newsletter: Newsletter, issue_number: int) -> Edition:
    return edition_for(newsletter, issue_number, weekly=False)


def edition_for(newsletter: Newsletter, issue_number: int, *, weekly: bool) -> Edition:
    """The first issue welcomes; a weekly newsletter, or a subscriber who chose the
    weekly cadence of a daily one, gets the weekly; everyone else the daily."""
    if issue_number == 1:
        return "welcome"
    return "weekly" if weekly or newsletter.edition == "weekly" else "daily"


def week_text(end: datetime, newsletter: Newsletter, digits: DigitSystem, tz: str, *,
              brief: bool = False) -> str:
    """The week ending at ``end`` in both calendars, whatever ``calendar`` says:
    "من ١٦ ربيع الأول ١٤٤٧ هـ إلى ٢٢ ربيع الأول ١٤٤٧ هـ (من ٨ سبتمبر ٢٠٢٥ إلى ١٤ سبتمبر ٢٠٢٥ م)".

    ``brief``: in one calendar, the newsletter's first (Hijri unless it shows only
    Gregorian dates), for the preheader, whose ~150 characters the full range
    would mostly spend while the masthead states both."""
    from ..dates import format_date  # lazy: Babel, as in format_when

    start = end - WEEK + timedelta(days=1)

    def day(when: datetime, calendar: Calendar) -> str:
        return format_date(when, locale=newsletter.locale, calendar=calendar, style="long",
                           digits=digits, tz=tz, hijri_adjustment=newsletter.hijri_adjustment)

    hijri = f"من {day(start, 'hijri')} إلى {day(end, 'hijri')}"
    gregorian = f"من {day(start, 'gregorian')} إلى {day(end, 'gregorian')} م"
    if brief:
        return gregorian if newsletter.calendar == "gregorian" else hijri
    return f"{hijri} ({gregorian})"


WEEKLY_COPY = "weekly"  # the path segment of an issue's weekly harvest on the web


def issue_path(newsletter_id: str, issue_number: int, *, weekly: bool = False) -> str:
    """Where ``syndicate serve`` publishes an issue: stable, with no personal token.

    ``weekly``: the week's harvest that ends with this issue, as a subscriber on the
    weekly cadence of a daily newsletter got it (``/issues/<id>/<number>/weekly``).
    """
    path = f"/issues/{newsletter_id}/{issue_number}"
    return f"{path}/{WEEKLY_COPY}" if weekly else path


def frame_for(newsletter: Newsletter, *, base_url: str, home_url: str,
              issue_number: int, edition: Edition = "daily") -> DigestFrame:
    name, address = parseaddr(newsletter.sender)
    return DigestFrame(
        subject_template=newsletter.subject or "",
        preheader_template=newsletter.preheader or "",
        sender_name=name or newsletter.title,
        sender_address=address,
        postal_address=newsletter.postal_address or "",
        # No fallback to base_url: that is syndicate's own server (the feed list), and a
        # link labelled "the newspaper's site" must be the newspaper's site or absent.
        home_url=web_url(home_url) or "",
        # A weekly harvest of a daily newsletter links its own web copy: the daily
        # issue alone would show one day of the week the e-mail shows.
        issue_url=base_url.rstrip("/") + issue_path(
            newsletter.id, issue_number,
            weekly=edition == "weekly" and newsletter.edition != "weekly"),
    )
