"""The README documents every command and every top-level setting (fails when one is added
without documentation), and states exactly the two set-up commands CI runs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from syndicate.cli.main import build_parser
from syndicate.config.model import Config

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
CI = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def test_every_command_is_in_the_readme() -> None:
    missing = [name for name in _commands() if f"`syndicate {name}" not in README]
    assert not missing, f"commands not documented in README.md: {missing}"


def test_every_top_level_setting_is_in_the_readme() -> None:
    keys = [name for name, field in Config.model_fields.items() if not field.exclude]
    missing = [key for key in keys if f"| `{key}` |" not in README]
    assert not missing, f"settings not documented in README.md: {missing}"


def test_ci_runs_the_readme_test_command() -> None:
    blocks = re.findall(r"```sh\n(.+?)\n```", README, flags=re.DOTALL)
    assert len(blocks) == 2, "README states exactly two set-up commands"
    run_default, run_tests = blocks
    assert "syndicate run --once" in run_default
    assert "pytest" in run_tests
    assert run_tests.strip() in CI
