"""Unsubscribing by mail: the List-Unsubscribe mailto target, end to end.

Real parts: a digest sent into the Maildir outbox, its List-Unsubscribe header read
back and answered the way a mail client does (a new message to the mailto address
with its subject), that message filed into an inbound Maildir with the standard
``mailbox`` module (as a mail server would), then the ``unsubscribes`` job and the
``syndicate subscribers unsubscribe-mail -`` pipe acting on it.
"""

from __future__ import annotations

import mailbox
import os
import re
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote

import pytest

from syndicate.clock import fixed_clock
from syndicate.config import Config, load
from syndicate.core import Syndicate
from syndicate.core.digest import run_digest
from syndicate.errors import ConfigError, InputFileError
from syndicate.store import Store
from syndicate.types import Outcome, Subscriber, SubscriberStatus

from .delivery_helpers import NOW, read_maildir, seed_columns, write_config

REPO = Path(__file__).resolve().parents[1]
JOB = "jobs:\n  - name: unsubscribes\n    run: unsubscribes\n    every: 5m\n"
MAILTO = re.compile(r"<mailto:([^?>]+)\?subject=([^>]+)>")


def _config(tmp_path: Path) -> Config:
    write_config(tmp_path, extra_delivery="  unsubscribe_maildir: inbox\n")
    path = tmp_path / "schedules.yaml"
    path.write_text(path.read_text(encoding="utf-8") + JOB, encoding="utf-8")
    return load(path)


def _send_digest(tmp_path: Path, config: Config, store: Store, *emails: str) -> dict[str, str]:
    """One digest to each of ``emails``; their List-Unsubscribe headers by address."""
    seed_columns(store)
    for email in emails:
        store.subscribers.add(Subscriber(email, "daily"), NOW)
    run_digest(config, store, "daily", clock=fixed_clock(NOW))
    return {str(m["To"].addresses[0].addr_spec): str(m["List-Unsubscribe"])
            for m in read_maildir(tmp_path / "outbox")}


def _reply(sender: str, to: str, subject: str, body: str = "") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body or "Sent from my phone")
    return message


def _as_client_would(sender: str, list_unsubscribe: str) -> EmailMessage:
    address, subject = MAILTO.search(list_unsubscribe).groups()  # type: ignore[union-attr]
    return _reply(sender, address, unquote(subject))


def _status(store: Store, email: str) -> SubscriberStatus:
    found = store.subscribers.get(email, "daily")
    assert found is not None
    return found.status


def test_mailto_unsubscribe_acts_on_the_token_only(tmp_path: Path) -> None:
    config = _config(tmp_path)
    store = Store.open(config.store_url)
    headers = _send_digest(tmp_path, config, store, "leaving@example.org",
                           "quoting@example.org", "victim@example.org")
    header = headers["leaving@example.org"]
    address, subject = MAILTO.search(header).groups()  # type: ignore[union-attr]
    assert address == "unsubscribe@alwaha.example"
    token = unquote(subject).removeprefix("unsubscribe ")
    assert f"/unsubscribe/{token}>" in header  # the same token as the one-click link

    inbox = mailbox.Maildir(str(tmp_path / "inbox"), create=True)
    keys = {
        "client": inbox.add(_as_client_would("leaving@example.org", header)),
        # A reply that quotes the token in its text, under an unrelated subject.
        "reply": inbox.add(_reply("quoting@example.org", address, "Re: نشرة الواحة",
                                  "أرجو إلغاء اشتراكي\n> " + unquote(MAILTO.search(
                                      headers["quoting@example.org"]).group(2)))),  # type: ignore[union-attr]
        # Forged: claims to be the victim, carries no token.
        "forged": inbox.add(_reply("victim@example.org", address, "unsubscribe")),
        # The victim's id in someone else's token: the signature no longer matches.
        "tampered": inbox.add(_reply("victim@example.org", address, "unsubscribe " + re.sub(
            r"^u\.\d+\.", f"u.{store.subscribers.get('victim@example.org', 'daily').id}.",  # type: ignore[union-attr]
            token))),
    }

    with Syndicate(config, clock=fixed_clock(NOW), store=store) as app:
        (result,) = app.run_job(config.jobs[0])
        by_key = {item.key: item for item in result.items}
        assert by_key[keys["client"]].outcome is Outcome.UPDATED
        assert by_key[keys["reply"]].outcome is Outcome.UPDATED
        assert by_key[keys["forged"]].outcome is Outcome.SKIPPED
        assert "no unsubscribe token" in by_key[keys["forged"]].reason
        assert by_key[keys["tampered"]].outcome is Outcome.SKIPPED
        assert "does not verify" in by_key[keys["tampered"]].reason
        assert _status(store, "leaving@example.org") is SubscriberStatus.UNSUBSCRIBED
        assert _status(store, "quoting@example.org") is SubscriberStatus.UNSUBSCRIBED
        assert _status(store, "victim@example.org") is SubscriberStatus.ACTIVE

        # Nothing deleted, nothing read twice: Seen or Flagged in cur/.
        assert os.listdir(tmp_path / "inbox" / "new") == []
        flags = {name.split(":", 1)[0]: name.rsplit(",", 1)[1]
                 for name in os.listdir(tmp_path / "inbox" / "cur")}
        assert flags == {keys["client"]: "S", keys["reply"]: "S",
                         keys["forged"]: "F", keys["tampered"]: "F"}
        (again,) = app.run_job(config.jobs[0])
        assert again.items == ()
        assert store.jobs.recent(1)[0].outcome == "ok"  # the job run is recorded

        # A second request for the same subscriber changes nothing and says so.
        inbox.add(_as_client_would("leaving@example.org", header))
        (repeat,) = app.run_job(config.jobs[0])
        assert [i.outcome for i in repeat.items] == [Outcome.UNCHANGED]


