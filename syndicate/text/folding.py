"""Arabic text folded for *comparison only* (duplicates); stored text stays as published.

The same column often reappears with a tatweel added (``الـــدوحة``), harakat, or
another spelling of alef / ya / ta marbuta; these keys make those one.
"""

from __future__ import annotations

import re
import unicodedata

from .digits import to_latin

_TATWEEL = "\u0640"
# Harakat, Quranic marks and the superscript alef.
_DIACRITICS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]")
_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ی": "ي", "ئ": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ک": "ك",
})
_NOT_WORD = re.compile(r"[^\w]+")
_TITLES = re.compile(r"^(?:د|ا\s*د|م|ا)\s*\.\s*")  # د. أ.د. م. before a name


def fold_letters(text: str) -> str:
    """``text`` without tatweel or diacritics, its letter variants unified; digits,
    punctuation and spacing as they were (for readers that look at words in place)."""
    return _DIACRITICS.sub("", text.replace(_TATWEEL, "")).translate(_LETTERS)


def fold(text: str) -> str:
    """Lower-case, digit-, letter- and space-normalised text without marks or punctuation."""
    text = fold_letters(unicodedata.normalize("NFKC", text))
    text = to_latin(text).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def fold_name(name: str) -> str:
    """A person's name folded, without a leading title such as ``د.``."""
    text = fold_letters(unicodedata.normalize("NFKC", name)).strip()
    return fold(_TITLES.sub("", text))


def dedupe_key(author: str, title: str) -> str:
    """Two columns with the same key are the same column published twice."""
    return f"{fold_name(author)}|{fold(title)}"
