"""Keep Latin names, numbers and URLs readable inside right-to-left Arabic text.

The Unicode bidi algorithm lays out a Latin run inside Arabic correctly on its own,
but neutral characters at the run's edges (a space, a full stop, a percent sign, the
hyphen in "Al-Sharq", the slashes of a URL) are resolved against the *surrounding*
text and can jump to the wrong side: "Al-Sharq 2025." may print as ".2025 Al-Sharq".
Isolating each left-to-right run stops that:

* HTML: ``<bdi>…</bdi>`` (every mail client we target honours it, and where it is
  unknown it is harmless inline markup);
* plain text: U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE, and
  U+200F RIGHT-TO-LEFT MARK at the start of each line, because a plain-text
  paragraph takes its direction from its first strong character.

Everything here is a pure function of its text argument.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator

RLM = "\u200f"
FSI = "\u2068"
PDI = "\u2069"

# URLs and e-mail addresses are one run each, whatever their punctuation.
_LINK = re.compile(
    r"(?:https?://|mailto:|www\.)[^\s<>\"'«»]+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    re.IGNORECASE,
)
# Punctuation a URL may end a sentence with: not part of the link.
_LINK_TAIL = ".,;:!?)]}،؛؟"
# Characters that may sit *inside* a Latin run (between two Latin letters or digits)
# without ending it: "Al-Sharq", "J. R. R. Tolkien", "1,648.5", "24/7", "AT&T".
_JOINERS = frozenset(" \u00a0.,'’&-_/:+#@")
# Allowed at the end of a run: "20%" keeps its percent sign with the number.
_TRAILERS = frozenset("%")


def _is_ltr(char: str) -> bool:
    """Strong left-to-right letters and European (Latin) digits."""
    return unicodedata.bidirectional(char) in ("L", "EN")


def _latin_runs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal left-to-right run in ``text`` (no links inside)."""
    i, n = 0, len(text)
    while i < n:
        if not _is_ltr(text[i]):
            i += 1
            continue
        start = i
        last = i  # index of the last strong character of the run
        j = i + 1
        while j < n and (_is_ltr(text[j]) or text[j] in _JOINERS):
            if _is_ltr(text[j]):
                last = j
            j += 1
        end = last + 1
        while end < n and text[end] in _TRAILERS:
            end += 1
        yield start, end
        i = end


def runs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_ltr) pairs; joining the pieces gives ``text`` back."""
    out: list[tuple[str, bool]] = []
    pos = 0

    def plain(segment: str) -> None:
        cursor = 0
        for start, end in _latin_runs(segment):
            if start > cursor:
                out.append((segment[cursor:start], False))
            out.append((segment[start:end], True))
            cursor = end
        if cursor < len(segment):
            out.append((segment[cursor:], False))

    for match in _LINK.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _LINK_TAIL:
            end -= 1
        if end <= start or start < pos:
            continue
        plain(text[pos:start])
        out.append((text[start:end], True))
        pos = end
    plain(text[pos:])
    return out


def bdi_html(text: str) -> str:
    """``text`` HTML-escaped, each left-to-right run wrapped in ``<bdi>``."""
    parts = []
    for piece, ltr in runs(text):
        escaped = html.escape(piece, quote=True)
        parts.append(f"<bdi>{escaped}</bdi>" if ltr else escaped)
    return "".join(parts)


def isolate_text(text: str) -> str:
    """``text`` with each left-to-right run between U+2068 and U+2069 (plain text)."""
    return "".join(f"{FSI}{piece}{PDI}" if ltr else piece for piece, ltr in runs(text))


def rtl_lines(text: str) -> str:
    """Every line starting with U+200F, so each stays right-to-left on its own.

    Blank lines get the mark too: some clients re-flow paragraphs, and a line that is
    "empty" but for the mark is still a right-to-left paragraph.
    """
    lines = text.split("\n")
    return "\n".join(line if line.startswith(RLM) else RLM + line for line in lines)
