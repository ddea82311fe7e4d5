"""`sources discover` end to end on loopback papers: discover --write into a config with
no sources, collect, then every field of every column against the site's ground truth.

The papers (tests/discover_sites.py) are written from their truth; no selector is
written by hand. The share of fields right is asserted per site (target >= 95 %), and
every field the pages do not carry must be named in the preview's "missing".
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from syndicate.cli.main import main
from syndicate.clock import fixed_clock
from syndicate.core import load_config
from syndicate.core.collect import run_collect
from syndicate.discover import MAX_REQUESTS
from syndicate.store import Store
from syndicate.text.sanitise import plain_text
from syndicate.types import Column

from .collect_helpers import Site, _Handler
from .discover_sites import BUILDERS, START, WRITERS, Truth
from .loopback import serve_handler

NOW = "2025-09-25T12:00:00Z"
GOLDEN = Path(__file__).parent / "data" / "discover"
JUNK = ("مساحة إعلانية", "تويتر", "شارك", "اقرأ المزيد")
EMPTY_CONFIG = """# The paper's own settings: discover --write appends below, keeping this comment.
timezone: Asia/Qatar
store: syndicate.db   # beside this file
http:
  user_agent: "syndicate-tests/1.0 (+https://example.org/bot)"
  min_delay_s: 0
  retries: 0
  allow_private_addresses: true
