"""Authors belong to a paper: three papers on one host, one columnist on all three.

Each column keeps the byline its own page printed (name, credentials, article count);
a paper that prints no count gives null, never another paper's; two people whose names
differ only by ``د.`` stay two people; feeds and digests print each column's own
byline; an operator may link one person across papers (`authors:`), nothing else does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from syndicate.clock import fixed_clock
from syndicate.config import Config, load
from syndicate.core.collect import run_collect
from syndicate.core.digest_contents import Contents, draft_issue, select_new
from syndicate.core.feeds import run_feeds
from syndicate.store import Store
from syndicate.types import Subscriber

from .collect_helpers import Site, serve
from .desk_sites import ALI, DR_ALI, MOZA, desk_config, write_desk

NOW = datetime(2025, 9, 25, 12, 0, tzinfo=UTC)
LINKED = """
authors:
  moza: ["sharq:moza-almarri", "raya:moza-almarri"]
feeds:
  dir: feeds
site:
  base_url: https://news.example
newsletters:
  - id: daily
    title: رأي
    sender: "رأي <digest@news.example>"
"""


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Site]:
    with serve(write_desk(tmp_path / "desk")) as site:
        yield site


def configure(tmp_path: Path, site: Site, extra: str = LINKED) -> Config:
    path = tmp_path / "schedules.yaml"
    path.write_text(desk_config(site.base, extra=extra), encoding="utf-8")
    return load(str(path))


@pytest.fixture
def collected(tmp_path: Path, desk: Site) -> Iterator[tuple[Config, Store]]:
    config = configure(tmp_path, desk)
    store = Store.open(config.store_url)
    run_collect(config, store, clock=fixed_clock(NOW))
    yield config, store
    store.close()


def test_each_column_keeps_its_own_papers_byline(collected: tuple[Config, Store]) -> None:
    _, store = collected
    by_title = {c.title: c.author for c in store.columns.list()}
    sharq = by_title["الإعلام الرقمي والصحافة الورقية"]
    raya = by_title["الجامعة والإعلام"]
    watan = by_title["القراءة في زمن الشاشات"]
    assert (sharq.name, sharq.credentials, sharq.article_count) == (
        MOZA["sharq"].name, MOZA["sharq"].credentials, 414)
    assert (raya.name, raya.credentials, raya.article_count) == (
        MOZA["raya"].name, MOZA["raya"].credentials, 52)
    # /watan/ prints no count: none, never 414 or 52 from the other papers.
    assert (watan.name, watan.credentials, watan.article_count) == (
        MOZA["watan"].name, "كاتبة", None)
    assert {sharq.slug, raya.slug, watan.slug} == {
        "sharq.moza-almarri", "raya.moza-almarri", "watan.moza-almarri"}
    assert {a.slug for a in store.columns.authors()} >= {
        "sharq.moza-almarri", "raya.moza-almarri", "watan.moza-almarri"}


def test_a_doctorate_is_not_the_same_person(collected: tuple[Config, Store]) -> None:
    _, store = collected
    by_title = {c.title: c.author for c in store.columns.list()}
    doctor, teacher = by_title["صحة القلب في الصيف"], by_title["ذكريات الفصل الأول"]
    assert doctor.slug != teacher.slug
    assert (doctor.name, doctor.credentials) == (DR_ALI.name, DR_ALI.credentials)
    assert (teacher.name, teacher.credentials) == (ALI.name, ALI.credentials)


def test_feeds_print_each_columns_own_byline_and_link_only_what_the_operator_linked(
        tmp_path: Path, collected: tuple[Config, Store]) -> None:
    config, store = collected
    run_feeds(config, store, clock=fixed_clock(NOW))
    folder = tmp_path / "feeds"
    everything = feedparser.parse((folder / "columns.atom").read_bytes())
    names = {e.title: e.author for e in everything.entries}
    assert names["الإعلام الرقمي والصحافة الورقية"] == MOZA["sharq"].name
    assert names["الجامعة والإعلام"] == MOZA["raya"].name
    assert names["القراءة في زمن الشاشات"] == MOZA["watan"].name
    # One feed per paper's author, and one for the person the operator linked.
    watan = feedparser.parse((folder / "authors/watan.moza-almarri.atom").read_bytes())
    assert [e.title for e in watan.entries] == ["القراءة في زمن الشاشات"]
    person = feedparser.parse((folder / "authors/moza.atom").read_bytes())
    assert {(e.title, e.author) for e in person.entries} == {
        ("الإعلام الرقمي والصحافة الورقية", MOZA["sharq"].name),
        ("منصات التواصل وصناعة الرأي", MOZA["sharq"].name),
        ("الجامعة والإعلام", MOZA["raya"].name),
        ("الشباب والأخبار", MOZA["raya"].name),
    }


def test_followers_get_the_paper_or_the_person_they_follow(
        collected: tuple[Config, Store]) -> None:
    config, store = collected
    newsletter = config.newsletter("daily")
    issue = draft_issue(store, newsletter, select_new(config, store, newsletter, NOW), NOW)
    contents = Contents(config, store, newsletter, issue)

    def titles(*follows: str) -> set[str]:
        content = contents.for_subscriber(Subscriber(
            email="r@example.org", newsletter="daily", followed_authors=follows, id=1))
        return set() if content is None else {i.title for i in content.new_items}

    assert titles("watan:moza-almarri") == {"القراءة في زمن الشاشات"}
    assert titles("moza") == {"الإعلام الرقمي والصحافة الورقية", "منصات التواصل وصناعة الرأي",
                              "الجامعة والإعلام", "الشباب والأخبار"}
    # With three papers a bare key names no paper: nothing, not everyone.
    assert titles("moza-almarri") == set()
    bylines = {i.title: (i.author_name, i.author_credentials)
               for i in contents.for_subscriber(Subscriber(
                   email="r@example.org", newsletter="daily", id=1)).new_items}  # type: ignore[union-attr]
    assert bylines["الجامعة والإعلام"] == (MOZA["raya"].name, MOZA["raya"].credentials)


def test_a_bare_author_in_a_newsletter_of_several_papers_is_a_config_error(
        tmp_path: Path, desk: Site) -> None:
    from syndicate.errors import ConfigError

    extra = LINKED + "    authors: [moza-almarri]\n"
    with pytest.raises(ConfigError) as caught:
        configure(tmp_path, desk, extra=extra)
    assert "names no paper" in str(caught.value) and "sharq:moza-almarri" in str(caught.value)
