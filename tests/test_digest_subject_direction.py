"""A subject or preheader that opens with a Latin name still reads right to left.

Found by the issue-13 acceptance audit: with the lead headline first, a column titled
"Sara Lindqvist: ما تعلمته…" gave a subject whose first strong character is Latin, so
an inbox that takes a line's direction from it (Apple Mail, Gmail's dir="auto") lays
it out left to right: the name on the left, the Arabic after it reading backwards
from the name. U+200F first makes the line right to left; Arabic-led subjects, which
need nothing, are left exactly as they were.
"""

from __future__ import annotations

from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage

from syndicate.render.bidi import RLM
from syndicate.render.digest_model import build_content
from syndicate.render.digest_subject import (
    SUBJECT_VISIBLE,
    Heading,
    heading_for,
    visible_length,
)

from .digest_render_helpers import NOW, make_columns, newsletter

LATIN_LED = "Sara Lindqvist: ما تعلمته من عشر سنوات في الدوحة"


def heading(title: str, **nl: object) -> Heading:
    columns = make_columns(3)
    columns[0] = replace(columns[0], title=title)
    content = build_content(newsletter(**nl), columns, [], issue_number=4, now=NOW,
                            base_url="https://news.example/")
    return heading_for(content)


def test_a_latin_led_subject_starts_right_to_left() -> None:
    subject = heading(LATIN_LED).subject
    assert subject == RLM + LATIN_LED  # 62 characters with " ومقالان آخران": left out
    assert visible_length(subject) <= SUBJECT_VISIBLE
    # The mark survives the header's encoding.
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert str(parsed["Subject"]) == subject


def test_a_latin_led_preheader_starts_right_to_left() -> None:
    preheader = heading(LATIN_LED, preheader="{{ lead }}").preheader
    assert preheader == RLM + LATIN_LED


def test_arabic_led_subjects_are_unchanged() -> None:
    title = "دبلوماسية التحالفات: OPEC+ و%90 من الإنتاج"
    assert heading(title).subject == title + " ومقالان آخران"
