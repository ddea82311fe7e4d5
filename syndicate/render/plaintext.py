"""The text/plain part of a digest: right-to-left line by line.

A plain-text paragraph takes its direction from its first strong character, so a
line starting with a Latin name or a digit would flip left-to-right. Every Arabic
line therefore starts with U+200F RIGHT-TO-LEFT MARK; URL lines, blank lines and
the ``-- `` signature separator stay plain (see ``bidi.rtl_lines``).

Links are printed in their ASCII form (``text.urls.ascii_url``, applied by the
templates' ``link`` filter): a raw Arabic path on a line
of its own would be laid out right to left, its segments reordered, and many
clients stop linkifying at the first non-ASCII character.
"""

from __future__ import annotations

import re

from .bidi import rtl_lines

_BLANK_RUNS = re.compile(r"\n{3,}")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
SIGNATURE_SEPARATOR = "-- "  # RFC 3676 §4.3: dash, dash, space, alone on its line


def one_line(value: str) -> str:
    """``value`` with line breaks and control characters turned into single spaces.

    Titles, names and excerpts come from pages and sign-up forms: a newline in one
    would start a line without the right-to-left mark (or forge a line of our own).
    """
    return " ".join(_CONTROLS.sub(" ", value).split())


def finish_text(raw: str) -> str:
    """Rendered text template → final text part: tidy blank lines, mark Arabic lines RTL."""
    lines = [
        SIGNATURE_SEPARATOR if line.rstrip() == "--" else line.rstrip()
        for line in raw.replace("\r\n", "\n").split("\n")
    ]
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
    return rtl_lines(text) + "\n"
