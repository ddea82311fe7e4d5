"""Bytes to text for fetched pages: HTTP header, then BOM, then the document's own
declaration, then detection. The only module importing charset-normalizer.

Arabic sites still serve windows-1256 (often undeclared, or declared only in a
``<meta>``); guessing UTF-8 for those yields mojibake that would be stored for good.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: a page labelled latin-1 is decoded as windows-1252 by every browser.
_ALIASES = {"iso-8859-1": "windows-1252", "latin-1": "windows-1252", "latin1": "windows-1252",
            "us-ascii": "windows-1252", "ascii": "windows-1252"}


def _codec(label: str | bytes | None) -> str | None:
    if not label:
        return None
    name = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    name = _ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_encoding(content: bytes) -> str | None:
    """The encoding a document declares about itself (BOM, ``<meta>`` or ``<?xml``)."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return name
    head = content[:4096]
    for pattern in (_XML_DECL, _META):
        match = pattern.search(head)
        if match:
            found = _codec(match.group(1))
            if found:
                return found
    return None


def decode(content: bytes, header_charset: str | None) -> tuple[str, str]:
    """Return (text, encoding used)."""
    encoding = _codec(header_charset) or declared_encoding(content)
    if encoding is not None:
        if encoding.startswith("utf-8") and content.startswith(codecs.BOM_UTF8):
            content = content[len(codecs.BOM_UTF8):]
        return content.decode(encoding, errors="replace"), encoding
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(content[:200_000]).best()
    guessed = _codec(best.encoding) if best is not None else None
    # Undeclared, not UTF-8 and undetectable: for Arabic pages windows-1256 is the
    # likeliest, and "replace" keeps the run going either way.
    encoding = guessed or "cp1256"
    return content.decode(encoding, errors="replace"), encoding
