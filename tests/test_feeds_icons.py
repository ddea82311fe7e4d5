"""Icons served by `syndicate serve` (with /favicon.ico) and shown on the feeds index,
looked at in headless Chromium."""

from __future__ import annotations

import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest

from syndicate.clock import fixed_clock
from syndicate.core.feeds import run_feeds
from syndicate.types import Author
from syndicate.web.app import create_app

from .chromium_helpers import read_png, screenshot
from .feeds_helpers import NOW, add, make_column, make_config, open_store, solid_png
from .loopback import serve_app
from .test_feeds_web import get

RED, GREEN, BLUE = (200, 30, 30), (30, 160, 30), (30, 30, 200)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port = free_port()
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "icon.png").write_bytes(solid_png(RED))
    (tmp_path / "brand" / "sharq.png").write_bytes(solid_png(GREEN))
    config = make_config(tmp_path, icon="brand/icon.png",
                         source_icons={"alsharq": {"icon": "brand/sharq.png"}})
    config = config.model_copy(update={"site": config.site.model_copy(
        update={"base_url": f"http://127.0.0.1:{port}"})})
    store = open_store(config)
    for number in range(6):
        extra: dict[str, Any] = {}
        if number == 0:
            extra["author"] = Author(name="د. موضي مبارك", slug="mudy-mbark",
                                     image_url=f"http://127.0.0.1:{port}/feeds/icons/photo.png")
        add(store, make_column(number, source="alsharq" if number % 2 else "alraya", **extra))
    run_feeds(config, store, clock=fixed_clock(NOW))
    # The author's photo, where the browser can fetch it (a paper's server in real life).
    (tmp_path / "feeds" / "icons" / "photo.png").write_bytes(solid_png(BLUE))
    app = create_app(config, store=store, clock=fixed_clock(NOW))
    with serve_app(app, port=port):
        yield port, tmp_path
    store.close()


def test_favicon_and_icons_are_served_with_etags(served: tuple[int, Path]) -> None:
    port, _ = served
    status, headers, body = get(port, "/favicon.ico")
    assert status == 200 and headers["content-type"] == "image/png"
    assert body == solid_png(RED)
    assert get(port, "/favicon.ico", {"If-None-Match": headers["etag"]})[0] == 304
    status, headers, body = get(port, "/feeds/icons/alsharq-icon.png")
    assert status == 200 and body == solid_png(GREEN)
    assert headers["content-type"] == "image/png"
    assert "sandbox" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    page = urlopen(f"http://127.0.0.1:{port}/feeds/").read().decode()
    assert f'<link rel="icon" href="http://127.0.0.1:{port}/feeds/icons/site-icon.png">' in page


def test_no_icon_configured_is_404(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = open_store(config)
    app = create_app(config, store=store, clock=fixed_clock(NOW))
    with serve_app(app) as base:
        assert get(int(base.rsplit(":", 1)[1]), "/favicon.ico")[0] == 404
    store.close()


def _has_colour(rows: list[bytes], rgb: tuple[int, int, int]) -> bool:
    wanted = bytes(rgb)
    return any(wanted in row for row in rows)


def test_feeds_index_shows_the_icons_in_chromium(served: tuple[int, Path]) -> None:
    port, tmp = served
    shot = screenshot(f"http://127.0.0.1:{port}/feeds/", tmp / "index-icons.png",
                      tmp / "profile", size=(820, 1000))
    width, _, rows = read_png(shot)
    assert width == 820
    assert _has_colour(rows, RED), "the site icon (all columns) is not drawn"
    assert _has_colour(rows, GREEN), "alsharq's own icon is not drawn"
    assert _has_colour(rows, BLUE), "the author's photo is not drawn"
    keep = Path(tempfile.gettempdir()) / "syndicate-feeds-index-icons.png"
    shutil.copyfile(shot, keep)  # for a person to look at
