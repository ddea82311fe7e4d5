from __future__ import annotations

import logging

import pytest

from syndicate.core.digest_queue import _warn_if_one_click_is_ignored


@pytest.mark.parametrize(
    ("base_url", "warned"),
    [
        ("http://news.example.org", True),
        ("https://news.example.org", False),
        ("http://127.0.0.1:8080", False),  # the bundled sample: local, no warning
    ],
)
def test_warns_when_one_click_unsubscribe_is_not_https(
    base_url: str, warned: bool, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="syndicate"):
        logger = logging.getLogger("syndicate")
        propagate, logger.propagate = logger.propagate, True
        try:
            _warn_if_one_click_is_ignored(base_url)
        finally:
            logger.propagate = propagate
    assert any("not https" in r.getMessage() for r in caplog.records) is warned
