"""The Gmail-clip budget is checked on ``encoded_size``: it must be what is sent."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

import pytest

from syndicate.render.digest_segment import encoded_size


@pytest.mark.parametrize("text", ["<p>عربي</p>", "<p>عربي</p>\n", "a\r\nb\rc\n\nd",
                                  "x" * 200, "نص " * 40 + "\n"])
@pytest.mark.parametrize("cte", ["base64", "quoted-printable"])
def test_encoded_size_is_what_the_email_package_sends(text: str, cte: str) -> None:
    """Gmail's clip is checked on this estimate: the email package ends the body with a
    line break whether or not the text had one (found when a footer change moved the
    HTML's length across a base64 boundary)."""
    message = EmailMessage(policy=SMTP)
    message.set_content(text, subtype="html", cte=cte)
    body = message.as_bytes().split(b"\r\n\r\n", 1)[1]
    assert len(body) == encoded_size(text, cte)  # type: ignore[arg-type]
