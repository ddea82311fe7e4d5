"""Relative times ("قبل ٣ ساعات") in the locale, via Babel's CLDR relativeTime data."""

from __future__ import annotations

from datetime import timedelta

from babel.dates import format_timedelta

from syndicate.dates.digits import Digits, resolve_digits, to_digits
from syndicate.dates.names import locale_names


def format_relative(
    delta: timedelta, *, locale: str = "ar-QA", digits: Digits | None = None
) -> str:
    """How long ago something happened: ``delta = now - published``.

    A positive delta is in the past (``قبل ٣ ساعات``), a negative one in the future
    (``خلال ٣ ساعات``). Wording is CLDR's, the same as ICU's ``Intl.RelativeTimeFormat``;
    digits follow the locale default unless ``digits`` says otherwise.
    """
    names = locale_names(locale)
    nu = resolve_digits(digits, names.default_digits)
    # Babel's sign convention is the opposite: negative means "ago".
    text = format_timedelta(-delta, add_direction=True, locale=names.tag.replace("-", "_"))
    return to_digits(str(text), nu)
