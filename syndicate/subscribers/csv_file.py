"""Subscriber CSV import: validate every row, report each bad one by line, import the rest.

Columns (header row required, any order): ``email`` (required), ``name``,
``cadence`` (daily | weekly), ``authors`` (followed author slugs separated by
``;``, ``|`` or spaces; empty = all), ``newsletter`` (overrides the default).
Rows already known for that newsletter are left exactly as they are, so
re-importing a file never re-activates someone who unsubscribed or bounced.

A file that cannot be opened at all is not a bad row: ``import_subscribers``
raises ``InputFileError`` (one line, non-zero exit). ``read_subscribers`` reports
it as a line-0 problem instead, for the digest's seeding, which skips and goes on.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from ..errors import InputFileError
from ..store import Store
from ..types import Cadence, Subscriber, SubscriberStatus
from .addresses import email_problem, normalise_email

__all__ = ["email_problem", "import_subscribers", "normalise_email", "read_subscribers",
           "write_subscribers_csv"]

@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class CsvRow:
    line: int
    subscriber: Subscriber


@dataclass(frozen=True)
class ImportReport:
    added: tuple[str, ...] = ()
    already_known: tuple[str, ...] = ()
    problems: tuple[RowProblem, ...] = field(default_factory=tuple)


def read_subscribers(
    path: Path,
    *,
    newsletter: str,
    known_newsletters: Collection[str] | None = None,
    status: SubscriberStatus = SubscriberStatus.ACTIVE,
) -> tuple[list[CsvRow], list[RowProblem]]:
    """Parse the file; every row is either a CsvRow or a RowProblem (never both, never lost)."""
    try:
        handle = _open(path)
    except InputFileError as exc:
        return [], [RowProblem(0, str(exc))]
    return _read(handle, newsletter=newsletter, known_newsletters=known_newsletters,
                 status=status)


def _open(path: Path) -> TextIO:
    try:
        return open(path, encoding="utf-8-sig", newline="")  # closed by _read
    except OSError as exc:
        raise InputFileError(str(path), f"cannot read: {exc.strerror or exc}") from exc


def _read(
    handle: TextIO,
    *,
    newsletter: str,
    known_newsletters: Collection[str] | None,
    status: SubscriberStatus,
) -> tuple[list[CsvRow], list[RowProblem]]:
    rows: list[CsvRow] = []
    problems: list[RowProblem] = []
    with handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            return [], [RowProblem(1, "the file is empty (expected a header row with 'email')")]
        except (csv.Error, UnicodeDecodeError) as exc:
            return [], [RowProblem(1, f"unreadable header: {exc}")]
        if "email" not in header:
            return [], [RowProblem(1, f"no 'email' column in the header ({', '.join(header)})")]
        seen: dict[tuple[str, str], int] = {}
        while True:
            line = reader.line_num + 1  # where this record starts (a quoted field may span lines)
            try:
                values = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as exc:
                problems.append(RowProblem(line, f"unreadable row: {exc}"))
                continue
            if not any(v.strip() for v in values):
                continue  # blank line
            if len(values) > len(header):
                problems.append(RowProblem(line, f"{len(values)} fields, header has {len(header)}"))
                continue
            record = {k: v.strip() for k, v in zip(header, values)}
            row, problem = _row(record, line, newsletter, known_newsletters, status)
            if problem is not None:
                problems.append(problem)
                continue
            assert row is not None
            key = (row.subscriber.email, row.subscriber.newsletter)
            if key in seen:
                problems.append(RowProblem(line, f"{key[0]} repeats line {seen[key]}"))
                continue
            seen[key] = line
            rows.append(row)
    return rows, problems


def _row(
    record: dict[str, str],
    line: int,
    newsletter: str,
    known: Collection[str] | None,
    status: SubscriberStatus,
) -> tuple[CsvRow | None, RowProblem | None]:
    email = record.get("email", "")
    problem = email_problem(email)
    if problem:
        return None, RowProblem(line, problem)
    target = record.get("newsletter") or newsletter
    if known is not None and target not in known:
        close = difflib.get_close_matches(target, list(known), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
        return None, RowProblem(line, f"unknown newsletter {target!r}{hint}")
    cadence_text = (record.get("cadence") or "daily").lower()
    try:
        cadence = Cadence(cadence_text)
    except ValueError:
        return None, RowProblem(line, f"cadence {cadence_text!r} is not daily or weekly")
    authors = tuple(a for a in re.split(r"[;|\s]+", record.get("authors", "")) if a)
    # A file written by `subscribers list --csv` carries each one's status and bounces:
    # restoring it must keep the unsubscribed unsubscribed.
    status_text = (record.get("status") or "").lower()
    if status_text:
        try:
            status = SubscriberStatus(status_text)
        except ValueError:
            known_statuses = ", ".join(s.value for s in SubscriberStatus)
            return None, RowProblem(line, f"status {status_text!r} is not one of {known_statuses}")
    bounces_text = record.get("bounces") or "0"
    if not bounces_text.isdigit():
        return None, RowProblem(line, f"bounces {bounces_text!r} is not a whole number")
    subscriber = Subscriber(
        email=normalise_email(email),
        newsletter=target,
        name=record.get("name") or None,
        cadence=cadence,
        followed_authors=authors,
        status=status,
        bounces=int(bounces_text),
    )
    return CsvRow(line, subscriber), None


def import_subscribers(
    store: Store,
    path: Path,
    *,
    newsletter: str,
    now: datetime,
    known_newsletters: Collection[str] | None = None,
) -> ImportReport:
    """Import the good rows; raises InputFileError when the file cannot be opened."""
    rows, problems = _read(_open(path), newsletter=newsletter,
                           known_newsletters=known_newsletters, status=SubscriberStatus.ACTIVE)
    added: list[str] = []
    known: list[str] = []
    for row in rows:
        _, created = store.subscribers.insert_if_absent(row.subscriber, now)
        (added if created else known).append(row.subscriber.email)
    return ImportReport(tuple(added), tuple(known), tuple(problems))


EXPORT_COLUMNS = ("email", "name", "cadence", "authors", "newsletter", "status", "bounces")


def write_subscribers_csv(subscribers: Iterable[Subscriber], out: TextIO) -> None:
    """Subscribers as CSV that ``import`` reads back (authors joined with ';')."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for s in subscribers:
        writer.writerow((s.email, s.name or "", s.cadence.value, ";".join(s.followed_authors),
                         s.newsletter, s.status.value, s.bounces))