"""


class _PaperHandler(_Handler):
    """The sample server, plus WordPress's category lookup (``?slug=`` ignored)."""

    def _route(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/wp-json/wp/v2/categories":
            return self._file(self.site.root / "wp-json" / "categories.json", self.path)
        if parts.path.startswith("/wp-json/wp/v2/categories/"):
            return self._file(self.site.root / (parts.path.lstrip("/") + ".json"), parts.path)
        category = parse_qs(parts.query).get("categories", [""])[0]
        filtered = self.site.root / "wp-json" / f"posts-cat{category}-1.json"
        if parts.path == "/wp-json/wp/v2/posts" and category and filtered.exists():
            return self._file(filtered, self.path)  # the category's posts only
        return super()._route()


@contextmanager
def serve_paper(root: Path) -> Iterator[Site]:
    site = Site(root=root.resolve())
    with serve_handler(type("Handler", (_PaperHandler,), {"site": site})) as server:
        site.port = server.server_address[1]
        yield site


@contextmanager
def paper(tmp_path: Path, name: str) -> Iterator[tuple[Site, list[Truth], Path]]:
    root = tmp_path / "site"
    truth = BUILDERS[name](root)
    robots = root / "robots.txt"
    if not robots.exists():
        robots.write_text("User-agent: *\nDisallow: /private/\n")
    config = tmp_path / "schedules.yaml"
    config.write_text(EMPTY_CONFIG, encoding="utf-8")
    with serve_paper(root) as site:
        # The server rewrites http://HOST in html, xml and json bodies only.
        robots.write_text(robots.read_text().replace("http://HOST", site.base))
        headers = root / "_headers.json"
        if headers.exists():
            headers.write_text(headers.read_text().replace("http://HOST", site.base))
        yield site, truth, config


def discover(site: Site, name: str, config: Path, *extra: str) -> int:
    return main(["--now", NOW, "sources", "discover", "--config", str(config),
                 site.url(START[name]), "--name", name, *extra])


def compare(column: Column, truth: Truth, base: str) -> dict[str, bool]:
    text = plain_text(column.body_html)
    author_url = column.author.url.replace(base, "") if column.author.url else None
    return {
        "title": column.title == truth.title,
        "author": column.author.name == truth.author,
        "author_credentials": column.author.credentials == truth.credentials,
        "author_article_count": column.author.article_count == truth.article_count,
        "author_url": author_url == truth.author_url,
        "published": column.published == truth.published,
        "views": column.views == truth.views,
        "body": all(p in text for p in truth.paragraphs) and not any(j in text for j in JUNK),
    }


KINDS = {"gulf": "html", "levant": "html", "feedonly": "feed", "jsonld": "html",
         "maghreb": "sitemap", "wp": "wordpress", "wplink": "wordpress",
         "wpplain": "wordpress", "portal": "html", "cleanurls": "html", "numeric": "html",
         "idslug": "html", "idslugmap": "sitemap", "degree": "html", "degreep": "html",
         "wphard": "wordpress", "wphardbylink": "wordpress",
         "twotemplates": "html"}


def field_accuracy(tmp_path: Path, name: str) -> tuple[int, int, list[str]]:
    """(fields right, fields compared, misses)."""
    with paper(tmp_path, name) as (site, truth, config):
        assert discover(site, name, config, "--write") == 0
        written = config.read_text(encoding="utf-8")
        assert written.startswith(EMPTY_CONFIG.rstrip("\n"))  # comments and layout kept
        shown_rc = discover(site, name, config, "--json", "--name", f"{name}-again")
        assert shown_rc == 0
        loaded = load_config(config)
        assert [s.kind for s in loaded.sources] == [KINDS[name]]
        if name in ("wp", "wplink", "wpplain", "wphard", "wphardbylink"):
            assert loaded.sources[0].model_dump()["categories"] == [7]
        if name == "twotemplates":
            templates = loaded.sources[0].model_dump()["fields"]["templates"]
            assert [t["match"] for t in templates] == ["font.headline"]
        store = Store.open(loaded.store_url)
        try:
            run_collect(loaded, store, clock=fixed_clock(datetime.fromisoformat(NOW)),
                        source_names=[name])
            columns = {c.url.replace(site.base, ""): c for c in store.columns.list()}
        finally:
            store.close()
    right = total = 0
    misses = [f"{path}: collected, not a column of this section"
              for path in set(columns) - {t.path for t in truth}]
    for item in truth:
        column = columns.get(item.path)
        if column is None:
            misses.append(f"{item.path}: not collected")
            total += 8
            continue
        for field, ok in compare(column, item, site.base).items():
            total += 1
            right += ok
            if not ok:
                misses.append(f"{item.path}: {field}")
    return right, total, misses


@pytest.mark.parametrize("name", ["gulf", "levant", "feedonly", "jsonld", "maghreb", "wp",
                                  "wplink", "wpplain", "twotemplates", "portal",
                                  "cleanurls", "numeric", "idslug", "idslugmap", "degree",
                                  "degreep", "wphard", "wphardbylink"])
def test_discovered_source_collects_every_field(tmp_path: Path, name: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    right, total, misses = field_accuracy(tmp_path, name)
    out = capsys.readouterr().out
    preview = json.loads(out[out.index("{"):])  # the --json run printed last
    missing = preview["preview"]["missing"]
    # A miss is either a field the page does not carry (truth None) named in the
    # preview, or counted against the 95 % target.
    unexplained = [m for m in misses if m.split(": ")[-1] not in missing]
    print(f"{name}: {right}/{total} fields right; misses: {misses}")
    assert right / total >= 0.95, misses
    assert not unexplained, (unexplained, missing)


def test_fields_the_pages_lack_are_named_with_what_to_add(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with paper(tmp_path, "feedonly") as (site, _truth, config):
        assert discover(site, "feedonly", config, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["chosen"] == "feed"
    assert "teasers" in data["ways"][0]["note"]
    missing = data["preview"]["missing"]
    assert set(missing) >= {"author_credentials", "author_article_count", "author_url"}
    assert "fields: author_url:" in missing["author_url"]
    column = data["preview"]["columns"][0]
    assert column["author"]["origin"].startswith("feed item")
    assert column["views"]["origin"] == "selector `.reads`"


def _golden(name: str, text: str) -> None:
    file = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    assert text == file.read_text(encoding="utf-8")


def test_preview_and_written_block_match_the_golden_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with paper(tmp_path, "gulf") as (site, _truth, config):
        assert discover(site, "gulf", config, "--write") == 0
        base = site.base
    captured = capsys.readouterr()
    preview = re.sub(r"requests: \d+", "requests: N", captured.out.replace(base, "BASE"))
    _golden("gulf.preview.txt", preview)
    _golden("gulf.schedules.yaml", config.read_text(encoding="utf-8").replace(base, "BASE"))
    assert "source 'gulf' appended" in captured.err
    # The sample that answered 404 is named, and did not stop discovery.
    assert "sample not read: BASE/opinion/articles/gone.html: HTTP 404" in preview


def test_sources_test_previews_a_configured_source(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with paper(tmp_path, "levant") as (site, _truth, config):
        assert discover(site, "levant", config, "--write") == 0
        capsys.readouterr()
        assert main(["--now", NOW, "sources", "test", "levant", "--config", str(config),
                     "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert out.count("column ") == 2
    assert "views                 1200  [selector `.views@data-views`" in out
    assert not (tmp_path / "syndicate.db").exists()  # previewed, nothing stored


def test_a_site_with_nothing_usable_gets_a_clear_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with paper(tmp_path, "empty") as (site, _truth, config):
        assert discover(site, "empty", config, "--write") == 1
        assert config.read_text(encoding="utf-8") == EMPTY_CONFIG
    err = capsys.readouterr().err
    assert err.startswith("error: nothing usable: no feed, news sitemap, WordPress API")
    assert "Traceback" not in err


def test_a_name_already_in_the_file_is_refused_and_the_file_kept(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with paper(tmp_path, "jsonld") as (site, _truth, config):
        assert discover(site, "jsonld", config, "--write") == 0
        before = config.read_text(encoding="utf-8")
        assert discover(site, "jsonld", config, "--write") == 1
        assert config.read_text(encoding="utf-8") == before
    assert "already in the file; choose another with --name" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["gulf", "portal", "jsonld"])
def test_discovery_is_polite(tmp_path: Path, name: str) -> None:
    with paper(tmp_path, name) as (site, _truth, config):
        assert discover(site, name, config) == 0
        paths = site.paths()
        agents = {headers.get("User-Agent") for _path, headers in site.requests}
    assert paths[0] == "/robots.txt" or "/robots.txt" in paths
    assert paths.count("/robots.txt") == 1
    assert len(paths) <= MAX_REQUESTS
    assert agents == {"syndicate-tests/1.0 (+https://example.org/bot)"}
    assert not any(p.startswith("/private/") for p in paths)



SMTP_CONFIG = EMPTY_CONFIG + """delivery:
  transport: smtp
  smtp:
    host: smtp.example.org
    username: syndicate
    password: {env: SYNDICATE_TEST_UNSET_SMTP_PASSWORD}
"""


def test_write_runs_the_schedules_check_and_refuses_what_it_rejects(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The file loads (`config.load.parse`), but `schedules check` fails it: the SMTP
    # password it names is not in the environment. --write must say so and not write.
    monkeypatch.delenv("SYNDICATE_TEST_UNSET_SMTP_PASSWORD", raising=False)
    with paper(tmp_path, "jsonld") as (site, _truth, config):
        config.write_text(SMTP_CONFIG, encoding="utf-8")
        assert main(["schedules", "check", str(config)]) == 2  # what the operator would see
        capsys.readouterr()
        assert discover(site, "jsonld", config, "--write") == 2
        assert config.read_text(encoding="utf-8") == SMTP_CONFIG
    err = capsys.readouterr().err
    assert "secret SYNDICATE_TEST_UNSET_SMTP_PASSWORD is not set in the environment" in err
    assert "already in the file before this source" in err
    assert "not written: `schedules check` would fail" in err


def test_write_accepts_a_file_without_jobs_as_schedules_check_would_otherwise(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # No jobs yet is what `schedules check` reports for a file that would run nothing; for
    # discover it is the usual start (sources first, jobs after), so it is not an error.
    monkeypatch.setenv("SYNDICATE_TEST_UNSET_SMTP_PASSWORD", "set")
    with paper(tmp_path, "jsonld") as (site, _truth, config):
        config.write_text(SMTP_CONFIG, encoding="utf-8")
        assert discover(site, "jsonld", config, "--write") == 0
        written = config.read_text(encoding="utf-8")
    assert written.startswith(SMTP_CONFIG.rstrip("\n")) and "name: jsonld" in written
    assert "no jobs" not in capsys.readouterr().err


def test_an_unknown_timezone_is_refused_before_any_request(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with paper(tmp_path, "jsonld") as (site, _truth, config):
        assert discover(site, "jsonld", config, "--write", "--timezone", "Asia/Nowhere") == 1
        assert config.read_text(encoding="utf-8") == EMPTY_CONFIG
        assert site.paths() == []
    err = capsys.readouterr().err
    assert err.startswith("error: --timezone: unknown timezone 'Asia/Nowhere'"), err
    assert "Traceback" not in err


@pytest.mark.parametrize(("name", "how"), [
    ("wplink", "(its Link: header)"),
    ("wpplain", "(not announced; its pages load WordPress's /wp-content/")])
def test_wordpress_not_announced_in_the_html_is_found(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, how: str) -> None:
    with paper(tmp_path, name) as (site, _truth, config):
        assert discover(site, name, config, "--json") == 0
        # The category: named by the page's Link: header (wplink), else looked up by slug.
        looked_up = "/wp-json/wp/v2/categories?slug=opinion" in site.paths()
        assert looked_up == (name == "wpplain")
    data = json.loads(capsys.readouterr().out)
    assert data["chosen"] == "wordpress"
    assert data["block"]["categories"] == [7]
    wordpress = next(w for w in data["ways"] if w["kind"] == "wordpress")
    assert how in wordpress["note"]


def test_split_date_and_author_pages_are_written_as_list_and_author_page(
        tmp_path: Path) -> None:
    with paper(tmp_path, "portal") as (site, _truth, config):
        assert discover(site, "portal", config, "--write") == 0
        source = load_config(config).sources[0].model_dump()
        loaded = load_config(config)
        store = Store.open(loaded.store_url)
        try:
            run_collect(loaded, store, clock=fixed_clock(datetime.fromisoformat(NOW)),
                        source_names=["portal"])
            photos = {c.author.name: c.author.image_url for c in store.columns.list()}
            bios = {c.author.name: c.author.bio for c in store.columns.list()}
        finally:
            store.close()
        base = site.base
    assert source["fields"]["published"] == [".pub-date", ".pub-time"]
    assert source["author_page"]["credentials"] == "p.profile-title"
    assert source["author_page"]["article_count"] == ".profile-stats"
    assert photos == {name: f"{base}/img/kuttab/{slug}.jpg" for name, _c, _n, slug in WRITERS}
    assert source["author_page"]["bio"] == ".profile-about"
    assert all((bios[name] or "").startswith(f"{name} كاتب في صفحة الرأي") for name, *_ in WRITERS)


@pytest.mark.parametrize(("name", "evidence"), [
    ("levant", "Asia/Beirut («بتوقيت بيروت» on the pages)"),
    ("feedonly", "Asia/Qatar (offset +03:00 in the pages' dates: approximate"),
    ("maghreb", "Africa/Casablanca (offset +01:00 in the pages' dates: approximate")])
def test_the_preview_says_which_evidence_chose_the_zone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, evidence: str) -> None:
    with paper(tmp_path, name) as (site, _truth, config):
        assert discover(site, name, config) == 0
    assert f"timezone: {evidence}" in capsys.readouterr().out


def test_list_form_and_author_page_block_match_the_golden_file(tmp_path: Path) -> None:
    with paper(tmp_path, "portal") as (site, _truth, config):
        assert discover(site, "portal", config, "--write") == 0
        base = site.base
    _golden("portal.schedules.yaml", config.read_text(encoding="utf-8").replace(base, "BASE"))


def test_sources_test_reads_the_author_pages_as_collect_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with paper(tmp_path, "portal") as (site, _truth, config):
        assert discover(site, "portal", config, "--write") == 0
        capsys.readouterr()
        before = len(site.paths())
        assert main(["--now", NOW, "sources", "test", "portal", "--config", str(config),
                     "--limit", "3"]) == 0
        author_pages = [p for p in site.paths()[before:] if p.startswith("/kuttab/")]
    out = capsys.readouterr().out
    assert ("author_credentials    أستاذ العلاقات الدولية  [the author's page, selector "
            "`p.profile-title`, confidence 100%]") in out
    assert "published             2025-09-20T06:15:00+00:00  [selectors `.pub-date` + " \
           "`.pub-time`" in out
    assert sorted(author_pages) == ["/kuttab/ahmad/", "/kuttab/khalid/", "/kuttab/maryam/"]


def test_wordpress_posts_dates_tell_the_zone(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    # The paper's file says UTC: the posts' date beside date_gmt says +03:00.
    with paper(tmp_path, "wp") as (site, _truth, config):
        config.write_text(EMPTY_CONFIG.replace("Asia/Qatar", "UTC"), encoding="utf-8")
        assert discover(site, "wp", config, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["timezone"] == "Asia/Qatar"
    assert data["timezone_origin"].startswith("offset +03:00 in the pages' dates")


def test_card_links_to_writers_are_left_out_of_the_links_selector(tmp_path: Path) -> None:
    with paper(tmp_path, "idslug") as (site, _truth, config):
        assert discover(site, "idslug", config, "--write") == 0
        source = load_config(config).sources[0].model_dump()
        fetched = site.paths()
    assert source["links"] == '.card a[href*="/opinion/"]'
    assert not [p for p in fetched if p.startswith("/editor/")]  # no writer page as a sample
    assert source["fields"]["title"] == "h1.article-title"  # JSON-LD's headline is cut short
    assert source["fields"]["author_url"] == "a.writerName@href"  # JSON-LD's is an @id
