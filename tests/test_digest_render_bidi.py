"""Bidi helpers: which runs are isolated, and that nothing is lost or unescaped."""

from __future__ import annotations

import html
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from syndicate.render.bidi import FSI, PDI, RLM, bdi_html, isolate_text, rtl_lines, runs
from syndicate.render.plaintext import finish_text, one_line


def ltr(text: str) -> list[str]:
    return [piece for piece, is_ltr in runs(text) if is_ltr]


def test_latin_names_keep_their_inner_punctuation() -> None:
    assert ltr("مقال عن Al-Sharq 2025. وغيره") == ["Al-Sharq 2025"]
    assert ltr("كتب J. R. R. Tolkien وغيره") == ["J. R. R. Tolkien"]
    assert ltr("شركة AT&T في الدوحة") == ["AT&T"]


def test_numbers_and_percent_stay_in_the_arabic_flow() -> None:
    assert ltr("نسبة 20% من السكان عام 1648،") == []
    assert ltr("بلغ 1,648.5 مليون") == []
    assert ltr("المشاهدات ٤١٤ و١٬٢٤٢") == []


def test_urls_and_addresses_are_one_run_without_sentence_punctuation() -> None:
    assert ltr("زوروا https://al-sharq.com/opinion/1?a=b&c=d). الآن") == [
        "https://al-sharq.com/opinion/1?a=b&c=d"
    ]
    assert ltr("راسلونا على opinion@al-sharq.example، شكرًا") == ["opinion@al-sharq.example"]
    assert ltr("الموقع www.al-sharq.com.") == ["www.al-sharq.com"]


def test_bdi_html_escapes_and_wraps() -> None:
    assert bdi_html("عن Al-Sharq") == "عن <bdi>Al-Sharq</bdi>"
    assert bdi_html('<b a="1">') == '&lt;<bdi>b a</bdi>=&quot;1&quot;&gt;'
    assert bdi_html("نص عربي فقط") == "نص عربي فقط"


def test_isolates_and_line_marks() -> None:
    assert isolate_text("بقلم Sara Lindqvist") == f"بقلم {FSI}Sara Lindqvist{PDI}"
    assert rtl_lines("أ\n2025 سنة\n\nB") == f"{RLM}أ\n{RLM}2025 سنة\n\nB"
    assert rtl_lines(f"{RLM}أ") == f"{RLM}أ"


def test_finish_text_tidies_and_marks_arabic_lines() -> None:
    out = finish_text("\n\nعنوان  \n\n\n\nhttps://x.example/1\n")
    assert out == f"{RLM}عنوان\n\nhttps://x.example/1\n"
    assert one_line("اسم\r\nBcc: x@y\x00") == "اسم Bcc: x@y"


@given(st.text())
def test_runs_lose_nothing(text: str) -> None:
    assert "".join(piece for piece, _ in runs(text)) == text


@given(st.text())
def test_bdi_html_is_the_escaped_text_plus_tags(text: str) -> None:
    out = bdi_html(text)
    assert html.unescape(re.sub(r"</?bdi>", "", out)) == text
    assert "<" not in re.sub(r"</?bdi>", "", out)
    assert out.count("<bdi>") == out.count("</bdi>")


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_text_part_arabic_lines_always_start_right_to_left(text: str) -> None:
    out = finish_text(isolate_text(text))
    for line in out.rstrip("\n").split("\n"):
        arabic = any(unicodedata.bidirectional(c) in ("R", "AL") for c in line)
        assert line.startswith(RLM) == arabic, line
