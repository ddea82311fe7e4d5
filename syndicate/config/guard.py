"""Limits a schedules.yaml must meet *before* it is built into objects.

A YAML file is a program for the loader: nine lines of ``&a [*a, *a, …]`` (an alias
bomb, 342 bytes) expand to hundreds of millions of values, and a list nested a
thousand deep overflows every recursive walker (ruamel's composer among them). So
the file is screened first, on ruamel's *event* stream, which is flat (no
recursion) and never expands an alias:

* the file's size (``MAX_FILE_BYTES``);
* characters YAML forbids in a file (NUL, ESC, other C0/C1 controls), at their
  real line and column (ruamel reports them at 1:1 with a character offset);
* nesting depth (``MAX_DEPTH``);
* the number of values once every alias is expanded (``MAX_VALUES``): each anchor's
  expanded size is known when its node closes, so an alias adds that size without
  copying anything;
* numbers with more digits than any setting needs (``MAX_NUMBER_DIGITS``): Python
  refuses to read an integer of over 4,300 digits, and none is meaningful here.

Each problem is a ``ConfigProblem`` at FILE:LINE:COL (1-based).
"""

from __future__ import annotations

import re
import unicodedata

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
    ScalarEvent,
)

from ..errors import ConfigProblem

MAX_FILE_BYTES = 1_000_000  # the sample file is 6 KB; a thousand sources fit well under this
MAX_DEPTH = 32  # the deepest real key (sources[].fields.remove[]) is 5 levels down
MAX_VALUES = 50_000  # after alias expansion; the sample file has about 200
MAX_NUMBER_DIGITS = 30
_MAX_REPORTED = 10  # control characters listed before "and N more"

# What the YAML spec (and ruamel's reader) refuses to read: C0 controls but tab, LF
# and CR; DEL; C1 controls but NEL; surrogates; U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NUMBER_LIKE = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+"
                          r"|[0-9][0-9_,.:]*(?:[eE][-+]?[0-9]+)?)")
_CONTROL_NAMES = {0x00: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x08: "BS", 0x07: "BEL", 0x0C: "FF"}


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _character_name(char: str) -> str:
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def too_big(path: str) -> ConfigProblem:
    return ConfigProblem(path, 1, 1, f"the file is over the {MAX_FILE_BYTES:,}-byte limit "
                         "for schedules.yaml")


def forbidden_characters(text: str, path: str) -> list[ConfigProblem]:
    found: list[ConfigProblem] = []
    matches = list(_FORBIDDEN.finditer(text))
    for match in matches[:_MAX_REPORTED]:
        line, column = _position(text, match.start())
        found.append(ConfigProblem(
            path, line, column,
            f"control character {_character_name(match.group())} is not allowed in YAML "
            "(write it as an escape such as \"\\e\" inside double quotes, or remove it)"))
    if len(matches) > _MAX_REPORTED:
        line, column = _position(text, matches[_MAX_REPORTED].start())
        found.append(ConfigProblem(path, line, column,
                                   f"and {len(matches) - _MAX_REPORTED} more control characters"))
    return found


def screen(text: str, path: str) -> list[ConfigProblem]:
    """The limits this text breaks (empty: safe to compose and construct).

    A YAML syntax error stops the screening quietly: the loader then reports it
    with its usual wording, and nothing before that point was over a limit.
    """
    if len(text) > MAX_FILE_BYTES:  # characters: never fewer than the bytes they came from
        return [too_big(path)]
    characters = forbidden_characters(text, path)
    if characters:
        return characters
    sizes: dict[str, int] = {}  # anchor → its node's size with aliases expanded
    open_nodes: list[tuple[str | None, int]] = []  # (anchor, size so far) per open collection
    expanded = 0
    try:
        for event in YAML(typ="rt").parse(text):
            if not isinstance(event, (NodeEvent, CollectionEndEvent)):
                continue
            line, column = event.start_mark.line + 1, event.start_mark.column + 1
            if isinstance(event, CollectionStartEvent):
                if len(open_nodes) >= MAX_DEPTH:
                    return [ConfigProblem(path, line, column,
                                          f"nested more than {MAX_DEPTH} levels deep")]
                open_nodes.append((event.anchor, 1))
                expanded += 1
                continue
            if isinstance(event, CollectionEndEvent):
                anchor, size = open_nodes.pop()
            elif isinstance(event, AliasEvent):
                anchor, size = None, sizes.get(str(event.anchor), 1)
                expanded += size
            else:
                assert isinstance(event, ScalarEvent)
                anchor, size = event.anchor, 1
                expanded += 1
                problem = _number_problem(event, path, line, column)
                if problem is not None:
                    return [problem]
            if expanded > MAX_VALUES:
                return [ConfigProblem(
                    path, line, column,
                    f"aliases expand this file to more than {MAX_VALUES:,} values "
                    "(a YAML alias bomb?); write the values out or use fewer aliases")]
            if anchor is not None:
                sizes[str(anchor)] = size
            if open_nodes:
                parent_anchor, parent_size = open_nodes[-1]
                open_nodes[-1] = (parent_anchor, parent_size + size)
    except YAMLError:
        return []
    return []


def _number_problem(event: ScalarEvent, path: str, line: int, column: int) -> ConfigProblem | None:
    value = str(event.value)
    if event.style is not None or len(value) <= MAX_NUMBER_DIGITS:
        return None  # quoted text, or short enough to be read
    if not _NUMBER_LIKE.fullmatch(value):
        return None
    body = value.lstrip("+-")
    body = body[2:] if body[:2].lower() in ("0x", "0o", "0b") else body
    digits = sum(char.isalnum() for char in body)
    return ConfigProblem(path, line, column,
                         f"a number of {digits:,} digits is out of range for any setting")
