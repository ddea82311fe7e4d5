"""Signed link tokens and where their key comes from."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from syndicate.errors import TokenError
from syndicate.subscribers.tokens import TokenSigner, installation_secret, signer_for

from .delivery_helpers import NOW, write_config


def test_token_is_bound_to_address_newsletter_and_purpose() -> None:
    signer = TokenSigner(b"k" * 32)
    token = signer.make("unsubscribe", subscriber_id=7, email="A@Example.org",
                        newsletter="daily", issued=NOW)
    assert "example" not in token.lower()  # the address is not in the link
    claims = signer.verify(token, email="a@example.org", purpose="unsubscribe", now=NOW)
    assert (claims.subscriber_id, claims.newsletter, claims.purpose) == (7, "daily", "unsubscribe")
    with pytest.raises(TokenError):
        signer.verify(token, email="b@example.org", purpose="unsubscribe", now=NOW)
    with pytest.raises(TokenError):
        signer.verify(token, email="a@example.org", purpose="confirm", now=NOW)
    with pytest.raises(TokenError):
        signer.verify(token.replace(".daily.", ".weekly."), email="a@example.org",
                      purpose="unsubscribe", now=NOW)
    with pytest.raises(TokenError):
        TokenSigner(b"x" * 32).verify(token, email="a@example.org", purpose="unsubscribe",
                                      now=NOW)
    # Unsubscribe links never expire; confirmation links do after a week.
    signer.verify(token, email="a@example.org", purpose="unsubscribe",
                  now=NOW + timedelta(days=3650))
    confirm = signer.make("confirm", subscriber_id=7, email="a@example.org",
                          newsletter="daily", issued=NOW)
    signer.verify(confirm, email="a@example.org", purpose="confirm", now=NOW + timedelta(days=6))
    with pytest.raises(TokenError):
        signer.verify(confirm, email="a@example.org", purpose="confirm",
                      now=NOW + timedelta(days=8))


def test_secret_from_env_else_a_private_per_installation_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(tmp_path)  # secret: {env: SYNDICATE_TEST_SECRET_UNSET}
    monkeypatch.delenv("SYNDICATE_TEST_SECRET_UNSET", raising=False)
    first = installation_secret(config)
    key_file = tmp_path / "var" / "secret.key"
    assert key_file.exists() and len(first) >= 32
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert installation_secret(config) == first  # reused: links survive restarts
    (tmp_path / "elsewhere").mkdir()
    other = write_config(tmp_path / "elsewhere")
    assert installation_secret(other) != first  # per installation, never a constant
    monkeypatch.setenv("SYNDICATE_TEST_SECRET_UNSET", "from-the-environment-0123456789")
    assert installation_secret(config) == b"from-the-environment-0123456789"
    token = signer_for(config).make("unsubscribe", subscriber_id=1, email="a@b.org",
                                    newsletter="daily", issued=NOW)
    with pytest.raises(TokenError):
        TokenSigner(first).verify(token, email="a@b.org", purpose="unsubscribe", now=NOW)
