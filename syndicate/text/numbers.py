"""Counts as newspapers print them: ``1,234``, ``١٬٢٣٤``, ``1.2 ألف``, ``٣ آلاف``, ``12K``.

A count that is not there, or not readable, is ``None`` (unknown), never 0: a zero
would rank a column as unread in "most read" lists.
"""

from __future__ import annotations

import re

from .digits import to_latin

_NUMBER = re.compile(r"\d+(?:[.,٬٫'’\u00a0\u202f]\d+)*")
_MULTIPLIERS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"مليار|مليارات|billion|\bbn\b|\d\s*[bB]\b"), 1_000_000_000),
    (re.compile(r"مليون|ملايين|million|\d\s*[mM]\b"), 1_000_000),
    (re.compile(r"[أا]لف|آلاف|الاف|[أا]لفا|thousand|\d\s*[kK]\b|\bك\b"), 1_000),
)


def _multiplier(text: str) -> int:
    for pattern, factor in _MULTIPLIERS:
        if pattern.search(text):
            return factor
    return 1


def _value(number: str, scaled: bool) -> float:
    # ٫ and . are decimal points; ٬ , and spaces group thousands — except "1,5 ألف",
    # where a comma followed by other than three digits can only be a decimal comma.
    number = number.replace("٫", ".")
    groups = re.split(r"[,٬'’\u00a0\u202f]", number)
    if scaled and len(groups) == 2 and len(groups[1]) != 3 and "." not in number:
        return float(f"{groups[0]}.{groups[1]}")
    return float("".join(groups))


def parse_count(text: str | None) -> int | None:
    """The count in ``text``, or None when there is none."""
    if text is None:
        return None
    latin = to_latin(text).strip()
    if not latin:
        return None
    factor = _multiplier(latin)
    match = _NUMBER.search(latin)
    if match is None:
        # "ألف مشاهدة" (a thousand views) is a count without digits.
        return factor if factor > 1 else None
    try:
        value = _value(match.group(0).strip(), factor > 1)
    except ValueError:
        return None
    return round(value * factor)


_ARTICLES_WORD = re.compile(r"مقال|مقالة|مقالات|تدوين|كتابات|articles?|posts?|columns?",
                            re.IGNORECASE)
_YEAR_WORD = re.compile(r"(منذ|عام|سنة|انضم|انضمت|since|joined|member|في)\W*$", re.IGNORECASE)


def article_count_in(text: str | None) -> int | None:
    """An author's article count as profiles print it (``له ٣١ مقالاً``, ``لها ١٬٠٤٢
    مقالة``, ``عدد المقالات: ١٨٤``): the number nearest the word for articles, never a
    year they joined in (``انضم عام ٢٠١٤``, ``since 2009``) next to it."""
    if text is None:
        return None
    latin = to_latin(text)
    numbers = list(_NUMBER.finditer(latin))
    if len(numbers) <= 1:
        if numbers and _is_year(latin, numbers[0]):
            return None
        return parse_count(text)
    words = list(_ARTICLES_WORD.finditer(latin))
    candidates = [(index, m) for index, m in enumerate(numbers) if not _is_year(latin, m)]
    if not candidates:
        return None

    def distance(match: re.Match[str]) -> int:
        gaps = [w.start() - match.end() if w.start() >= match.end() else match.start() - w.end()
                for w in words]
        return min(gaps, default=0)

    index, chosen = min(candidates, key=lambda pair: (distance(pair[1]), pair[0]))
    stop = numbers[index + 1].start() if index + 1 < len(numbers) else len(latin)
    return parse_count(latin[chosen.start():stop])


def _is_year(text: str, match: re.Match[str]) -> bool:
    digits = match.group(0)
    return (len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2100
            and bool(_YEAR_WORD.search(text[max(0, match.start() - 20):match.start()])))
