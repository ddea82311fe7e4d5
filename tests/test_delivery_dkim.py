"""DKIM: digests signed on the way out, verified by dkimpy after a real SMTP hop.

The test key pair in tests/data/dkim/ exists for these tests only. DNS is replaced
through dkimpy's own ``dnsfunc`` argument (the library's seam for it), answering
the TXT record of ``<selector>._domainkey.<domain>`` with the test public key.
"""

from __future__ import annotations

import re
from pathlib import Path

import dkim
import pytest

from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.config.deliverability import deliverability_warnings
from syndicate.core.digest import run_digest
from syndicate.deliver import open_transport
from syndicate.deliver.dkim import SIGNED_HEADERS
from syndicate.errors import ConfigError, DeliveryError
from syndicate.store import Store
from syndicate.types import Subscriber

from .delivery_helpers import NOW, parse, seed_columns, smtp_sink, write_config

KEYS = Path(__file__).parent / "data" / "dkim"
DNS_NAME = b"digest2025._domainkey.alwaha.example."
DKIM = """  dkim:
    selector: digest2025
    domain: alwaha.example
    private_key: {env: SYNDICATE_TEST_DKIM_KEY}
"""


def dns(name: bytes, timeout: int = 5) -> bytes | None:
    return (KEYS / "test-only.txt").read_bytes().strip() if name == DNS_NAME else None


@pytest.fixture()
def dkim_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # The key reaches syndicate as an operator gives it: in an environment variable.
    monkeypatch.setenv("SYNDICATE_TEST_DKIM_KEY", (KEYS / "test-only.key").read_text())


def test_digests_signed_and_verified_after_smtp(tmp_path: Path, dkim_key: None) -> None:
    with smtp_sink() as (port, sink):
        config = write_config(tmp_path, transport="smtp", smtp_port=port, extra_delivery=DKIM,
                              base_url="https://alwaha.example")
        store = Store.open(config.store_url)
        seed_columns(store)
        for i in range(3):
            store.subscribers.add(Subscriber(f"reader{i}@example.org", "daily",
                                             name=f"قارئ {i}"), NOW)
        result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
        assert not result.failed, result
        store.close()
    assert len(sink.messages) == 3
    for data in sink.messages:
        assert dkim.verify(data, dnsfunc=dns), data[:400]
        message = parse(data)
        signature = str(message["DKIM-Signature"]).replace("\r\n", "").replace(" ", "")
        signed = re.search(r"h=([^;]+)", signature).group(1).lower().split(":")  # type: ignore[union-attr]
        for header in ("from", "to", "subject", "date", "message-id", "list-id",
                       "list-unsubscribe", "list-unsubscribe-post"):
            assert header in signed, (header, signed)
        assert "d=alwaha.example" in signature and "s=digest2025" in signature
        # Tampering with a signed header breaks the signature.
        forged = data.replace(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click",
                              b"List-Unsubscribe-Post: nothing")
        assert not dkim.verify(forged, dnsfunc=dns)
    assert {h.lower() for h in SIGNED_HEADERS} >= {"from", "to", "list-unsubscribe"}


def test_missing_or_bad_key_is_a_clear_config_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNDICATE_TEST_DKIM_KEY", raising=False)
    config = write_config(tmp_path, extra_delivery=DKIM)
    with pytest.raises(DeliveryError, match="SYNDICATE_TEST_DKIM_KEY is not set"):
        open_transport(config.delivery, tmp_path)
    # `schedules check` (for running) reports it with the file's line, before any run.
    with pytest.raises(ConfigError, match="SYNDICATE_TEST_DKIM_KEY is not set"):
        load(tmp_path / "schedules.yaml", for_running=True)
    monkeypatch.setenv("SYNDICATE_TEST_DKIM_KEY", "not a key")
    with pytest.raises(DeliveryError, match="PEM"):
        open_transport(config.delivery, tmp_path)
    monkeypatch.setenv("SYNDICATE_TEST_DKIM_KEY",
                       "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(DeliveryError, match="no usable PEM RSA key"):
        open_transport(config.delivery, tmp_path)


def test_schedules_check_warns_about_one_click_without_dkim_or_https(tmp_path: Path,
                                                                     dkim_key: None) -> None:
    plain = write_config(tmp_path, base_url="http://news.alwaha.example")
    warnings = deliverability_warnings(plain)
    assert any("https" in w and "one-click" in w for w in warnings), warnings
    assert any("DKIM" in w and "one-click" in w for w in warnings), warnings
    assert any("postal_address" in w and "daily" in w for w in warnings), warnings
    good = write_config(tmp_path, base_url="https://alwaha.example", extra_delivery=DKIM,
                        newsletter_extra='    postal_address: "ص.ب. ١، الدوحة"\n')
    assert deliverability_warnings(good) == []


def test_schedules_check_prints_the_warnings_and_still_passes(tmp_path: Path) -> None:
    from .scheduler_helpers import run_cli

    config = write_config(tmp_path, base_url="http://news.alwaha.example")
    path = tmp_path / "schedules.yaml"
    path.write_text(path.read_text(encoding="utf-8") + (
        "jobs:\n  - name: morning\n    run: digest\n    newsletter: daily\n"
        "    cron: \"0 7 * * *\"\n"), encoding="utf-8")
    assert config.site.base_url.startswith("http://")
    code, out, err = run_cli(["schedules", "check", str(path)])
    assert code == 0 and "OK" in out
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    assert len(warnings) == 3, err
    assert any("delivery.dkim is not set" in w for w in warnings)


def test_schedules_check_requires_a_postal_address_when_mailing_real_subscribers(
        tmp_path: Path) -> None:
    """Production (SMTP from a public site): no postal address is an error, not a warning;
    a Maildir or localhost set-up still passes with the warning only."""
    from .scheduler_helpers import run_cli

    jobs = ("jobs:\n  - name: morning\n    run: digest\n    newsletter: daily\n"
            "    cron: \"0 7 * * *\"\n")
    write_config(tmp_path, transport="smtp", smtp_port=2525,
                 base_url="https://alwaha.example")
    path = tmp_path / "schedules.yaml"
    path.write_text(path.read_text(encoding="utf-8") + jobs, encoding="utf-8")
    code, out, err = run_cli(["schedules", "check", str(path)])
    assert code == 2, (out, err)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("  - id: daily"))
    assert f"{path}:{line}:" in err and "postal_address" in err and "SMTP" in err, err
    # With the address, the same file passes.
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    bounce_limit: 2\n", "    bounce_limit: 2\n    postal_address: \"ص.ب. ١، الدوحة\"\n"),
        encoding="utf-8")
    code, out, err = run_cli(["schedules", "check", str(path)])
    assert code == 0 and "OK" in out, err
    # A local test set-up sending by SMTP is not production: no error.
    write_config(tmp_path, transport="smtp", smtp_port=2525)
    path.write_text(path.read_text(encoding="utf-8") + jobs, encoding="utf-8")
    code, out, err = run_cli(["schedules", "check", str(path)])
    assert code == 0, err
