"""Selectors inferred from a listing page and a few column pages.

Each field has a candidate finder (which elements on one page could hold it, best
first); a selector is chosen by vote across the samples, then run back on every sample
and kept only when its value reads (a date that parses, a count that counts). Values
that are the same on every sample (the masthead's "today", a site-wide box) are not a
column's own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..dates import parse_date_or_none
from ..text.numbers import article_count_in, parse_count
from .dom import (
    Node,
    Tree,
    ancestors,
    classes,
    document_order,
    elements,
    first_text,
    selector_for,
    text_of,
)
from .published import published_candidates
from .sample import Sample, Spec, junk_words_in, outside, read_spec, short_text

_AUTHOR = re.compile(r"author|writer|byline|kateb|katib|columnist|kuttab|auteur|signature|كاتب",
                     re.IGNORECASE)
_CREDENTIALS = re.compile(r"bio|job|cred|position|role|desc|about|subtitle|tagline|fonction|"
                          r"degree|qualif|title|speciali[sz]|وظيفة", re.IGNORECASE)
_HEADINGS = ("h1", "h2", "h3", "h4", "title")
_COUNT = re.compile(r"(?:[\d٠-٩][\d٠-٩,٬.]*\s*(?:مقالات|مقالا|مقال|articles))|"
                    r"(?:(?:مقالات|مقال|articles)\s*[:/|\-–—]?\s*[\d٠-٩])", re.IGNORECASE)
_VIEWS_CLASS = re.compile(r"views|hits|reads|visits|counter|vues|lectures|مشاهد", re.IGNORECASE)
_VIEWS_TEXT = re.compile(r"[\d٠-٩][\d٠-٩.,٬٫]*\s*(?:ألف|الف|k)?\s*(?:مشاهدة|مشاهدات|قراءة|قراءات|"
                         r"views|reads)|(?:مشاهدات|قراءات|views)\s*:?\s*[\d٠-٩]", re.IGNORECASE)
# Drupal's Views module (views-row, views-field-title, view-content): a list, not a count.
_DRUPAL_VIEWS = re.compile(r"views?-(?!count)", re.IGNORECASE)
_JUNK = re.compile(r"(^|[-_ ])(ad|ads|advert\w*|banner|share\w*|social|related|read-?also|promo|pub|"
                   r"sponsor\w*|newsletter|tags)($|[-_ ])", re.IGNORECASE)


# -- column pages: candidates per field ---------------------------------------------


_SITE_SUFFIX = re.compile(r"\s+(?:[|\-–—»]|::)\s+")


def _title(sample: Sample) -> list[str]:
    """The ``h1``; without one (legacy pages), the element whose text is a part of the
    document's ``<title>`` («SITE :: TITLE», «TITLE - SITE»): the site's part is the
    same on every page, which ``choose(must_vary=True)`` refuses."""
    found = [selector_for(n) for n in elements(sample.tree, "h1") if text_of(n) and outside(n)]
    if found:
        return found
    head = sample.tree.css_first("title")
    parts = set(_SITE_SUFFIX.split(text_of(head))) - {""} if head is not None else set()
    return [selector_for(n) for n in elements(sample.tree)
            if text_of(n) in parts and outside(n)
            and not any(text_of(c) == text_of(n) for c in n.iter())]


def _author_nodes(tree: Tree) -> list[Node]:
    found = []
    for node in elements(tree):
        marks = " ".join([*classes(node), node.attributes.get("itemprop") or "",
                          node.attributes.get("rel") or "", node.attributes.get("href") or ""])
        if (not _AUTHOR.search(marks) or not outside(node)
                or _JUNK.search(" ".join(classes(node)))):  # `writer-ad`: an ad in the box
            continue
        text = short_text(node, 60)
        if text and len(text.split()) <= 6 and not re.search(r"[\d٠-٩]", text):
            found.append(node)
    # rel="author" / itemprop first, then a name-like class, then the shortest text: the
    # name, not its whole box.
    found.sort(key=lambda n: ("author" not in (n.attributes.get("rel") or "")
                              + (n.attributes.get("itemprop") or ""),
                              not re.search(r"name|nom|اسم", " ".join(classes(n)), re.IGNORECASE),
                              len(text_of(n))))
    return found


def _author(sample: Sample) -> list[str]:
    return [selector_for(n) for n in _author_nodes(sample.tree)]


def _container(node: Node, levels: int = 3) -> Node:
    up = node
    for depth, parent in enumerate(ancestors(node)):
        up = parent
        if depth + 1 >= levels:
            break
    return up


def _credentials(sample: Sample) -> list[str]:
    """Short texts with a job/degree-like class beside the writer's name (the name may
    appear twice, e.g. above the h1 too: the first few name elements are tried),
    nearest first."""
    order = document_order(sample.tree)
    found: list[tuple[int, str]] = []
    for author in _author_nodes(sample.tree)[:3]:
        name = text_of(author)
        at = order.get(author.mem_id, 0)
        for node in _container(author, 2).css("*"):
            text = short_text(node, 160)
            if (text and text != name and name not in text and node.tag not in _HEADINGS
                    and outside(node) and _CREDENTIALS.search(" ".join(classes(node)))
                    and not _COUNT.search(text) and node.css_first("h1, h2") is None):
                found.append((abs(order.get(node.mem_id, 0) - at), selector_for(node)))
    found.sort(key=lambda item: item[0])
    return [spec for _distance, spec in found]


def _titles_and_writers(samples: list[Sample]) -> tuple[set[str], dict[str, str]]:
    """The samples' column titles (h1, ``<title>`` minus the site's suffix), and each
    sample's writer name (its first name element), by URL."""
    titles: set[str] = set()
    writers: dict[str, str] = {}
    for sample in samples:
        titles.update(text_of(h) for h in elements(sample.tree, "h1") if text_of(h))
        head = sample.tree.css_first("title")
        if head is not None and text_of(head):
            titles.add(_SITE_SUFFIX.split(text_of(head))[0])
        names = _author_nodes(sample.tree)
        if names:
            writers[sample.url] = text_of(names[0])
    return titles, writers


