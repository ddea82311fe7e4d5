"""The MIME message: structure, RFC 2047 headers, List-* headers, stable Message-ID."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from syndicate.deliver.message import (
    ListHeaders,
    build_message,
    message_id,
    parse_sender,
    to_bytes,
)
from syndicate.errors import DeliveryError

from .delivery_helpers import parse

WHEN = datetime(2025, 9, 14, 4, 0, tzinfo=UTC)


def _message() -> bytes:
    built = build_message(
        sender="الواحة — مقالات الرأي <digest@alwaha.example>",
        to="reader@example.org",
        to_name="عائشة المري",
        subject="نشرة الواحة · العدد ١٢",
        text="\u200fمرحبًا\n\u200fمقال جديد\n",
        html='<html lang="ar" dir="rtl"><body><p>مرحبًا</p></body></html>',
        message_id=message_id("digest", "daily", 12, 7, domain="alwaha.example"),
        date=WHEN,
        reply_to="opinion@alwaha.example",
        list_headers=ListHeaders("<daily.alwaha.example>",
                                 "https://alwaha.example/unsubscribe/u.7.daily.68c63dc0.TY9UHaSrwq4UM1FJ7RHxhBg0",
                                 "unsubscribe@alwaha.example", "نشرة الواحة"),
    )
    return to_bytes(built)


def test_headers_are_ascii_on_the_wire_and_arabic_when_decoded() -> None:
    raw = _message()
    head = raw.split(b"\r\n\r\n", 1)[0]
    head.decode("ascii")  # RFC 2047: no raw UTF-8 in the header section
    assert b"=?utf-8?" in head
    msg = parse(raw)
    assert msg["Subject"] == "نشرة الواحة · العدد ١٢"
    assert msg["From"].addresses[0].display_name == "الواحة — مقالات الرأي"
    assert msg["From"].addresses[0].addr_spec == "digest@alwaha.example"
    assert msg["To"].addresses[0].display_name == "عائشة المري"
    assert msg["Reply-To"] == "opinion@alwaha.example"
    assert msg["Date"].datetime == WHEN
    assert msg["Message-ID"].startswith("<digest.daily.12.7.") and msg["Message-ID"].endswith(
        "@alwaha.example>")
    assert "<daily.alwaha.example>" in msg["List-Id"]
    unsubscribe = msg["List-Unsubscribe"]
    assert "<https://alwaha.example/unsubscribe/u.7.daily.68c63dc0.TY9UHaSrwq4UM1FJ7RHxhBg0>" in unsubscribe
    assert "<mailto:unsubscribe@alwaha.example?subject=unsubscribe>" in unsubscribe
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Long URLs stay URLs on the wire (never an RFC 2047 encoded-word).
    raw_header = head.split(b"List-Unsubscribe:", 1)[1].split(b"\r\nList-Unsubscribe-Post")[0]
    assert b"=?" not in raw_header and b"<https://alwaha.example/unsubscribe/" in raw_header


def test_structure_is_multipart_alternative_text_then_html_utf8() -> None:
    msg = parse(_message())
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    for part in parts:
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "base64"
    assert all(line.startswith("\u200f") for line in parts[0].get_content().splitlines())
    assert 'dir="rtl"' in parts[1].get_content()


def test_message_id_is_stable_and_distinct() -> None:
    first = message_id("digest", "daily", 3, 17, domain="alwaha.example")
    assert first == message_id("digest", "daily", 3, 17, domain="alwaha.example")
    assert first != message_id("digest", "daily", 3, 18, domain="alwaha.example")
    assert first != message_id("digest", "daily", 4, 17, domain="alwaha.example")


def test_bad_sender_and_naive_date_are_refused() -> None:
    with pytest.raises(DeliveryError):
        parse_sender("no address here")
    with pytest.raises(ValueError):
        build_message(sender="a <a@b.example>", to="c@d.example", to_name=None, subject="s",
                      text="t", html="<p>h</p>", message_id="<x@b.example>",
                      date=WHEN.replace(tzinfo=None))
    assert WHEN - timedelta(0) == WHEN


def test_long_arabic_headers_fold_and_decode_exactly() -> None:
    from email.header import decode_header, make_header

    subject = "نشرة الواحة اليومية · العدد ١٢: " + "مقال الرأي عن الطاقة والخليج " * 4
    built = build_message(
        sender='"O\'Brien, J." <j@alwaha.example>', to="r@example.org",
        to_name="اسم طويل جدًا لقارئ كريم من قراء الواحة الأوفياء منذ سنين",
        subject=subject + "\r\nBcc: victim@example.org", text="t", html="h",
        message_id="<x@alwaha.example>", date=WHEN)
    raw = to_bytes(built)
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert all(len(line) <= 78 for line in head.split("\r\n")), head
    assert "\r\nBcc:" not in head  # a newline in a title cannot start a header
    subject_raw = head.split("Subject: ", 1)[1].split("\r\nFrom:", 1)[0]
    decoded = str(make_header(decode_header(subject_raw.replace("\r\n", ""))))
    assert decoded == " ".join((subject + " Bcc: victim@example.org").split())
    msg = parse(raw)
    assert msg["From"].addresses[0].display_name == "O'Brien, J."
    to_raw = head.split("To: ", 1)[1].split("\r\nMessage-ID:", 1)[0].split("<")[0]
    assert str(make_header(decode_header(to_raw.replace("\r\n", "")))).strip() == (
        "اسم طويل جدًا لقارئ كريم من قراء الواحة الأوفياء منذ سنين")
    assert msg["To"].addresses[0].addr_spec == "r@example.org"
    assert built.recipient == "r@example.org" and built.sender == "j@alwaha.example"


def test_addresses_and_urls_that_would_break_headers_are_refused() -> None:
    common = {"sender": "W <w@alwaha.example>", "to_name": None, "subject": "s", "text": "t",
              "html": "h", "message_id": "<x@alwaha.example>", "date": WHEN}
    with pytest.raises(DeliveryError):
        build_message(to="a@b.example\r\nBcc: c@d.example", **common)  # type: ignore[arg-type]
    with pytest.raises(DeliveryError):
        build_message(to="عربي@b.example", **common)  # type: ignore[arg-type]
    with pytest.raises(DeliveryError):
        build_message(to="a@b.example", list_headers=ListHeaders(
            "<l.example>", "https://x.example/u/a>, <https://evil.example"), **common)  # type: ignore[arg-type]
    with pytest.raises(DeliveryError):  # a token that would end the mailto URL early
        build_message(to="a@b.example", list_headers=ListHeaders(
            "<l.example>", "https://x.example/u/a", "u@l.example",
            unsubscribe_token="u.1.daily.1.x>, <mailto:evil@example.org"), **common)  # type: ignore[arg-type]
    built = build_message(to="a@b.example", list_headers=ListHeaders(
        "<l.example>", "https://x.example/u/a", "u@l.example",
        unsubscribe_token="u.1.daily.1f.abc_-"), **common)  # type: ignore[arg-type]
    assert "<mailto:u@l.example?subject=unsubscribe%20u.1.daily.1f.abc_->" in str(
        built.parsed()["List-Unsubscribe"])
