"""The ``fields:`` of a discovered block: what the samples' structured data gives on
every page is left to it; the rest gets inferred selectors (``infer``), and samples that
those selectors do not read get a second field set (``templates:`` with ``match:``)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from ..dates import parse_date_or_none
from ..sources.extract import FieldSelectors, extract_column
from .dom import parse, text_of
from .infer import infer_fields, junk_in
from .sample import Sample, Spec, read_spec, spec_text, spec_value

# Draft attribute of each field in ``fields:`` (FieldSelectors → ColumnDraft).
DRAFT_FIELDS = {
    "title": "title", "author": "author_name", "author_credentials": "author_credentials",
    "author_article_count": "author_article_count", "author_url": "author_url",
    "author_image": "author_image_url", "published": "published_text",
    "views": "views_text", "body": "body_html", "image": "image_url",
}


_CUT = re.compile(r"\s*(?:\.\.\.|…)\s*$")


def _trusted(name: str, value: str | None, sample: Sample) -> bool:
    """Whether the structured data's value can stand for the field on this page: not a
    headline cut short ("…") where the page's h1 has it whole, not an author "URL"
    that is only an ``@id`` (``https://x/#writer``: no page to read), not a body with
    an ad inside (then a ``body:`` selector and its ``remove:`` are inferred)."""
    if not value:
        return False
    if name == "title" and _CUT.search(value):
        stem = _CUT.sub("", value)
        return not any(text_of(h).startswith(stem) and len(text_of(h)) > len(stem)
                       for h in sample.tree.css("h1"))
    if name == "author_url":
        return not urlsplit(value).fragment
    if name == "body":  # an ad slot inside `itemprop="articleBody"` («إشهار», `.pub-article`)
        root = parse(f"<div>{value}</div>").body
        return root is None or next(junk_in(root, empty_paragraphs=False), None) is None
    return True


def infer_block_fields(samples: list[Sample], *, now: datetime,
                       tz: str) -> tuple[dict[str, Any], dict[str, str]]:
    """``fields:`` for what the samples' structured data does not give on every page."""
    if not samples:
        return {}, {}
    drafts = [extract_column(s.tree, url=s.url, final_url=s.url, source="discover",
                             fields=FieldSelectors(), language="ar", html=s.html)
              for s in samples]
    origins: dict[str, str] = {}
    need = set()
    for name, attr in DRAFT_FIELDS.items():
        if all(_trusted(name, getattr(d, attr), s) for d, s in zip(drafts, samples,
                                                                  strict=True)):
            origins[name] = "structured data (JSON-LD / microdata / OpenGraph)"
        else:
            need.add(name)
    need.discard("image")  # optional, and a guessed picture is worse than none
    inferred = infer_fields(samples, need=need, now=now, tz=tz)
    fields: dict[str, Any] = {name: spec_value(spec) for name, spec in inferred.selectors.items()}
    for name, spec in inferred.selectors.items():
        origins[name] = (f"selector {spec_text(spec)} ({inferred.confidence[name]:.0%} of the "
                         "samples)")
    if inferred.remove:
        fields["remove"] = inferred.remove
    template = _other_template(samples, inferred.selectors, need=need, now=now, tz=tz)
    if template:
        fields["templates"] = [template]
        origins["templates"] = (f"pages matching `{template['match']}` read with their own "
                                f"selectors: " + ", ".join(k for k in template if k != "match"))
    return fields, origins


_CORE = ("title", "published", "body")


def _reads(sample: Sample, selectors: dict[str, Spec], *, now: datetime, tz: str) -> bool:
    """Whether the core fields' selectors read on this sample."""
    for name in _CORE:
        spec = selectors.get(name)
        if spec is None:
            continue
        value = read_spec(sample, spec)
        if not value or (name == "published"
                         and parse_date_or_none(value, tz=tz, now=now) is None):
            return False
    return True


def _other_template(samples: list[Sample], selectors: dict[str, Spec], *, need: set[str],
                    now: datetime, tz: str) -> dict[str, Any] | None:
    """A second field set (``templates:`` with ``match:``) for the samples the first set
    does not read: a paper's legacy pages."""
    others = [s for s in samples if not _reads(s, selectors, now=now, tz=tz)]
    rest = [s for s in samples if s not in others]
    if not others or not rest:
        return None
    own = infer_fields(others, need=need, now=now, tz=tz)
    for name in (*_CORE, "author", "views"):
        spec = own.selectors.get(name)
        first = spec[0] if isinstance(spec, tuple) else spec
        css = first.partition("@")[0] if first else None
        if (css and all(s.tree.css_first(css) is not None for s in others)
                and all(s.tree.css_first(css) is None for s in rest)):
            changed: dict[str, Any] = {k: spec_value(v) for k, v in own.selectors.items()
                                       if selectors.get(k) != v}
            if own.remove:
                changed["remove"] = own.remove
            return {"match": css, **changed}
    return None
