"""One bad address never stops a digest, and never gets in (CSV, CLI, web form alike).

Before: ``"third\\n@example.org"`` imported as a good row (``$`` matches before a
trailing newline), then ``digest daily`` failed for everyone, every run, because the
message was built outside the send loop's error handling; the web form answered 500.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from syndicate.clock import fixed_clock
from syndicate.core.digest import run_digest
from syndicate.store import Store
from syndicate.subscribers.csv_file import email_problem, import_subscribers, normalise_email
from syndicate.types import Outcome, Subscriber
from syndicate.web.app import create_app

from .delivery_helpers import NOW, free_port, read_maildir, seed_columns, serve_app, write_config

BAD = ["third\n@example.org", "a\n@example.org", "a\r@example.org",
       "a\t@example.org", "a\x00@example.org", "a@exam\u200bple.org", "a@ex\x1bample.org",
       "a @example.org", "a@example.org\u2028", "a@" + "b" * 250 + ".org",
       "a@xn--.org", "a@b.example\n\n\x00", "a@\u0661.example"]


@pytest.mark.parametrize("bad", BAD)
def test_addresses_with_control_characters_or_whitespace_are_refused(bad: str) -> None:
    assert email_problem(bad), repr(bad)


def test_surrounding_whitespace_is_trimmed_not_refused() -> None:
    assert email_problem(" a@example.org\n") is None
    assert normalise_email(" A@Example.org\r\n") == "a@example.org"


def test_an_international_domain_is_kept_in_its_ascii_form() -> None:
    assert email_problem("reader@مثال.قطر") is None
    assert normalise_email(" Reader@مثال.قطر ") == "reader@xn--mgbh0fb.xn--wgbl6a"
    assert email_problem("reader@xn--mgbh0fb.xn--wgbl6a") is None


def test_the_csv_row_with_a_newline_in_the_address_is_a_bad_row_at_its_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "list.csv"
    path.write_text('email,name\nfirst@example.org,a\n"third\n@example.org",b\n'
                    "fourth@example.org,c\n", encoding="utf-8")
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    report = import_subscribers(store, path, newsletter="daily", now=NOW)
    assert report.added == ("first@example.org", "fourth@example.org")
    assert [(p.line, "third" in p.reason) for p in report.problems] == [(3, True)]


def test_the_cli_refuses_to_add_an_address_with_a_newline(tmp_path: Path) -> None:
    write_config(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "syndicate.cli.main", "subscribers", "add", "a\n@example.org",
         "--newsletter", "daily", "--config", str(tmp_path / "schedules.yaml")],
        capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "error:" in run.stderr


def test_the_web_form_answers_400_to_an_address_with_a_newline(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = write_config(tmp_path, base_url=base)
    store = Store.open(config.store_url)
    with serve_app(create_app(config, store=store), port), httpx.Client(
            base_url=base, timeout=10) as client:
        answer = client.post("/subscribe", data={"email": "a\n@example.org",
                                                 "newsletter": "daily"})
    assert answer.status_code == 400
    assert 'dir="rtl"' in answer.text
    assert store.subscribers.list("daily") == []


def test_a_subscriber_whose_message_cannot_be_built_fails_alone(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    seed_columns(store)
    # Written straight to the store, as an older version's import let it in.
    for email in ("first@example.org", "third\n@example.org", "fourth@example.org"):
        store.subscribers.add(Subscriber(email, "daily"), NOW)
    result = run_digest(config, store, "daily", clock=fixed_clock(NOW))
    assert result.count(Outcome.SENT) == 2
    [failed] = result.failed
    assert failed.key == "third\n@example.org" and "not built" in failed.reason
    assert "ASCII e-mail address" in failed.reason
    sent_to = {str(m["To"].addresses[0].addr_spec) for m in read_maildir(tmp_path / "outbox")}
    assert sent_to == {"first@example.org", "fourth@example.org"}
    issue = store.digests.issues("daily")[0]
    assert store.digests.delivery_counts(issue.id or 0) == {"sent": 2, "failed": 1}
    # The next run does not try it again, and does not fail for anyone.
    again = run_digest(config, store, "daily", clock=fixed_clock(NOW))
    assert not again.failed
