"""Unsubscribe requests that come back by mail: the mailto target of List-Unsubscribe.

Every digest offers ``<mailto:ADDRESS?subject=unsubscribe%20TOKEN>`` next to the
one-click https link, ADDRESS being ``delivery.unsubscribe_mailto`` and TOKEN the
same signed unsubscribe token as in the link. The mail server delivers mail for
ADDRESS either into a Maildir (``delivery.unsubscribe_maildir``, read by a job with
``run: unsubscribes`` or by ``syndicate subscribers unsubscribe-mail``), or pipes
each message to ``syndicate subscribers unsubscribe-mail -``.

A message is acted on only through a valid token it carries (in the subject, else
near the top of its text): a From header is trivially forged, the token is not, so
nobody can unsubscribe someone else by mail. A message without one is logged and
left for a person, never deleted.

Maildir handling follows the Maildir convention: a message handled is moved from
``new/`` to ``cur/`` with the Seen flag (``:2,S``), one that needs a person with
the Flagged flag (``:2,F``), so a second run does not read either again. A store
error stops the run and leaves the message in ``new/`` for the next one. A message
that came through the pipe is filed the same way into ``delivery.unsubscribe_maildir``
when that is set (the mail server has already let go of it: this is its only copy).
"""

from __future__ import annotations

import email
import logging
import mailbox
import os
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

from ..errors import InputFileError, TokenError
from ..store import Store
from ..types import ItemResult, Outcome, StepResult
from .subscriptions import subscriber_for_token, unsubscribe
from .tokens import TokenSigner

log = logging.getLogger("syndicate.unsubscribe_mail")

# tokens.py (beside this file): u.<subscriber id>.<newsletter id>.<issued, hex>.<24 chars of base64url>
TOKEN = re.compile(
    r"(?<![A-Za-z0-9_.-])u\.\d{1,18}\.[a-z0-9][a-z0-9_-]{0,63}\.[0-9a-f]{1,16}\."
    r"[A-Za-z0-9_-]{24}(?![A-Za-z0-9_-])"
)
MAX_MESSAGE_BYTES = 1 << 20  # an unsubscribe request is a few KB; never read a huge one whole
_BODY_CHARS = 20_000  # the token is near the top of a reply, when it is in the body at all
_TOKENS_TRIED = 5  # per message: bounds the HMAC work a crafted message can cause


@dataclass(frozen=True)
class MailRequest:
    """What an incoming message asks, read before anything is changed."""

    sender: str  # the From header as written, for the log only (it proves nothing)
    tokens: tuple[str, ...]  # candidate tokens, subject first


def read_request(raw: bytes) -> MailRequest:
    message = email.message_from_bytes(raw[:MAX_MESSAGE_BYTES], policy=policy.default)
    sender = str(message.get("From", "") or "")[:200]
    found: list[str] = []
    for text in (str(message.get("Subject", "") or ""), _text_of(message)):
        for token in TOKEN.findall(text):
            if token not in found:
                found.append(token)
    return MailRequest(sender, tuple(found[:_TOKENS_TRIED]))


def _text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, ValueError, AssertionError):  # unknown charset, broken encoding
        return ""
    return content[:_BODY_CHARS] if isinstance(content, str) else ""


def handle_message(raw: bytes, *, key: str, store: Store, signer: TokenSigner,
                   now: datetime) -> ItemResult:
    """Unsubscribe whoever the message's first valid token names (store errors propagate)."""
    request = read_request(raw)
    for token in request.tokens:
        try:
            subscriber = subscriber_for_token(store, signer, token, "unsubscribe", now)
        except TokenError:
            continue
        who = f"{subscriber.email} from {subscriber.newsletter}"
        if unsubscribe(store, subscriber, now, via=f"mail {key}"):
            return ItemResult(key, Outcome.UPDATED, f"unsubscribed {who}")
        return ItemResult(key, Outcome.UNCHANGED, f"already unsubscribed: {who}")
    reason = "a token that does not verify" if request.tokens else "no unsubscribe token"
    log.warning("unsubscribe mail %s (From: %s) has %s; left for a person",
                key, request.sender or "-", reason)
    return ItemResult(key, Outcome.SKIPPED, f"{reason} (From: {request.sender or '-'})")


def flag_for(result: ItemResult) -> str:
    """Maildir flag of a message once handled: Seen, or Flagged for a person."""
    return "F" if result.outcome is Outcome.SKIPPED else "S"


def file_message(maildir: Path, raw: bytes, flag: str) -> str:
    """Keep a piped message in ``maildir``'s cur/ with ``flag``; its Maildir key."""
    try:
        box = mailbox.Maildir(str(maildir), create=True)
        message = mailbox.MaildirMessage(raw)
        message.set_subdir("cur")
        message.set_flags(flag)
        return str(box.add(message))
    except OSError as exc:
        raise InputFileError(str(maildir), f"cannot keep the message: {exc.strerror or exc}") \
            from exc


def process_maildir(path: Path, *, store: Store, signer: TokenSigner,
                    now: datetime) -> StepResult:
    """Handle every message in ``path/new``; see the module docstring for the flags."""
    new, cur = path / "new", path / "cur"
    if not new.is_dir() or not cur.is_dir():
        raise InputFileError(str(path), "not a Maildir (no new/ and cur/ folders in it)")
    try:
        names = sorted(n for n in os.listdir(new) if not n.startswith("."))
    except OSError as exc:
        raise InputFileError(str(new), exc.strerror or str(exc)) from exc
    items: list[ItemResult] = []
    for name in names:
        try:
            with open(new / name, "rb") as handle:
                raw = handle.read(MAX_MESSAGE_BYTES)
        except FileNotFoundError:
            continue  # another reader took it
        except OSError as exc:
            items.append(ItemResult(name, Outcome.FAILED, f"cannot read: {exc.strerror}"))
            continue
        result = handle_message(raw, key=name, store=store, signer=signer, now=now)
        try:
            os.rename(new / name, cur / f"{name.split(':', 1)[0]}:2,{flag_for(result)}")
        except OSError as exc:
            # Handled but not moved: the next run reads it again, which is harmless.
            log.warning("unsubscribe mail %s handled but not moved to cur/: %s", name, exc)
        items.append(result)
    return StepResult("unsubscribes", tuple(items), (("messages", len(names)),))
