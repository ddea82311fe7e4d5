"""Read schedules.yaml into a validated ``Config``, or fail with every problem at once.

Each problem names ``FILE:LINE:COL`` (1-based) and the dotted path of the key, so an
operator can jump straight to it. The YAML is read with ruamel.yaml because it keeps
the position of every key and value; pydantic validates; cross-references (a job
naming an unknown newsletter…) are checked last.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from ..bundled import bundled_templates_dir
from ..errors import ConfigError, ConfigProblem, RenderError
from ..triggers import shown
from . import feeds, guard, jobs, newsletters, sources
from .checks import cross_reference_problems
from .model import Config, SiteSettings

Loc = tuple[str | int, ...]


class _Constructor(RoundTripConstructor):
    """Dates stay text: ruamel would raise a bare ValueError, without a position, for
    `from: 2026-02-30`; pydantic parses the text and reports it at its line."""


_Constructor.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda constructor, node: str(constructor.construct_scalar(node)),
)


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


class Positions:
    """Finds the line and column of a dotted path inside the parsed YAML."""

    def __init__(self, root: Any) -> None:
        self._root = root

    def of(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        node: Any = self._root
        line, col = 0, 0
        for depth, part in enumerate(loc):
            last = depth == len(loc) - 1
            if isinstance(node, CommentedMap) and part in node:
                line, col = node.lc.key(part) if (key and last) else node.lc.value(part)
                if not (key and last) and not isinstance(node[part], (CommentedMap, CommentedSeq)):
                    line, col = node.lc.value(part)
                elif not (key and last):
                    line, col = node.lc.key(part)
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line, col = node.lc.item(part)
                node = node[part]
            else:
                if hasattr(node, "lc") and depth == 0:
                    line, col = 0, 0
                break
        return line + 1, col + 1


    def inside(self, loc: Loc, error: object) -> int:
        """Columns from the start of a value to the fault inside it (e.g. one cron field)."""
        offset = getattr(error, "offset", None)
        if not isinstance(offset, int):
            return 0
        node: Any = self._root
        for part in loc:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return 0
        quoted = isinstance(node, (SingleQuotedScalarString, DoubleQuotedScalarString))
        return offset + (1 if quoted else 0)


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _known_keys(model: Any) -> list[str]:
    fields = getattr(model, "model_fields", {})
    return [field.alias or name for name, field in fields.items() if name != "source_path"]


def _input(error: dict[str, Any]) -> str:
    """The offending value for a message: quoted text, cut when long (never a 5,000-digit repr)."""
    value = error.get("input")
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return "a number of more than 30 digits"
    text = repr(value)
    return text if len(text) <= 80 else text[:80] + "…"


def _message(error: dict[str, Any], loc: Loc) -> str:
    kind = error["type"]
    where = _dotted(loc)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        hint = _suggest(name, error.get("ctx", {}).get("known", []))
        return f"unknown key {where!r}{hint}"
    if kind == "missing":
        return f"{where!r} is required"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        # pydantic's wording names its internals ("Input tag ... found using ...").
        ctx = error.get("ctx", {})
        expected = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",") if t.strip()]
        choices = ", ".join(expected or sources.source_kinds())
        if kind == "union_tag_not_found":
            return f"'{where}.kind' is required: one of {choices}"
        tag = str(ctx.get("tag", ""))
        hint = _suggest(tag, expected) or f" (use one of {choices})"
        return f"{where}.kind: unknown source kind {tag!r}{hint}"
    if kind == "list_type" and isinstance(error.get("input"), (str, int, float)):
        # the usual slip: `sections: new` for `sections: [new]`
        example = _input(error).strip("'")
        return f"{where}: expected a list, e.g. [{example}]"
    if kind == "string_pattern_mismatch":
        return (
            f"{where}: {_input(error)} must be lower-case letters, digits, '-' or '_'"
            " (e.g. 'morning-digest')"
        )
    if kind == "bool_parsing":
        return f"{where}: {_input(error)} is not true or false"
    if kind.startswith(("date_from_datetime", "date_parsing")):
        return (f"{where}: {_input(error)} is not a valid date: write YYYY-MM-DD, "
                "e.g. 2027-02-08")
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _strip_union_tags(loc: tuple[Any, ...], data: Any) -> Loc:
    """Pydantic puts the discriminator value (e.g. 'html') into the loc; drop it."""
    clean: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and part < len(node):
            clean.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and clean[-1:] != [part]:
            # a tag such as 'html' or 'function-after[...]', or a key that is missing
            if part.isidentifier() and node.get("kind") != part and "[" not in part:
                clean.append(part)
                node = None
        else:
            continue
    return tuple(clean)


def _model_at(loc: Loc, data: Any) -> Any:
    """The pydantic model class that validates the mapping at ``loc`` (for hints)."""
    sections: dict[str, Any] = {
        "site": SiteSettings,
        "http": sources.HttpSettings,
        "feeds": feeds.FeedsSettings,
        "delivery": newsletters.DeliverySettings,
        "newsletters": newsletters.Newsletter,
        "jobs": jobs.Job,
    }
    if len(loc) <= 1:
        return Config
    head = loc[0]
    if head == "sources" and isinstance(loc[1], int):
        item = data.get("sources", [])[loc[1]] if isinstance(data.get("sources"), list) else {}
        model = sources.source_model(item.get("kind") if isinstance(item, dict) else None)
        if model is None:
            return sources.SourceSettings
        fields = model.model_fields.get("fields")
        if len(loc) > 3 and loc[2] == "fields" and fields is not None:
            return fields.annotation
        return model
    if head == "delivery" and len(loc) > 2 and loc[1] == "smtp":
        return newsletters.SmtpSettings
    return sections.get(str(head), Config)


def _yaml_problem(exc: MarkedYAMLError) -> str:
    """ruamel's wording, plus where the unfinished thing started and a hint for the usual slips."""
    problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
    if exc.context and exc.problem and exc.context_mark is not None:
        mark = exc.context_mark
        problem += f" ({exc.context} that starts at line {mark.line + 1}, column {mark.column + 1})"
    if "\\t" in problem or "'\t'" in problem:
        problem += " — indent with spaces, not tabs"
    elif "block" in problem or "mapping values are not allowed" in problem:
        problem += " — check the indentation of this line and the one above"
    return problem


