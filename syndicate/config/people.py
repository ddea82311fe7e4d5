"""`authors:` — one person across papers, linked by the operator, never by a name.

An author belongs to a paper: ``source.key`` (``alsharq.moza-almarri``; ``source:key``
is read the same). The same columnist on two papers is two authors with two bylines
until the operator says otherwise::

    authors:
      moza-almarri: [alsharq:moza-almarri, raya:writers-52]

The person id then names one cross-paper author feed and can be followed; a follow of
one paper's author stays with that paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

PERSON_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_REF = re.compile(r"^([a-z0-9][a-z0-9_-]*)[.:](\S+)$")


def split_ref(ref: str) -> tuple[str, str] | None:
    """``source:key`` or ``source.key`` → (source, key); None for a bare key."""
    match = _REF.match(ref.strip())
    return (match.group(1), match.group(2)) if match else None


def canonical_ref(ref: str) -> str:
    parts = split_ref(ref)
    return f"{parts[0]}.{parts[1]}" if parts else ref.strip()


def checked_people(value: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The `authors:` section, each member as ``source.key``."""
    out: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for person, members in value.items():
        if not PERSON_ID.match(person):
            raise ValueError(f"author id {person!r}: lower-case letters, digits, - and _ only")
        refs = []
        for member in members:
            if split_ref(member) is None:
                raise ValueError(f"{person}: {member!r} is not source:key "
                                 "(e.g. alsharq:moza-almarri)")
            ref = canonical_ref(member)
            if ref in owner and owner[ref] != person:
                raise ValueError(f"{member!r} is linked to both {owner[ref]!r} and {person!r}")
            owner[ref] = person
            refs.append(ref)
        out[person] = refs
    return out


def resolve_authors(refs: Iterable[str], *, people: Mapping[str, Sequence[str]],
                    sources: Sequence[str]) -> tuple[str, ...]:
    """The public author slugs (``source.key``) that ``refs`` name.

    A person id names every paper's author linked to it; ``source:key`` names one; a
    bare key names that key in the only source of a one-source config (what slugs
    were before authors belonged to a source) and nobody when there are several,
    since choosing a paper would merge people by a name.
    """
    out: list[str] = []
    for ref in refs:
        if ref in people:
            out.extend(people[ref])
        elif split_ref(ref) is not None:
            out.append(canonical_ref(ref))
        else:
            out.append(ref)  # an author stored under that very slug (built by hand)
            if len(sources) == 1:
                out.append(f"{sources[0]}.{ref}")
    return tuple(dict.fromkeys(out))


def person_of(slug: str, people: Mapping[str, Sequence[str]]) -> str | None:
    for person, members in people.items():
        if slug in members:
            return person
    return None
