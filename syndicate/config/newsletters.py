"""`newsletters:` and `delivery:` — digests and how they leave the machine."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from ..text.digits import Digits
from ..text.templating import check_template
from ..types import Calendar
from .base import Model, Secret


def _locale(tag: str) -> str:
    # Checked at load: a typo ("ar-QAT") would otherwise surface at 07:00 as a failed digest.
    from ..dates import default_digits
    from ..errors import DateParseError

    try:
        default_digits(tag)
    except DateParseError as exc:
        raise ValueError(f"{tag!r}: unknown or non-Arabic locale; use e.g. ar-QA, ar-SA, ar-EG") from exc
    return tag


def _address(text: str) -> str:
    # "الواحة <digest@alwaha.example>" or a bare address; anything else breaks From/Reply-To.
    _name, address = parseaddr(text)
    local, _, domain = address.rpartition("@")
    if not local or "." not in domain or " " in address:
        raise ValueError(
            f"{text!r} is not an e-mail address: write e.g. \"الواحة <digest@example.org>\""
        )
    return text


def _template(source: str) -> str:
    # Compiled at load: a stray "{{" must not surface at 07:00 as a failed digest.
    return check_template(source)


Address = Annotated[str, AfterValidator(_address)]
Template = Annotated[str, AfterValidator(_template)]
Locale = Annotated[str, AfterValidator(_locale)]
DatesShown = Literal[Calendar, "both"]  # a newsletter's dates: one calendar, or both
Section = Literal["new", "most_read"]


class Newsletter(Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    title: str
    sender: Address  # "اسم <address@example.org>"
    reply_to: Address | None = None
    locale: Locale = "ar-QA"
    calendar: DatesShown = "both"
    hijri_adjustment: int = Field(default=0, ge=-2, le=2)
    digits: Digits | None = None  # default: the locale's
    sources: list[str] = Field(default_factory=list)  # empty = all
    authors: list[str] = Field(default_factory=list)  # author slugs; empty = all
    sections: list[Section] = Field(default_factory=lambda: list[Section](["new", "most_read"]))
    max_items: int = Field(default=20, ge=1, le=200)
    most_read_days: int = Field(default=7, ge=1, le=90)
    most_read_items: int = Field(default=5, ge=1, le=50)
    template: str = "digest.mjml.j2"
    excerpt_chars: int = Field(default=280, ge=40, le=2000)
    seed_subscribers: str | None = None  # CSV imported when absent (sample data)
    bounce_limit: int = Field(default=3, ge=1, le=100)
    paused: bool = False
    # Subject and preheader (Jinja2; see docs/configuration.md for the variables):
    # unset = the lead headline first, and its authors with the lead excerpt.
    subject: Annotated[Template, Field(min_length=1, max_length=500)] | None = None
    preheader: Annotated[Template, Field(min_length=1, max_length=1000)] | None = None
    edition: Literal["daily", "weekly"] = "daily"  # weekly: date range, the week's ranking
    # Sender's postal address, shown in every footer; required for production sending
    # (CAN-SPAM, Gmail/Yahoo bulk-sender rules): `schedules check` warns without it.
    postal_address: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    images: Literal["authors", "lead"] = "authors"  # lead: each column's own image too


class SmtpSettings(Model):
    host: str
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password: Secret | None = None
    connections: int = Field(default=3, ge=1, le=20)
    rate_per_s: float = Field(default=20.0, gt=0, le=10_000)
    timeout_s: float = Field(default=30.0, gt=0, le=600)
    retries: int = Field(default=3, ge=0, le=10)
    retry_backoff_s: float = Field(default=2.0, ge=0, le=600)  # doubles after each 4xx
    validate_certs: bool = True
    cert_bundle: str | None = None  # CA file for a relay with a private CA (path)


class DkimSettings(Model):
    """DKIM signing of every outgoing message (deliver/dkim.py, dkimpy)."""

    selector: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    domain: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")]
    private_key: Secret  # {env: DKIM_PRIVATE_KEY}: the PEM text of an RSA key


class DeliverySettings(Model):
    transport: Literal["maildir", "smtp"] = "maildir"
    maildir: str = "outbox"
    smtp: SmtpSettings | None = None
    unsubscribe_mailto: Address | None = None  # e.g. unsubscribe@example.org
    # Where the mail server delivers mail sent to unsubscribe_mailto (read by a
    # `run: unsubscribes` job); relative to schedules.yaml.
    unsubscribe_maildir: str | None = None
    rate_per_s: float | None = Field(default=None, gt=0, le=10_000)  # any transport; None = unpaced
    max_attempts: int = Field(default=5, ge=1, le=50)  # runs that retry a 4xx delivery
    dkim: DkimSettings | None = None  # sign From, To, Subject, List-Unsubscribe…