def parse(text: str, path: str = "schedules.yaml", *, for_running: bool = False) -> Config:
    """Validate YAML text; raise ``ConfigError`` listing every problem.

    ``for_running``: also require at least one job, and the secrets in use (e.g. the
    SMTP password when the transport is smtp) set in the environment.
    """
    return parse_located(text, path, for_running=for_running)[0]


def parse_located(text: str, path: str = "schedules.yaml", *,
                  for_running: bool = False) -> tuple[Config, Positions]:
    """``parse``, and where each key is (for warnings about a valid file)."""
    over_limits = guard.screen(text, path)
    if over_limits:
        raise ConfigError(over_limits)
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.preserve_quotes = True  # to point inside a quoted cron at the faulty field
    try:
        root = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = _yaml_problem(exc)
        raise ConfigError([ConfigProblem(path, line, col, f"YAML syntax: {problem}")]) from exc
    except YAMLError as exc:
        raise ConfigError([ConfigProblem(path, 1, 1, f"YAML syntax: {exc}")]) from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # A value ruamel cannot build (the screening above should leave none): still
        # one clear line rather than a traceback.
        raise ConfigError([ConfigProblem(path, 1, 1, f"YAML value cannot be read: {exc}")]) from exc
    if root is None:
        root = CommentedMap()
    if not isinstance(root, CommentedMap):
        raise ConfigError([ConfigProblem(path, 1, 1, "the file must be a mapping of settings")])
    data = _plain(root)
    positions = Positions(root)
    problems: list[ConfigProblem] = []
    config: Config | None = None
    try:
        config = Config.model_validate({**data, "source_path": path})
    except ValidationError as exc:
        for error in exc.errors():
            loc = _strip_union_tags(tuple(error["loc"]), data)
            if error["type"] == "extra_forbidden":
                error = {**error, "ctx": {"known": _known_keys(_model_at(loc, data))}}
            if error["type"] == "union_tag_invalid":
                # point at the misspelt value, not at the start of the item
                line, col = positions.of((*loc, "kind"))
                problems.append(ConfigProblem(path, line, col, _message(dict(error), loc)))
                continue
            line, col = positions.of(loc, key=error["type"] == "extra_forbidden")
            col += positions.inside(loc, error.get("ctx", {}).get("error"))
            problems.append(ConfigProblem(path, line, col, _message(dict(error), loc)))
    if "source_path" in data:
        line, col = positions.of(("source_path",), key=True)
        problems.append(ConfigProblem(path, line, col, "unknown key 'source_path'"))
    # Cross-references read the raw data, so they are reported even when pydantic failed.
    for loc, message in cross_reference_problems(data, for_running=for_running):
        line, col = positions.of(loc)
        problems.append(ConfigProblem(path, line, col, message))
    if config is not None:
        for loc, message in [*_template_problems(config), *_source_file_problems(config)]:
            line, col = positions.of(loc)
            problems.append(ConfigProblem(path, line, col, message))
    if problems:
        unique = sorted(set(problems), key=lambda p: (p.line, p.column, p.message))
        raise ConfigError(unique)
    assert config is not None
    return config, positions


