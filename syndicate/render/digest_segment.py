"""A digest segment as rendered once: its parts, sizes, and what one subscriber's copy fills in.

``render/digest.py`` (Jinja2 → MJML → premailer) renders each segment once; this
holds the result, split at the per-subscriber tokens (``UNSUB``, ``PREFS``, ``NAME``),
and the byte arithmetic of a MIME body (Gmail clips at 102 KB). No template engine
here: filling a segment for 100,000 subscribers costs microseconds each.
"""

from __future__ import annotations

import html as html_lib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email import quoprimime
from typing import Literal

from ..errors import RenderError
from ..text.sanitise import url_with_scheme
from .bidi import isolate_text
from .digest_model import DEFAULT_GREETING_NAME, DigestContent, SubscriberTokens
from .plaintext import one_line

TransferEncoding = Literal["8bit", "base64", "quoted-printable"]

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_url(value: object) -> str:
    """A link target we are willing to print: http(s) or mailto, else ``#``."""
    return url_with_scheme(str(value or ""), _SAFE_SCHEMES) or "#"


def encoded_size(text: str, transfer_encoding: TransferEncoding) -> int:
    """Bytes ``text`` takes in a MIME body with ``transfer_encoding`` (UTF-8 charset)."""
    # As the email package lays a text body out before encoding it: its lines (split
    # at CR, LF or CRLF) each ending in a line break, the last one included. It then
    # sends CRLF line ends (counted below).
    lf = b"".join(line + b"\n" for line in text.encode("utf-8").splitlines())
    if transfer_encoding == "base64":
        raw_len = len(lf) + lf.count(b"\n")
        chars = 4 * math.ceil(raw_len / 3)
        return chars + 2 * math.ceil(chars / 76)  # 76-character lines, each ending in CRLF
    if transfer_encoding == "quoted-printable":
        # As email.contentmanager does it: 78-character lines (RFC 5322's limit).
        encoded = quoprimime.body_encode(lf.decode("latin-1"), 78)
        return len(encoded) + encoded.count("\n")
    return len(lf) + lf.count(b"\n")


@dataclass(frozen=True)
class RenderedSegment:
    """One segment's digest, rendered once, personalised per subscriber in microseconds.

    ``html_parts``/``text_parts`` alternate literal text (even indexes) and token
    names (odd indexes: ``UNSUB``, ``PREFS``, ``NAME``).
    """

    key: str
    subject: str
    content: DigestContent
    html_parts: tuple[str, ...]
    text_parts: tuple[str, ...]
    size_bytes: int  # UTF-8 bytes of the HTML, tokens still in place
    encoded_bytes: int  # the same in ``transfer_encoding``
    transfer_encoding: TransferEncoding
    over_budget: bool  # still over Gmail's clip after trimming every item it could

    @property
    def trimmed(self) -> int:
        return self.content.trimmed

    def personalise(self, tokens: SubscriberTokens) -> tuple[str, str]:
        """(html, text) for one subscriber; values escaped for HTML, isolated for text."""
        html_values, text_values = self.values(tokens)
        return _join(self.html_parts, html_values), _join(self.text_parts, text_values)

    def values(self, tokens: SubscriberTokens) -> tuple[dict[str, str], dict[str, str]]:
        """What fills the token slots of ``html_parts`` and ``text_parts`` for one subscriber."""
        unsubscribe = _checked_url(tokens.unsubscribe_url, "unsubscribe_url")
        preferences = (
            _checked_url(tokens.preferences_url, "preferences_url")
            if tokens.preferences_url
            else unsubscribe
        )
        name = one_line(tokens.name or "") or DEFAULT_GREETING_NAME
        html_values = {
            "UNSUB": html_lib.escape(unsubscribe, quote=True),
            "PREFS": html_lib.escape(preferences, quote=True),
            "NAME": html_lib.escape(name, quote=True),
        }
        text_values = {
            "UNSUB": unsubscribe,
            "PREFS": preferences,
            "NAME": isolate_text(name),
        }
        return html_values, text_values


_WHITESPACE = re.compile(r"\s")


def _checked_url(url: str, what: str) -> str:
    clean = url.strip()
    # Run per subscriber, twice: a regular expression, not a generator per character.
    if safe_url(clean) == "#" or _WHITESPACE.search(clean):
        raise RenderError(what, f"not an http(s) or mailto URL: {url!r}")
    return clean


def _join(parts: tuple[str, ...], values: Mapping[str, str]) -> str:
    out = list(parts)
    for i in range(1, len(out), 2):
        out[i] = values[out[i]]
    return "".join(out)
