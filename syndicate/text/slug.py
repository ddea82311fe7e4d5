"""ASCII slugs for author and source names, stable across runs.

Arabic names are transliterated letter by letter (a simplified, readable scheme):
slugs name files (``feeds/authors/<slug>.rss``) and URL paths, where plain ASCII
survives every web server, shell and mail client.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "i",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ة": "a", "و": "w", "ي": "y", "ى": "a", "پ": "p", "چ": "ch", "ڤ": "v",
    "گ": "g", "ک": "k", "ی": "y",
}


def slugify(name: str, *, max_length: int = 60) -> str:
    """``موضي مبارك`` → ``mudy-mbark``; Latin names keep their letters.

    Titles stay (``د. موضي مبارك`` → ``d-mudy-mbark``): two people whose names differ
    only by a doctorate are two people, and a slug is an identity.
    """
    text = unicodedata.normalize("NFKD", name.strip())
    out: list[str] = []
    for char in text:
        if char in _ARABIC:
            out.append(_ARABIC[char])
        elif unicodedata.category(char) == "Mn" or char == "\u0640":  # harakat, tatweel
            continue
        elif char.isascii() and char.isalnum():
            out.append(char.lower())
        elif char.isdigit():
            out.append(str(unicodedata.digit(char)))
        else:
            out.append("-")
    slug = re.sub(r"-{2,}", "-", "".join(out)).strip("-")[:max_length].strip("-")
    return slug or "author"
