"""Digit sets: Latin, Arabic-Indic (CLDR ``arab``) and Persian (CLDR ``arabext``).

The one place that knows the digit tables; which set a locale uses by default is a
CLDR question answered in ``syndicate.dates.default_digits``.
"""

from __future__ import annotations

from typing import Literal

Digits = Literal["arab", "latn"]

_ARAB = "٠١٢٣٤٥٦٧٨٩"
_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"  # CLDR "arabext": Iranian/Afghan pages and some CMSs use it
_LATN = "0123456789"

_TO_ARAB = str.maketrans(_LATN, _ARAB)
_TO_LATN = str.maketrans(_ARAB + _PERSIAN, _LATN * 2)


def to_digits(text: str, digits: Digits) -> str:
    """Rewrite every digit in ``text`` (Latin, Arabic-Indic or Persian) in ``digits``."""
    latin = text.translate(_TO_LATN)
    return latin.translate(_TO_ARAB) if digits == "arab" else latin


def to_latin(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII; other characters untouched."""
    return text.translate(_TO_LATN)
