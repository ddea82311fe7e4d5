"""`syndicate subscribers import|add|list|remove` through the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from syndicate.store import Store
from syndicate.types import Cadence, Subscriber, SubscriberStatus

from .delivery_helpers import NOW, write_config


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "syndicate.cli.main", *args], check=False,
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_import_add_list_remove(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    conf = str(tmp_path / "schedules.yaml")
    csv_path = tmp_path / "subs.csv"
    csv_path.write_text("email,name,cadence\nok@example.org,أحمد,weekly\nbroken,x,daily\n"
                        "also-ok@example.org,,daily\n", encoding="utf-8")

    done = _cli("subscribers", "import", str(csv_path), "--config", conf, cwd=tmp_path)
    assert done.returncode == 1  # some rows were bad
    assert f"{csv_path}:3:" in done.stderr and "broken" in done.stderr
    assert "imported 2" in done.stdout and "bad rows 1" in done.stdout

    done = _cli("subscribers", "add", "New@Example.org", "--name", "منى", "--cadence", "weekly",
                "--author", "sara-lindqvist", "--config", conf, cwd=tmp_path)
    assert done.returncode == 0 and "added new@example.org" in done.stdout
    done = _cli("subscribers", "add", "not an address", "--config", conf, cwd=tmp_path)
    assert done.returncode == 1 and "error:" in done.stderr

    store = Store.open(config.store_url)
    new = store.subscribers.get("new@example.org", "daily")
    assert new is not None and new.cadence is Cadence.WEEKLY
    assert new.followed_authors == ("sara-lindqvist",) and new.status is SubscriberStatus.ACTIVE
    assert new.id is not None
    store.subscribers.set_status(new.id, SubscriberStatus.UNSUBSCRIBED, NOW)
    done = _cli("subscribers", "add", "new@example.org", "--config", conf, cwd=tmp_path)
    assert "not changed" in done.stdout
    assert store.subscribers.get("new@example.org", "daily").status is (  # type: ignore[union-attr]
        SubscriberStatus.UNSUBSCRIBED)

    done = _cli("subscribers", "list", "--config", conf, cwd=tmp_path)
    assert done.returncode == 0
    for address in ("ok@example.org", "also-ok@example.org", "new@example.org"):
        assert address in done.stdout
    done = _cli("subscribers", "list", "--status", "unsubscribed", "--config", conf, cwd=tmp_path)
    assert "new@example.org" in done.stdout and "ok@example.org" not in done.stdout

    done = _cli("subscribers", "remove", "ok@example.org", "--config", conf, cwd=tmp_path)
    assert done.returncode == 0 and store.subscribers.get("ok@example.org", "daily") is None
    done = _cli("subscribers", "remove", "ok@example.org", "--config", conf, cwd=tmp_path)
    assert done.returncode == 1 and "not a subscriber" in done.stderr
    done = _cli("subscribers", "import", str(csv_path), "--newsletter", "nope", "--config", conf,
                cwd=tmp_path)
    assert done.returncode == 2 and "unknown newsletter 'nope'" in done.stderr



def test_an_unreadable_file_is_one_error_not_a_bad_row(tmp_path: Path) -> None:
    write_config(tmp_path)
    conf = str(tmp_path / "schedules.yaml")
    missing = tmp_path / "nonexist.csv"
    done = _cli("subscribers", "import", str(missing), "--config", conf, cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == [f"error: {missing}: cannot read: No such file or directory"], done.stderr
    assert f"{missing}:0:" not in done.stderr
    assert "bad rows" not in done.stdout and "imported" not in done.stdout
    done = _cli("subscribers", "import", str(tmp_path), "--config", conf, cwd=tmp_path)
    assert done.returncode == 1 and "cannot read" in done.stderr and "bad rows" not in done.stdout


def test_a_missing_newsletter_choice_is_a_usage_error(tmp_path: Path) -> None:
    write_config(tmp_path, newsletter_extra=(
        "  - id: weekly\n    title: نشرة الواحة الأسبوعية\n"
        '    sender: "الواحة <digest@alwaha.example>"\n'))
    conf = str(tmp_path / "schedules.yaml")
    csv_path = tmp_path / "subs.csv"
    csv_path.write_text("email\nok@example.org\n", encoding="utf-8")
    done = _cli("subscribers", "import", str(csv_path), "--config", conf, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: ")
    assert "pick one with --newsletter (daily, weekly)" in done.stderr
    assert "schedules.yaml:1:1" not in done.stderr and done.stdout == ""
    done = _cli("subscribers", "add", "a@example.org", "--newsletter", "weekyl", "--config", conf,
                cwd=tmp_path)
    assert done.returncode == 2 and "did you mean 'weekly'?" in done.stderr
    assert "schedules.yaml:1:1" not in done.stderr
    done = _cli("subscribers", "import", str(csv_path), "--newsletter", "weekly", "--config", conf,
                cwd=tmp_path)
    assert done.returncode == 0 and "imported 1" in done.stdout


def test_csv_export_restores_into_a_fresh_store_without_reactivating_anyone(
        tmp_path: Path) -> None:
    config = write_config(tmp_path)
    conf = str(tmp_path / "schedules.yaml")
    store = Store.open(config.store_url)
    for email, status, bounces in (("stays@example.org", SubscriberStatus.ACTIVE, 0),
                                   ("left@example.org", SubscriberStatus.UNSUBSCRIBED, 0),
                                   ("dead@example.org", SubscriberStatus.BOUNCED, 2)):
        added, _ = store.subscribers.insert_if_absent(Subscriber(
            email, "daily", name="John O'Neil, Jr." if email.startswith("stays") else "ليلى",
            cadence=Cadence.WEEKLY, followed_authors=("sara-lindqvist", "khalid-almannai"),
            status=status, bounces=bounces), NOW)
        assert added.bounces == bounces
    done = _cli("subscribers", "list", "--csv", "--config", conf, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("email,name,cadence,authors,")
    exported = tmp_path / "export.csv"
    exported.write_text(done.stdout, encoding="utf-8")

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    write_config(fresh)
    done = _cli("subscribers", "import", str(exported), "--config",
                str(fresh / "schedules.yaml"), cwd=fresh)
    assert done.returncode == 0 and "imported 3" in done.stdout, done.stderr
    again = _cli("subscribers", "list", "--csv", "--config", str(fresh / "schedules.yaml"),
                 cwd=fresh)
    original = exported.read_text(encoding="utf-8").splitlines()
    assert len(original) == 4 and sorted(again.stdout.splitlines()) == sorted(original)

    exported.write_text("email,status\nx@example.org,gone\n", encoding="utf-8")
    done = _cli("subscribers", "import", str(exported), "--config",
                str(fresh / "schedules.yaml"), cwd=fresh)
    assert done.returncode == 1 and "status 'gone' is not one of pending, active" in done.stderr
