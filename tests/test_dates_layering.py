"""Babel and hijridate stay inside syndicate.dates (one module per third-party library)."""

from __future__ import annotations

import re
from pathlib import Path

from syndicate.dates import default_digits, to_digits

ROOT = Path(__file__).resolve().parent.parent / "syndicate"
_IMPORT = re.compile(r"^\s*(?:import|from)\s+(babel|hijridate)\b", re.MULTILINE)


def test_babel_and_hijridate_only_in_dates() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "dates" not in path.relative_to(ROOT).parts[:1]
        and _IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_default_digits_per_locale() -> None:
    arab = {"ar-QA", "ar-SA", "ar-EG", "ar-LB", "ar-SY"}
    for locale in ("ar", "ar-QA", "ar-SA", "ar-AE", "ar-EG", "ar-LB", "ar-SY", "ar-MA", "ar-DZ"):
        assert default_digits(locale) == ("arab" if locale in arab else "latn"), locale
    assert default_digits("ar_TN") == "latn"
    assert to_digits("١٤/۰9/2025", "latn") == "14/09/2025"
    assert to_digits("14/09/2025", "arab") == "١٤/٠٩/٢٠٢٥"
