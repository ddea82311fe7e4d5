"""Whose column a page is, by its canonical link: the pure decision."""

from __future__ import annotations

import pytest

from syndicate.core.canonical import Relation, decide, hosts_of, site_host

HOSTS = {
    "daily": hosts_of(["https://www.daily.example/opinion/"], ["cdn.daily.example"]),
    "weekly": hosts_of(["https://weekly.example/"]),
}


@pytest.mark.parametrize(("page", "canonical", "relation", "owner"), [
    ("https://www.daily.example/a", None, Relation.OWN, None),
    ("https://www.daily.example/a", "https://www.daily.example/a", Relation.OWN, None),
    ("https://www.daily.example/amp/a", "https://www.daily.example/a", Relation.TWIN, "daily"),
    ("https://amp.daily.example/a", "https://www.daily.example/a", Relation.TWIN, "daily"),
    ("https://m.daily.example/a", "https://daily.example/a", Relation.TWIN, "daily"),
    # Another host the source lists: the paper's own address seen from a mirror.
    ("https://www.daily.example/a", "https://cdn.daily.example/a", Relation.OWN, None),
    ("https://www.daily.example/a", "https://weekly.example/w", Relation.COPY, "weekly"),
    ("https://www.daily.example/a", "https://elsewhere.example/x", Relation.ELSEWHERE, None),
    ("file:///srv/site/a.html", "https://alwaha.example/a", Relation.OWN, None),
    ("https://www.daily.example/a", "ftp://daily.example/a", Relation.OWN, None),
])
def test_decide(page: str, canonical: str | None, relation: Relation,
                owner: str | None) -> None:
    decision = decide(page_url=page, canonical=canonical, source="daily", hosts=HOSTS)
    assert (decision.relation, decision.owner) == (relation, owner)


def test_site_host_keeps_a_bare_domain() -> None:
    assert site_host("www.example") == "www.example"  # not "example"
    assert site_host("AMP.Daily.Example.") == "daily.example"
