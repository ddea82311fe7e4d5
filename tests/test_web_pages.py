"""The web pages' templates (templates/web/): one RTL layout, and nothing unescaped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pytest

from syndicate.bundled import bundled_templates_dir
from syndicate.page_templates import render_page as render

HOSTILE = '"><script>alert(1)</script>'


@dataclass(frozen=True)
class _Newsletter:
    id: str
    title: str


PAGES: dict[str, dict[str, Any]] = {
    "subscribe.html.j2": {"newsletters": [_Newsletter("d", HOSTILE), _Newsletter("w", "أسبوعية")],
                          "error": HOSTILE, "email": HOSTILE},
    "check_mail.html.j2": {"email": HOSTILE},
    "confirm.html.j2": {"state": "ask", "action": HOSTILE, "newsletter_title": HOSTILE},
    "unsubscribe.html.j2": {"state": "done", "action": "", "newsletter_title": HOSTILE},
    "notice.html.j2": {"what": "invalid_link"},
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_is_arabic_rtl_and_escapes_what_it_is_given(name: str) -> None:
    page = render(name, site_title=HOSTILE, **PAGES[name])
    assert page.startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n'), page[:80]
    assert "<script>" not in page
    assert "&lt;script&gt;" in page or name == "notice.html.j2"


def test_every_page_template_extends_the_one_base_layout() -> None:
    folder = Path(bundled_templates_dir()) / "web"
    pages = [p for p in folder.glob("*.html.j2") if p.name not in ("base.html.j2",
                                                                   "macros.html.j2")]
    assert pages
    for page in pages:
        assert "{% extends " in page.read_text(encoding="utf-8"), page.name


def test_a_missing_value_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(jinja2.UndefinedError, match="email"):
        render("check_mail.html.j2", site_title="")
