"""`syndicate digest preview` and `syndicate digest NEWSLETTER` on a real SQLite store."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.cli.main import main
from syndicate.config import load
from syndicate.store import Store
from syndicate.text.slug import slugify
from syndicate.types import Subscriber

from .digest_render_helpers import NOW, TITLES, make_columns

CONFIG = """\
store: var/syndicate.db
site:
  base_url: https://news.example
  secret: {env: SYNDICATE_DIGEST_TEST_SECRET}
delivery:
  maildir: outbox
newsletters:
  - id: daily
    title: نشرة الشرق اليومية
    sender: "الشرق <digest@al-sharq.example>"
"""


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SYNDICATE_DIGEST_TEST_SECRET", "k" * 40)
    config_path = tmp_path / "schedules.yaml"
    config_path.write_text(CONFIG, encoding="utf-8")
    (tmp_path / "var").mkdir()
    return config_path


def fill(config_path: Path, *, columns: int = 4) -> None:
    config = load(str(config_path))
    store = Store.open(config.store_url)
    try:
        for column in make_columns(columns):
            store.columns.upsert(
                column, dedupe_key=slugify(column.title) or column.url,
                seen_urls=(column.url,), now=column.collected_at or NOW,
            )
        store.subscribers.add(
            Subscriber(email="aisha@example.org", newsletter="daily", name="عائشة المري"), NOW
        )
        store.subscribers.add(
            Subscriber(email="john@example.net", newsletter="daily", name="John Carter",
                       followed_authors=("sara-lindqvist",)), NOW
        )
    finally:
        store.close()


def preview(config_path: Path, *extra: str) -> tuple[int, Path]:
    out = config_path.parent / "preview" / "digest.html"
    code = main(["digest", "preview", "daily", "--out", str(out), "--config", str(config_path),
                 *extra])
    return code, out


def test_preview_writes_the_next_issue(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(site)
    code, out = preview(site)
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    for title in TITLES[:4]:
        assert title in page
    assert "قارئنا العزيز" in page  # no subscriber given: a generic reader
    assert 'href="https://news.example/unsubscribe"' in page
    printed = capsys.readouterr().out
    assert "issue 1 (next issue)" in printed and str(out) in printed
    assert f"Subject: {TITLES[0]}" in printed  # the lead headline first


def test_preview_as_a_subscriber(site: Path) -> None:
    fill(site)
    code, out = preview(site, "--subscriber", "john@example.net")
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert "John Carter" in page
    # John follows Sara Lindqvist only: her column, not the others' new ones.
    assert TITLES[1] in page
    assert TITLES[0] not in page and TITLES[3] not in page
    link = re.search(r'href="(https://news\.example/unsubscribe/[^"]+)"', page)
    assert link, "a signed, per-subscriber unsubscribe link"
    code, out_aisha = preview(site, "--subscriber", "aisha@example.org")
    assert code == 0
    aisha = out_aisha.read_text(encoding="utf-8")
    assert "عائشة المري" in aisha and link.group(1) not in aisha


def test_preview_errors_are_one_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = preview(site)
    assert code == 1
    assert "nothing to preview" in capsys.readouterr().err
    fill(site)
    code, _ = preview(site, "--subscriber", "nobody@example.org")
    assert code == 1
    assert "nobody@example.org: not a subscriber of daily" in capsys.readouterr().err
    out = site.parent / "x.html"
    # a newsletter id mistyped on the command line is a usage error, not "schedules.yaml:1:1"
    with pytest.raises(SystemExit) as exit_:
        main(["digest", "preview", "weekly", "--out", str(out), "--config", str(site)])
    assert exit_.value.code == 2
    assert f"error: no newsletter 'weekly' in {site} (known: daily)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["digest", "dialy", "--config", str(site)])
    assert f"error: no newsletter 'dialy' in {site} (did you mean 'daily'?)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["digest", "preview", "daily", "--config", str(site)])  # no --out
    with pytest.raises(SystemExit):
        main(["digest", "daily", "--out", str(out), "--config", str(site)])


def test_preview_falls_back_to_the_last_issue(site: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    fill(site)
    config = load(str(site))
    store = Store.open(config.store_url)
    try:
        urls = tuple(c.url for c in make_columns(4))
        issue = store.digests.create_issue(
            "daily", datetime.now(UTC), urls, datetime.now(UTC)
        )
        store.digests.mark_queued(issue)
    finally:
        store.close()
    code, out = preview(site)
    assert code == 0
    assert "issue 1 (last issue)" in capsys.readouterr().out
    assert TITLES[0] in out.read_text(encoding="utf-8")


def test_digest_dry_run_sends_nothing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(site)
    assert main(["digest", "daily", "--dry-run", "--config", str(site)]) == 0
    printed = capsys.readouterr().out
    assert "digest daily (dry run)" in printed
    config = load(str(site))
    store = Store.open(config.store_url)
    try:
        assert store.digests.issues("daily") == []
    finally:
        store.close()
    assert not (site.parent / "outbox" / "new").exists() or not any(
        (site.parent / "outbox" / "new").iterdir()
    )


def test_help_shows_the_two_forms(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["digest", "--help"])
    usage = capsys.readouterr().out.split("\n\n")[0]
    assert usage.splitlines() == [
        "usage: syndicate digest [--dry-run | --queue-only] [--config PATH] NEWSLETTER",
        ("       syndicate digest preview NEWSLETTER --out FILE.html [--subscriber EMAIL]"
         " [--config PATH]"),
    ]
