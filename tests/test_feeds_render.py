"""Feeds as readers see them: parsed back with feedparser and checked against the specs."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from syndicate.clock import fixed_clock
from syndicate.core.feeds import run_feeds
from syndicate.types import Author

from .feeds_helpers import AUTHORS, BASE_URL, NOW, add, make_column, make_config, open_store

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("feeds-render")
    config = make_config(tmp)
    store = open_store(config)
    for number in range(9):
        add(store, make_column(number, source="alsharq" if number % 2 else "alraya"))
    result = run_feeds(config, store, clock=fixed_clock(NOW))
    assert not result.failed
    store.close()
    return tmp / "feeds"


def all_feed_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".rss", ".atom"))


def test_every_feed_parses_cleanly_with_author_views_and_language(built: Path) -> None:
    files = all_feed_files(built)
    # columns, 2 sources, 3 authors; RSS and Atom each
    assert len(files) == 12, files
    for path in files:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.feed.get("language") == "ar", path
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.author in {a.name for a in AUTHORS}, path
            assert entry.media_statistics["views"] == "100", path
            assert entry.id.startswith("https://news.example/opinion/")
            assert entry.link == entry.id
            assert entry.published_parsed and entry.updated_parsed
            assert {t.term for t in entry.tags} == {"رأي", "سياسة"}


def test_rss_required_elements_and_byline_as_dc_creator(built: Path) -> None:
    root = etree.fromstring((built / "columns.rss").read_bytes())
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    for required in ("title", "link", "description"):
        assert (channel.findtext(required) or "").strip(), required
    assert channel.findtext("link") == f"{BASE_URL}/feeds/"  # the alternate link (index page)
    assert channel.findtext("language") == "ar"
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == f"{BASE_URL}/feeds/columns.rss"
    items = channel.findall("item")
    assert len(items) == 9
    for item in items:
        assert item.find("author") is None  # never an RSS <author> without e-mail
        assert item.findtext(f"{DC}creator") in {a.name for a in AUTHORS}
        assert item.findtext("title") and item.findtext("description")
        guid = item.find("guid")
        assert guid is not None and guid.text == item.findtext("link")
        assert guid.get("isPermaLink") == "true"
        assert item.findtext("pubDate", "").endswith("+0000")  # RFC 822
        enclosure = item.find("enclosure")
        assert enclosure is not None and enclosure.get("type") == "image/jpeg"
        stats = item.find(f"{MEDIA}community/{MEDIA}statistics")
        assert stats is not None and stats.get("views") == "100"
        assert item.find(f"{MEDIA}content").get("medium") == "image"


def test_atom_required_elements_author_uri_and_rtl_content(built: Path) -> None:
    root = etree.fromstring((built / "authors" / "mudy-mbark.atom").read_bytes())
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}"), required
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"] == f"{BASE_URL}/feeds/authors/mudy-mbark.atom"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == AUTHORS[0].name
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for required in ("id", "title", "updated", "published"):
            assert entry.findtext(f"{ATOM}{required}"), required
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == AUTHORS[0].name
        assert entry.findtext(f"{ATOM}author/{ATOM}uri") == AUTHORS[0].url
        rels = {link.get("rel") for link in entry.findall(f"{ATOM}link")}
        assert rels == {"alternate", "enclosure"}
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
        assert content.text.startswith('<div dir="rtl" lang="ar">')
        summary = entry.findtext(f"{ATOM}summary")
        assert AUTHORS[0].credentials in summary and 'dir="rtl"' in summary
    assert root.findtext(f"{ATOM}author/{ATOM}uri") == AUTHORS[0].url  # the feed's author
    # Author without a page on the newspaper: the uri is their entry on our feeds
    # page (a page about them), never a feed document.
    other = etree.fromstring((built / "authors" / "jabr-salm.atom").read_bytes())
    fallback = f"{BASE_URL}/feeds/#authors-jabr-salm"
    assert other.findtext(f"{ATOM}entry/{ATOM}author/{ATOM}uri") == fallback
    assert other.findtext(f"{ATOM}author/{ATOM}uri") == fallback
    index = etree.HTML((built / "index.html").read_text(encoding="utf-8"))
    assert index.find(".//li[@id='authors-jabr-salm']") is not None


def test_author_urls_name_pages_not_feeds(built: Path) -> None:
    """Atom author/uri and JSON Feed authors[].url: the newspaper's author page."""
    pages = {a.name: a.url or f"{BASE_URL}/feeds/#authors-{a.slug}" for a in AUTHORS}
    for path in sorted(built.rglob("*.atom")):
        for uri in etree.fromstring(path.read_bytes()).iter(f"{ATOM}uri"):
            assert not uri.text.endswith((".atom", ".rss", ".json")), (path, uri.text)
    for path in sorted(built.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for item in doc["items"]:
            author = item["authors"][0]
            assert author["url"] == pages[author["name"]], (path, author)
    mudy = json.loads((built / "authors" / "mudy-mbark.json").read_text(encoding="utf-8"))
    assert mudy["authors"] == [{"name": AUTHORS[0].name, "url": AUTHORS[0].url}]
    assert mudy["items"][0]["authors"][0]["url"] == "https://news.example/authors/mudy"


def test_a_file_url_author_page_is_not_published(tmp_path: Path) -> None:
    """The bundled sample site's author pages are file: URLs: not a page for a reader."""
    config = make_config(tmp_path)
    store = open_store(config)
    local = Author(name="كاتب محلي", slug="local-writer", url="file:///srv/site/authors/x.html")
    add(store, make_column(1, author=local))
    assert not run_feeds(config, store, clock=fixed_clock(NOW)).failed
    store.close()
    atom = etree.fromstring((tmp_path / "feeds" / "columns.atom").read_bytes())
    assert atom.findtext(f"{ATOM}entry/{ATOM}author/{ATOM}uri") == (
        f"{BASE_URL}/feeds/#authors-local-writer")


def test_every_feed_links_to_the_feeds_page_unless_it_has_its_own(tmp_path: Path) -> None:
    config = make_config(tmp_path, newsletters=True)
    store = open_store(config)
    add(store, make_column(0))  # mudy: a page on the newspaper
    add(store, make_column(1))  # jabr: none
    assert not run_feeds(config, store, clock=fixed_clock(NOW)).failed
    store.close()
    feeds = tmp_path / "feeds"
    index = f"{BASE_URL}/feeds/"
    expected = {
        "columns": index,
        "newsletters/daily": f"{BASE_URL}/issues/daily/",  # the newsletter's web archive
        "sources/alsharq": "https://news.example/opinion/",
        "authors/mudy-mbark": AUTHORS[0].url,
        "authors/jabr-salm": f"{index}#authors-jabr-salm",
    }
    for path, home in expected.items():
        rss = etree.fromstring((feeds / f"{path}.rss").read_bytes())
        assert rss.findtext("channel/link") == home, path
        atom = etree.fromstring((feeds / f"{path}.atom").read_bytes())
        alternate = [link.get("href") for link in atom.findall(f"{ATOM}link")
                     if link.get("rel") == "alternate"]
        assert alternate == [home], path
        doc = json.loads((feeds / f"{path}.json").read_text(encoding="utf-8"))
        assert doc["home_page_url"] == home, path


def test_json_feed_1_1(built: Path) -> None:
    doc = json.loads((built / "sources" / "alsharq.json").read_text(encoding="utf-8"))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == f"{BASE_URL}/feeds/sources/alsharq.json"
    assert doc["language"] == "ar" and doc["title"] == "الشرق — مقالات الرأي"
    assert doc["home_page_url"] == "https://news.example/opinion/"
    assert len(doc["items"]) == 4
    for item in doc["items"]:
        assert item["id"] == item["url"]
        assert item["authors"][0]["name"] in {a.name for a in AUTHORS}
        assert item["_syndicate"]["views"] == 100
        assert item["content_html"].startswith('<div dir="rtl" lang="ar">')
        assert item["date_published"].endswith("+00:00")
        assert item["tags"] == ["رأي", "سياسة"]


def test_index_page_has_autodiscovery_links(built: Path) -> None:
    page = (built / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    tree = etree.HTML(page)
    alternates = tree.findall(".//head/link[@rel='alternate']")
    hrefs = {link.get("href") for link in alternates}
    assert f"{BASE_URL}/feeds/columns.atom" in hrefs
    assert f"{BASE_URL}/feeds/authors/mudy-mbark.rss" in hrefs
    assert f"{BASE_URL}/feeds/sources/alraya.json" in hrefs
    assert len(alternates) == 6 * 3  # 6 feeds, 3 formats
    assert {link.get("type") for link in alternates} == {
        "application/rss+xml", "application/atom+xml", "application/feed+json"}


def test_index_counts_in_the_locale_digits_without_middle_dots(built: Path) -> None:
    page = (built / "index.html").read_text(encoding="utf-8")
    tree = etree.HTML(page)
    counts = [span.text for span in tree.iterfind(".//span[@class='count']")]
    assert "(المقالات: ٩)" in counts, counts  # all columns, ar-QA digits
    assert all(not any(c in "0123456789" for c in text) for text in counts), counts
    body = "".join(tree.find(".//body").itertext())
    assert "·" not in body and "\u00b7" not in page
    for entry in tree.iterfind(".//li"):
        formats = entry.find("span[@class='formats']")
        assert [a.findtext("bdi") for a in formats] == ["RSS", "Atom", "JSON Feed"]


def test_index_digits_follow_the_configured_locale(tmp_path: Path) -> None:
    config = make_config(tmp_path, locale="ar-MA")  # Morocco writes Latin digits
    store = open_store(config)
    for number in range(3):
        add(store, make_column(number))
    assert not run_feeds(config, store, clock=fixed_clock(NOW)).failed
    store.close()
    page = (tmp_path / "feeds" / "index.html").read_text(encoding="utf-8")
    assert "(المقالات: 3)" in page and "٣" not in page


HOSTILE_BODY = (
    '<p onclick="steal()">نص <script>alert(1)</script>'
    '<img src="https://news.example/x.png" onerror="alert(2)">'
    '<a href="javascript:alert(3)">رابط</a>'
    '<link rel="stylesheet" href="https://evil.example/x.css">'
    '<style>@import url(https://evil.example/y.css); body{display:none}</style>'
    '<span style="background:url(https://evil.example/z.png)">ن</span>'
    '<iframe src="https://evil.example/"></iframe></p>'
)


def test_hostile_input_is_sanitised_in_every_format(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = open_store(config)
    evil_author = Author(name="كاتب\x00<b>خبيث</b>", slug="evil", credentials="<script>x</script>",
                         url="javascript:alert(4)", image_url="data:text/html,<script>")
    add(store, make_column(1, author=evil_author, body=HOSTILE_BODY,
                           title="عنوان <script>alert(5)</script>\x07",
                           image_url="javascript:alert(6)"))
    result = run_feeds(config, store, clock=fixed_clock(NOW))
    assert not result.failed, result.failed
    folder = tmp_path / "feeds"
    for path in [*folder.rglob("*.rss"), *folder.rglob("*.atom"), *folder.rglob("*.json")]:
        if path.suffix == ".json":
            doc = json.loads(path.read_text(encoding="utf-8"))
            texts = [json.dumps(doc, ensure_ascii=False)]
            items = doc["items"]
            contents = [i["content_html"] for i in items]
        else:
            parsed = feedparser.parse(path.read_bytes())
            assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
            # Decode the escaped HTML as a reader would, then look for what it must not run.
            contents = [e.content[0].value if "content" in e else e.summary
                        for e in parsed.entries]
            texts = [path.read_text(encoding="utf-8")]
        for html in contents:
            lowered = html.lower()
            for bad in ("<script", "onerror", "onclick", "javascript:", "<style", "<link",
                        "<iframe", "evil.example", "style="):
                assert bad not in lowered, (path, bad, html)
        for text in texts:
            assert "javascript:" not in text and "data:text/html" not in text, path
            assert "\x00" not in text and "\x07" not in text


def test_view_count_only_change_keeps_ids_and_dates(tmp_path: Path) -> None:
    config = make_config(tmp_path, views_refresh=0)  # counts go out on every build
    store = open_store(config)
    for number in range(3):
        add(store, make_column(number, views=10))
    run_feeds(config, store, clock=fixed_clock(NOW))
    path = tmp_path / "feeds" / "columns.atom"
    before = feedparser.parse(path.read_bytes())
    rss_before = feedparser.parse((tmp_path / "feeds" / "columns.rss").read_bytes())

    later = NOW + timedelta(hours=3)
    add(store, make_column(1, views=9999), now=later)
    result = run_feeds(config, store, clock=fixed_clock(later))
    assert "columns.atom" in {item.key for item in result.items}  # counts refreshed
    after = feedparser.parse(path.read_bytes())
    rss_after = feedparser.parse((tmp_path / "feeds" / "columns.rss").read_bytes())

    assert after.feed.updated == before.feed.updated
    assert rss_after.feed.get("updated") == rss_before.feed.get("updated")  # lastBuildDate
    for old, new in zip(before.entries, after.entries, strict=True):
        assert (new.id, new.updated, new.published) == (old.id, old.updated, old.published)
    for old, new in zip(rss_before.entries, rss_after.entries, strict=True):
        assert (new.id, new.published) == (old.id, old.published)
    views = {e.id: e.media_statistics["views"] for e in after.entries}
    assert views["https://news.example/opinion/1"] == "9999"
    assert views["https://news.example/opinion/0"] == "10"


def test_an_edit_moves_updated_but_not_the_id(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = open_store(config)
    add(store, make_column(1))
    run_feeds(config, store, clock=fixed_clock(NOW))
    later = NOW + timedelta(days=1)
    add(store, make_column(1, body="<p>نص مصحح بعد النشر</p>"), now=later)
    run_feeds(config, store, clock=fixed_clock(later))
    entry = feedparser.parse((tmp_path / "feeds" / "columns.atom").read_bytes()).entries[0]
    assert entry.id == "https://news.example/opinion/1"
    assert entry.updated == later.isoformat()
    assert entry.published != entry.updated
    assert "نص مصحح" in entry.content[0].value