def belongs_to_writers(samples: list[Sample], spec: Spec) -> bool:
    """A credentials (or photo) selector is wrong when a value is a column's title (a
    related box's teaser) or the writer's name, or when writers with different names all
    get one value (a site-wide box, the site's logo; two writers may share a job title,
    all of them do not)."""
    titles, writers = _titles_and_writers(samples)
    names = set(writers.values())
    values: set[str] = set()
    named: set[str] = set()
    for sample in samples:
        value = read_spec(sample, spec)
        if not value:
            continue
        if value in titles or any(name and name in value for name in names):
            return False  # a related column's title, or the writer's name itself
        values.add(value)
        named.add(writers.get(sample.url, ""))
    return not (len(values) == 1 and len(named - {""}) > 1)


def article_count_candidates(sample: Sample) -> list[str]:
    found = []
    for node in elements(sample.tree):
        text = short_text(node, 40)
        if (text and _COUNT.search(text) and outside(node) and article_count_in(text)
                and not any(_COUNT.search(text_of(child)) for child in node.iter())):
            found.append(selector_for(node))  # the smallest element saying it
    return found


def _author_url(sample: Sample, author_selector: str | None) -> list[str]:
    """The link on the author's name: of the ``author:`` selector's element, else (the
    name came from structured data) of the name-like elements found on the page."""
    specs = ([author_selector] if author_selector else
             [selector_for(n) for n in _author_nodes(sample.tree)[:3]])
    found = []
    for spec in specs:
        node = sample.tree.css_first(spec)
        if node is None:
            continue
        if node.tag == "a" and node.attributes.get("href"):
            found.append(f"{spec}@href")
        elif node.css_first("a[href]") is not None:
            found.append(f"{spec} a@href")
    return found


