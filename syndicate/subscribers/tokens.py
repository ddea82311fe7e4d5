"""Signed tokens for confirm, unsubscribe and preferences links.

A token is ``<purpose>.<subscriber id>.<newsletter>.<issued>.<signature>``: the
signature is HMAC-SHA256 over those fields *and the subscriber's address*, so a
token minted for one address never verifies for another (nor for another
newsletter or purpose), and the address itself is not written in the link.

The key is ``site.secret`` (default env ``SYNDICATE_SECRET``). When that variable
is unset, a random per-installation key is created once in
``var/secret.key`` beside schedules.yaml (mode 0600) and reused: links keep
working across restarts and no secret is ever hard-coded. Several hosts sharing a
PostgreSQL store must set ``SYNDICATE_SECRET`` to the same value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from ..config import Config
from ..errors import TokenError
from ..types import Subscriber

log = logging.getLogger("syndicate.tokens")

Purpose = Literal["confirm", "unsubscribe", "preferences"]
# Preferences links never expire either: they sit in every digest a subscriber keeps,
# and they can do no more than the unsubscribe link beside them (plus choose authors).
_CODES: dict[str, Purpose] = {"c": "confirm", "u": "unsubscribe", "p": "preferences"}
_LETTER = {v: k for k, v in _CODES.items()}
CONFIRM_MAX_AGE = timedelta(days=7)  # unsubscribe links never expire (RFC 8058 §3)


@dataclass(frozen=True)
class TokenClaims:
    purpose: Purpose
    subscriber_id: int
    newsletter: str
    issued: datetime


def installation_secret(config: Config) -> bytes:
    """The HMAC key: the environment's, else this installation's own key file."""
    if config.site.secret.present() and config.site.secret.value():
        return config.site.secret.value().encode()
    path = config.path("var") / "secret.key"
    try:
        return _key_file(path)
    except OSError as exc:
        raise TokenError(
            f"no SYNDICATE_SECRET ({config.site.secret.env}) and cannot keep a key in "
            f"{path}: {exc.strerror or exc}"
        ) from exc


def _key_file(path: Path) -> bytes:
    if path.exists():
        key = path.read_bytes().strip()
        if len(key) >= 32:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secrets.token_urlsafe(48).encode())
        handle.flush()
        os.fsync(handle.fileno())
    try:
        # link() fails if another process won the race: then everyone reads theirs.
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_bytes().strip()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenSigner:
    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise TokenError("the token secret is empty")
        if len(secret) < 16:
            # Accepted (test set-ups use short ones) but an offline guess is then cheap.
            log.warning("the token secret is only %d bytes; use 32 random bytes or more",
                        len(secret))
        self._secret = secret

    def _signature(self, body: str, email: str) -> str:
        message = f"{body}\x00{email.strip().lower()}".encode()
        return _b64(hmac.new(self._secret, message, hashlib.sha256).digest()[:18])

    def make(
        self, purpose: Purpose, *, subscriber_id: int, email: str, newsletter: str, issued: datetime
    ) -> str:
        body = f"{_LETTER[purpose]}.{subscriber_id}.{newsletter}.{int(issued.timestamp()):x}"
        return f"{body}.{self._signature(body, email)}"

    @staticmethod
    def read(token: str) -> TokenClaims:
        """The claims of a well-formed token, *not yet verified*: look up the address next."""
        parts = token.split(".")
        if len(parts) != 5 or parts[0] not in _CODES:
            raise TokenError("this link is not valid")
        # A database id is a positive 64-bit integer: 2**63 in a link would reach the
        # database and overflow there (a 500), not be refused here (a 400).
        number = parts[1]
        if not (number.isascii() and number.isdigit() and len(number) <= 19) \
                or not 0 < int(number) < 2**63:
            raise TokenError("this link is not valid")
        try:
            subscriber_id = int(number)
            issued = datetime.fromtimestamp(int(parts[3], 16), UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise TokenError("this link is not valid") from exc
        return TokenClaims(_CODES[parts[0]], subscriber_id, parts[2], issued)

    def verify(
        self, token: str, *, email: str, purpose: Purpose, now: datetime
    ) -> TokenClaims:
        claims = self.read(token)
        body, _, signature = token.rpartition(".")
        if not hmac.compare_digest(signature, self._signature(body, email)):
            raise TokenError("this link is not valid")
        if claims.purpose != purpose:
            raise TokenError("this link is for something else")
        if purpose == "confirm" and now - claims.issued > CONFIRM_MAX_AGE:
            raise TokenError("this confirmation link has expired")
        return claims


def signer_for(config: Config) -> TokenSigner:
    return TokenSigner(installation_secret(config))


def link(base_url: str, purpose: Purpose, token: str) -> str:
    return f"{base_url.rstrip('/')}/{purpose}/{token}"


def preferences_link(signer: TokenSigner, base_url: str, subscriber: Subscriber,
                     issued: datetime) -> str:
    """The subscriber's own preference page (every digest links it)."""
    assert subscriber.id is not None
    token = signer.make("preferences", subscriber_id=subscriber.id, email=subscriber.email,
                        newsletter=subscriber.newsletter, issued=issued)
    return link(base_url, "preferences", token)


@dataclass(frozen=True)
class SignedLink:
    token: str
    url: str


def signed_link(
    signer: TokenSigner, base_url: str, purpose: Purpose, *, subscriber_id: int, email: str,
    newsletter: str, issued: datetime,
) -> SignedLink:
    """A confirm or unsubscribe link for one subscriber: the token and the URL carrying it."""
    token = signer.make(purpose, subscriber_id=subscriber_id, email=email, newsletter=newsletter,
                        issued=issued)
    return SignedLink(token, link(base_url, purpose, token))
