"""``author_page:`` for a discovered block: the author's own page, when the column pages
link to it but lack the credentials, article count or photo it carries.

A few of the linked pages (``MAX_AUTHOR_PAGES``) are read through the same fetcher; a
field their ``Person`` / ``ProfilePage`` structured data gives on every page needs no
selector (``author_page: {}`` reads it), the others get selectors inferred as for column
pages (by class, voted across the pages), and every selector is run back through the
collectors' own reader (``sources.author_pages.read_author_page``) before it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..sources.author_pages import AuthorInfo, read_author_page
from ..sources.extract import AuthorPageSelectors, FieldSelectors, extract_column
from ..sources.http import Fetcher
from ..text.numbers import article_count_in
from .dom import Node, classes, elements, in_boilerplate, selector_for, text_of
from .infer import article_count_candidates, choose
from .sample import Sample, Spec, fetch_samples

MAX_AUTHOR_PAGES = 3
# Column field → (author_page: key, AuthorInfo attribute).
FILLS = {"author_credentials": ("credentials", "credentials"),
         "author_article_count": ("article_count", "article_count"),
         "author_image": ("photo", "photo_url")}
_ROLE = re.compile(r"job|title|role|position|cred|tagline|subtitle|fonction|occupation|"
                   r"وظيفة|المسمى", re.IGNORECASE)
_BIO = re.compile(r"bio|about|desc|summary|intro|نبذة", re.IGNORECASE)
_MIN_BIO = 60
_NOT_CREDENTIALS = ("h1", "h2", "h3", "h4", "h5", "a")  # a heading names, it does not describe
_PHOTO = re.compile(r"author|writer|profile|photo|avatar|portrait|kateb|katib|auteur|كاتب",
                    re.IGNORECASE)


@dataclass(frozen=True)
class AuthorPageFound:
    selectors: dict[str, str]  # the `author_page:` block ({} = its structured data)
    fills: tuple[str, ...]  # column fields it gives
    pages: tuple[str, ...]  # the author pages read


def author_urls(samples: list[Sample], author_url: Spec | None) -> list[str]:
    """Each sample's author page, as the collector will read it (selector, else the
    page's structured data), first seen first."""
    spec = author_url if isinstance(author_url, str) else None
    found: dict[str, None] = {}
    for sample in samples:
        draft = extract_column(sample.tree, url=sample.url, final_url=sample.url,
                               source="discover", fields=FieldSelectors(author_url=spec),
                               language="ar", html=sample.html)
        url = draft.author_url
        if url and urlsplit(url).scheme in ("http", "https"):
            found.setdefault(url, None)
    return list(found)


def _name_of(sample: Sample) -> str:
    heading = sample.tree.css_first("h1")
    return text_of(heading) if heading is not None else ""


def _linked_title(node: Node, text: str) -> bool:
    """The text is a link's (``<h3 class="card-title"><a href=…>``): a listed column's
    title on the author's page, not the writer's job."""
    return any(text_of(link) == text for link in node.css("a[href]"))


def _credentials(sample: Sample) -> list[Spec]:
    name = _name_of(sample)
    found: list[Spec] = []
    for node in elements(sample.tree):
        text = text_of(node)
        if (node.tag not in _NOT_CREDENTIALS and 3 <= len(text) <= 160 and text != name
                and not _linked_title(node, text)
                and _ROLE.search(" ".join(classes(node))) and not in_boilerplate(node)
                and article_count_in(text) is None):
            found.append(selector_for(node))
    return found


def _photo(sample: Sample) -> list[Spec]:
    found: list[tuple[int, Spec]] = []
    name = _name_of(sample)
    for image in elements(sample.tree, "img"):
        if in_boilerplate(image):
            continue
        attr = "data-src" if image.attributes.get("data-src") else "src"
        if not image.attributes.get(attr):
            continue
        around = classes(image.parent) if image.parent is not None else []
        marks = " ".join([*classes(image), image.attributes.get("alt") or "", *around])
        named = bool(name) and (image.attributes.get("alt") or "").strip() == name
        if named or _PHOTO.search(marks):
            found.append((0 if named else 1, f"{selector_for(image)}@{attr}"))
    found.sort(key=lambda item: item[0])
    return [spec for _rank, spec in found]


def _bio(sample: Sample) -> list[Spec]:
    name = _name_of(sample)
    return [selector_for(node) for node in elements(sample.tree)
            if _BIO.search(" ".join(classes(node))) and not in_boilerplate(node)
            and _MIN_BIO <= len(text_of(node)) <= 2000 and text_of(node) != name
            and node.css_first("h1") is None]


_FINDERS: dict[str, tuple[Callable[[Sample], Sequence[Spec]], Callable[[str], bool]]] = {
    "credentials": (_credentials, lambda v: bool(v.strip())),
    "article_count": (article_count_candidates, lambda v: article_count_in(v) is not None),
    "photo": (_photo, lambda v: bool(v.strip())),
    "bio": (_bio, lambda v: len(v) >= _MIN_BIO),
}


def infer_author_page(fetcher: Fetcher, urls: list[str], missing: set[str],
                      log: list[str]) -> AuthorPageFound | None:
    """``author_page:`` giving what the column pages lack (``missing``: column field
    names), read from up to ``MAX_AUTHOR_PAGES`` of ``urls``; None when they add nothing."""
    wanted = {field: FILLS[field] for field in FILLS if field in missing}
    if not wanted or not urls:
        return None
    pages = fetch_samples(fetcher, urls[:MAX_AUTHOR_PAGES], log, what="author page")
    if not pages:
        return None

    def infos(selectors: dict[str, str]) -> list[AuthorInfo]:
        chosen = AuthorPageSelectors.model_validate(selectors)
        return [read_author_page(p.html, url=p.url, final_url=p.url, selectors=chosen)
                for p in pages]

    structured = infos({})
    selectors: dict[str, str] = {}

    def given(key: str, attr: str) -> bool:
        """Whether the pages give ``attr``: by their Person data, else by a selector
        inferred, run back and kept in ``selectors``."""
        if all(getattr(info, attr) for info in structured):
            return True  # no selector needed: `author_page:` reads the structured data
        finder, valid = _FINDERS[key]
        picked = choose(pages, finder, valid)
        if picked is None or not isinstance(picked[0], str):
            return False
        read = infos({**selectors, key: picked[0]})
        if sum(1 for info in read if getattr(info, attr)) * 2 < len(pages):
            return False
        selectors[key] = picked[0]
        return True

    fills = [field for field, (key, attr) in wanted.items() if given(key, attr)]
    if not fills:
        log.append(f"author pages ({len(pages)} read) add none of: {', '.join(wanted)}")
        return None
    given("bio", "bio")  # read while there: the author feed's subtitle
    return AuthorPageFound(selectors, tuple(fills), tuple(p.url for p in pages))