def _author_image(sample: Sample) -> list[str]:
    found = []
    for author in _author_nodes(sample.tree)[:1]:
        for image in _container(author, 3).css("img"):
            attr = "data-src" if image.attributes.get("data-src") else "src"
            if image.attributes.get(attr):
                found.append(f"{selector_for(image)}@{attr}")
    return found


_EYE = re.compile(r"eye|view|visib|عين", re.IGNORECASE)


def _eye_beside(node: Node) -> bool:
    """A number shown after an eye icon (``<i class="icon-eye">``), with no word."""
    return any(child.tag in ("i", "svg", "img", "span") and not text_of(child)
               and _EYE.search(" ".join([*classes(child), child.attributes.get("alt") or ""]))
               for child in node.iter())


def _views(sample: Sample) -> list[str]:
    found: list[tuple[int, str]] = []
    for node in elements(sample.tree):
        if not outside(node):
            continue
        for attr in ("data-views", "data-count", "data-hits"):
            if (node.attributes.get(attr) or "").strip().isdigit():
                found.append((0, f"{selector_for(node)}@{attr}"))
        text = short_text(node, 40)
        if not text or parse_count(text) is None:
            continue
        spec = selector_for(node)
        if first_text(sample.tree, spec) != text:
            continue  # `.meta span` would read another span first (a date beside it)
        if _VIEWS_CLASS.search(" ".join(c for c in classes(node) if not _DRUPAL_VIEWS.match(c))) \
                or _eye_beside(node) or (
                _VIEWS_TEXT.search(text) and not any(_VIEWS_TEXT.search(text_of(c))
                                                     for c in node.iter())):
            found.append((1, spec))
    found.sort(key=lambda item: item[0])
    return [spec for _rank, spec in found]


def body_node(tree: Tree) -> Node | None:
    """The element with the most paragraph text (junk paragraphs aside), outside
    boilerplate and the writer's box.

    Hand-written on purpose: measured against trafilatura 2.3.1 and readability-lxml
    0.9 on 65 column pages (the loopback papers and tests/data/sites/gulf) with
    `python bench/discover_body.py --runs 5`: this heuristic (selector + remove:) 65/65
    pages right (every paragraph, no ad/share/«اقرأ المزيد» text), 0.23 ms a page;
    trafilatura 60/65 (on short columns it falls back to the whole page: dates, views,
    «مساحة إعلانية»), 1.0 ms; readability-lxml 38/65 (keeps the ads and share bars
    inside the text), 0.57 ms. Discovery also needs a *selector* to write, which
    neither library gives. Caveat: the heuristic was written against these pages.
    """
    best: tuple[int, Node] | None = None
    for node in elements(tree):
        paragraphs = [c for c in node.iter() if c.tag == "p"]
        if (not paragraphs or not outside(node)
                or _AUTHOR.search(" ".join(classes(node)))):  # the writer's box, not the text
            continue
        size = sum(len(text_of(p)) for p in paragraphs
                   if not junk_words_in(text_of(p)))
        if best is None or size > best[0]:
            best = (size, node)
    return best[1] if best else None


def _body(sample: Sample) -> list[str]:
    node = body_node(sample.tree)
    return [selector_for(node)] if node is not None else []


def junk_inside(samples: list[Sample], body: str) -> list[str]:
    """Ads, share bars and related links inside the body: ``remove:`` selectors."""
    found: dict[str, None] = {}
    for sample in samples:
        node = sample.tree.css_first(body)
        if node is None:
            continue
        for inner in junk_in(node):
            selector = selector_for(inner)
            if selector not in ("p", body) and not selector.endswith(" p"):
                found.setdefault(selector, None)
    return [s for s in found if not _takes_the_text(samples, body, s)]


