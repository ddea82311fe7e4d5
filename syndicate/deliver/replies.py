"""Whose fault is an SMTP reply: the recipient's, or the relay's (and so ours)?

Only a refusal that names this recipient is a bounce: a 5xx to ``RCPT TO`` for that
address, or a 5xx to ``DATA`` in a one-recipient transaction whose enhanced status
code is about the mailbox (``5.1.x`` address, ``5.2.x`` mailbox; RFC 3463). Everything
about *us* is the relay's fault and counts against nobody: the greeting, ``EHLO``,
``AUTH`` (530/535), ``MAIL FROM``, relaying refused (``554 5.7.1 Relay access
denied``, also when it comes at ``RCPT``), a dropped or refused connection.

A 4xx at ``RCPT`` (greylisting, a full mailbox) and a 4xx/5xx at ``DATA`` with a
mailbox code are the recipient's temporary trouble: retried on a schedule. A 4xx
about the system (``451 4.3.0``) is the relay's, retried at once by the transport.
A 5xx at ``DATA`` that names no mailbox (content refused) is no bounce either: it is
retried on the schedule, and the breaker stops a run where it happens to everyone.
"""

from __future__ import annotations

import re
from enum import Enum

from ..errors import DeliveryError, PermanentDeliveryError, RelayError


class Stage(Enum):
    CONNECT = "connect"  # greeting, EHLO, STARTTLS
    AUTH = "auth"
    MAIL = "mail"  # MAIL FROM
    RCPT = "rcpt"
    DATA = "data"


_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
_RELAY_REFUSED = re.compile(
    r"relay(ing)?\s+(access\s+)?(denied|not\s+permitted|prohibited|refused|not\s+allowed)"
    r"|authentication\s+required|must\s+authenticate|not\s+authenticated",
    re.IGNORECASE,
)


def enhanced_code(text: str) -> tuple[int, int, int] | None:
    match = _ENHANCED.match(text)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def _about_us(code: int, text: str) -> bool:
    """Relaying or authentication refused, whatever command it answered."""
    enhanced = enhanced_code(text)
    auth_code = enhanced is not None and enhanced[1] == 7 and enhanced[2] in (0, 8, 9, 11)
    return code in (530, 535, 454) or auth_code or bool(_RELAY_REFUSED.search(text))


def _about_mailbox(text: str) -> bool:
    enhanced = enhanced_code(text)
    return enhanced is not None and enhanced[1] in (1, 2)


def classify(address: str, stage: Stage, code: int | None, text: str) -> DeliveryError:
    """The error a reply (or a failure without one: ``code`` None) stands for."""
    reason = f"{code} {text}".strip() if code is not None else text
    if code is None:
        return RelayError(address, f"relay unreachable: {reason}")
    permanent = 500 <= code < 600
    if code == 421 or stage in (Stage.CONNECT, Stage.AUTH, Stage.MAIL) or _about_us(code, text):
        where = {Stage.AUTH: "our login", Stage.MAIL: "our sender address",
                 Stage.CONNECT: "the connection"}.get(stage, "relaying")
        return RelayError(address, f"the relay refused {where}: {reason}", permanent=permanent)
    if stage is Stage.RCPT:
        return PermanentDeliveryError(address, reason) if permanent else DeliveryError(
            address, reason)
    # DATA: the recipient's only with a mailbox code; else the message's or the relay's.
    if _about_mailbox(text):
        return PermanentDeliveryError(address, reason) if permanent else DeliveryError(
            address, reason)
    if permanent:
        return DeliveryError(address, f"message refused: {reason}")
    return RelayError(address, reason)
