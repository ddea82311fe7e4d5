"""The feeds index page in headless Chromium: right-to-left, Arabic glyphs, discoverable.

The page carries no script; a probe is appended to a *copy* of it, measures where
the heading and a list entry landed and which font Chromium can use, and writes
the figures into the DOM, which ``--dump-dom`` prints. The page is served over a
loopback HTTP server. A screenshot is kept beside it for a person to look at.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from syndicate.clock import fixed_clock
from syndicate.core.feeds import run_feeds

from .feeds_helpers import NOW, add, make_column, make_config, open_store
from .loopback import serve_directory

PROBE = """
<script>
window.addEventListener("load", () => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width}; };
  const textBox = (el) => { const range = document.createRange();
    range.selectNodeContents(el); return box(range); };
  const width = (font) => { const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = font; return ctx.measureText("الشرق — الخلاصات").width; };
  const h1 = document.querySelector("h1");
  const name = document.querySelector("li .name");
  const out = {
    direction: getComputedStyle(document.body).direction,
    lang: document.documentElement.lang,
    body: box(document.body), h1: textBox(h1), name: textBox(name),
    // Installed Naskh gives other glyph widths than the monospace fallback.
    naskh: width("24px 'Noto Naskh Arabic', monospace") !== width("24px monospace"),
    alternates: document.querySelectorAll("link[rel=alternate]").length,
  };
  const pre = document.createElement("pre"); pre.id = "probe";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>
"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed (CI installs it: apt-get install chromium)")
    return found


def run_chromium(url: str, extra: list[str]) -> str:
    profile = tempfile.mkdtemp(prefix="syndicate-feeds-chromium-")
    try:
        return subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
             "--window-size=900,700", *extra, url],
            capture_output=True, text=True, timeout=90, check=True,
        ).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def test_index_page_renders_right_to_left_in_arabic(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = open_store(config)
    for number in range(6):
        add(store, make_column(number))
    run_feeds(config, store, clock=fixed_clock(NOW))
    store.close()
    page = (tmp_path / "feeds" / "index.html").read_text(encoding="utf-8")
    probe_dir = tmp_path / "probe"
    probe_dir.mkdir()
    (probe_dir / "index.html").write_text(page.replace("</body>", PROBE + "</body>"),
                                          encoding="utf-8")
    with serve_directory(probe_dir) as (base, _log):
        dom = run_chromium(f"{base}/index.html", ["--dump-dom", "--virtual-time-budget=3000"])
    with serve_directory(tmp_path / "feeds") as (base, _log):
        shot = tmp_path / "feeds-index.png"
        run_chromium(f"{base}/index.html", [f"--screenshot={shot}"])
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert match, dom[-2000:]
    figures = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert figures["direction"] == "rtl" and figures["lang"] == "ar"
    assert figures["naskh"], "no Arabic font: the page would show boxes"
    body, h1, name = figures["body"], figures["h1"], figures["name"]
    # Right-aligned: text hugs the body's right edge (inside its 1rem padding) and
    # leaves the room on the left.
    assert 0 <= body["right"] - h1["right"] <= 20, figures
    assert 0 <= body["right"] - name["right"] <= 20, figures
    assert h1["left"] - body["left"] > 200, figures
    assert figures["alternates"] == 6 * 3
    assert shot.stat().st_size > 20_000  # text drawn (a blank page is a few kB)
    keep = Path(tempfile.gettempdir()) / "syndicate-feeds-index.png"
    shutil.copyfile(shot, keep)  # for a person to look at


# Headless Chromium will not make a window narrower than 500 px, so the page is shown
# in an iframe of the wanted width (as the digest browser test does) and measured there.
NARROW_PROBE = """
<script>
window.addEventListener("load", () => {
  const doc = document.querySelector("iframe").contentDocument;
  const groups = [...doc.querySelectorAll("li")].map((li) => {
    const links = [...li.querySelectorAll(".formats a")];
    const tops = links.map((a) => Math.round(a.getBoundingClientRect().bottom));
    const rows = [...li.querySelector(".formats").getClientRects()].map((r) => Math.round(r.bottom));
    return {id: li.id, lines: new Set(rows).size,
            tops: [...new Set(tops)].length, links: links.length,
            overflow: li.getBoundingClientRect().right > doc.documentElement.clientWidth + 1};
  });
  const pre = document.createElement("pre"); pre.id = "probe";
  pre.textContent = JSON.stringify({width: doc.documentElement.clientWidth, groups});
  document.body.appendChild(pre);
});
</script>
"""


def framed(width: int, probe: str = "") -> str:
    return (f'<!doctype html><html><head><meta charset="utf-8"><style>body{{margin:0}}'
            f"iframe{{border:0;width:{width}px;height:1100px}}</style></head><body>"
            f'<iframe src="index.html"></iframe>{probe}</body></html>')


@pytest.mark.parametrize("width", [800, 390])
def test_index_keeps_each_feeds_format_links_together(tmp_path: Path, width: int) -> None:
    """On a phone the list wraps; a feed's RSS/Atom/JSON links must wrap as one group."""
    config = make_config(tmp_path)
    store = open_store(config)
    for number in range(6):
        add(store, make_column(number))
    run_feeds(config, store, clock=fixed_clock(NOW))
    store.close()
    feeds = tmp_path / "feeds"
    (feeds / "probe.html").write_text(framed(width, NARROW_PROBE), encoding="utf-8")
    (feeds / "framed.html").write_text(framed(width), encoding="utf-8")
    shot = tmp_path / f"feeds-index-{width}.png"
    with serve_directory(feeds) as (base, _log):
        dom = run_chromium(f"{base}/probe.html", ["--dump-dom", "--virtual-time-budget=3000"])
        run_chromium(f"{base}/framed.html", [f"--screenshot={shot}",
                                             f"--window-size={max(width, 500)},1100"])
    shutil.copyfile(shot, Path(tempfile.gettempdir()) / f"syndicate-feeds-index-{width}.png")
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert match, dom[-2000:]
    figures = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert figures["width"] == width
    assert len(figures["groups"]) == 6
    for group in figures["groups"]:
        assert group["links"] == 3, group
        assert group["lines"] == 1 and group["tops"] == 1, group  # never split over lines
        assert not group["overflow"], group
