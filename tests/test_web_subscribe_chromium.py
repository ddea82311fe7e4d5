"""The subscribe and unsubscribe pages as a browser draws them: Arabic, right to left.

Real headless Chromium against the app served by uvicorn. Besides the DOM, the
screenshot is measured: the heading's ink (its colour, #8a1538) must sit on the
right-hand side of the card, which is only true when the page is laid out RTL.
Screenshots are kept under the test's tmp dir for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

from syndicate.store import Store
from syndicate.subscribers.tokens import link, signer_for
from syndicate.types import Subscriber
from syndicate.web.app import create_app

from .chromium_helpers import dump_dom, read_png, screenshot
from .delivery_helpers import NOW, free_port, serve_app, write_config

BRAND = (0x8A, 0x15, 0x38)


def _heading_ink(path: Path) -> tuple[float, int, int]:
    """(mean x of heading-coloured pixels, leftmost, rightmost), border rows excluded."""
    width, height, rows = read_png(path)
    xs: list[int] = []
    for y in range(min(height, 260)):
        row = rows[y]
        hits = [x for x in range(width)
                if abs(row[3 * x] - BRAND[0]) < 40 and abs(row[3 * x + 1] - BRAND[1]) < 40
                and abs(row[3 * x + 2] - BRAND[2]) < 40]
        if hits and len(hits) < width // 3:  # skip the card's full-width top border
            xs.extend(hits)
    assert xs, "no heading pixels found"
    return sum(xs) / len(xs), min(xs), max(xs)


def test_pages_render_arabic_right_to_left(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = write_config(tmp_path, base_url=base)
    store = Store.open(config.store_url)
    sub, _ = store.subscribers.add(Subscriber("reader@example.org", "daily"), NOW)
    token = signer_for(config).make("unsubscribe", subscriber_id=sub.id or 0,
                                    email=sub.email, newsletter="daily", issued=NOW)
    profile = tmp_path / "chromium-profile"
    with serve_app(create_app(config, store=store), port):
        dom = dump_dom(f"{base}/subscribe", profile)
        assert '<html lang="ar" dir="rtl">' in dom
        assert "اشترك في النشرة" in dom and 'type="email"' in dom
        shots = {
            "subscribe": screenshot(f"{base}/subscribe", tmp_path / "subscribe.png", profile),
            "unsubscribe": screenshot(link(base, "unsubscribe", token),
                                      tmp_path / "unsubscribe.png", profile),
        }
    for name, shot in shots.items():
        width, _, _ = read_png(shot)
        mean_x, left, right = _heading_ink(shot)
        # Right-aligned heading: its ink is on the right half and hugs the card's right edge.
        assert mean_x > width * 0.55, (name, mean_x, width)
        assert right > width * 0.7, (name, right, width)
        assert right - left > 60, (name, left, right)  # real glyphs, a word wide
