"""Where a column page says when it was published: candidates for ``published:``.

An ISO attribute first, then a text with a time of day (in one element, or a date and a
time in two: the list form ``[date, time]``), then a date alone; nearer the h1 first.
An update's date ("آخر تحديث", a class with ``update``) is never the publication's.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..dates import parse_date_or_none
from .dom import Node, ancestors, classes, document_order, elements, selector_for, text_of
from .sample import Sample, Spec, outside, short_text

_DATE_CLASS = re.compile(r"date|time|publish|posted|تاريخ", re.IGNORECASE)
_CLOCK = re.compile(r"[\d٠-٩]{1,2}\s*:\s*[\d٠-٩]{2}")
_CLOCK_ONLY = re.compile(r"^(?:الساعة\s*)?[\d٠-٩]{1,2}\s*:\s*[\d٠-٩]{2}(?:\s*:\s*[\d٠-٩]{2})?"
                         r"\s*(?:ص|م|صباحا|صباحًا|مساء|مساءً|مساءا|am|pm|AM|PM)?$")
# An update's date is not the publication's ("آخر تحديث", class="last-update").
_UPDATED = re.compile(r"update|modif|edited|تحديث|تعديل", re.IGNORECASE)
# A Hijri date beside the Gregorian one: the Gregorian is read first (no moon sighting).
_HIJRI = re.compile(r"محرم|صفر|ربيع|جماد|رجب|شعبان|رمضان|شوال|ذو القعدة|ذو الحجة|هـ")


def _clock_beside(node: Node) -> Node | None:
    """An element beside ``node`` (same parent, or one level up) holding only a time
    of day: the other half of a date written in two elements."""
    for up in list(ancestors(node))[:2]:
        for other in up.css("*"):
            if other.mem_id != node.mem_id and _CLOCK_ONLY.match(text_of(other)) and not any(
                    c.mem_id != other.mem_id and _CLOCK_ONLY.match(text_of(c))
                    for c in other.iter()):
                return other
    return None


def published_candidates(sample: Sample, now: datetime, tz: str) -> list[Spec]:
    """Date candidates, best first: an ISO attribute, then a text with a time of day
    (one element, or a date and a time in two: ``[date, time]``), then a date alone;
    nearer the h1 first."""
    order = document_order(sample.tree)
    heading = sample.tree.css_first("h1")
    anchor = order.get(heading.mem_id, 0) if heading is not None else 0
    scored: list[tuple[tuple[int, int, bool, int], Spec]] = []
    for node in elements(sample.tree):
        if not outside(node):
            continue
        distance = abs(order.get(node.mem_id, 0) - anchor)
        names = " ".join([*classes(node), node.attributes.get("itemprop") or ""])
        if _UPDATED.search(names) or _UPDATED.search(text_of(node)[:200]):
            continue
        for attr in ("datetime", "content", "data-date"):
            value = node.attributes.get(attr)
            if value and re.match(r"\d{4}-\d\d-\d\d", value):
                if parse_date_or_none(value, tz=tz, now=now) is not None:
                    scored.append(((0, 0, False, distance), f"{selector_for(node)}@{attr}"))
                break
        else:
            text = short_text(node, 60)
            marked = _DATE_CLASS.search(names) or node.tag == "time"
            if not text or not marked or parse_date_or_none(text, tz=tz, now=now) is None:
                continue
            hijri = bool(_HIJRI.search(text))
            if _CLOCK.search(text):
                scored.append(((1, 0, hijri, distance), selector_for(node)))
                continue
            scored.append(((1, 1, hijri, distance), selector_for(node)))
            clock = _clock_beside(node)
            if clock is not None and parse_date_or_none(f"{text} {text_of(clock)}", tz=tz,
                                                         now=now) is not None:
                scored.append(((1, 0, hijri, distance),
                               (selector_for(node), selector_for(clock))))
    scored.sort(key=lambda item: item[0])
    return [spec for _score, spec in scored]