def junk_in(node: Node, *, empty_paragraphs: bool = True) -> Iterator[Node]:
    """The ads, share bars, «اقرأ أيضا» boxes (and empty paragraphs) inside ``node``."""
    for inner in node.css("*"):
        text = text_of(inner)
        if (_JUNK.search(" ".join(classes(inner))) or (len(text) < 80 and junk_words_in(text))
                or (empty_paragraphs and inner.tag == "p" and not text)):
            yield inner


def _takes_the_text(samples: list[Sample], body: str, remove: str) -> bool:
    """Whether ``remove`` matches text paragraphs too (Word's ``p.MsoNormal`` is on the
    empty spacer and on every paragraph): it would wipe the column."""
    for sample in samples:
        node = sample.tree.css_first(body)
        if node is None:
            continue
        matches = node.css(remove)  # written by selector_for: lexbor reads it
        if any(m.tag == "p" and text_of(m) and not _JUNK.search(" ".join(classes(m)))
               and not junk_words_in(text_of(m)) for m in matches):
            return True
    return False


# -- choosing ------------------------------------------------------------------------


def choose(samples: list[Sample], candidates: Callable[[Sample], Sequence[Spec]],
           valid: Callable[[str], bool], *, must_vary: bool = False,
           sound: Callable[[Spec], bool] = lambda _spec: True) -> tuple[Spec, float] | None:
    """The selector most samples propose whose value is valid on most samples, and the
    share of samples where it reads."""
    votes: Counter[Spec] = Counter()
    rank: dict[Spec, int] = {}
    for sample in samples:
        for position, spec in enumerate(dict.fromkeys(candidates(sample))):
            votes[spec] += 1
            rank[spec] = min(rank.get(spec, position), position)
    for spec in sorted(votes, key=lambda s: (-votes[s], rank[s])):
        values = [read_spec(sample, spec) for sample in samples]
        good = [v for v in values if v is not None and valid(v)]
        if len(samples) >= 2 and must_vary and len(set(good)) == 1 and len(good) > 1:
            continue  # the same on every page: the masthead's date, not the column's
        if not sound(spec):
            continue
        if good and len(good) * 2 >= len(samples):
            return spec, len(good) / len(samples)
    return None


@dataclass(frozen=True)
class Inferred:
    selectors: dict[str, Spec]
    confidence: dict[str, float]
    remove: list[str]


def infer_fields(samples: list[Sample], *, need: set[str], now: datetime,
                 tz: str) -> Inferred:
    """Selectors for the fields in ``need`` (those structured data did not give)."""
    chosen: dict[str, tuple[Spec, float]] = {}

    def pick(field: str, finder: Callable[[Sample], Sequence[Spec]],
             valid: Callable[[str], bool], *, must_vary: bool = False,
             sound: Callable[[Spec], bool] = lambda _spec: True) -> None:
        if field in need:
            result = choose(samples, finder, valid, must_vary=must_vary, sound=sound)
            if result is not None:
                chosen[field] = result

    def any_text(value: str) -> bool:
        return bool(value.strip())

    pick("title", _title, any_text, must_vary=True)
    pick("author", _author, any_text)
    pick("author_credentials", _credentials, any_text,
         sound=lambda spec: belongs_to_writers(samples, spec))
    pick("author_article_count", article_count_candidates,
         lambda v: article_count_in(v) is not None)
    author = chosen.get("author", (None, 0.0))[0]
    author = author if isinstance(author, str) else None
    pick("author_url", lambda s: _author_url(s, author), any_text)
    pick("author_image", _author_image, any_text,
         sound=lambda spec: belongs_to_writers(samples, spec))
    pick("published", lambda s: published_candidates(s, now, tz),
         lambda v: parse_date_or_none(v, tz=tz, now=now) is not None, must_vary=True)
    pick("views", _views, lambda v: parse_count(v) is not None)
    pick("body", _body, lambda v: len(v) > 20)
    body = chosen.get("body", (None, 0.0))[0]
    remove = junk_inside(samples, body) if isinstance(body, str) else []
    return Inferred({k: v[0] for k, v in chosen.items()},
                    {k: v[1] for k, v in chosen.items()}, remove)
