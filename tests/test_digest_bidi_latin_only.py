"""Bidi (issue 13 item 6): only Latin-script runs are isolated; numbers stay in the Arabic flow.

`<bdi>` around `%90` prints `90%` in clients that honour it (Apple Mail, browsers)
and `%90` in those that ignore it (Gmail, Outlook): one digest, two orders. Numbers,
percentages and Arabic-Indic digits are therefore never isolated; the same rule
holds for FSI/PDI in the text part.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndicate.render.bidi import FSI, PDI, RLM, bdi_html, isolate_text, rtl_lines, runs
from syndicate.render.plaintext import finish_text


def isolated(text: str) -> list[str]:
    return [piece for piece, is_ltr in runs(text) if is_ltr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ارتفعت النسبة إلى %90 هذا العام", []),
        ("ارتفعت النسبة إلى 90% هذا العام", []),
        ("تراجع الإنتاج ١٥٪ في الربع الأول", []),
        ("بلغ 1,648.5 مليون ريال عام 2030", []),
        ("قررت OPEC+ خفض الإنتاج", ["OPEC+"]),
        ("بقلم Sara Lindqvist، باحثة", ["Sara Lindqvist"]),
        ("إنفاق R&D في قطر", ["R&D"]),
        ("التفاصيل على https://al-sharq.example/opinion/1?a=1&b=2. شكرًا",
         ["https://al-sharq.example/opinion/1?a=1&b=2"]),
        ("راسلونا على opinion@al-sharq.example، شكرًا", ["opinion@al-sharq.example"]),
        ("نموذج ChatGPT 4 في غرف الأخبار", ["ChatGPT 4"]),
    ],
)
def test_only_latin_script_runs_are_isolated(text: str, expected: list[str]) -> None:
    assert isolated(text) == expected


def test_html_and_text_follow_the_same_rule() -> None:
    sample = "قررت OPEC+ رفع الحصة %90 و١٥٪ بحسب Sara Lindqvist"
    assert bdi_html(sample) == (
        "قررت <bdi>OPEC+</bdi> رفع الحصة %90 و١٥٪ بحسب <bdi>Sara Lindqvist</bdi>"
    )
    assert isolate_text(sample) == (
        f"قررت {FSI}OPEC+{PDI} رفع الحصة %90 و١٥٪ بحسب {FSI}Sara Lindqvist{PDI}"
    )
    assert bdi_html("إنفاق R&D") == "إنفاق <bdi>R&amp;D</bdi>"


def test_rtl_mark_only_on_arabic_lines() -> None:
    text = "\n".join([
        "عنوان المقال",
        "2030 عام التحول",
        f"{FSI}Sara Lindqvist{PDI} — باحثة",
        "",
        "https://al-sharq.example/opinion/1",
        "-- ",
        "mailto:unsubscribe@al-sharq.example",
    ])
    assert rtl_lines(text).split("\n") == [
        f"{RLM}عنوان المقال",
        f"{RLM}2030 عام التحول",
        f"{RLM}{FSI}Sara Lindqvist{PDI} — باحثة",
        "",
        "https://al-sharq.example/opinion/1",
        "-- ",
        "mailto:unsubscribe@al-sharq.example",
    ]


def test_finish_text_keeps_the_signature_separator() -> None:
    out = finish_text("نص\n\n-- \nوصلتك هذه الرسالة\nhttps://x.example/u/1\n")
    assert out == f"{RLM}نص\n\n-- \n{RLM}وصلتك هذه الرسالة\nhttps://x.example/u/1\n"


@given(st.text(alphabet=st.sampled_from(
    list("0123456789٠١٢٣٤٥٦٧٨٩%٪.,+-/ ،؛") + list("نسبةالعامفيمنإلى"))))
def test_numbers_are_never_isolated(text: str) -> None:
    assert isolated(text) == []
    assert bdi_html(text).count("<bdi>") == 0


@given(st.text())
def test_every_isolated_run_starts_with_a_latin_letter(text: str) -> None:
    for piece in isolated(text):
        assert unicodedata.bidirectional(piece[0]) == "L" or piece.lower().startswith(
            ("http", "mailto", "www")) or "@" in piece, piece
