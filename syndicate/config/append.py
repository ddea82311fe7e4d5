"""Appending a source block to schedules.yaml, keeping the file's comments and layout.

ruamel.yaml's round-trip mode: every existing comment, key order and quoting stays as
the operator wrote it; the new entry goes at the end of ``sources:`` (created when the
file has none yet) with a comment saying where it came from. The file is written only
when the result passes the same validation as ``schedules check`` (``for_running``:
secrets in use set in the environment too), save its "no jobs" finding: a file gets its
sources before its jobs. Otherwise the original stays and the problems are raised, each
marked when the file already had it before this source.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import ConfigError, ConfigProblem, InputFileError
from .checks import cross_reference_problems
from .load import parse

ALREADY = " (already in the file before this source)"
# What `schedules check` says of a file without jobs (worded once, in config/checks.py).
_NO_JOBS = frozenset(message for loc, message in cross_reference_problems({}, for_running=True)
                     if loc == ("jobs",))


def _check_problems(text: str, path: str) -> list[ConfigProblem]:
    """What `schedules check` would report for ``text``, but "no jobs"."""
    try:
        parse(text, path, for_running=True)
    except ConfigError as exc:
        return [p for p in exc.problems if p.message not in _NO_JOBS]
    return []


def check_as_schedules_check(new: str, original: str, path: str) -> None:
    """Raise ``ConfigError`` when `schedules check` would fail ``new`` (jobs aside); the
    problems ``original`` had already are marked so (the block did not cause them)."""
    problems = _check_problems(new, path)
    if not problems:
        return
    before = {p.message for p in _check_problems(original, path)} if original.strip() else set()
    raise ConfigError([ConfigProblem(p.path, p.line, p.column,
                                     p.message + (ALREADY if p.message in before else ""))
                       for p in problems])


def _commented(value: Any) -> Any:
    if isinstance(value, dict):
        mapped = CommentedMap()
        for key, inner in value.items():
            mapped[key] = _commented(inner)
        return mapped
    if isinstance(value, list):
        listed = CommentedSeq(_commented(v) for v in value)
        if all(isinstance(v, str) for v in value) and len(value) <= 4:
            listed.fa.set_flow_style()
        return listed
    return value


def appended_text(text: str, block: dict[str, Any], comment: str) -> str:
    """``text`` (schedules.yaml) with ``block`` appended to its ``sources:``."""
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text) if text.strip() else CommentedMap()
    if data is None:
        data = CommentedMap()
    sources = data.get("sources")
    if sources is None:
        sources = CommentedSeq()
        data["sources"] = sources
    names = {s.get("name") for s in sources if isinstance(s, dict)}
    if block.get("name") in names:
        raise ValueError(f"a source named {block['name']!r} is already in the file; "
                         "choose another with --name")
    entry = _commented(block)
    entry.yaml_set_start_comment(comment, indent=4)
    sources.append(entry)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def append_source(path: str | Path, block: dict[str, Any], comment: str) -> str:
    """Append ``block`` to the file's ``sources:`` if the result is valid; the new text."""
    file = Path(path)
    try:
        original = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputFileError(str(file), f"cannot read it ({exc.strerror or exc})") from exc
    try:
        new = appended_text(original, block, comment)
    except ValueError as exc:
        raise InputFileError(str(file), str(exc)) from exc
    # A block that `schedules check` would refuse is not written (ConfigError names
    # FILE:LINE:COL for each problem).
    check_as_schedules_check(new, original, str(file))
    handle, temp = tempfile.mkstemp(prefix=".discover-", suffix=".yaml",
                                    dir=file.resolve().parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(new)
        os.replace(temp, file)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputFileError(str(file), f"cannot write it ({exc.strerror or exc})") from exc
    return new


def block_text(block: dict[str, Any], comment: str) -> str:
    """The ``sources:`` entry as it would be written (for the preview)."""
    return appended_text("", block, comment)
