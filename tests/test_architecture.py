"""The layering contract of ARCHITECTURE.md (`.importlinter`) holds, and it can fail.

import-linter reads every import (module level, inside functions, under TYPE_CHECKING),
so a new arrow between floors, a stage importing another stage, an entry point reaching
past core, or a library imported outside its one module breaks the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(package_parent: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first: import-linter finds the package by importing it.
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(REPO / ".importlinter")],
        cwd=package_parent, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_the_import_contract_is_kept() -> None:
    done = _lint(REPO)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    copy = tmp_path / "syndicate"
    shutil.copytree(REPO / "syndicate", copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return tmp_path


def test_a_stage_importing_another_stage_breaks_the_contract(tmp_path: Path) -> None:
    done = _lint(_copy_with(tmp_path, "render/bidi.py", "from ..store import Store"))
    assert done.returncode != 0
    assert "syndicate.render.bidi -> syndicate.store" in done.stdout


def test_an_entry_point_reaching_past_core_breaks_the_contract(tmp_path: Path) -> None:
    done = _lint(_copy_with(tmp_path, "cli/feeds.py", "from ..render import feeds as _feeds"))
    assert done.returncode != 0
    assert "syndicate.cli.feeds -> syndicate.render" in done.stdout


def test_a_library_outside_its_module_breaks_the_contract(tmp_path: Path) -> None:
    done = _lint(_copy_with(tmp_path, "core/feeds.py", "import httpx"))
    assert done.returncode != 0
    assert "syndicate.core.feeds -> httpx" in done.stdout
