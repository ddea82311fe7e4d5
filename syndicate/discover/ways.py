"""The machine-readable ways into a section: feeds, news sitemaps, the WordPress API.

Each way found is a ``Way`` with what it offers and why it was or was not chosen. RSS and
Atom feeds are read by the collectors' own reader (``sources/feed.py``), on a body the
fetcher has already capped at ``http.max_page_bytes``; JSON Feed is plain JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ..errors import ExtractError, SyndicateError
from ..sources.feed import parse_feed
from ..sources.fetching import Page
from ..sources.http import Fetcher
from ..sources.page_values import clean_url
from ..sources.sitemap import parse_sitemap
from .dom import Tree, text_of

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
              "application/json")
COMMON_FEED_PATHS = ("feed/", "rss.xml", "feed.xml")
FULL_TEXT_CHARS = 600  # an item whose text is shorter is a teaser: its page is read too
_TAGS = re.compile(r"<[^>]+>")
_KEEP = 20_000


@dataclass(frozen=True)
class Way:
    kind: str  # feed, sitemap, wordpress, html
    url: str
    items: tuple[str, ...] = ()  # column URLs it lists (for this section)
    full_text: bool = False
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)
    text: str = ""  # the document itself (its dates' offsets tell the paper's zone)


def _plain_length(html: str | None) -> int:
    return len(" ".join(_TAGS.sub(" ", html or "").split()))


def read_feed(text: str, url: str) -> tuple[list[str], bool] | None:
    """(item links, every item carries the full text), or None when not a feed."""
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return None
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return None
        urls = [str(i.get("url")) for i in items if isinstance(i, dict) and i.get("url")]
        full_json = bool(items) and all(
            _plain_length(i.get("content_html") or i.get("content_text")) >= FULL_TEXT_CHARS
            for i in items if isinstance(i, dict))
        return [clean_url(urljoin(url, link)) for link in urls], full_json
    try:
        # The collectors' own reader (feedparser), so discovery judges a feed as
        # `collect` will read it.
        drafts = parse_feed(text, source="discover", language="", feed_url=url)
    except ExtractError:
        return None
    full = bool(drafts) and all(_plain_length(d.body_html) >= FULL_TEXT_CHARS for d in drafts)
    return [clean_url(urljoin(url, d.url)) for d in drafts], full


def feed_links(tree: Tree, page_url: str) -> list[str]:
    found = []
    for node in tree.css('link[rel~="alternate"][href]'):
        kind = (node.attributes.get("type") or "").lower()
        href = node.attributes.get("href") or ""
        if kind in FEED_TYPES and "/wp-json/" not in href:  # a REST object, not a JSON Feed
            found.append(urljoin(page_url, href))
    return list(dict.fromkeys(found))


def find_feeds(fetcher: Fetcher, tree: Tree, page_url: str, log: list[str]) -> list[Way]:
    """Feeds the page links to; when it links to none, a few common paths."""
    candidates = feed_links(tree, page_url)
    guessed = not candidates
    if guessed:
        section = urljoin(page_url, section_prefix(page_url))
        candidates = [urljoin(section, p) for p in COMMON_FEED_PATHS]
    ways = []
    for url in candidates[:4]:
        try:
            page = fetcher.fetch(url, expect="json" if url.endswith(".json") else "xml",
                                 conditional=False)
        except SyndicateError as exc:
            if not guessed:
                log.append(f"feed {url}: {exc}")
            continue
        read = read_feed(page.text, page.final_url)
        if read is None:
            log.append(f"{url}: linked as a feed but not one")
            continue
        links, full = read
        how = "common path" if guessed else '<link rel="alternate">'
        ways.append(Way("feed", url, tuple(links), full,
                        f"{len(links)} items ({'full text' if full else 'teasers'}), "
                        f"found by {how}", text=page.text[:_KEEP]))
    return ways


API_REL = "https://api.w.org/"
_CATEGORY_OBJECT = re.compile(r"/wp-json/wp/v2/categories/(\d{1,12})(?:[/?#]|$)")
_WP_ASSET = ('link[href*="/wp-content/"], script[src*="/wp-content/"], '
             'link[href*="/wp-includes/"], script[src*="/wp-includes/"]')


def wordpress_root(tree: Tree, page_url: str, header_links: tuple[tuple[str, str], ...] = (),
                   ) -> tuple[str, str] | None:
    """(site root, how it was announced) when the page announces the WordPress REST API:
    by ``<link rel="https://api.w.org/">`` in the HTML or by the answer's
    ``Link: <…/wp-json/>; rel="https://api.w.org/"`` header (sent even when a theme
    leaves the <link> out)."""
    node = tree.css_first(f'link[rel="{API_REL}"][href]')
    if node is not None:
        api, how = urljoin(page_url, node.attributes.get("href") or ""), "its HTML <link>"
    else:
        api = next((url for rel, url in header_links if rel == API_REL), "")
        how = "its Link: header"
    if not api:
        # Not announced, but the page is WordPress's: /wp-json/ at the root of its assets.
        asset = tree.css_first(_WP_ASSET)
        if asset is None:
            return None
        found = urljoin(page_url, asset.attributes.get("href") or asset.attributes.get("src")
                        or "/wp-content/")
        return found.split("/wp-content/", 1)[0].split("/wp-includes/", 1)[0] + "/", (
            "not announced; its pages load WordPress's /wp-content/, so /wp-json/ was tried")
    return api.split("/wp-json", 1)[0] + "/", how


def _category(fetcher: Fetcher, page: Page, tree: Tree, root: str,
              log: list[str]) -> tuple[list[int], str]:
    """This section's WordPress category (at most one request): the id its archive page
    names (its own <link rel="alternate" type="application/json"> or Link: header,
    wherever the permalink lives), else by its /category/<slug>/, else the category whose
    ``link`` is this page's address."""
    alternate = tree.css_first('link[rel="alternate"][type="application/json"][href]')
    own = [url for rel, url in page.header_links if rel == "alternate"]
    own += [alternate.attributes.get("href") or ""] if alternate is not None else []
    ids = [m.group(1) for m in (_CATEGORY_OBJECT.search(u) for u in own) if m]
    if ids:
        return [int(ids[0])], f"the page is category {ids[0]}'s archive"
    here = clean_url(page.final_url).rstrip("/")
    slug = re.search(r"/category/([^/?#]+)", urlsplit(here).path)
    if not slug and urlsplit(here).path.strip("/") == "":
        return [], ""  # the home page: all posts
    api = (f"{root}wp-json/wp/v2/categories?slug={slug.group(1)}" if slug
           else f"{root}wp-json/wp/v2/categories?per_page=100")
    try:
        found = json.loads(fetcher.fetch(api, expect="json", conditional=False).text)
        ids = [str(int(c["id"])) for c in found if isinstance(c, dict) and "id" in c
               and (slug or clean_url(str(c.get("link") or "")).rstrip("/") == here)]
    except (SyndicateError, ValueError, TypeError, KeyError) as exc:
        log.append(f"WordPress category of {here}: {exc}")
        return [], ""
    if not ids:
        return [], ""
    return [int(ids[0])], (f"category {slug.group(1)!r} is id {ids[0]}" if slug else
                           f"category {ids[0]}'s link is this page")


