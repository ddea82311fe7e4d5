"""CSV import: every bad row reported by its line, the good ones imported, nobody re-activated."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.store import Store
from syndicate.subscribers.csv_file import email_problem, import_subscribers, read_subscribers
from syndicate.types import Cadence, SubscriberStatus

from .delivery_helpers import NOW, write_config

CSV = """email,name,cadence,authors,newsletter
aisha@example.org,عائشة المري,daily,,
  HAMAD@Example.NET ,حمد,weekly,khalid-almannai;mariam-alkuwari,
not-an-email,بلا عنوان,daily,,
two@@example.org,,daily,,
fatima@example.org,فاطمة,monthly,,
"multi
line@example.org",سطران,daily,,
aisha@example.org,مكرر,daily,,
noura@example.org,نورة,daily,,weekly
mona@example.org,منى,daily,,nosuch
saad@example.org,سعد,daily,,dialy
jo@localhost,,daily,,

extra@example.org,a,daily,,,surplus
"""


@pytest.mark.parametrize("bad", ["", "a", "a@b", "a@@b.org", "a b@c.org", ".a@b.org",
                                 "a..b@c.org", "a@-b.org", "a@b.123", "é@b.org",
                                 "a@" + "b" * 64 + ".org"])
def test_bad_addresses_have_a_reason(bad: str) -> None:
    assert email_problem(bad)


@pytest.mark.parametrize("good", ["a@b.org", "first.last+tag@sub.example.co.uk",
                                  "o'neil@example.ie", "x_y-z@xn--mgbh0fb.example"])
def test_good_addresses_pass(good: str) -> None:
    assert email_problem(good) is None


def test_every_bad_row_is_reported_by_line_and_good_rows_import(tmp_path: Path) -> None:
    path = tmp_path / "subs.csv"
    path.write_text(CSV, encoding="utf-8")
    rows, problems = read_subscribers(path, newsletter="daily",
                                      known_newsletters=["daily", "weekly"])
    by_line = {p.line: p.reason for p in problems}
    assert sorted(by_line) == [4, 5, 6, 7, 9, 11, 12, 13, 15]
    assert "not-an-email" in by_line[4]
    assert "monthly" in by_line[6]
    assert "repeats line 2" in by_line[9]
    assert by_line[11] == "unknown newsletter 'nosuch' (known: daily, weekly)"
    assert by_line[12] == "unknown newsletter 'dialy' (did you mean 'daily'?)"
    assert "localhost" in by_line[13]
    assert "fields" in by_line[15]
    assert "multi" in by_line[7]  # a quoted newline: reported at the line the row starts
    emails = {r.subscriber.email: r.subscriber for r in rows}
    assert set(emails) == {"aisha@example.org", "hamad@example.net", "noura@example.org"}
    hamad = emails["hamad@example.net"]
    assert hamad.cadence is Cadence.WEEKLY
    assert hamad.followed_authors == ("khalid-almannai", "mariam-alkuwari")
    assert emails["noura@example.org"].newsletter == "weekly"


def test_import_keeps_existing_rows_untouched(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    path = tmp_path / "subs.csv"
    path.write_text("email,name\naisha@example.org,عائشة\nnew@example.org,جديد\n",
                    encoding="utf-8")
    first = import_subscribers(store, path, newsletter="daily", now=NOW)
    assert first.added == ("aisha@example.org", "new@example.org") and not first.problems
    aisha = store.subscribers.get("aisha@example.org", "daily")
    assert aisha is not None and aisha.id is not None
    store.subscribers.set_status(aisha.id, SubscriberStatus.UNSUBSCRIBED, NOW)
    again = import_subscribers(store, path, newsletter="daily", now=NOW)
    assert again.added == () and set(again.already_known) == {"aisha@example.org",
                                                              "new@example.org"}
    assert store.subscribers.get("aisha@example.org", "daily").status is (  # type: ignore[union-attr]
        SubscriberStatus.UNSUBSCRIBED)


def test_files_without_an_email_header_or_unreadable_are_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "subs.csv"
    path.write_text("address,name\na@b.org,x\n", encoding="utf-8")
    rows, problems = read_subscribers(path, newsletter="daily")
    assert rows == [] and problems[0].line == 1 and "email" in problems[0].reason
    # Seeding (read_subscribers) skips a missing file as one problem; importing refuses it.
    rows, problems = read_subscribers(tmp_path / "missing.csv", newsletter="daily")
    assert rows == [] and "cannot read" in problems[0].reason
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffemail\nb@b.org\n".encode())
    rows, problems = read_subscribers(bom, newsletter="daily")
    assert [r.subscriber.email for r in rows] == ["b@b.org"] and not problems


def test_importing_a_file_that_cannot_be_read_raises_one_error(tmp_path: Path) -> None:
    from syndicate.errors import InputFileError

    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    try:
        with pytest.raises(InputFileError, match="missing.csv: cannot read"):
            import_subscribers(store, tmp_path / "missing.csv", newsletter="daily", now=NOW)
    finally:
        store.close()
