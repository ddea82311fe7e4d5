"""`mypy --strict` (tests: a relaxed override) and ruff stay clean on syndicate/ and tests/
(ARCHITECTURE.md, "Checks"); a regression fails CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600,
        check=False,
    )


def test_mypy_strict_is_clean() -> None:
    done = _run("mypy", "syndicate", "tests")
    assert done.returncode == 0, done.stdout[-4000:]


def test_ruff_is_clean() -> None:
    done = _run("ruff", "check", "syndicate", "tests")
    assert done.returncode == 0, done.stdout[-4000:]
