"""Counts as newspapers print them: ``1,234``, ``١٬٢٣٤``, ``1.2 ألف``, ``٣ آلاف``, ``12K``.

A count that is not there, or not readable, is ``None`` (unknown), never 0: a zero
would rank a column as unread in "most read" lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .digits import to_latin
from .number_words import fold, number_runs

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


_ARTICLES_WORD = re.compile(r"مقال|تدوين|كتابات|articles?|posts?|columns?", re.IGNORECASE)
# Texts are folded (number_words.fold) before these run: ة is ه, أ is ا, no diacritics.
_DUAL_ARTICLES = re.compile(r"(?<!\w)و?(?:مقال|مقالت|تدوينت)(?:ان|ين)(?!\w)")  # «مقالان»: two
_YEAR_WORD = re.compile(r"(?<!\w)(منذ|عام|سنه|انضم|انضمت|since|joined|member|في)\W*$",
                        re.IGNORECASE)
_MONTHS = ("يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر|"
           "كانون|شباط|اذار|نيسان|ايار|حزيران|تموز|اب|ايلول|تشرين|"
           "محرم|صفر|ربيع|جمادي|رجب|شعبان|رمضان|شوال|ذو|ذي")
_MONTH_BEFORE = re.compile(rf"(?<!\w)(?:{_MONTHS})\s*$")
# A number followed by a unit of time or a month is a duration or a day, not a count.
_TIME_OR_MONTH_AFTER = re.compile(
    r"\s*(?:من\s+)?(?:سنه|سنوات|سنين|سنتين|سنتان|عام|عاما|اعوام|شهر|شهرا|اشهر|شهور|"
    r"اسبوع|اسبوعا|اسابيع|يوم|يوما|ايام|ساعه|ساعات|دقيقه|دقائق|عقد|عقود|"
    rf"years?|months?|weeks?|days?|{_MONTHS})(?!\w)", re.IGNORECASE)
_ORDINAL_BEFORE = re.compile(
    r"(?<!\w)ال(?:حادي|ثاني|ثالث|رابع|خامس|سادس|سابع|ثامن|تاسع|عاشر)ه?\s*$")
_DIGIT_BEFORE = re.compile(r"\d\s*$")  # «٣ آلاف»: the words scale the digits


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    value: int


def article_count_in(text: str | None) -> int | None:
    """An author's article count as profiles print it, in digits or words (``له ٣١
    مقالاً``, ``لها ١٬٠٤٢ مقالة``, ``عدد المقالات: ١٨٤``, ``له ثلاثون مقالاً``, ``ألف
    ومئتا مقال``, ``مقالان``): the number nearest the word for articles, never a year they
    joined in (``انضم عام ٢٠١٤``, ``since 2009``, ``عام ألفين وأربعة عشر``), a duration
    (``منذ عشر سنوات``) or a day of a month (``الحادي عشر من مارس``) next to it."""
    if text is None:
        return None
    folded = fold(to_latin(text))
    numbers = list(_NUMBER.finditer(folded))
    runs = [run for run in number_runs(folded)
            if not _DIGIT_BEFORE.search(folded, 0, run.start)]
    starts = sorted([m.start() for m in numbers] + [run.start for run in runs])
    candidates = []
    for match in numbers:
        if _is_year(folded, match) or _TIME_OR_MONTH_AFTER.match(folded, match.end()):
            continue
        # The digits' own words only («1.2 ألف»), not the next number's («منذ عام ألفين»).
        stop = next((start for start in starts if start > match.start()), len(folded))
        value = parse_count(folded[match.start():stop])
        if value is not None:
            candidates.append(_Candidate(match.start(), match.end(), value))
    for run in runs:
        if (run.value is not None and not _YEAR_WORD.search(folded, 0, run.start)
                and not _ORDINAL_BEFORE.search(folded, 0, run.start)
                and not _TIME_OR_MONTH_AFTER.match(folded, run.end)):
            candidates.append(_Candidate(run.start, run.end, run.value))
    candidates += [_Candidate(m.start(), m.end(), 2) for m in _DUAL_ARTICLES.finditer(folded)]
    if not candidates:
        return None
    words = list(_ARTICLES_WORD.finditer(folded))

    def distance(candidate: _Candidate) -> int:
        gaps = [max(w.start() - candidate.end, candidate.start - w.end(), 0) for w in words]
        return min(gaps, default=0)

    return min(candidates, key=lambda c: (distance(c), c.start)).value


def _is_year(text: str, match: re.Match[str]) -> bool:
    digits = match.group(0)
    return (len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2100
            and bool(_YEAR_WORD.search(text, 0, match.start())
                     or _MONTH_BEFORE.search(text, 0, match.start())))
