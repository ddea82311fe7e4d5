"""One module per third-party library, and sources never touch the store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "syndicate"


def importers(library: str) -> list[str]:
    pattern = re.compile(rf"^\s*(?:import|from)\s+{library}\b", re.MULTILINE)
    return sorted(str(path.relative_to(ROOT)) for path in ROOT.rglob("*.py")
                  if pattern.search(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(("library", "home"), [
    ("httpx", "sources/http.py"),
    ("selectolax", "sources/extract.py"),
    ("feedparser", "sources/feed.py"),
    ("charset_normalizer", "sources/encoding.py"),
    ("extruct", "sources/structured.py"),
])
def test_library_lives_in_one_module(library: str, home: str) -> None:
    assert importers(library) == [home]


def test_sources_do_not_import_the_store() -> None:
    pattern = re.compile(r"^\s*(?:import|from)\s+(?:syndicate\.store|\.\.store)\b", re.MULTILINE)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "sources").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
