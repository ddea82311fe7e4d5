"""The polite fetcher against a real loopback server (and real files for file://)."""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections.abc import Collection, Iterator
from pathlib import Path

import httpx
import pytest

from syndicate.config.sources import HttpSettings
from syndicate.errors import ExtractError, FetchError, HostThrottledError, NotAllowedError
from syndicate.sources.encoding import decode
from syndicate.sources.fetching import Cached
from syndicate.sources.http import Fetcher

from .collect_helpers import SITES, Site, serve


class MemoryValidators:
    """A real ValidatorCache kept in a dict (the core's one is backed by the store)."""

    def __init__(self) -> None:
        self.data: dict[str, Cached] = {}

    def get(self, url: str) -> Cached | None:
        return self.data.get(url)

    def get_many(self, urls: Collection[str]) -> dict[str, Cached]:
        return {url: self.data[url] for url in urls if url in self.data}

    def put(self, url: str, cached: Cached, *, status: int) -> None:
        self.data[url] = cached

    def fail(self, url: str, cached: Cached, *, status: int) -> int:
        known = self.data.get(url)
        failures = (known.failures if known else 0) + 1
        self.data[url] = dataclasses.replace(cached, failures=failures)
        return failures


def settings(**changes: object) -> HttpSettings:
    base: dict[str, object] = {"timeout_s": 0.5, "retries": 1, "backoff_s": 0.01,
                               "max_retry_wait_s": 0.05, "min_delay_s": 0.0,
                               "allow_private_addresses": True}
    base.update(changes)
    return HttpSettings.model_validate(base)


@pytest.fixture
def gulf() -> Iterator[Site]:
    with serve(SITES / "gulf") as site:
        yield site


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as real:
        yield real


def test_retry_after_is_honoured_and_capped(gulf: Site, client: httpx.Client) -> None:
    waits: list[float] = []
    gulf.retry_once.add("/opinion/clean.html")
    fetcher = Fetcher(client, settings(retries=2, max_retry_wait_s=0.5),
                      hosts=["127.0.0.1"], sleep=waits.append, monotonic=lambda: 100.0)
    page = fetcher.fetch(gulf.url("/opinion/clean.html"))
    assert page.status == 200 and "columns/water.html" in page.text
    assert waits == [0.5]  # Retry-After: 1, capped at max_retry_wait_s


def test_a_host_throttling_again_and_again_is_left_for_the_run(
        gulf: Site, client: httpx.Client) -> None:
    fetcher = Fetcher(client, settings(max_retry_wait_s=0.01, max_throttles=3),
                      hosts=["127.0.0.1"])
    before = gulf.paths().count("/bad/429")
    with pytest.raises(HostThrottledError, match="left for this run after 3 throttled"):
        fetcher.fetch(gulf.url("/bad/429"))  # Retry-After: 7, every time
    assert gulf.paths().count("/bad/429") - before == 3
    # Every other page of the host waits for the next run, without being asked for.
    asked = len(gulf.paths())
    with pytest.raises(HostThrottledError):
        fetcher.fetch(gulf.url("/opinion/clean.html"))
    assert len(gulf.paths()) == asked


def test_backoff_doubles_without_retry_after(gulf: Site, client: httpx.Client) -> None:
    waits: list[float] = []
    fetcher = Fetcher(client, settings(retries=3, backoff_s=0.01, max_retry_wait_s=1),
                      hosts=["127.0.0.1"], sleep=waits.append)
    with pytest.raises(FetchError, match="HTTP 500, still after 4 attempts"):
        fetcher.fetch(gulf.url("/bad/500"))
    assert waits == [0.01, 0.02, 0.04]


def test_per_host_concurrency_limit(client: httpx.Client) -> None:
    with serve(SITES / "gulf", delay_s=0.15) as site:
        urls = [site.url(f"/opinion/columns/{n}.html")
                for n in ("alliances", "water", "future", "relative", "older", "no-date")]
        fetcher = Fetcher(client, settings(per_host_concurrency=2), hosts=["127.0.0.1"])
        results = list(fetcher.fetch_many(urls))
        assert [url for url, _ in results] == urls  # input order kept
        assert site.max_in_flight == 2
    with serve(SITES / "gulf", delay_s=0.05) as site:
        fetcher = Fetcher(client, settings(per_host_concurrency=1), hosts=["127.0.0.1"])
        list(fetcher.fetch_many([site.url(f"/opinion/columns/{n}.html")
                                 for n in ("alliances", "water", "future", "relative")]))
        assert site.max_in_flight == 1


