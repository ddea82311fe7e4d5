"""Bodies encoded once per segment and patched per subscriber decode to the same text."""

from __future__ import annotations

import base64
import random
import re

from syndicate.deliver.message import BodyTemplate, _b64_body

PIECES = ["", "a", "ab", "abc", "مرحبًا", "\n", "<p dir=\"rtl\">نص المقال</p>\n" * 40,
          "https://alwaha.example/unsubscribe/u.12.daily.x.sig", "ع" * 77, "x\r\ny\n"]


def _check(parts: tuple[str, ...], values: dict[str, str]) -> None:
    body = BodyTemplate(parts).fill(values)
    text = "".join(values[p] if i % 2 else p for i, p in enumerate(parts))
    expected = base64.b64decode(_b64_body(text))
    assert base64.b64decode(body) == expected
    lines = body.split(b"\r\n")
    assert all(0 < len(line) <= 76 for line in lines), [len(line) for line in lines]
    assert all(re.fullmatch(rb"[A-Za-z0-9+/]*", line) for line in lines[:-1])
    assert b"=" not in body.rstrip(b"=")  # padding only at the very end


def test_every_seam_of_every_length_decodes_to_the_filled_in_text() -> None:
    rng = random.Random(7)
    for _ in range(400):
        slots = rng.randint(0, 4)
        parts: list[str] = []
        values: dict[str, str] = {}
        for n in range(slots):
            parts.append(rng.choice(PIECES))
            name = f"S{n}"
            parts.append(name)
            values[name] = rng.choice(PIECES).replace("\n", "").replace("\r", "")
        parts.append(rng.choice(PIECES))
        _check(tuple(parts), values)


def test_a_real_sized_html_body() -> None:
    html = "<html dir=\"rtl\"><body>" + "<p>مقال رأي عن الطاقة والخليج</p>\n" * 2000
    _check((html, "NAME", "</p><a href=\"", "UNSUB", "\">إلغاء</a></body></html>"),
           {"NAME": "قارئ ١٢", "UNSUB": "https://alwaha.example/unsubscribe/u.1.daily.x.y"})
