"""Checks that need the whole file: names that refer to each other, keys that must fit
together, and secrets that must be present in the environment.

They read the *raw* YAML data (plain dicts and lists), not the validated ``Config``, so
that an operator sees a dangling newsletter reference in the same report as a typo in
another key: pydantic's problems and these come out together. Values of the wrong
type are skipped here; pydantic already reports them.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from ..triggers import ScheduleSyntaxError, build_spec, parse_cron, parse_days, parse_duration

Loc = tuple[str | int, ...]


def _hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known) or 'none'})"


def _items(data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _names(items: list[tuple[int, dict[str, Any]]], key: str) -> list[tuple[int, str]]:
    return [(i, item[key]) for i, item in items if isinstance(item.get(key), str)]


def _duplicates(section: str, key: str, named: list[tuple[int, str]], what: str) -> Iterator[tuple[Loc, str]]:
    seen: set[str] = set()
    for index, name in named:
        if name in seen:
            yield (section, index, key), f"{what} {name!r} is used twice"
        seen.add(name)


def _references(
    loc: Loc, value: Any, known: list[str], what: str
) -> Iterator[tuple[Loc, str]]:
    if not isinstance(value, list):
        return
    for index, name in enumerate(value):
        if isinstance(name, str) and name not in known:
            yield (*loc, index), f"unknown {what} {name!r}{_hint(name, known)}"


def _author_references(n_index: int, refs: Any, data: dict[str, Any],
                       source_names: list[str]) -> Iterator[tuple[Loc, str]]:
    """An author is ``source:key`` or a person of `authors:`; a bare key is enough only
    while there is one source (with several it would merge people by a name)."""
    if not isinstance(refs, list) or len(source_names) < 2:
        return
    found = data.get("authors")
    people: dict[str, Any] = found if isinstance(found, dict) else {}
    for index, ref in enumerate(refs):
        if isinstance(ref, str) and ref not in people and not re.match(r"^[^.:]+[.:]", ref):
            yield (("newsletters", n_index, "authors", index),
                   (f"author {ref!r} names no paper: write source:key "
                    f"(e.g. {source_names[0]}:{ref}) or link it under `authors:`"))


def _people_references(people: Any, source_names: list[str]) -> Iterator[tuple[Loc, str]]:
    if not isinstance(people, dict):
        return
    for person, members in people.items():
        if not isinstance(members, list):
            continue
        for index, member in enumerate(members):
            source = re.split(r"[.:]", member, maxsplit=1)[0] if isinstance(member, str) else ""
            if isinstance(member, str) and source not in source_names:
                yield (("authors", person, index),
                       f"unknown source {source!r} in {member!r}{_hint(source, source_names)}")


def _parses(job: dict[str, Any]) -> bool:
    """True when each schedule key is readable on its own (else pydantic reports it)."""
    try:
        for key, parser in (("cron", parse_cron), ("days", parse_days)):
            if key in job and not isinstance(job[key], str):
                return False
            if key in job:
                parser(job[key])
        for key in ("every", "jitter"):
            if key in job and not isinstance(job[key], str):
                return False
            if key in job:
                parse_duration(job[key])
    except ScheduleSyntaxError:
        return False
    for key in ("from", "until"):
        if _day(job.get(key)) is None and job.get(key) is not None:
            return False
    return True


def _day(value: Any) -> date | None:
    """A window bound as written (the loader keeps YAML dates as text)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _job_problems(
    j_index: int, job: dict[str, Any], source_names: list[str], newsletter_ids: list[str],
    *, has_unsubscribe_maildir: bool,
) -> Iterator[tuple[Loc, str]]:
    name = job.get("name", f"#{j_index + 1}")
    has_cron, has_every = job.get("cron") is not None, job.get("every") is not None
    if not has_cron and not has_every:
        yield ("jobs", j_index), f"job {name!r} needs a schedule: cron (e.g. '0 7 * * sun-thu') or every (e.g. '30m')"
    elif has_cron and has_every:
        yield ("jobs", j_index, "every"), f"job {name!r} has both cron and every: pick one"
    elif _parses(job):
        try:
            build_spec(
                timezone="UTC",
                cron=job.get("cron"),
                every=job.get("every"),
                days=job.get("days"),
                jitter=job.get("jitter"),
                start=_day(job.get("from")),
                end=_day(job.get("until")),
            )
        except ScheduleSyntaxError as exc:
            yield ("jobs", j_index, exc.key or "name"), f"job {name!r}: {exc}"
    kind = job.get("run")
    newsletter = job.get("newsletter")
    if kind == "digest":
        if newsletter is None:
            yield ("jobs", j_index, "run"), f"digest job {name!r} needs a newsletter"
        elif isinstance(newsletter, str) and newsletter not in newsletter_ids:
            yield (
                ("jobs", j_index, "newsletter"),
                f"unknown newsletter {newsletter!r}{_hint(newsletter, newsletter_ids)}",
            )
    elif newsletter is not None and kind in ("collect", "feeds", "unsubscribes"):
        yield ("jobs", j_index, "newsletter"), f"newsletter is only used by digest jobs, not by {kind!r}"
    if kind == "unsubscribes" and not has_unsubscribe_maildir:
        yield (("jobs", j_index, "run"),
               (f"unsubscribes job {name!r} needs delivery.unsubscribe_maildir: the Maildir "
               "your mail server delivers unsubscribe_mailto's mail to"))
    if job.get("sources") and kind in ("feeds", "digest", "unsubscribes"):
        yield ("jobs", j_index, "sources"), f"sources is only used by collect jobs, not by {kind!r}"
    yield from _references(("jobs", j_index, "sources"), job.get("sources"), source_names, "source")


