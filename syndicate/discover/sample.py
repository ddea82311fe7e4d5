"""A sample page for inference, the selector forms written, and the tests every field
finder shares (a short text; outside boilerplate and other columns' teaser boxes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import SyndicateError
from ..sources.http import Fetcher
from ..sources.page_values import looks_truncated
from ..text.folding import fold_letters
from .dom import Node, Tree, ancestors, first_text, in_boilerplate, parse, text_of

# «إشهار»: the Maghreb word for an advertisement (Algeria, Morocco, Tunisia).
JUNK_TEXT = ("مساحة إعلانية", "اقرأ المزيد", "اقرأ أيضا", "اقرأ أيضًا", "إعلان", "إشهار")
# Spellings vary: «إقرأ أيضاً», «اقرأ ايضا»: hamza seats and short vowels are compared away.
_JUNK_FOLDED = tuple(fold_letters(w) for w in JUNK_TEXT)


def junk_words_in(text: str, words: slice = slice(None)) -> bool:
    """Whether ``text`` says «اقرأ أيضا», «إعلان»… in any common spelling."""
    folded = fold_letters(text)
    return any(w in folded for w in _JUNK_FOLDED[words])
_MAX_SHORT = 80


# A selector (``sel`` or ``sel@attr``), or several whose values are joined in order:
# written as the YAML list form (``published: [.pub-date, .pub-time]``).
Spec = str | tuple[str, ...]


def spec_value(spec: Spec) -> str | list[str]:
    """As written in ``fields:``."""
    return list(spec) if isinstance(spec, tuple) else spec


def spec_text(spec: Spec) -> str:
    """For the preview: `a` or `a` + `b`."""
    return " + ".join(f"`{s}`" for s in (spec if isinstance(spec, tuple) else (spec,)))


@dataclass(frozen=True)
class Sample:
    url: str
    tree: Tree
    html: str


def short_text(node: Node, limit: int = _MAX_SHORT) -> str | None:
    text = text_of(node)
    return text if 0 < len(text) <= limit else None


def _read_more_box(node: Node) -> bool:
    """Inside a box headed "اقرأ المزيد" / "اقرأ أيضا" (other columns' teasers)."""
    for depth, up in enumerate(ancestors(node)):
        if depth > 4 or up.css_first("h1") is not None:
            return False  # reached the column's own container
        heading = up.css_first("h2, h3, h4, .title, strong")
        if heading is not None and junk_words_in(text_of(heading), slice(1, 4)):
            return True
    return False


def outside(node: Node) -> bool:
    return not in_boilerplate(node) and not _read_more_box(node)


def read_spec(sample: Sample, spec: Spec) -> str | None:
    if isinstance(spec, tuple):  # joined in order, as the extractor joins a list
        parts = [read_spec(sample, part) for part in spec]
        return " ".join(p for p in parts if p) if all(parts) else None
    css, _, attr = spec.partition("@")
    return first_text(sample.tree, css, attr or None)


def fetch_samples(fetcher: Fetcher, urls: Iterable[str], log: list[str], *,
                  what: str) -> list[Sample]:
    """The pages at ``urls`` that read, parsed; one that fails or arrives cut short is
    named in ``log`` (as ``what``) and left out."""
    samples = []
    for target, result in fetcher.fetch_many(list(urls)):
        if isinstance(result, SyndicateError):
            log.append(f"{what} not read: {result}")
        elif looks_truncated(result.text):
            log.append(f"{what} {target}: truncated HTML, left out")
        else:
            samples.append(Sample(result.final_url, parse(result.text), result.text))
    return samples
