"""The preference page and an issue page as headless Chromium draws them.

The heading's ink (#8a1538) must sit on the right of the page (RTL layout), the
author cards must show their Arabic names as text laid out right to left, and the
form must carry the subscriber's current choices. Screenshots stay in tmp_path.
"""

from __future__ import annotations

import re
from pathlib import Path

from syndicate.clock import fixed_clock
from syndicate.core.digest import run_digest
from syndicate.store import Store
from syndicate.subscribers.tokens import preferences_link, signer_for
from syndicate.types import Subscriber
from syndicate.web.app import create_app

from .chromium_helpers import dump_dom, read_png, screenshot
from .delivery_helpers import NOW, free_port, seed_columns, serve_app, write_config
from .test_web_subscribe_chromium import _heading_ink


def test_preferences_and_issue_pages_render_right_to_left(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = write_config(tmp_path, base_url=base)
    store = Store.open(config.store_url)
    seed_columns(store)
    sub, _ = store.subscribers.add(Subscriber("reader@example.org", "daily", name="منى",
                                              followed_authors=("sara-lindqvist",)), NOW)
    run_digest(config, store, "daily", clock=fixed_clock(NOW))
    url = preferences_link(signer_for(config), base, sub, NOW)
    profile = tmp_path / "chromium-profile"
    with serve_app(create_app(config, store=store, clock=lambda: NOW), port):
        dom = dump_dom(url, profile)
        shots = {
            "preferences": screenshot(url, tmp_path / "preferences.png", profile, (820, 1400)),
            "issue": screenshot(f"{base}/issues/daily/1", tmp_path / "issue.png", profile,
                                (820, 1400)),
            "issue-phone": screenshot(f"{base}/issues/daily/1", tmp_path / "issue-375.png",
                                      profile, (375, 1400)),
        }
    assert '<html lang="ar" dir="rtl">' in dom
    checked = re.findall(r'<input type="checkbox" name="author" value="([^"]+)" checked', dom)
    assert checked == ["sara-lindqvist"]
    assert re.search(r'value="chosen" checked', dom) and re.search(r'value="daily" checked', dom)
    assert "مريم الكواري" in dom and "خالد المناعي" in dom
    for name, shot in shots.items():
        width, _, _ = read_png(shot)
        mean_x, left, right = _heading_ink(shot)
        assert mean_x > width * 0.5, (name, mean_x, width)
        assert right > width * 0.7, (name, right, width)
        assert right - left > 60, (name, left, right)
    store.close()
