"""DKIM signatures on outgoing mail (dkimpy; the only module importing it).

Why: Gmail and Yahoo require bulk senders to sign (DKIM aligned with From, plus SPF
and DMARC), and RFC 8058 one-click unsubscribe only counts when a DKIM signature
covers both ``List-Unsubscribe`` and ``List-Unsubscribe-Post``.

Every message is signed on its own: To, Message-ID, List-Unsubscribe and the body
(the subscriber's links) differ per subscriber, so no part of a signature can be
shared within a segment. ``bench/digest.py`` measures what that costs per message.

Speed (measured with bench/digest.py on the build machine): dkimpy does the RSA
operation in pure Python (``pow`` on 1024-bit halves), ~19 ms a message, i.e. at most
~50 signed messages a second on a core, far below the delivery target of 2,000 a
second. Only that one operation is replaced: ``_OpenSslRsaDkim`` keeps dkimpy's
tags, canonicalisation, header hashing and folding, and signs the finished hash with
OpenSSL through ``cryptography`` (~0.5 ms). The signatures are verified by dkimpy's
own ``verify`` in the tests.

Headers are canonicalised "relaxed" (relays may refold them), the body "simple"
(dkimpy's default): our bodies are base64 in 76-character CRLF lines that no relay
rewrites, and "relaxed" body canonicalisation costs ~3 ms a message in dkimpy's
regular expressions. Headers listed in ``SIGNED_HEADERS`` but absent from a message are signed as
absent, so nobody can add them on the way.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import dkim
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from ..config.newsletters import DkimSettings

if TYPE_CHECKING:
    from . import Transport
from ..errors import DeliveryError
from .message import MailMessage

SIGNED_HEADERS: tuple[str, ...] = (
    "From", "To", "Subject", "Date", "Message-ID", "Reply-To",
    "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post",
    "MIME-Version", "Content-Type",
)
_HEADERS = tuple(h.lower().encode("ascii") for h in SIGNED_HEADERS)
log = logging.getLogger("syndicate.deliver.dkim")


class _OpenSslRsaDkim(dkim.DKIM):  # type: ignore[misc]
    """dkimpy's signer with the RSA step done by OpenSSL (see the module docstring).

    ``sign_rsa_sha256`` is dkimpy 1.1's ``sign`` for rsa-sha256 without re-parsing the
    PEM key on every message (dkimpy's pure-Python ASN.1 parse: ~1.2 ms a message);
    ``gen_header`` is dkimpy's own, line for line, except for the signing call.
    """

    def __init__(self, message: bytes, key: rsa.RSAPrivateKey) -> None:
        super().__init__(message, logger=log, linesep=b"\r\n")
        self._openssl_key = key

    def sign_rsa_sha256(self, selector: bytes, domain: bytes,
                        include_headers: tuple[bytes, ...]) -> bytes:
        self.signature_algorithm = b"rsa-sha256"
        canon_policy = dkim.CanonicalizationPolicy.from_c_value(b"relaxed/simple")
        self.include_headers = include_headers
        body = canon_policy.canonicalize_body(self.body)
        self.hasher = hashlib.sha256
        bodyhash = base64.b64encode(hashlib.sha256(body).digest())
        sigfields = [
            (b"v", b"1"),
            (b"a", self.signature_algorithm),
            (b"c", canon_policy.to_c_value()),
            (b"d", domain),
            (b"i", b"@" + domain),
            (b"q", b"dns/txt"),
            (b"s", selector),
            (b"t", str(int(time.time())).encode("ascii")),
            (b"h", b" : ".join(include_headers)),
            (b"bh", bodyhash),
            (b"b", b"0" * 60),  # folds b= onto its own line, as dkimpy does
        ]
        res = self.gen_header(sigfields, include_headers, canon_policy, b"DKIM-Signature",
                              None)
        self.domain, self.selector = domain, selector
        self.signature_fields = dict(sigfields)
        return b"DKIM-Signature: " + res

    def gen_header(self, fields: Any, include_headers: Any, canon_policy: Any,
                   header_name: bytes, pk: Any, standardize: bool = False) -> bytes:
        if standardize or self.signature_algorithm != b"rsa-sha256":
            return bytes(super().gen_header(fields, include_headers, canon_policy,
                                            header_name, pk, standardize))
        header_value = b"; ".join(b"=".join(x) for x in fields)
        header_value = dkim.fold(header_value, namelen=len(header_name), linesep=b"\r\n")
        header_value = dkim.RE_BTAG.sub(b"\\1", header_value)
        header = (header_name, b" " + header_value)
        h = dkim.HashThrough(self.hasher(), self.debug_content)
        headers = canon_policy.canonicalize_headers(self.headers)
        self.signed_headers = dkim.hash_headers(
            h, canon_policy, headers, include_headers, header, dict(fields))
        signature = self._openssl_key.sign(
            h.digest(), padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
        idx = next(i for i in range(len(fields)) if fields[i][0] == b"b")
        fields[idx] = (b"b", base64.b64encode(signature))
        header_value = b"; ".join(b"=".join(x) for x in fields) + self.linesep
        return bytes(dkim.fold(header_value, namelen=len(header_name), linesep=self.linesep))


@dataclass(frozen=True)
class DkimSigner:
    selector: bytes
    domain: bytes
    private_key: bytes  # PEM
    _key: rsa.RSAPrivateKey | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            key = serialization.load_pem_private_key(self.private_key, password=None)
        except (ValueError, TypeError) as exc:
            raise DeliveryError("delivery.dkim", f"cannot read the private key: {exc}") from exc
        if not isinstance(key, rsa.RSAPrivateKey):
            raise DeliveryError("delivery.dkim", "the private key is not an RSA key")
        object.__setattr__(self, "_key", key)

    def sign(self, data: bytes) -> bytes:
        """``data`` with a DKIM-Signature header in front."""
        assert self._key is not None
        try:
            header = _OpenSslRsaDkim(data, self._key).sign_rsa_sha256(
                self.selector, self.domain, _HEADERS)
        except dkim.DKIMException as exc:
            raise DeliveryError("delivery.dkim", f"cannot sign: {exc}") from exc
        return bytes(header) + data


def signer_for(settings: DkimSettings) -> DkimSigner:
    """The signer ``delivery.dkim`` describes; DeliveryError naming what is wrong."""
    variable = settings.private_key.env
    key = settings.private_key.value().strip()
    if not key:
        raise DeliveryError("delivery.dkim.private_key",
                            f"secret {variable} is not set in the environment")
    if "-----BEGIN" not in key:
        raise DeliveryError("delivery.dkim.private_key",
                            f"{variable} does not hold a PEM private key (-----BEGIN …)")
    # A key that cannot sign must fail here, once, not once per subscriber.
    try:
        signer = DkimSigner(settings.selector.encode("ascii"), settings.domain.encode("ascii"),
                            key.encode("ascii"))
        signer.sign(b"From: a@" + signer.domain + b"\r\nSubject: probe\r\n\r\nprobe\r\n")
    except DeliveryError as exc:
        raise DeliveryError("delivery.dkim.private_key",
                            f"{variable} holds no usable PEM RSA key: {exc}") from exc
    return signer


class SigningTransport:
    """Wraps a transport: every message is signed just before it is handed over."""

    def __init__(self, inner: Transport, signer: DkimSigner) -> None:
        self._inner = inner
        self._signer = signer
        self.name = self._inner.name
        self.concurrency = self._inner.concurrency
        self.exact_recovery = self._inner.exact_recovery

    def send(self, message: MailMessage) -> None:
        self._inner.send(replace(message, data=self._signer.sign(message.data)))

    def send_batch(
        self, messages: Sequence[MailMessage], stop: threading.Event
    ) -> Future[list[DeliveryError | None]]:
        # Signed here, on the caller's thread, while the transport sends the last batch.
        signed = [replace(m, data=self._signer.sign(m.data)) for m in messages]
        return self._inner.send_batch(signed, stop)

    def already_delivered(self, message_id: str) -> bool:
        return self._inner.already_delivered(message_id)

    def close(self) -> None:
        self._inner.close()
