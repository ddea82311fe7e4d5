"""Cardinal numbers written in Arabic words, as author profiles print counts: «ثلاثون»,
«مئة وعشرون», «أحد عشر», «ألف ومئتا» — 1 to 999,999, masculine and feminine, every case
ending, و-joined compounds (with or without a space after و), hundreds joined
(«ثلاثمئة») or apart («ثلاث مئة»), مئة or مائة, and the dual of the counted noun
(«مقالان»: two).

Words are compared after :func:`fold`, which drops diacritics and tatweel and unifies the
letters pages spell either way (أ إ آ ٱ → ا, ى → ي, ة → ه). :func:`number_runs` finds each
run of number words and its value; whether a run is a count, a year or a date depends on
its neighbours and is decided by the caller (``text.numbers.article_count_in``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .folding import fold_letters

_WORD = re.compile(r"[\u0621-\u063a\u0641-\u064a\u066e-\u06d3]+")


fold = fold_letters  # what every text and every word below is compared in


class Kind(Enum):
    UNIT = "unit"          # 1-10, and the 1 or 2 of a teen («أحد» عشر)
    BOUND = "bound"        # «أحد», «إحدى», «اثنا»…: a number only before عشر or و + tens
    TENS = "tens"
    HUNDREDS = "hundreds"
    THOUSANDS = "thousands"


@dataclass(frozen=True)
class _Word:
    kind: Kind
    value: int             # for THOUSANDS: the value standing alone (0: never alone)
    scales: bool = False   # «مئة», «ألف», «آلاف», «ألفاً» multiply the number before them


def _lexicon() -> dict[str, _Word]:
    words: dict[str, _Word] = {}
    units = {3: ("ثلاث", "ثلاثه"), 4: ("اربع", "اربعه"), 5: ("خمس", "خمسه"),
             6: ("ست", "سته"), 7: ("سبع", "سبعه"), 8: ("ثمان", "ثماني", "ثمانيه"),
             9: ("تسع", "تسعه"), 10: ("عشر", "عشره")}
    for word in ("واحد", "واحده"):
        words[word] = _Word(Kind.UNIT, 1)
    for word in ("اثنان", "اثنين", "اثنتان", "اثنتين", "ثنتان", "ثنتين"):
        words[word] = _Word(Kind.UNIT, 2)
    for word in ("احد", "احدي"):
        words[word] = _Word(Kind.BOUND, 1)
    for word in ("اثنا", "اثني", "اثنتا", "اثنتي"):
        words[word] = _Word(Kind.BOUND, 2)
    for value, spellings in units.items():
        for word in spellings:
            words[word] = _Word(Kind.UNIT, value)
    tens = {20: "عشر", 30: "ثلاث", 40: "اربع", 50: "خمس", 60: "ست", 70: "سبع", 80: "ثمان",
            90: "تسع"}
    for value, stem in tens.items():
        for ending in ("ون", "ين"):
            words[stem + ending] = _Word(Kind.TENS, value)
    for hundred in ("مئه", "مائه"):
        words[hundred] = _Word(Kind.HUNDREDS, 100, scales=True)
        for ending in ("تان", "تين", "تا", "تي"):  # the dual and its construct form
            words[hundred[:-1] + ending] = _Word(Kind.HUNDREDS, 200)
        for value, spellings in units.items():
            if value < 10:
                for stem in spellings[:2]:
                    words[stem.removesuffix("ه") + hundred] = _Word(Kind.HUNDREDS, value * 100)
    words["الف"] = _Word(Kind.THOUSANDS, 1000, scales=True)
    # «ألفا مقال» (two thousand) alone, «أحد عشر ألفاً» (a multiplier) after a number.
    words["الفا"] = _Word(Kind.THOUSANDS, 2000, scales=True)
    words["الاف"] = _Word(Kind.THOUSANDS, 0, scales=True)  # «ثلاثة آلاف»; alone: no number
    for word in ("الفان", "الفين", "الفي"):
        words[word] = _Word(Kind.THOUSANDS, 2000)
    return {fold(word): meaning for word, meaning in words.items()}  # «مئة»: ئ folds too


_LEXICON = _lexicon()


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    joined: bool  # «و» before it
    word: _Word


@dataclass(frozen=True)
class NumberRun:
    """Number words side by side in a folded text; ``value`` None when they say no
    number («آلاف» alone: thousands; «أحد» alone: one of)."""
    start: int
    end: int
    value: int | None


def _lookup(word: str) -> tuple[bool, _Word | None]:
    if word in _LEXICON:
        return False, _LEXICON[word]
    if word.startswith("و") and word[1:] in _LEXICON:
        return True, _LEXICON[word[1:]]
    return False, None


def number_runs(folded: str) -> list[NumberRun]:
    """Every run of number words in ``folded`` (a :func:`fold`-ed text), in order."""
    runs: list[NumberRun] = []
    current: list[_Token] = []
    and_between = False
    previous_end = -1
    for match in _WORD.finditer(folded):
        contiguous = bool(current) and not folded[previous_end:match.start()].strip()
        if match.group() == "و" and contiguous:
            and_between, previous_end = True, match.end()
            continue
        joined, word = _lookup(match.group())
        if word is not None and contiguous:
            current.append(_Token(match.start(), match.end(), joined or and_between, word))
        else:
            if current:
                runs.append(_run(current))
            current = [_Token(match.start(), match.end(), joined, word)] if word else []
        and_between, previous_end = False, match.end()
    if current:
        runs.append(_run(current))
    return runs


def _run(tokens: list[_Token]) -> NumberRun:
    return NumberRun(tokens[0].start, tokens[-1].end, _value(tokens))


def _value(tokens: list[_Token]) -> int | None:
    total = group = 0  # thousands done; the part below a thousand being read
    for index, token in enumerate(tokens):
        word = token.word
        after_number = index > 0 and not token.joined  # «ثلاث مئة», «ثلاثة آلاف»
        if word.kind is Kind.BOUND:
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is None or not (
                    (not following.joined and following.word == _LEXICON["عشر"])
                    or (following.joined and following.word.kind is Kind.TENS)):
                return None
            group += word.value
        elif word.kind is Kind.THOUSANDS:
            if word.scales and after_number and group:
                total, group = total + group * 1000, 0
            elif word.value:
                total += word.value
            else:
                return None
        elif word.kind is Kind.HUNDREDS and word.scales and after_number and 0 < group < 10:
            group *= 100
        else:
            group += word.value
    return (total + group) or None
