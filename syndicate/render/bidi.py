"""Keep Latin names, codes and URLs readable inside right-to-left Arabic text.

The Unicode bidi algorithm lays out a Latin run inside Arabic correctly on its own,
but neutral characters at the run's edges (a space, a full stop, the plus of
"OPEC+", the slashes of a URL) are resolved against the *surrounding* text and can
jump to the wrong side. Isolating each *Latin-script* run stops that:

* HTML: ``<bdi>…</bdi>``;
* plain text: U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE, and
  U+200F RIGHT-TO-LEFT MARK at the start of each Arabic line, because a plain-text
  paragraph takes its direction from its first strong character.

Numbers are never isolated, whether European (``2030``, ``%90``) or Arabic-Indic
(``١٥٪``): the bidi algorithm already keeps a number whole inside Arabic, and an
isolated ``%90`` prints ``90%`` where ``<bdi>`` is honoured (Apple Mail, browsers)
but ``%90`` where it is ignored (Gmail, Outlook): one digest, two orders. Left in
the Arabic flow, every client prints what the writer typed. A number *inside* a
Latin run ("ChatGPT 4", "Windows 11") belongs to that run.

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
# A line that is one link and nothing else (``rtl_lines`` leaves it unmarked).
_LINK_LINE = re.compile(r"(?:https?://|mailto:)\S*\Z", re.IGNORECASE)
# Punctuation a URL may end a sentence with: not part of the link.
_LINK_TAIL = ".,;:!?)]}،؛؟"
# Characters that may sit *inside* a Latin run (between two Latin letters or digits)
# without ending it: "Al-Sharq", "J. R. R. Tolkien", "1,648.5", "24/7", "AT&T".
_JOINERS = frozenset(" \u00a0.,'’&-_/:+#@")
# Allowed at the end of a run: "OPEC+", "C++".
_TRAILERS = frozenset("+")


def _is_ltr(char: str) -> bool:
    """Strong left-to-right letters and European (Latin) digits."""
    return unicodedata.bidirectional(char) in ("L", "EN")


def _starts_run(char: str) -> bool:
    """Only a strong left-to-right *letter* opens a run: a number never does."""
    return unicodedata.bidirectional(char) == "L"


def _is_arabic(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def _latin_runs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal left-to-right run in ``text`` (no links inside)."""
    i, n = 0, len(text)
    while i < n:
        if not _starts_run(text[i]):
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


def starts_left_to_right(text: str) -> bool:
    """Whether ``text``'s first strong character is left-to-right (a Latin letter):
    a client that takes a line's direction from it lays the line out left to right."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            return kind == "L"
    return False


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
    """Each Arabic line starting with U+200F, so it stays right-to-left on its own.

    Only lines with Arabic in them get the mark. A URL line stays plain (an RTL
    client would right-align it and may cut ``https:`` off when linkifying), a blank
    line stays empty, and the ``-- `` signature separator stays exactly that, so
    mail clients still recognise it.
    """
    lines = text.split("\n")
    return "\n".join(
        RLM + line
        if not line.startswith(RLM) and not _LINK_LINE.match(line) and any(map(_is_arabic, line))
        else line
        for line in lines
    )