def test_pipe_alias_reads_one_message_on_stdin(tmp_path: Path) -> None:
    config = _config(tmp_path)
    store = Store.open(config.store_url)
    header = _send_digest(tmp_path, config, store, "piped@example.org")["piped@example.org"]
    message = _as_client_would("piped@example.org", header).as_bytes()

    done = subprocess.run(
        [sys.executable, "-m", "syndicate.cli.main", "subscribers", "unsubscribe-mail",
         "--config", str(tmp_path / "schedules.yaml"), "-"],
        input=message, capture_output=True, check=False, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert "unsubscribed piped@example.org from daily" in done.stdout.decode()
    assert _status(store, "piped@example.org") is SubscriberStatus.UNSUBSCRIBED

    forged = _reply("someone@example.org", "unsubscribe@alwaha.example", "unsubscribe")
    done = subprocess.run(
        [sys.executable, "-m", "syndicate.cli.main", "subscribers", "unsubscribe-mail",
         "--config", str(tmp_path / "schedules.yaml"), "-"],
        input=forged.as_bytes(), capture_output=True, check=False, cwd=REPO,
    )
    # Exit 0: a failing pipe would make the mail server bounce to a forged sender.
    assert done.returncode == 0
    assert "no unsubscribe token" in done.stdout.decode()
    # The mail server has let go of both: each is kept in unsubscribe_maildir, flagged.
    kept = sorted(name.rsplit(",", 1)[1] for name in os.listdir(tmp_path / "inbox" / "cur"))
    assert kept == ["F", "S"] and os.listdir(tmp_path / "inbox" / "new") == []
    subjects = sorted(str(m["Subject"]) for m in read_maildir(tmp_path / "inbox"))
    assert subjects[0] == "unsubscribe" and subjects[1].startswith("unsubscribe u.")


def test_missing_maildir_and_missing_setting_are_clear_errors(tmp_path: Path) -> None:
    config = _config(tmp_path)
    with Syndicate(config, clock=fixed_clock(NOW)) as app, pytest.raises(InputFileError) as caught:
        app.read_unsubscribe_mail()
    assert str(tmp_path / "inbox") in str(caught.value) and "not a Maildir" in str(caught.value)

    path = tmp_path / "schedules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  unsubscribe_maildir: inbox\n", ""),
                    encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load(path)
    (problem,) = refused.value.problems
    assert "unsubscribes job 'unsubscribes' needs delivery.unsubscribe_maildir" in problem.message
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].strip() == "run: unsubscribes"
