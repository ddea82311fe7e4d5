"""mjml and premailer stay in render/digest.py; the digest renderer needs no store or transport."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "syndicate"
_FOREIGN = re.compile(r"^\s*(?:import|from)\s+(mjml|premailer|cssutils)\b", re.MULTILINE)
_INWARD = re.compile(
    r"^\s*from\s+(?:\.\.|syndicate\.)(store|deliver|sources|core|web|cli)\b", re.MULTILINE
)
RENDER_MODULES = ("digest.py", "digest_model.py", "bidi.py", "plaintext.py")


def test_mjml_and_premailer_only_in_render_digest() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).as_posix() != "render/digest.py"
        and _FOREIGN.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert _FOREIGN.search((ROOT / "render" / "digest.py").read_text(encoding="utf-8"))


def test_digest_rendering_does_not_reach_into_other_layers() -> None:
    for name in RENDER_MODULES:
        source = (ROOT / "render" / name).read_text(encoding="utf-8")
        assert not _INWARD.search(source), name