def _source_file_problems(config: Config) -> list[tuple[Loc, str]]:
    """A source address without a scheme is a file beside schedules.yaml: it must exist
    (and "al-sharq.com/opinion" is far more often a web address missing its https://)."""
    found: list[tuple[Loc, str]] = []
    for index, source in enumerate(config.sources):
        refs = [(("sources", index, *keys), ref) for keys, ref in source.addresses()]
        for loc, ref in refs:
            if "://" in ref or config.path(ref).exists():
                continue
            first = ref.split("/", 1)[0]
            hint = (f"; a web address needs its scheme: https://{ref}"
                    if "." in first.strip(".") and "/" in ref else "")
            found.append((loc, f"{_dotted(loc)}: no file {ref!r} beside this file{hint}"))
    return found


def _template_problems(config: Config) -> list[tuple[Loc, str]]:
    """A misspelt ``template`` or ``templates_dir`` would only fail when the digest is sent."""
    found: list[tuple[Loc, str]] = []
    dirs: list[Path] = []
    if config.templates_dir:
        folder = config.path(config.templates_dir)
        if folder.is_dir():
            dirs.append(folder)
        else:
            beside = "" if Path(config.templates_dir).is_absolute() else " beside this file"
            found.append((("templates_dir",),
                          f"templates_dir: no folder {config.templates_dir!r}{beside}"))
    try:
        dirs.append(bundled_templates_dir())
    except RenderError:
        return found  # a broken install; `syndicate digest` says so
    known = sorted({p.name for folder in dirs for p in folder.glob("*.mjml.j2")})
    for index, newsletter in enumerate(config.newsletters):
        if not any((folder / newsletter.template).is_file() for folder in dirs):
            hint = _suggest(newsletter.template, known) or f" (known: {', '.join(known)})"
            found.append((("newsletters", index, "template"),
                          f"newsletters[{index}].template: no template {newsletter.template!r}{hint}"))
    return found


def _not_utf8(file: Path, exc: UnicodeDecodeError) -> ConfigProblem:
    """Point at the first byte that is not UTF-8 (often a file saved as Windows-1256)."""
    data = exc.object if isinstance(exc.object, bytes) else b""
    before = data[:exc.start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
    return ConfigProblem(str(file), line, column,
                         f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read "
                         "(save the file as UTF-8)" if data else f"not UTF-8 text: {exc}")


def load(path: str | Path = "schedules.yaml", *, for_running: bool = False) -> Config:
    """Read and validate a configuration file."""
    return load_located(path, for_running=for_running)[0]


def load_located(path: str | Path = "schedules.yaml", *,
                 for_running: bool = False) -> tuple[Config, Positions]:
    """``load``, and where each key is in the file."""
    file = Path(path)
    try:
        with file.open("rb") as handle:
            data = handle.read(guard.MAX_FILE_BYTES + 1)  # never more: the file may be huge
    except FileNotFoundError as exc:
        raise ConfigError([ConfigProblem(str(file), 1, 1, "file not found")]) from exc
    except OSError as exc:  # a folder, no permission
        raise ConfigError([ConfigProblem(str(file), 1, 1,
                                         f"cannot read the file: {exc.strerror or exc}")]) from exc
    return _parse_bytes(data, file, for_running=for_running)


def parse_bytes(data: bytes, file: Path, *, for_running: bool = False) -> Config:
    """Validate a configuration file's bytes (the scheduler's hot reload reads them itself)."""
    return _parse_bytes(data, file, for_running=for_running)[0]


def _parse_bytes(data: bytes, file: Path, *, for_running: bool) -> tuple[Config, Positions]:
    if len(data) > guard.MAX_FILE_BYTES:
        raise ConfigError([guard.too_big(str(file))])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([_not_utf8(file, exc)]) from exc
    return parse_located(text, str(file), for_running=for_running)
