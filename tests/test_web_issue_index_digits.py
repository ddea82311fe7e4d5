"""The issue index numbers its entries once, in the newsletter's digits.

Found by the issue-13 acceptance audit (screenshots of /issues/<id>/): an ``<ol>``
printed browser list markers "3." "2." "1." in Latin digits before "العدد ٣", "العدد ٢":
every number twice, in two digit systems on one line.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from syndicate.bundled import bundled_templates_dir
from syndicate.core.issues import IssueEntry
from syndicate.page_templates import render_searched
from syndicate.render.bidi import bdi_html
from syndicate.render.digest_segment import safe_url


def _bdi(value: object) -> Markup:
    return Markup(bdi_html(str(value)))


def test_entries_carry_no_second_latin_number() -> None:
    entries = [IssueEntry(n, "٣٢١"[3 - n], f"التاريخ {n}", f"العنوان {n}", 2) for n in (3, 2, 1)]
    page = render_searched((str(bundled_templates_dir()),), "issue_index.html.j2",
                           {"bdi": _bdi, "safe_url": safe_url}, site_title="الشرق",
                           newsletter_id="daily", newsletter_title="نشرة", entries=entries)
    assert "<ol" not in page  # no browser-drawn markers: each entry says its number
    listed = re.findall(r'<li><a href="/issues/daily/(\d)">العدد (.)</a>', page)
    assert listed == [("3", "٣"), ("2", "٢"), ("1", "١")]
    assert re.search(r"\.issues\s*\{[^}]*list-style:\s*none", page)
