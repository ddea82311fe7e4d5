from __future__ import annotations

from syndicate.cli.serve import _base_url_mismatch


def test_serve_warns_when_local_links_point_elsewhere() -> None:
    assert _base_url_mismatch("http://127.0.0.1:8080", "127.0.0.1", 8080) == ""
    assert "8765" in _base_url_mismatch("http://127.0.0.1:8080", "127.0.0.1", 8765)
    # A public base_url sits behind a proxy: any local port is right.
    assert _base_url_mismatch("https://news.example.org", "127.0.0.1", 8765) == ""
