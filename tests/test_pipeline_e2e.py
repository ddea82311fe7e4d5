"""The whole pipeline on the bundled sample site: collect → feeds → digests, twice.

Real parts only: the sample site served over loopback HTTP, a SQLite file, feeds read
back with feedparser, the Maildir read back with the standard mailbox/email modules.
"""

from __future__ import annotations

import csv
import mailbox
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

import feedparser
import pytest

from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.core import Syndicate
from syndicate.types import Outcome

from .loopback import serve_directory

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "examples" / "site"
NOW = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def sample_config(
    tmp_path: Path, start_url: str, *, private_ok: bool, store: str | None = None
) -> Path:
    """The default schedules.yaml, pointed at ``start_url`` and writing under tmp_path
    (into the store at ``store``, a URL, when given)."""
    text = (REPO / "schedules.yaml").read_text(encoding="utf-8")
    if store is not None:
        text = text.replace("store: var/syndicate.db", f"store: {store}", 1)
    text = text.replace("[examples/site/opinion/index.html]", f"[{start_url}]")
    text = text.replace("examples/subscribers.csv", str(REPO / "examples" / "subscribers.csv"))
    if private_ok:
        text = text.replace("http:\n", "http:\n  allow_private_addresses: true\n", 1)
        text = re.sub(r"min_delay_s: [0-9.]+", "min_delay_s: 0", text)
    path = tmp_path / "schedules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def sample_subscribers() -> list[dict[str, str]]:
    with open(REPO / "examples" / "subscribers.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_maildir(path: Path) -> list[EmailMessage]:
    box = mailbox.Maildir(str(path), factory=None, create=False)
    messages = []
    for key in box.iterkeys():
        with box.get_file(key) as f:
            import email

            messages.append(email.message_from_binary_file(f, policy=policy.default))  # type: ignore[call-overload]
    return messages  # type: ignore[return-value]


@pytest.fixture()
def served_run(tmp_path: Path, store_url: str):  # type: ignore[no-untyped-def]
    with serve_directory(SITE) as (base, requests):
        config = load(sample_config(
            tmp_path, f"{base}/opinion/index.html", private_ok=True, store=store_url
        ))
        with Syndicate(config, clock=fixed_clock(NOW)) as syndicate:
            first = syndicate.run_once()
            yield config, syndicate, first, requests


def test_collects_every_sample_column_and_skips_the_broken_page(served_run) -> None:  # type: ignore[no-untyped-def]
    _config, syndicate, results, _ = served_run
    collect = next(r for r in results if r.step.startswith("collect"))
    assert collect.count(Outcome.NEW) >= 12
    skipped = [i for i in collect.items if i.outcome in (Outcome.SKIPPED, Outcome.FAILED)]
    assert any("broken" in i.key for i in skipped), skipped
    assert all(i.reason for i in skipped)
    columns = syndicate.store.columns.list()
    assert len(columns) == collect.count(Outcome.NEW)
    assert len({c.author.slug for c in columns}) >= 4
    for column in columns:
        assert column.title and column.author.name and column.body_html
        assert column.published.tzinfo is not None
        assert "<script" not in column.body_html and "مساحة إعلانية" not in column.body_html
        assert column.url.startswith("https://alwaha.example/")
    # The seed's date form parses: every page's Doha time is 00:00–23:59 +03:00.
    assert any(c.views is not None for c in columns)


def test_feeds_parse_with_bylines_views_and_language(served_run) -> None:  # type: ignore[no-untyped-def]
    config, _syndicate, _, _ = served_run
    feeds_dir = config.path(config.feeds.dir)
    for name in ("columns.rss", "columns.atom"):
        parsed = feedparser.parse(str(feeds_dir / name))
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert parsed.feed.get("language", "ar").startswith("ar")
        assert len(parsed.entries) >= 12
        for entry in parsed.entries:
            assert entry.get("author"), entry.get("id")
        assert any("media_statistics" in e for e in parsed.entries)
    # The newsletters' archive feeds already list the issues this same run sent.
    for newsletter in ("daily", "weekly"):
        archive = feedparser.parse(str(feeds_dir / "newsletters" / f"{newsletter}.atom"))
        assert archive.bozo == 0 and len(archive.entries) >= 1, newsletter
    author_feeds = sorted((feeds_dir / "authors").glob("*.rss"))
    assert len(author_feeds) >= 4
    for rss in author_feeds:
        assert rss.with_suffix(".atom").exists()
        assert feedparser.parse(str(rss)).bozo == 0


def test_one_rtl_digest_per_sample_subscriber(served_run) -> None:  # type: ignore[no-untyped-def]
    config, _, _, _ = served_run
    messages = read_maildir(config.path(config.delivery.maildir))
    expected = {row["email"].strip().lower() for row in sample_subscribers()}
    recipients = [str(m["To"].addresses[0].addr_spec).lower() for m in messages]
    assert sorted(recipients) == sorted(expected)
    for message in messages:
        assert message.get_content_type() == "multipart/alternative"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "<http" in message["List-Unsubscribe"]
        assert "<mailto:unsubscribe@alwaha.example" in message["List-Unsubscribe"]
        assert any("\u0600" <= ch <= "\u06ff" for ch in str(message["Subject"]))
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
        assert 'dir="rtl"' in html and 'lang="ar"' in html
        assert "هـ" in html  # the Hijri date is there beside the Gregorian one
        assert text.strip() and all(  # Arabic lines; URL lines stay plain
            line.startswith("\u200f") for line in text.splitlines()
            if any("\u0600" <= c <= "\u06ff" for c in line)
        )


def test_second_run_adds_nothing_and_sends_nothing(served_run) -> None:  # type: ignore[no-untyped-def]
    config, syndicate, _, _ = served_run
    maildir = config.path(config.delivery.maildir)
    before = len(read_maildir(maildir))
    columns_before = syndicate.store.columns.count()
    second = syndicate.run_once()
    collect = next(r for r in second if r.step.startswith("collect"))
    assert collect.count(Outcome.NEW) == 0
    assert syndicate.store.columns.count() == columns_before
    assert len(read_maildir(maildir)) == before
    assert all(r.count(Outcome.SENT) == 0 for r in second)


def test_readme_default_runs_offline_through_the_cli(tmp_path: Path, store_url: str) -> None:
    """The README's first command, on a copy of the default config (file:// sample site)."""
    config = sample_config(
        tmp_path, str(SITE / "opinion" / "index.html"), private_ok=False, store=store_url
    )
    env = {**os.environ, "SYNDICATE_SECRET": "test-secret"}
    done = subprocess.run(
        [sys.executable, "-m", "syndicate.cli.main", "run", "--once", "--config", str(config)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert str(tmp_path / "feeds") in done.stdout and str(tmp_path / "outbox") in done.stdout
    assert feedparser.parse(str(tmp_path / "feeds" / "columns.atom")).bozo == 0
    assert len(read_maildir(tmp_path / "outbox")) == len(sample_subscribers())


def test_run_once_skips_paused_jobs_and_jobs_out_of_season(tmp_path: Path) -> None:
    text = (REPO / "schedules.yaml").read_text(encoding="utf-8")
    text = text.replace("examples/", str(REPO / "examples") + "/")
    text = text.replace("    run: collect\n    every: 30m\n",
                        "    run: collect\n    every: 30m\n    until: 2026-02-01\n")
    text = text.replace("    newsletter: daily\n", "    newsletter: daily\n    paused: true\n")
    path = tmp_path / "schedules.yaml"
    path.write_text(text, encoding="utf-8")
    with Syndicate(load(path), clock=fixed_clock(NOW)) as syndicate:
        steps = [r.step for r in syndicate.run_once()]
        assert steps == ["feeds", "digest:weekly"], steps
        assert syndicate.store.columns.count() == 0