def find_wordpress(fetcher: Fetcher, page: Page, tree: Tree, log: list[str]) -> Way | None:
    page_url = page.final_url
    announced = wordpress_root(tree, page_url, page.header_links)
    if announced is None:
        return None
    root, how = announced
    note = f"the page announces the WordPress REST API ({how})"
    categories, said = _category(fetcher, page, tree, root, log)
    if said:
        note += f"; {said}"
    try:
        answer = fetcher.fetch(f"{root}wp-json/wp/v2/posts?per_page=5"
                               + (f"&categories={categories[0]}" if categories else ""),
                               expect="json", conditional=False).text
        posts = json.loads(answer)
    except (SyndicateError, ValueError) as exc:
        log.append(f"WordPress API {root}: {exc}")
        return None
    links = [clean_url(str(p["link"])) for p in posts if isinstance(p, dict) and p.get("link")]
    if not links:
        log.append(f"WordPress API {root}: no posts")
        return None
    # The posts' text goes along: each post's date beside its date_gmt tells the zone.
    return Way("wordpress", root, tuple(links), True, note, {"categories": categories},
               answer[:_KEEP])


def section_prefix(url: str) -> str:
    """``/opinion/`` for ``https://x/opinion/``, ``https://x/opinion/index.html`` or the
    clean ``https://x/opinion`` (a last segment without an extension is a folder)."""
    path = urlsplit(url).path or "/"
    if path.endswith("/"):
        return path
    folder, _, last = path.rpartition("/")
    return f"{path}/" if "." not in last else f"{folder}/"


def find_sitemaps(fetcher: Fetcher, page_url: str, log: list[str], *,
                  budget: int = 6) -> list[Way]:
    """News sitemaps named in robots.txt (indexes followed), with this section's URLs."""
    prefix = section_prefix(page_url)
    queue = fetcher.sitemaps(page_url)
    ways = []
    seen: set[str] = set()
    while queue and budget > 0:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        budget -= 1
        try:
            page = fetcher.fetch(url, expect="xml", conditional=False)
            entries, children = parse_sitemap(page.text, url=url)
        except SyndicateError as exc:
            log.append(f"sitemap {url}: {exc}")
            continue
        queue.extend(children)
        if not entries:
            continue
        mine = [e["loc"] for e in entries if e["loc"] and urlsplit(e["loc"]).path.startswith(prefix)
                and prefix != "/"]
        news = any(e.get("title") for e in entries)
        if mine:
            ways.append(Way("sitemap", url, tuple(clean_url(m) for m in mine), False,
                            f"{'news ' if news else ''}sitemap: {len(mine)} of {len(entries)} "
                            f"URLs under {prefix}", {"url_pattern": re.escape(prefix)},
                            page.text[:_KEEP]))
        else:
            log.append(f"sitemap {url}: none of its {len(entries)} URLs is under {prefix}")
    return ways


def page_text(tree: Tree) -> str:
    return text_of(tree.body) if tree.body is not None else ""
