"""The digest in a real browser (headless Chromium): right-to-left layout, desktop and phone.

A probe script is appended to a *copy* of the HTML (digests carry no script): after
load it measures where things landed and writes the figures into the top page's DOM,
which ``--dump-dom`` prints. The digest is shown in an iframe of the wanted width,
because headless Chromium will not make its window narrower than 500 px and the
phone layout (``max-width: 480px``) would never apply. Pages and photos come from
loopback HTTP servers, like remote images in a mail client.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from syndicate.render.digest import render_segment
from syndicate.render.digest_model import SubscriberTokens, build_content

from .digest_render_helpers import (
    NOW,
    TEMPLATES,
    make_columns,
    newsletter,
    run_chromium,
    screenshot,
)
from .loopback import serve_directory

IMAGES = Path(__file__).resolve().parent.parent / "examples" / "site" / "images"

PROBE = """
<script>
window.addEventListener("load", () => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  const textBox = (node, start, end) => { const range = document.createRange();
    range.setStart(node, start); range.setEnd(node, end); return box(range); };
  const divs = [...document.querySelectorAll("div")];
  const greet = divs.filter((d) => d.textContent.trim().startsWith("مرحبًا")).pop();
  const range = document.createRange(); range.selectNodeContents(greet);
  const title = document.querySelector('a[href="https://al-sharq.example/opinion/1000"]');
  const photo = document.querySelector('img[alt="د. موضي مبارك ناصر البوعينين"]');
  const chat = [...document.querySelectorAll("bdi")].find((b) => b.textContent === "ChatGPT");
  const before = chat.previousSibling, after = chat.nextSibling;
  const out = {
    greet: {text: box(range), block: box(greet), direction: getComputedStyle(greet).direction,
            align: getComputedStyle(greet).textAlign, font: getComputedStyle(greet).fontFamily},
    title: box(title), photo: box(photo), photoLoaded: photo.complete && photo.naturalWidth > 0,
    chat: box(chat),
    beforeChat: textBox(before, before.textContent.length - 8, before.textContent.length - 1),
    afterChat: textBox(after, 1, after.textContent.length),
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  };
  const target = window.top.document;  // same origin: both served by the loopback server
  const pre = target.createElement("pre"); pre.id = "probe";
  pre.textContent = JSON.stringify(out); target.body.appendChild(pre);
});
</script>
"""


FRAME = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; }} iframe {{ border: 0; width: {width}px; height: {height}px; }}
</style></head><body><iframe src="{page}"></iframe></body></html>"""


@pytest.fixture(scope="module")
def digest_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("digest-browser")
    with serve_directory(IMAGES) as (base, _log), serve_directory(folder) as (site, _):
        columns = make_columns(6, image_base=base)
        content = build_content(
            newsletter(), columns[:4], sorted(columns, key=lambda c: -(c.views or 0)),
            issue_number=12, now=NOW, base_url="https://news.example/",
        )
        page, _ = render_segment(content, templates_dirs=TEMPLATES).personalise(
            SubscriberTokens(unsubscribe_url="https://news.example/unsubscribe/x", name="John Carter")
        )
        (folder / "digest.html").write_text(page, encoding="utf-8")
        (folder / "probe.html").write_text(
            page.replace("</body>", PROBE + "</body>"), encoding="utf-8"
        )
        for width, height in ((800, 2600), (375, 3600)):
            for page_name in ("digest", "probe"):
                (folder / f"{page_name}-{width}.html").write_text(
                    FRAME.format(width=width, height=height, page=f"{page_name}.html"),
                    encoding="utf-8",
                )
        yield folder, site


def probe(served: tuple[Path, str], width: int) -> dict[str, Any]:
    _folder, site = served
    dom = run_chromium(
        f"{site}/probe-{width}.html", width=max(width, 800), height=1600,
        extra=["--dump-dom", "--virtual-time-budget=5000"],
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, flags=re.DOTALL)
    assert found, dom[-2000:]
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


@pytest.mark.parametrize("width", [800, 375])
def test_text_reads_right_to_left_and_fits(digest_page: tuple[Path, str], width: int) -> None:
    facts = probe(digest_page, width)
    assert facts["innerWidth"] == width
    greet = facts["greet"]
    assert greet["direction"] == "rtl" and greet["align"] == "right"
    assert "Noto Naskh Arabic" in greet["font"]
    # Right-aligned: the greeting's text hugs the right edge of its block.
    assert greet["block"]["right"] - greet["text"]["right"] < 4
    assert greet["text"]["left"] - greet["block"]["left"] > 40
    # Nothing wider than the screen (the phone layout stacks or shrinks columns).
    assert facts["scrollWidth"] <= facts["innerWidth"]
    # The author's photo loaded and sits on the right of the title, as in print; on a
    # phone it sits above the text, which then takes the full width.
    assert facts["photoLoaded"]
    if width > 480:
        assert facts["photo"]["left"] >= facts["title"]["right"] - 1
    else:
        assert facts["photo"]["bottom"] <= facts["title"]["top"] + 1


def test_latin_run_sits_in_rtl_order_on_desktop(digest_page: tuple[Path, str]) -> None:
    facts = probe(digest_page, 800)
    # "… غرف الأخبار: ChatGPT وما بعده": read from the right, ChatGPT comes after
    # "الأخبار" (so to its left) and before "وما بعده" (so to its right).
    assert facts["chat"]["right"] <= facts["beforeChat"]["left"] + 1
    assert facts["chat"]["left"] >= facts["afterChat"]["right"] - 1


@pytest.mark.parametrize(("width", "height"), [(800, 2600), (375, 3600)])
def test_screenshots(digest_page: tuple[Path, str], width: int, height: int) -> None:
    folder, site = digest_page
    out = screenshot(
        f"{site}/digest-{width}.html",
        folder / f"digest-{width}.png",
        width=max(width, 800),
        height=height,
    )
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    keep = os.environ.get("SYNDICATE_SCREENSHOTS")  # a folder to look at them (CI artifact)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(out, Path(keep) / out.name)
