"""Digits: the locale's CLDR default numbering system, or an explicit choice.

Babel knows each locale's default numbering system but formats dates with Latin digits
regardless; ICU applies the default (ar-QA prints ١٤ سبتمبر ٢٠٢٥). We apply it ourselves.
Digit sets are CLDR's ``numberingSystems.xml`` entries for ``arab`` and ``latn``.
"""

from __future__ import annotations

from typing import Literal

from syndicate.errors import DateParseError

Digits = Literal["arab", "latn"]

_ARAB = "٠١٢٣٤٥٦٧٨٩"
_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"  # CLDR "arabext": Iranian/Afghan pages and some CMSs use it
_LATN = "0123456789"

_TO_ARAB = str.maketrans(_LATN, _ARAB)
_TO_LATN = str.maketrans(_ARAB + _PERSIAN, _LATN * 2)


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


def to_digits(text: str, digits: Digits) -> str:
    """Rewrite every digit in ``text`` (Latin, Arabic-Indic or Persian) in ``digits``."""
    latin = text.translate(_TO_LATN)
    return latin.translate(_TO_ARAB) if digits == "arab" else latin


def to_latin(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII; other characters untouched."""
    return text.translate(_TO_LATN)
