"""STARTTLS and implicit TLS with AUTH against a real aiosmtpd, password from the environment."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from syndicate.config.base import Secret
from syndicate.config.newsletters import DeliverySettings, SmtpSettings
from syndicate.deliver import open_transport
from syndicate.deliver.message import build_message
from syndicate.errors import DeliveryError, PermanentDeliveryError

from .delivery_helpers import NOW, SinkHandler, free_port, parse


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                   auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login, auth_data.password) == (b"digest", b"s3cret-from-env")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535


@contextmanager
def relay(certificate: tuple[Path, Path], *, implicit: bool) -> Iterator[tuple[int, SinkHandler]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    handler = SinkHandler(pipelining=True)  # as Postfix does: the pipelined path over TLS
    port = free_port()
    kwargs: dict[str, Any] = {"authenticator": _authenticator, "auth_require_tls": True}
    if implicit:
        # aiosmtpd only counts STARTTLS as "TLS" for AUTH; the socket here is TLS from byte one.
        kwargs["auth_require_tls"] = False
        controller = Controller(handler, hostname="127.0.0.1", port=port, ssl_context=context,
                                **kwargs)
    else:
        controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context,
                                require_starttls=True, **kwargs)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


def _message(to: str = "reader@example.org"):  # type: ignore[no-untyped-def]
    return build_message(sender="الواحة <digest@alwaha.example>", to=to, to_name="قارئ",
                         subject="نشرة الواحة", text="\u200fنص", html="<p>نص</p>",
                         message_id=f"<{to}.tls@alwaha.example>", date=NOW)


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "tls"])
def test_tls_relay_with_auth_from_the_environment(
    certificate: tuple[Path, Path], implicit: bool, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMTP_TEST_PASSWORD", "s3cret-from-env")
    cert_copy = tmp_path / "relay-ca.pem"
    cert_copy.write_bytes(certificate[0].read_bytes())
    with relay(certificate, implicit=implicit) as (port, sink):
        settings = DeliverySettings(transport="smtp", smtp=SmtpSettings(
            host="127.0.0.1", port=port, security="tls" if implicit else "starttls",
            username="digest", password=Secret(env="SMTP_TEST_PASSWORD"),
            cert_bundle="relay-ca.pem", retries=0, connections=1))
        transport = open_transport(settings, tmp_path)  # the CA path is relative to the config
        try:
            transport.send(_message())
        finally:
            transport.close()
        assert len(sink.messages) == 1
        assert parse(sink.messages[0])["Subject"] == "نشرة الواحة"

        monkeypatch.setenv("SMTP_TEST_PASSWORD", "wrong")
        transport = open_transport(settings, tmp_path)
        try:
            with pytest.raises(DeliveryError) as refused:
                transport.send(_message("other@example.org"))
            # The relay refusing *us* must not bounce the subscriber.
            assert not isinstance(refused.value, PermanentDeliveryError)
            assert "login" in refused.value.reason
        finally:
            transport.close()
        assert len(sink.messages) == 1


def test_certificates_are_checked(certificate: tuple[Path, Path], tmp_path: Path) -> None:
    with relay(certificate, implicit=False) as (port, sink):
        settings = DeliverySettings(transport="smtp", smtp=SmtpSettings(
            host="127.0.0.1", port=port, security="starttls", retries=0))
        transport = open_transport(settings, tmp_path)  # no CA given: self-signed is refused
        try:
            with pytest.raises(DeliveryError):
                transport.send(_message())
        finally:
            transport.close()
        assert sink.messages == []