def _shared_store_secret(data: dict[str, Any]) -> Iterator[tuple[Loc, str]]:
    """Hosts sharing a server database must sign links with one key (see subscribers/tokens.py)."""
    store = data.get("store")
    if not isinstance(store, str) or "://" not in store or store.startswith("sqlite"):
        return
    site = data.get("site")
    secret = site.get("secret") if isinstance(site, dict) else None
    written = isinstance(secret, dict) and isinstance(secret.get("env"), str)
    variable = secret["env"] if written else "SYNDICATE_SECRET"  # type: ignore[index]
    if not os.environ.get(variable):
        yield (
            ("site", "secret", "env") if written else ("store",),
            (
                f"secret {variable} is not set in the environment (needed: a shared server"
                " store means every host must sign subscribe/unsubscribe links with one key)"
            ),
        )


def _dkim_key_problem(delivery: Any) -> Iterator[tuple[Loc, str]]:
    dkim = delivery.get("dkim") if isinstance(delivery, dict) else None
    key = dkim.get("private_key") if isinstance(dkim, dict) else None
    if isinstance(key, dict) and isinstance(key.get("env"), str) and not os.environ.get(key["env"]):
        yield (("delivery", "dkim", "private_key", "env"),
               (f"secret {key['env']} is not set in the environment (needed: delivery.dkim "
                "signs every message with it)"))


def _secret_problems(data: dict[str, Any]) -> Iterator[tuple[Loc, str]]:
    yield from _shared_store_secret(data)
    yield from _dkim_key_problem(data.get("delivery"))
    delivery = data.get("delivery")
    if not isinstance(delivery, dict) or delivery.get("transport") != "smtp":
        return
    smtp = delivery.get("smtp")
    if not isinstance(smtp, dict):
        return
    password = smtp.get("password")
    if isinstance(password, dict) and isinstance(password.get("env"), str):
        variable = password["env"]
        if not os.environ.get(variable):
            yield (
                ("delivery", "smtp", "password", "env"),
                (
                    f"secret {variable} is not set in the environment"
                    " (needed: delivery.transport is smtp)"
                ),
            )


_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def is_local(base_url: str) -> bool:
    """A site on this machine: a test set-up, not one mailing real subscribers."""
    return urlsplit(base_url).hostname in _LOCAL_HOSTS


def _production_problems(data: dict[str, Any],
                         newsletters: list[tuple[int, dict[str, Any]]]) -> Iterator[tuple[Loc, str]]:
    """What real subscribers' mail must carry: a newsletter sent by SMTP from a public
    site (not a Maildir test set-up on localhost) needs its sender's postal address."""
    delivery, site = data.get("delivery"), data.get("site")
    if not isinstance(delivery, dict) or delivery.get("transport") != "smtp":
        return
    base_url = site.get("base_url") if isinstance(site, dict) else None
    if not isinstance(base_url, str) or is_local(base_url):
        return
    for n_index, newsletter in newsletters:
        if not newsletter.get("postal_address"):
            yield (("newsletters", n_index, "id"),
                   (f"newsletter {newsletter.get('id')!r} has no postal_address: required "
                    "when sending to subscribers by SMTP (CAN-SPAM, Gmail and Yahoo's "
                    "bulk-sender rules); every footer shows it, e.g. "
                    "postal_address: \"ص.ب. ١٢٣، الدوحة، قطر\""))


def cross_reference_problems(
    data: dict[str, Any], *, for_running: bool = False
) -> Iterator[tuple[Loc, str]]:
    """Every problem of the raw YAML data that one key's validation cannot see.

    ``for_running`` also requires what a schedule needs to run: the secrets in use set
    in the environment, and at least one job. `schedules check`, `run` and every hot
    reload ask for that; one-off commands (`collect`, `digest`, …) do not.
    """
    sources, newsletters, jobs = (_items(data, k) for k in ("sources", "newsletters", "jobs"))
    source_names = [name for _, name in _names(sources, "name")]
    newsletter_ids = [name for _, name in _names(newsletters, "id")]
    yield from _duplicates("sources", "name", _names(sources, "name"), "source name")
    yield from _duplicates("newsletters", "id", _names(newsletters, "id"), "newsletter id")
    yield from _duplicates("jobs", "name", _names(jobs, "name"), "job name")
    for n_index, newsletter in newsletters:
        yield from _references(
            ("newsletters", n_index, "sources"), newsletter.get("sources"), source_names, "source"
        )
        yield from _author_references(n_index, newsletter.get("authors"), data, source_names)
    yield from _people_references(data.get("authors"), source_names)
    feeds = data.get("feeds")
    if isinstance(feeds, dict) and isinstance(feeds.get("source_icons"), dict):
        for name in feeds["source_icons"]:
            if name not in source_names:
                yield (("feeds", "source_icons", name),
                       f"unknown source {name!r}{_hint(str(name), source_names)}")
    delivery = data.get("delivery")
    if isinstance(delivery, dict) and delivery.get("transport") == "smtp" and delivery.get("smtp") is None:
        yield ("delivery", "transport"), "transport is smtp but there is no delivery.smtp section"
    has_unsubscribe_maildir = isinstance(delivery, dict) and bool(
        delivery.get("unsubscribe_maildir"))
    for j_index, job in jobs:
        yield from _job_problems(j_index, job, source_names, newsletter_ids,
                                 has_unsubscribe_maildir=has_unsubscribe_maildir)
    if for_running:
        yield from _secret_problems(data)
        yield from _production_problems(data, newsletters)
        if not data.get("jobs"):
            # An emptied or truncated file (an editor crash, a bad copy) must not
            # quietly become a scheduler that runs nothing.
            yield (("jobs",), ("no jobs: the schedule would run nothing (add jobs under "
                   "`jobs:`; to stop them for a while, set `paused: true` on each)"))
