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
