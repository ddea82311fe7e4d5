"""Digits: the locale's CLDR default numbering system, or an explicit choice.

Babel knows each locale's default numbering system but formats dates with Latin digits
regardless; ICU applies the default (ar-QA prints ١٤ سبتمبر ٢٠٢٥). We apply it ourselves.
Digit sets are CLDR's ``numberingSystems.xml`` entries for ``arab`` and ``latn``.
"""

from __future__ import annotations

from syndicate.errors import DateParseError
from syndicate.text.digits import Digits, to_digits, to_latin

__all__ = ["Digits", "default_digits", "resolve_digits", "to_digits", "to_latin"]


def resolve_digits(digits: str | None, default: str) -> Digits:
    """``digits`` if given, else the locale default; only arab and latn are supported."""
    choice = digits if digits is not None else default
    if choice == "arab":
        return "arab"
    if choice == "latn":
        return "latn"
    raise DateParseError(choice, "digits must be 'arab' or 'latn'")


def default_digits(locale: str) -> Digits:
    """The CLDR default numbering system of ``locale`` (ar-QA: arab, ar-MA: latn)."""
    from syndicate.dates.names import locale_names  # names needs no digits: no cycle

    return resolve_digits(None, locale_names(locale).default_digits)

