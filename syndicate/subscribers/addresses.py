"""The one check of a subscriber's address: CSV import, ``subscribers add`` and the web form.

Strict on purpose, because an address ends up in an SMTP envelope and a header: the
whole text must match (``fullmatch``: ``$`` would let a trailing newline through), no
control, format or space character anywhere inside (surrounding ASCII whitespace, as
a spreadsheet leaves it, is trimmed), an ASCII local part (we do not speak SMTPUTF8),
and a domain that IDNA can encode: an international domain is stored in its ASCII
(``xn--``) form, which is what goes on the wire. Lengths follow RFC 5321 (64 for the
local part, 254 for the address, 63 a label).
"""

from __future__ import annotations

import re
import unicodedata

from ..text.urls import ascii_host

_TRIM = " \t\r\n"
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


def _ascii_domain(domain: str) -> str | None:
    """The domain as it goes on the wire, or None when it is not a usable host name."""
    ascii_form = ascii_host(domain)
    if ascii_form is None:
        return None
    labels = ascii_form.split(".")
    if len(labels) < 2 or len(ascii_form) > 253 or labels[-1].isdigit():
        return None
    if not all(_LABEL.fullmatch(label) for label in labels):
        return None
    return ascii_form


def email_problem(text: str) -> str | None:
    """Why ``text`` is not a deliverable address, or None when it is fine."""
    address = text.strip(_TRIM)
    if not address:
        return "empty e-mail address"
    if any(unicodedata.category(c) in _HIDDEN for c in address):
        return f"{address!r} contains a space or a control character"
    if len(address) > 254:
        return "e-mail address longer than 254 characters"
    if address.count("@") != 1:
        return f"{address!r} is not an e-mail address (needs exactly one @)"
    local, domain = address.split("@")
    if not local or len(local) > 64 or not _LOCAL.fullmatch(local):
        return f"{address!r}: the part before @ is not valid"
    ascii_domain = _ascii_domain(domain)
    if ascii_domain is None:
        return f"{address!r}: {domain!r} is not a valid domain"
    if len(local) + 1 + len(ascii_domain) > 254:
        return "e-mail address longer than 254 characters"
    return None


def normalise_email(text: str) -> str:
    """The stored form of a valid address: trimmed, lower case, the domain in ASCII."""
    local, _, domain = text.strip(_TRIM).rpartition("@")
    return f"{local.lower()}@{_ascii_domain(domain) or domain.lower()}"
