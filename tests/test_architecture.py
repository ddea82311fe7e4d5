"""The layering contract of ARCHITECTURE.md (`.importlinter`) holds, and it can fail.

import-linter reads every import (module level, inside functions, under TYPE_CHECKING),
so a new arrow between floors, a stage importing another stage, an entry point reaching
past core, or a library imported outside its one module breaks the suite.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
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


def _inner_imports_without_a_reason() -> list[str]:
    """Imports inside functions with no comment on their line or just above them."""
    found = []
    for path in sorted((REPO / "syndicate").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    above = lines[max(0, inner.lineno - 4):inner.lineno]
                    if not any("#" in line for line in above):
                        found.append(f"{path.relative_to(REPO)}:{inner.lineno}")
    return found


def test_imports_inside_functions_say_why() -> None:
    # An import in a function hides an arrow from a reader: only with a written reason
    # (start-up time, an optional library), in a comment on or just above it.
    assert _inner_imports_without_a_reason() == []


def test_every_room_is_on_a_floor() -> None:
    # A module left out of the layers would be checked by no floor rule at all.
    config = configparser.ConfigParser()
    config.read(REPO / ".importlinter", encoding="utf-8")
    floors = config["importlinter:contract:floors"]["layers"]
    named = {name.strip() for line in floors.split("\n") for name in re.split(r"[|:]", line)}
    rooms = {path.stem for path in (REPO / "syndicate").iterdir()
             if (path.suffix == ".py" and path.stem != "__init__")
             or (path / "__init__.py").is_file()}
    assert rooms - named == set()