def test_minimum_delay_between_requests(gulf: Site, client: httpx.Client) -> None:
    fetcher = Fetcher(client, settings(per_host_concurrency=2, min_delay_s=0.1),
                      hosts=["127.0.0.1"])
    before = len(gulf.starts)
    urls = [gulf.url(f"/opinion/columns/{n}.html") for n in ("alliances", "water", "older")]
    list(fetcher.fetch_many(urls))
    starts = sorted(gulf.starts[before:])
    assert len(starts) == 4, gulf.paths()  # robots.txt + 3 pages
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # Starts are spaced by the fetcher; arrival at the server adds some jitter.
    assert starts[-1] - starts[0] >= 0.28, gaps
    assert all(gap >= 0.06 for gap in gaps), gaps


def test_conditional_get_gives_304(gulf: Site, client: httpx.Client) -> None:
    cache = MemoryValidators()

    def run() -> Fetcher:  # a fetcher per run, as the collect step makes them
        return Fetcher(client, settings(), hosts=["127.0.0.1"], cache=cache)

    fetcher = run()
    url = gulf.url("/opinion/columns/alliances.html")
    asked = gulf.paths().count("/opinion/columns/alliances.html")
    first = fetcher.fetch(url)
    assert first.status == 200 and first.etag
    # Once per run: asked again in the same run, the same answer, not a request.
    assert fetcher.fetch(url) is first
    assert gulf.paths().count("/opinion/columns/alliances.html") == asked + 1
    assert run().fetch(url).status == 200  # next run, nothing remembered yet
    fetcher.remember(first, memo="what the caller keeps")
    later = run()
    second = later.fetch(url)
    assert second.not_modified and second.text == ""
    assert second.memo == "what the caller keeps"
    assert gulf.requests[-1][1].get("If-None-Match") == first.etag
    assert (fetcher.stats.pages_fetched, later.stats.not_modified) == (1, 1)
    # Unconditional when asked: a full page again.
    assert later.fetch(url, conditional=False).status == 200


def test_redirects_are_followed_within_configured_hosts_only(
        gulf: Site, client: httpx.Client) -> None:
    fetcher = Fetcher(client, settings(max_redirects=3), hosts=["127.0.0.1"])
    page = fetcher.fetch(gulf.url("/bad/redirect-ok"))
    assert page.final_url == gulf.url("/opinion/clean.html")
    with pytest.raises(NotAllowedError, match="not a configured host"):
        fetcher.fetch(gulf.url("/bad/redirect-off"))
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetcher.fetch(gulf.url("/bad/chain-0"))
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.fetch(gulf.url("/bad/loop-a"))


def test_unreachable_robots_txt_means_the_host_is_not_fetched(client: httpx.Client) -> None:
    with serve(SITES / "gulf", robots_status=503) as site:
        fetcher = Fetcher(client, settings(), hosts=["127.0.0.1"])
        with pytest.raises(NotAllowedError, match="robots.txt answered HTTP 503"):
            fetcher.fetch(site.url("/opinion/clean.html"))
        assert site.paths() == ["/robots.txt"]


def test_robots_can_be_switched_off_but_hosts_still_apply(gulf: Site,
                                                          client: httpx.Client) -> None:
    fetcher = Fetcher(client, settings(respect_robots=False), hosts=["127.0.0.1"])
    assert fetcher.fetch(gulf.url("/private/secret.html")).status == 200
    with pytest.raises(NotAllowedError):
        Fetcher(client, settings(), hosts=["example.org"]).fetch(gulf.url("/"))


def test_private_addresses_refused_by_default(gulf: Site, client: httpx.Client) -> None:
    fetcher = Fetcher(client, settings(allow_private_addresses=False), hosts=["127.0.0.1"])
    with pytest.raises(NotAllowedError, match="private or loopback"):
        fetcher.fetch(gulf.url("/opinion/clean.html"))
    assert gulf.paths() == []


