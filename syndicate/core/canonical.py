"""Whose column a page is, judged by its canonical URL: pure decisions.

Identity stays the canonical URL. A page whose canonical is another URL is one of:

- a **twin** of a column of the same paper on the same site (AMP, print, mobile, an old
  address; ``www.``/``m.``/``amp.`` hosts count as the site): the canonical page is the
  column, the twin only fills what it lacks. A canonical on another host the source lists
  (``allowed_hosts``) is the paper's main address seen from a mirror: its own column;
- a **copy** of another configured paper's column (syndication): the original is read
  from its own paper and stands; the copy is kept as an alias of it;
- a copy of a page **elsewhere**, on no configured host: the copy is a column of its own
  under its own URL, with ``original_url`` saying where it was first published.

A page under ``file://`` (the bundled sample site, a local mirror) is always its own
column under its canonical URL, the paper's real address.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..text.urls import same_address

# Labels that make a twin's host differ from its paper's main one.
_TWIN_LABELS = ("www.", "m.", "amp.", "mobile.", "print.")


class Relation(enum.Enum):
    OWN = "own"
    TWIN = "twin"
    COPY = "copy"
    ELSEWHERE = "elsewhere"


@dataclass(frozen=True)
class Decision:
    relation: Relation
    canonical: str | None = None  # the column's URL (TWIN, COPY) or the original's
    owner: str | None = None  # the source whose column it is (TWIN, COPY)


def site_host(host: str) -> str:
    """``www.`` / ``m.`` / ``amp.`` … dropped: the host a paper's twins share."""
    host = host.lower().rstrip(".")
    for label in _TWIN_LABELS:
        if host.startswith(label) and host.count(".") > 1:
            return host[len(label):]
    return host


def hosts_of(urls: Iterable[str], allowed: Iterable[str] = ()) -> frozenset[str]:
    hosts = {site_host(urlsplit(u).hostname or "") for u in urls
             if urlsplit(u).scheme in ("http", "https")}
    return frozenset(hosts | {site_host(h) for h in allowed}) - {""}


def decide(*, page_url: str, canonical: str | None, source: str,
           hosts: Mapping[str, frozenset[str]]) -> Decision:
    """What the page at ``page_url`` (after redirects), read for ``source``, is.

    ``hosts``: every configured source's hosts (``site_host`` form).
    """
    if (canonical is None or same_address(canonical, page_url)
            or urlsplit(page_url).scheme == "file"):
        return Decision(Relation.OWN)
    parts = urlsplit(canonical)
    if parts.scheme not in ("http", "https"):
        return Decision(Relation.OWN)
    host = site_host(parts.hostname or "")
    if host in hosts.get(source, frozenset()):
        if host == site_host(urlsplit(page_url).hostname or ""):
            return Decision(Relation.TWIN, canonical, source)
        # Another host the source names as its own (allowed_hosts): the paper's main
        # address seen from a mirror or an alias host. Its column, under the canonical.
        return Decision(Relation.OWN)
    owner = next((name for name, owned in hosts.items() if host in owned), None)
    if owner is not None:
        return Decision(Relation.COPY, canonical, owner)
    return Decision(Relation.ELSEWHERE, canonical)


# How results name a second copy of a column (a twin: print, AMP …) and a syndicated
# copy of another paper's column, each followed by the column's URL.
DUPLICATE = "duplicate of"
COPY = "copy of"


def note(decision: Decision) -> str:
    """How the collect table reports a twin or a copy."""
    said = COPY if decision.relation is Relation.COPY else DUPLICATE
    return f"{said} {decision.canonical}"
