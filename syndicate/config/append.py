"""Appending a source block to schedules.yaml, keeping the file's comments and layout.

ruamel.yaml's round-trip mode: every existing comment, key order and quoting stays as
the operator wrote it; the new entry goes at the end of ``sources:`` (created when the
file has none yet) with a comment saying where it came from. The file is written only
when the result still loads (``load.parse``); otherwise the original stays and the
problems are raised.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import InputFileError
from .load import parse


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
    # A block that would break the file is refused (ConfigError names FILE:LINE:COL);
    # what `schedules check` adds for running (jobs, secrets) is the CLI's report.
    parse(new, str(file))
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
