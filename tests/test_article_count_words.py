"""Article counts written as Arabic number words (issue 18 follow-up): «له ثلاثون مقالاً»,
«عدد مقالاته: مئة وعشرون», «أحد عشر مقالاً», «ألف ومئتا مقال» are read as numbers, and a
year or a date written in words next to them never is."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.core.collect import run_collect
from syndicate.store import Store
from syndicate.text.numbers import article_count_in

from .collect_helpers import Site, serve
from .linked_sites import BLOG_SOURCE, blog, write_config


@pytest.mark.parametrize(("text", "count"), [
    # The forms the issue names.
    ("له ثلاثون مقالاً", 30),
    ("عدد مقالاته: مئة وعشرون", 120),
    ("أحد عشر مقالاً", 11),
    ("ألف ومئتا مقال", 1200),
    # One and two: the counted noun alone in the dual, or «واحد» after it.
    ("مقالان", 2), ("لها مقالتان", 2), ("كتب مقالين", 2), ("تدوينتان", 2),
    ("له مقال واحد", 1), ("لها مقالة واحدة", 1),
    # Masculine and feminine, 3-10 and the teens.
    ("ثلاثة مقالات", 3), ("لها ثلاث مقالات", 3), ("عشرة مقالات", 10), ("لها عشر مقالات", 10),
    ("لها إحدى عشرة مقالة", 11), ("له اثنا عشر مقالاً", 12), ("لها اثنتا عشرة مقالة", 12),
    ("له اثني عشر مقالاً", 12), ("ثماني عشرة مقالة", 18), ("تسعة عشر مقالاً", 19),
    # Tens, units joined with و, with and without a space after it.
    ("له خمسة وعشرون مقالاً", 25), ("لها خمس وعشرون مقالة", 25),
    ("له واحد وعشرون مقالاً", 21), ("لها إحدى وثلاثون مقالة", 31),
    ("اثنان و تسعون مقالاً", 92), ("كتب أربعين مقالاً", 40), ("له تسعة وتسعون مقالاً", 99),
    # Hundreds: joined, apart, مائة spelling, dual and construct dual.
    ("ثلاثمئة وخمسة وأربعون مقالاً", 345), ("ثلاثمائة مقال", 300), ("ثلاث مئة مقال", 300),
    ("مائة مقال", 100), ("مئتا مقال", 200), ("مئتان وثلاث مقالات", 203),
    ("عدد المقالات: ثمانمئة وثمانية", 808), ("تسعمائة وتسعون مقالاً", 990),
    ("مئة وإحدى عشرة مقالة", 111),
    # Thousands.
    ("ألف مقال", 1000), ("ألفا مقال", 2000), ("ألفان وخمسمئة مقال", 2500),
    ("سبعة آلاف مقال", 7000), ("ثلاثة آلاف وأربعمئة واثنا عشر مقالاً", 3412),
    ("تسعة آلاف وتسعمئة وتسعة وتسعون مقالاً", 9999),
    # As pages print them: diacritics, tatweel, another alef or yeh spelling.
    ("لَهُ ثَلَاثُونَ مَقَالًا", 30), ("ثمانيَ عشرةَ مقالةً", 18), ("له ثلاثــون مقالاً", 30),
    ("لها احدى عشرة مقالة", 11), ("الف ومئتا مقال", 1200),
    # Digits still win where they are the nearest number.
    ("كتب ٤٢ مقالاً خلال ثلاث سنوات", 42), ("له ٣١ مقالاً", 31), ("ثلاثون", 30),
])
def test_article_counts_in_number_words(text: str, count: int) -> None:
    assert article_count_in(text) == count


@pytest.mark.parametrize(("text", "count"), [
    # A year in words after the word for a year or for joining is never the count…
    ("انضم عام ألفين وأربعة عشر", None),
    ("انضمت عام ألفين وأربعة عشر · لها ثلاثون مقالة", 30),
    ("منذ سنة ألفين وعشرين: خمسة وأربعون مقالاً", 45),
    ("له ٣١ مقالاً منذ عام ألفين", 31),  # not 31,000: «ألفين» is the year's, not the digits'
    # …nor a duration («ten years», «three months»)…
    ("يكتب منذ عشر سنوات", None),
    ("يكتب منذ عشر سنوات، له مئة وعشرون مقالاً", 120),
    ("له ثلاثون مقالاً في ثلاثة أشهر", 30),
    ("خمسة عشر عاماً من الكتابة و مقالان", 2),
    # …nor a day of a month, with or without an ordinal.
    ("انضم في الثالث عشر من مارس", None),
    ("انضم في ١١ مارس", None), ("يكتب منذ ٣ سنوات", None), ("انضمت في مارس ٢٠١٤", None),
    ("انضم في الحادي عشر من مارس ٢٠١٤ · له ثلاثون مقالاً", 30),
    ("انضمت في خمسة عشر رمضان · لها عشرون مقالة", 20),
    # «thousands of articles», «one of the articles» say no number.
    ("آلاف المقالات", None), ("أحد المقالات الأكثر قراءة", None),
])
def test_years_dates_and_durations_in_words_are_never_the_count(text: str,
                                                                  count: int | None) -> None:
    assert article_count_in(text) == count


# Every number 1-9999 written out as a grammar book does, for a masculine counted noun
# (مقال: «ثلاثة مقالات», «أحد عشر») and a feminine one (مقالة: «ثلاث مقالات», «إحدى عشرة»).
_UNITS = ("", "واحد", "اثنان", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثماني", "تسع")
_TENS = ("", "عشر", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون")


def _below_hundred(n: int, feminine: bool) -> str:
    unit, ten = n % 10, n // 10
    # 3-10 take the other gender's ending: ثلاثة مقالات, ثلاث مقالات.
    opposite = "" if feminine else "ة"
    if n == 10:
        return "عشر" + opposite
    if 10 < n < 20:
        first = {1: "إحدى" if feminine else "أحد", 2: "اثنتا" if feminine else "اثنا"}.get(
            unit, _UNITS[unit] + opposite)
        return f"{first} عشر{'ة' if feminine else ''}"
    if unit == 1:
        first = "إحدى" if feminine and ten else "واحدة" if feminine else "واحد"
    elif unit == 2:
        first = "اثنتان" if feminine else "اثنان"
    else:
        first = _UNITS[unit] + (opposite if unit else "")
    return " و".join(part for part in (first, _TENS[ten] if ten > 1 else "") if part)


def _in_words(n: int, feminine: bool) -> str:
    thousands, hundreds, rest = n // 1000, n // 100 % 10, n % 100
    parts = [{1: "ألف", 2: "ألفان"}.get(thousands, f"{_UNITS[thousands]}ة آلاف")
             if thousands else "",
             {1: "مئة", 2: "مئتان"}.get(hundreds, f"{_UNITS[hundreds].removesuffix('ي')}مئة")
             if hundreds else "",
             _below_hundred(rest, feminine) if rest else ""]
    return " و".join(part for part in parts if part)


def test_every_count_from_one_to_9999_in_words() -> None:
    assert _in_words(3412, feminine=False) == "ثلاثة آلاف وأربعمئة واثنا عشر"
    assert _in_words(1811, feminine=True) == "ألف وثمانمئة وإحدى عشرة"
    wrong = [(n, feminine) for n in range(1, 10_000) for feminine in (False, True)
             if article_count_in(f"{'لها' if feminine else 'له'} "
                                 f"{_in_words(n, feminine)} {'مقالة' if feminine else 'مقالاً'}")
             != n]
    assert wrong == []


NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    root = blog(tmp_path / "blog")
    # Salma's profile says it in words, beside the year she joined, also in words.
    salma = root / "u" / "salma-alhajri.html"
    salma.write_text(salma.read_text(encoding="utf-8").replace(
        "انضمت عام ٢٠١٤ · لها ٣١ مقالاً", "انضمت عام ألفين وأربعة عشر · لها إحدى وثلاثون مقالة"),
        encoding="utf-8")
    noura = root / "u" / "noura-almarri.html"
    noura.write_text(noura.read_text(encoding="utf-8").replace(
        "لها ١٬٠٤٢ مقالة", "لها ألف واثنتان وأربعون مقالة"), encoding="utf-8")
    with serve(root, host="127.0.0.2") as served:
        yield served


def test_author_pages_counts_in_words_are_stored_as_numbers(tmp_path: Path, site: Site) -> None:
    config = write_config(tmp_path, BLOG_SOURCE.format(base=site.base))
    store = Store.open(config.store_url)
    try:
        run_collect(config, store, clock=fixed_clock(NOW))
        by_title = {c.title: c for c in store.columns.list()}
        assert by_title["الماء أولاً"].author.article_count == 31
        assert by_title["حرّ المدن"].author.article_count == 1042
    finally:
        store.close()
