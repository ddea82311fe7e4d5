"""Progress bars only on a terminal: the CLI in a subprocess with pipes (JSON-line logs,
no bars) and on a pseudo-terminal (bars); the rich view itself on a recording console."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from syndicate.cli.progress_view import ProgressView, terminal_progress
from syndicate.progress import NO_PROGRESS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "site"
BAR = "━"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BAR_LINE = re.compile(r"━ +\d+/[\d?]+ +•")  # "collect:alwaha ━━━━ 18/18 • 0:00:00"

CONFIG = """
store: var/syndicate.db
sources:
  - name: alwaha
    kind: html
    start_urls: [examples/site/opinion/index.html]
    links: a.column-link
    next_page: a.next-page
    max_pages: 3
    fields:
      title: h1.article-title
      author: .author-name
      published: .article-date
      views: .article-views
      body: .article-body
      remove: [.ad, .share]
feeds:
  dir: feeds
  formats: [rss, atom]
jobs:
  - name: collect
    run: collect
    every: 30m
  - name: feeds
    run: feeds
    every: 30m
"""


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples" / "site")
    path = tmp_path / "schedules.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _cli(*args: str) -> list[str]:
    code = "import sys; from syndicate.cli.main import main; sys.exit(main())"
    return [sys.executable, "-c", code, *args]


def test_with_pipes_stderr_has_only_json_lines_and_no_bars(config_path: Path) -> None:
    done = subprocess.run(_cli("run", "--once", "--config", str(config_path)),
                          check=False, capture_output=True, text=True, timeout=120, cwd=config_path.parent,
                          env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"})
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines, "the steps log what they did"
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert any(e["msg"].startswith("collected alwaha") for e in entries)
    assert BAR not in done.stderr
    for text in (done.stderr, done.stdout):
        assert not BAR_LINE.search(text) and "\x1b[" not in text
    assert "collect:alwaha" in done.stdout  # the results table, on stdout as before


def _run_on_a_terminal(args: list[str], cwd: Path) -> str:
    """Run with stdout and stderr on a pseudo-terminal; everything it drew, as plain text."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower,
                            cwd=cwd, env=env)
    os.close(follower)
    chunks: list[bytes] = []
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            if not ready:
                break
            try:
                data = os.read(leader, 65536)
            except OSError:  # the follower side closed: the process is done
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
        proc.wait(timeout=60)
    assert proc.returncode == 0, b"".join(chunks).decode("utf-8", "replace")
    # Colours and cursor moves off: the text as drawn, redraws one after the other.
    return ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))


def test_on_a_terminal_collect_draws_a_bar_per_source_with_its_pages(config_path: Path) -> None:
    drawn = _run_on_a_terminal(_cli("collect", "--config", str(config_path)), config_path.parent)
    assert BAR_LINE.search(drawn)
    # 2 listing pages + 16 column pages, as the results table says (test_collect_cli).
    assert "collect:alwaha" in drawn and "18/18" in drawn
    assert "pages fetched" in drawn  # the table still follows


def test_terminal_progress_is_the_null_object_off_a_terminal() -> None:
    with terminal_progress(io.StringIO()) as progress:
        assert progress is NO_PROGRESS


def _view() -> tuple[ProgressView, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100, color_system=None)
    return ProgressView(console), out


def test_the_view_draws_done_over_total_and_starts_a_finished_task_over() -> None:
    view, out = _view()
    with view:
        view.start("collect:alwaha", None)
        view.start("collect:alwaha", 2)
        view.start("collect:alwaha", 18)  # more pages found: the total grows
        view.advance("collect:alwaha", 18)
        view.finish("collect:alwaha")
        view.start("feeds", 30)
        view.advance("feeds", 30)
        view.finish("feeds")
        view.start("feeds", 30)  # run --once builds the feeds a second time
        view.advance("feeds", 6)
        view.finish("feeds")
        view.finish("never-started")  # harmless
        view.start("digest:daily", None)
        view.finish("digest:daily")  # nothing to send: 0/0, not an endless pulse
    final = out.getvalue().rsplit("collect:alwaha", 1)[1]
    assert "18/18" in final and "6/30" in final and "0/0" in final
    assert "36/30" not in out.getvalue()
    assert BAR in final


def test_clearing_the_view_forgets_every_bar() -> None:
    view, out = _view()
    with view:
        view.start("collect:alwaha", 3)
        view.advance("collect:alwaha")
        view.clear()
        view.start("feeds", 4)
        view.status("running feeds")
    final = out.getvalue().rsplit("running feeds", 1)[1]
    assert "0/4" in final and "collect:alwaha" not in final