def test_a_name_that_rebinds_to_a_private_address_is_not_connected_to(
        gulf: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # DNS rebinding: the name looked public when the fetcher checked it, and resolves
    # to 127.0.0.1 when the connection is made. The production client dials only the
    # addresses it has checked itself, so the loopback server never hears of it.
    import syndicate.sources.http.fetcher as http_module  # the module that calls is_public
    from syndicate.sources.http import build_client

    production = settings(allow_private_addresses=False, retries=0)
    monkeypatch.setattr(http_module, "is_public", lambda host: True)  # the check was fooled
    with build_client(production) as client:
        fetcher = Fetcher(client, production, hosts=["localhost"])
        url = gulf.url("/opinion/clean.html").replace("127.0.0.1", "localhost")
        with pytest.raises(NotAllowedError, match="robots.txt unreachable .*resolves to a "
                           "private or loopback address"):
            fetcher.fetch(url)  # robots.txt first: it is refused the same way
        unchecked = settings(allow_private_addresses=False, retries=0, respect_robots=False)
        fetcher = Fetcher(client, unchecked, hosts=["localhost"])
        with pytest.raises(FetchError, match="resolves to a private or loopback address"):
            fetcher.fetch(url)
    assert gulf.paths() == []
    # The same client set up for a loopback test site does connect.
    with build_client(settings(allow_private_addresses=True)) as client:
        fetcher = Fetcher(client, settings(), hosts=["localhost"])
        assert fetcher.fetch(url).status == 200


def test_file_urls_stay_inside_the_start_folder(tmp_path: Path, client: httpx.Client) -> None:
    site = tmp_path / "site" / "opinion"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<html><body>فهرس</body></html>", encoding="utf-8")
    (tmp_path / "site" / "secret.html").write_text("<html></html>")
    cache = MemoryValidators()
    fetcher = Fetcher(client, settings(allow_private_addresses=False), file_roots=[site],
                      cache=cache)
    url = (site / "index.html").as_uri()
    page = fetcher.fetch(url)
    assert page.status == 200 and "فهرس" in page.text and page.etag
    fetcher.remember(page)
    assert fetcher.fetch(url).not_modified
    with pytest.raises(NotAllowedError, match="outside"):
        fetcher.fetch((tmp_path / "site" / "secret.html").as_uri())
    with pytest.raises(NotAllowedError, match="outside"):
        fetcher.fetch(site.as_uri() + "/../secret.html")
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher.fetch((site / "missing.html").as_uri())


def test_non_html_and_empty_answers(gulf: Site, client: httpx.Client) -> None:
    fetcher = Fetcher(client, settings(), hosts=["127.0.0.1"])
    with pytest.raises(ExtractError, match="not html"):
        fetcher.fetch(gulf.url("/bad/report.pdf"))
    with pytest.raises(ExtractError, match="empty response"):
        fetcher.fetch(gulf.url("/bad/empty"))
    # The same XML is fine where XML is expected.
    with serve(SITES / "levant") as levant:
        page = Fetcher(client, settings(), hosts=["127.0.0.1"]).fetch(
            levant.url("/feed.xml"), expect="xml")
        assert "<rss" in page.text


def test_big_page_download_is_aborted(gulf: Site, client: httpx.Client) -> None:
    fetcher = Fetcher(client, settings(max_page_bytes=100_000), hosts=["127.0.0.1"])
    started = time.monotonic()
    with pytest.raises(FetchError, match="100,000-byte limit"):
        fetcher.fetch(gulf.url("/bad/big"))
    assert time.monotonic() - started < 2


def test_timeout(client: httpx.Client) -> None:
    with serve(SITES / "gulf", slow_s=0.5) as site:
        fetcher = Fetcher(client, settings(timeout_s=0.1, retries=0), hosts=["127.0.0.1"])
        with pytest.raises(FetchError, match="timed out after 0.1s"):
            fetcher.fetch(site.url("/bad/slow"))


def test_windows_1256_from_header_meta_and_detection(client: httpx.Client) -> None:
    with serve(SITES / "maghreb") as site:
        fetcher = Fetcher(client, settings(), hosts=["127.0.0.1"])
        for path in ("sahara-light", "tunis-cafe", "algiers-sea"):
            page = fetcher.fetch(site.url(f"/chroniques/{path}.html"))
            assert page.encoding == "cp1256", path
            assert "المغرب الجديد" in page.text


def test_decode_order() -> None:
    arabic = "<p>في ظل التحولات الأمنية الأخيرة التي شهدتها المنطقة عاد السؤال إلى الواجهة</p>"
    raw = arabic.encode("cp1256")
    assert decode(raw, "windows-1256") == (arabic, "cp1256")
    meta = b'<meta charset="windows-1256">' + raw
    assert decode(meta, None)[1] == "cp1256"
    assert decode(arabic.encode("utf-8"), None) == (arabic, "utf-8")
    assert decode(raw, None)[0] == arabic  # detected
    # The header wins over the document (as in browsers); latin-1 means windows-1252.
    assert decode(meta, "iso-8859-1")[1] == "cp1252"


def test_user_agent_is_sent(gulf: Site, client: httpx.Client) -> None:
    agent = "syndicate/9 (+https://example.org/bot)"
    Fetcher(client, settings(user_agent=agent), hosts=["127.0.0.1"]).fetch(
        gulf.url("/opinion/clean.html"))
    assert {h.get("User-Agent") for _, h in gulf.requests} == {agent}


def test_fetch_many_reports_errors_in_place(gulf: Site, client: httpx.Client) -> None:
    fetcher = Fetcher(client, settings(), hosts=["127.0.0.1"])
    urls = [gulf.url("/opinion/columns/water.html"), gulf.url("/opinion/columns/missing.html"),
            gulf.url("/private/secret.html")]
    kinds = [type(result).__name__ for _, result in fetcher.fetch_many(urls)]
    assert kinds == ["Page", "FetchError", "NotAllowedError"]
    assert threading.active_count() < 50


def test_crawl_delay_from_robots_txt_spaces_requests(client: httpx.Client) -> None:
    with serve(SITES / "gulf", robots_text="User-agent: *\nCrawl-delay: 1\n") as site:
        fetcher = Fetcher(client, settings(min_delay_s=0), hosts=["127.0.0.1"])
        for name in ("alliances", "water"):
            fetcher.fetch(site.url(f"/opinion/columns/{name}.html"))
        starts = site.starts
        assert len(starts) == 3  # robots.txt, then the two pages
        assert starts[2] - starts[1] >= 0.95


def test_a_redirected_page_without_canonical_is_known_by_where_it_landed(
        gulf: Site, client: httpx.Client) -> None:
    from syndicate.sources.base import page_reader
    from syndicate.sources.extract import FieldSelectors

    fetcher = Fetcher(client, settings(), hosts=["127.0.0.1"])
    url = gulf.url("/bad/moved-column")
    page = fetcher.fetch(url)
    read = page_reader("gulf", FieldSelectors(title="h1.headline"), "ar")
    draft = read(url, page)
    assert draft.url == url
    assert draft.canonical_url == gulf.url("/opinion/columns/no-canonical.html")
    assert draft.title == "عمود بلا رابط أصلي"


def test_ordered_map_keeps_order_and_the_worker_limit() -> None:
    from syndicate.sources.fetching import ordered_map

    lock = threading.Lock()
    running = peak = 0

    def slow(n: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.002 * (n % 3))  # later items often finish first
        with lock:
            running -= 1
        return n * n

    assert list(ordered_map(slow, range(40), 3)) == [n * n for n in range(40)]
    assert peak == 3
    assert list(ordered_map(slow, [], 3)) == []


def test_ordered_map_raises_at_the_failing_item_and_stops_when_left() -> None:
    from syndicate.sources.fetching import ordered_map

    def check(n: int) -> int:
        if n == 5:
            raise ValueError("five")
        return n

    checked = ordered_map(check, range(10), 2, batch=4)
    assert [next(checked) for _ in range(5)] == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="five"):
        next(checked)

    done: list[int] = []

    def record(n: int) -> int:
        time.sleep(0.001)
        done.append(n)
        return n

    results = ordered_map(record, range(200), 2)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    results.close()
    assert len(done) < 200  # the workers stopped after their current item
    assert not [t for t in threading.enumerate() if t.name.startswith("fetch-")]
