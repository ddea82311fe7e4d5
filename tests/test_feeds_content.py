"""What a feed reader shows: provenance, the lead image and byline in the body, tags,
icons and logos, and the JSON Feed extension's ``about`` (parsed back with feedparser
and checked element by element against RSS 2.0, Atom and JSON Feed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree

from syndicate.clock import fixed_clock
from syndicate.core.feeds import run_feeds
from syndicate.types import Author

from .feeds_helpers import BASE_URL, NOW, add, make_column, make_config, open_store, solid_png

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = f"{BASE_URL}/feeds/"
PHOTO = "https://news.example/photos/mudy.jpg"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("feeds-content")
    (tmp / "brand").mkdir()
    (tmp / "brand" / "icon.png").write_bytes(solid_png((200, 30, 30)))
    (tmp / "brand" / "logo.png").write_bytes(solid_png((30, 30, 200), 120, 40))
    (tmp / "brand" / "sharq.png").write_bytes(solid_png((30, 160, 30)))
    config = make_config(tmp, icon="brand/icon.png", logo="brand/logo.png",
                         source_icons={"alsharq": {"icon": "brand/sharq.png"},
                                       "alraya": {"logo": "https://raya.example/logo.png"}})
    store = open_store(config)
    photographed = Author(name="د. موضي مبارك", slug="mudy-mbark",
                          credentials="دكتوراه في العلاقات الدولية",
                          url="https://news.example/authors/mudy", image_url=PHOTO)
    for number in range(6):
        extra: dict[str, Any] = {"author": photographed} if number % 3 == 0 else {}
        add(store, make_column(number, source="alsharq" if number % 2 else "alraya", **extra))
    result = run_feeds(config, store, clock=fixed_clock(NOW))
    assert not result.failed, result.failed
    store.close()
    return tmp / "feeds"


def rss(path: Path) -> etree._Element:
    return etree.fromstring(path.read_bytes())


def test_rss_items_of_mixed_feeds_name_their_paper(built: Path) -> None:
    for item in rss(built / "columns.rss").iter("item"):
        source = item.find("source")
        assert source is not None, "RSS <source> missing"
        assert source.get("url") in (f"{FEEDS}sources/alsharq.rss", f"{FEEDS}sources/alraya.rss")
        assert source.text == {"alsharq": "الشرق", "alraya": "الراية"}[
            source.get("url").rsplit("/", 1)[1].split(".")[0]]
    parsed = feedparser.parse((built / "columns.rss").read_bytes())
    assert {e.source.title for e in parsed.entries} == {"الشرق", "الراية"}
    # A paper's own feed does not repeat it on every item, but names it in the channel.
    alone = rss(built / "sources" / "alsharq.rss")
    assert alone.find("channel/item/source") is None
    assert "الشرق" in alone.findtext("channel/title")


def test_atom_entries_of_mixed_feeds_carry_a_source_with_title_link_and_id(built: Path) -> None:
    root = etree.fromstring((built / "columns.atom").read_bytes())
    for entry in root.iter(f"{ATOM}entry"):
        source = entry.find(f"{ATOM}source")
        assert source is not None
        assert source.findtext(f"{ATOM}id") in (f"{FEEDS}sources/alsharq",
                                                 f"{FEEDS}sources/alraya")
        assert source.findtext(f"{ATOM}title") in ("الشرق", "الراية")
        rels = {link.get("rel"): link.get("href") for link in source.findall(f"{ATOM}link")}
        assert rels["self"].endswith(".atom") and rels["alternate"].startswith("https://")
    parsed = feedparser.parse((built / "columns.atom").read_bytes())
    assert parsed.bozo == 0 and parsed.entries[0].source.title in ("الشرق", "الراية")


def test_json_items_of_mixed_feeds_carry_their_source_in_the_extension(built: Path) -> None:
    doc = json.loads((built / "columns.json").read_text(encoding="utf-8"))
    for item in doc["items"]:
        source = item["_syndicate"]["source"]
        assert source["title"] in ("الشرق", "الراية")
        assert source["feed_url"].startswith(f"{FEEDS}sources/")
        assert source["home_page_url"].startswith("https://")
    alone = json.loads((built / "sources" / "alraya.json").read_text(encoding="utf-8"))
    assert all("source" not in item["_syndicate"] for item in alone["items"])


def test_author_feeds_name_the_paper_in_the_channel(built: Path) -> None:
    for fmt in ("rss", "atom"):
        parsed = feedparser.parse((built / "authors" / f"jabr-salm.{fmt}").read_bytes())
        assert "الشرق" in parsed.feed.title or "الراية" in parsed.feed.title


def test_content_starts_with_the_lead_image_and_the_byline(built: Path) -> None:
    parsed = feedparser.parse((built / "columns.atom").read_bytes())
    for entry in parsed.entries:
        html = entry.content[0].value
        tree = etree.HTML(html)
        first = tree.find(".//div/*")
        assert first is not None and first.tag == "figure", html[:200]
        image = first.find("img")
        assert image.get("src").startswith("https://news.example/img/")
        assert image.get("alt") == entry.title
        byline = first.getnext()
        assert byline.tag == "p" and byline.get("dir") == "rtl"
        text = "".join(byline.itertext())
        assert entry.author in text
        # Both calendars, Arabic-Indic digits (ar-QA), as the newsletter shows dates.
        assert "هـ" in text and "م" in text and "٢٠٢٦" in text
        assert byline.find("time").get("datetime").startswith("2026-02-")
    mudy = next(e for e in parsed.entries if e.author == "د. موضي مبارك")
    assert "دكتوراه في العلاقات الدولية" in mudy.content[0].value
    doc = json.loads((built / "columns.json").read_text(encoding="utf-8"))
    assert doc["items"][0]["content_html"].startswith('<div dir="rtl" lang="ar"><figure>')
    rss_item = rss(built / "columns.rss").find("channel/item")
    encoded = rss_item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert encoded.startswith('<div dir="rtl" lang="ar"><figure>')


def test_latin_names_are_isolated_in_the_byline(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = open_store(config)
    add(store, make_column(2, author=Author(name="Sarah O'Neil", slug="sarah-oneil")))
    run_feeds(config, store, clock=fixed_clock(NOW))
    doc = json.loads((tmp_path / "feeds" / "columns.json").read_text(encoding="utf-8"))
    assert "<bdi>Sarah O&#x27;Neil</bdi>" in doc["items"][0]["content_html"]


def test_icons_and_logos_in_every_format(built: Path) -> None:
    site_icon, site_logo = f"{FEEDS}icons/site-icon.png", f"{FEEDS}icons/site-logo.png"
    assert (built / "icons" / "site-icon.png").read_bytes()[:4] == b"\x89PNG"
    channel = rss(built / "columns.rss").find("channel")
    image = channel.find("image")
    assert image is not None
    # RSS 2.0: <image> needs url, title and link; title and link match the channel's.
    assert image.findtext("url") == site_logo
    assert image.findtext("title") == channel.findtext("title")
    assert image.findtext("link") == channel.findtext("link")
    assert feedparser.parse((built / "columns.rss").read_bytes()).feed.image.href == site_logo
    atom = etree.fromstring((built / "columns.atom").read_bytes())
    assert atom.findtext(f"{ATOM}icon") == site_icon
    assert atom.findtext(f"{ATOM}logo") == site_logo
    doc = json.loads((built / "columns.json").read_text(encoding="utf-8"))
    assert (doc["icon"], doc["favicon"]) == (site_logo, site_icon)
    # A paper's own icon; a paper with only a logo keeps the site's icon.
    sharq = json.loads((built / "sources" / "alsharq.json").read_text(encoding="utf-8"))
    assert sharq["favicon"] == f"{FEEDS}icons/alsharq-icon.png"
    raya = etree.fromstring((built / "sources" / "alraya.atom").read_bytes())
    assert raya.findtext(f"{ATOM}logo") == "https://raya.example/logo.png"
    assert raya.findtext(f"{ATOM}icon") == site_icon
    # An author feed uses the author's photo when it was collected.
    mudy = json.loads((built / "authors" / "mudy-mbark.json").read_text(encoding="utf-8"))
    assert mudy["icon"] == PHOTO and mudy["favicon"] == PHOTO
    mudy_rss = rss(built / "authors" / "mudy-mbark.rss").find("channel/image")
    assert mudy_rss.findtext("url") == PHOTO and mudy_rss.findtext("title")
    parsed = feedparser.parse((built / "authors" / "mudy-mbark.atom").read_bytes())
    assert parsed.feed.icon == PHOTO


def test_json_feed_extension_has_about_and_a_1_0_author(built: Path) -> None:
    for path in sorted(built.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for item in doc["items"]:
            assert item["_syndicate"]["about"].startswith("https://")
            assert item["author"] == item["authors"][0], path
        if "_syndicate" in doc:
            assert doc["_syndicate"]["about"].startswith("https://")
    mudy = json.loads((built / "authors" / "mudy-mbark.json").read_text(encoding="utf-8"))
    assert mudy["author"] == mudy["authors"][0]


def test_a_missing_icon_file_fails_clearly_and_the_feeds_still_build(tmp_path: Path) -> None:
    config = make_config(tmp_path, icon="brand/nowhere.png")
    store = open_store(config)
    add(store, make_column(1))
    result = run_feeds(config, store, clock=fixed_clock(NOW))
    failed = {item.key: item.reason for item in result.failed}
    assert list(failed) == ["icons/site-icon.png"]
    assert "brand/nowhere.png" in failed["icons/site-icon.png"]
    assert (tmp_path / "feeds" / "columns.rss").exists()


def test_icons_are_written_once_replaced_when_changed_and_removed_when_dropped(
        tmp_path: Path) -> None:
    (tmp_path / "brand").mkdir()
    icon = tmp_path / "brand" / "icon.png"
    icon.write_bytes(solid_png((1, 2, 3)))
    config = make_config(tmp_path, icon="brand/icon.png")
    store = open_store(config)
    add(store, make_column(1))
    first = run_feeds(config, store, clock=fixed_clock(NOW))
    assert ("icons/site-icon.png", "new") in {(i.key, i.outcome.value) for i in first.items}
    assert run_feeds(config, store, clock=fixed_clock(NOW)).items == ()
    icon.write_bytes(solid_png((9, 9, 9)))
    changed = run_feeds(config, store, clock=fixed_clock(NOW))
    assert [(i.key, i.outcome.value) for i in changed.items] == [("icons/site-icon.png",
                                                                  "updated")]
    dropped = run_feeds(make_config(tmp_path), store, clock=fixed_clock(NOW))
    assert ("icons/site-icon.png", "removed") in {(i.key, i.outcome.value)
                                                  for i in dropped.items}
    assert not (tmp_path / "feeds" / "icons" / "site-icon.png").exists()
    assert store.feed_state.is_removed("icons/site-icon.png")


def test_rss_image_is_never_an_svg_or_ico(tmp_path: Path) -> None:
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "icon.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>', encoding="utf-8")
    config = make_config(tmp_path, icon="brand/icon.svg")
    store = open_store(config)
    add(store, make_column(1))
    assert not run_feeds(config, store, clock=fixed_clock(NOW)).failed
    assert rss(tmp_path / "feeds" / "columns.rss").find("channel/image") is None
    atom = etree.fromstring((tmp_path / "feeds" / "columns.atom").read_bytes())
    assert atom.findtext(f"{ATOM}icon") == f"{FEEDS}icons/site-icon.svg"
