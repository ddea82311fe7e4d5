"""The hand-written DKIM signer (deliver/dkim.py) judged by dkimpy's verifier.

Messages built the way relays and clients see them: folded and repeated headers,
encoded words, trailing blank lines, a relay refolding headers (relaxed canonical form
must survive it) and every kind of tampering (which must not).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import dkim
import pytest

from syndicate.deliver.dkim import DkimSigner, signer_for
from syndicate.errors import DeliveryError

KEY = (Path(__file__).parent / "data" / "dkim" / "test-only.key").read_bytes()
SIGNER = DkimSigner(b"digest2025", b"alwaha.example", KEY)
RECORD = (Path(__file__).parent / "data" / "dkim" / "test-only.txt").read_bytes().strip()


def dns(name: bytes, timeout: int = 5) -> bytes | None:
    return RECORD if name == b"digest2025._domainkey.alwaha.example." else None


def message(*, headers: bytes = b"", body: bytes = b"\xd9\x86\xd8\xb5\r\n") -> bytes:
    return (b"From: =?utf-8?b?2KfZhNmI2KfYrdip?= <digest@alwaha.example>\r\n"
            b"To: =?utf-8?b?2YLYp9ix2KY=?= <reader@example.org>\r\n"
            b"Subject: =?utf-8?b?2KfZhNiu2YTZitisINmI2KfZhNiq2K3Yp9mE2YHYp9iq?=\r\n"
            b" =?utf-8?b?INin2YTYrNiv2YrYr9ip?=\r\n"
            b"Date: Sun, 14 Sep 2025 04:00:00 +0000\r\n"
            b"Message-ID: <1.daily@alwaha.example>\r\n"
            b"List-Id: <daily.alwaha.example>\r\n"
            b"List-Unsubscribe: <https://alwaha.example/unsubscribe/t>,\r\n"
            b" <mailto:unsubscribe@alwaha.example?subject=t>\r\n"
            b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            b"MIME-Version: 1.0\r\n"
            b"Content-Type: text/plain; charset=\"utf-8\"\r\n" + headers + b"\r\n" + body)


BODIES = {
    "one line": b"\xd9\x86\xd8\xb5\r\n",
    "trailing blank lines": b"line\r\n\r\n\r\n\r\n",
    "no final CRLF": b"line one\r\nline two",
    "empty": b"",
    "only blank lines": b"\r\n\r\n",
    "base64 lines": base64.encodebytes(bytes(range(256)) * 200).replace(b"\n", b"\r\n"),
    "spaces kept": b"  two  spaces \t\r\nend\r\n",
}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_dkimpy_verifies_every_body_shape(body: bytes) -> None:
    signed = SIGNER.sign(message(body=body))
    assert dkim.verify(signed, dnsfunc=dns)


def test_body_hash_is_dkimpys_for_simple_canonicalisation() -> None:
    for body in BODIES.values():
        ours = SIGNER.sign(message(body=body))
        theirs = dkim.sign(message(body=body), b"digest2025", b"alwaha.example", KEY,
                           canonicalize=(b"relaxed", b"simple"))
        bh = [next(part.split(b"=", 1)[1] for part in s.replace(b"\r\n", b"").split(b";")
                   if part.strip().startswith(b"bh=")) for s in (ours, theirs)]
        assert bh[0].strip() == bh[1].strip(), body[:30]


def test_repeated_and_odd_headers_verify() -> None:
    extra = (b"Received: from a\r\nReceived: from b\r\n\tby c\r\n"
             b"X-Long:   many   spaces\t\there   \r\n"
             b"Reply-To: desk@alwaha.example\r\n")
    assert dkim.verify(SIGNER.sign(message(headers=extra)), dnsfunc=dns)


def test_a_relay_refolding_headers_keeps_the_signature_valid() -> None:
    signed = SIGNER.sign(message())
    refolded = signed.replace(b"List-Id: <daily.alwaha.example>",
                              b"List-Id:\r\n\t <daily.alwaha.example>  ")
    refolded = refolded.replace(b"Subject: =?utf-8", b"Subject:    =?utf-8")
    assert refolded != signed
    assert dkim.verify(refolded, dnsfunc=dns)
    # Received lines added in front (what every relay does) do not matter either.
    assert dkim.verify(b"Received: from mx by mx\r\n" + signed, dnsfunc=dns)


TAMPERING = {
    "subject": (b"Subject: =?utf-8?b?2KfZhNiu", b"Subject: =?utf-8?b?2KfZhNix"),
    "to": (b"reader@example.org", b"victim@example.org"),
    "one-click": (b"List-Unsubscribe=One-Click", b"List-Unsubscribe=Nothing"),
    "unsubscribe link": (b"/unsubscribe/t>", b"/unsubscribe/u>"),
    "body": (b"\r\n\r\n\xd9\x86", b"\r\n\r\n\xd9\x87"),
}


@pytest.mark.parametrize("change", TAMPERING.values(), ids=TAMPERING.keys())
def test_tampering_breaks_the_signature(change: tuple[bytes, bytes]) -> None:
    signed = SIGNER.sign(message())
    forged = signed.replace(*change)
    assert forged != signed
    assert not dkim.verify(forged, dnsfunc=dns)


def test_a_signed_but_absent_header_cannot_be_added_on_the_way() -> None:
    signed = SIGNER.sign(message())  # no Reply-To: signed as absent
    assert b"reply-to" in signed.split(b"\r\n\r\n")[0].lower()
    forged = signed.replace(b"MIME-Version: 1.0\r\n",
                            b"MIME-Version: 1.0\r\nReply-To: thief@example.net\r\n")
    assert not dkim.verify(forged, dnsfunc=dns)


def test_signature_lines_are_folded_under_78_characters() -> None:
    head = SIGNER.sign(message()).split(b"\r\nFrom: ")[0]
    assert all(len(line) <= 78 for line in head.split(b"\r\n")), head


def test_txt_record_is_the_published_one() -> None:
    assert SIGNER.txt_record() == RECORD


def test_a_message_without_header_lines_is_a_clear_error() -> None:
    with pytest.raises(DeliveryError, match="not a header line"):
        SIGNER.sign(b"no colon here\r\n\r\nbody\r\n")
    with pytest.raises(DeliveryError, match="no CRLF"):
        SIGNER.sign(b"From: a@b\nSubject: x\n\nbody\n")


def test_the_signature_is_deterministic_for_a_given_time() -> None:
    first = SIGNER.sign(message(), now=1_757_822_400)
    assert first == SIGNER.sign(message(), now=1_757_822_400)
    assert b"t=1757822400;" in first
    digest = hashlib.sha256(first).hexdigest()
    assert digest != hashlib.sha256(SIGNER.sign(message(), now=1_757_822_401)).hexdigest()


def test_signer_for_refuses_a_signer_dkimpy_rejects(monkeypatch: pytest.MonkeyPatch) -> None:
    from syndicate.config.newsletters import DkimSettings

    monkeypatch.setenv("SYNDICATE_TEST_DKIM_KEY", KEY.decode())
    settings = DkimSettings.model_validate(
        {"selector": "digest2025", "domain": "alwaha.example",
         "private_key": {"env": "SYNDICATE_TEST_DKIM_KEY"}})
    assert signer_for(settings).txt_record() == RECORD
    # A signer whose canonical form drifted from the RFC's is caught at start-up.
    import syndicate.deliver.dkim as module

    monkeypatch.setattr(module, "_relaxed",
                        lambda name, value: name.lower() + b":" + value.strip())
    with pytest.raises(DeliveryError, match="does not verify"):
        signer_for(settings)
