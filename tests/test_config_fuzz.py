"""Mutation fuzz of schedules.yaml: 0 tracebacks, 0 hangs, every message at FILE:LINE:COL.

Deterministic (seeded) mutations of the shipped schedules.yaml: byte flips, deletions,
type swaps, deep nesting, huge numbers, control characters, aliases and duplicated
lines. Each batch runs in a child process with a timeout, so a hang fails the test
instead of stalling the suite; inside it, every case goes through what
`schedules check` does (load for running, then the never-fires warnings).
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "schedules.yaml"
CASES = 360
BATCHES = 4
SEED = 16

_VALUE = re.compile(rb"(?m)^( *(?:- )?[a-z_]+:)[ ]+([^\n#]+)")
_SWAPS = [b"[1, 2]", b"{a: 1}", b"null", b"true", b"3.5", b"-7", b"''", b"[]", b"{}",
          b"!!binary aGVsbG8=", b"!!set {a, b}", b"!!omap [a: 1]", b"!custom x", b"~",
          b"2026-02-30", b"0x1F", b".inf", b".nan", b"'\\u0000'", b"\"\\e\""]
_HUGE = [b"9" * 25, b"9" * 400, b"9" * 4301, b"9" * 20000, b"1e999", b"-1e999",
         b"99999999999d", b"'" + b"9" * 5000 + b"d'", b"'" + b"A" * 5000 + b"'",
         b"0x" + b"f" * 5000, b"1_000_000_000_000_000_000_000_000_000_000"]


def mutate(data: bytes, rng: random.Random, kind: int) -> bytes:
    values = list(_VALUE.finditer(data))
    at = rng.randrange(len(data))
    if kind == 0:  # flip bits in a few bytes
        out = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return bytes(out)
    if kind == 1:  # delete a span
        return data[:at] + data[at + rng.randint(1, 80):]
    if kind == 2:  # swap a value for another type
        match = rng.choice(values)
        return data[:match.start(2)] + rng.choice(_SWAPS) + data[match.end(2):]
    if kind == 3:  # deep nesting in place of a value
        match = rng.choice(values)
        depth = rng.choice([5, 31, 33, 200, 1000, 5000])
        opener, closer = rng.choice([(b"[", b"]"), (b"{a: ", b"}")])
        return data[:match.start(2)] + opener * depth + b"1" + closer * depth + data[match.end(2):]
    if kind == 4:  # a huge number or text in place of a value
        match = rng.choice(values)
        return data[:match.start(2)] + rng.choice(_HUGE) + data[match.end(2):]
    if kind == 5:  # a control character somewhere
        return data[:at] + bytes([rng.choice([0, 7, 8, 0x1B, 0x7F, 0x0C])]) + data[at:]
    if kind == 6:  # aliases: a bomb appended, or an alias to an unknown anchor
        bomb = b"\nx: &x [1,1,1,1,1,1,1,1,1,1]\n" + b"".join(
            b"x%d: &x%d [%s]\n" % (i, i, b",".join([b"*x" if i == 0 else b"*x%d" % (i - 1)] * 10))
            for i in range(8))
        return data + bomb if rng.random() < 0.5 else data[:at] + b" *nowhere " + data[at:]
    if kind == 7:  # duplicate a line elsewhere (duplicate keys, bad indentation)
        lines = data.split(b"\n")
        line = rng.choice(lines)
        lines.insert(rng.randrange(len(lines)), line)
        return b"\n".join(lines)
    # random bytes inserted
    return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 6))) + data[at:]


def cases() -> list[bytes]:
    rng = random.Random(SEED)
    data = SAMPLE.read_bytes()
    found = []
    for index in range(CASES):
        mutated = data
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            mutated = mutate(mutated, rng, (index + rng.randrange(2)) % 9)
        found.append(mutated)
    return found


# Runs in the child: every case, as `schedules check` would; one JSON line per case.
_CHILD = r"""
import json, re, sys
from datetime import UTC, datetime
from pathlib import Path
from syndicate.config.load import _parse_bytes
from syndicate.errors import ConfigError
from syndicate.scheduler_triggers import never_firing

path = Path(sys.argv[1])
for line in sys.stdin:
    data = bytes.fromhex(line.strip())
    try:
        config, where = _parse_bytes(data, path, for_running=True)
        warnings = never_firing(config, datetime(2026, 12, 7, tzinfo=UTC))
        for loc, _ in warnings:
            where.of(loc)
        print(json.dumps({"ok": True, "warnings": len(warnings)}), flush=True)
    except ConfigError as exc:
        print(json.dumps({"ok": False, "problems": [str(p) for p in exc.problems]}), flush=True)
    except BaseException as exc:
        import traceback
        print(json.dumps({"traceback": traceback.format_exc()}), flush=True)
"""


def test_mutated_schedules_never_crash_or_hang() -> None:
    all_cases = cases()
    assert len(all_cases) >= 300
    assert len(set(all_cases)) > 300  # the mutations really differ
    size = -(-len(all_cases) // BATCHES)
    results: list[dict[str, object]] = []
    for start in range(0, len(all_cases), size):
        batch = all_cases[start:start + size]
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(SAMPLE)],
            input="".join(case.hex() + "\n" for case in batch),
            capture_output=True, text=True, timeout=240, check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        lines = done.stdout.splitlines()
        assert len(lines) == len(batch), done.stderr[-3000:]
        results.extend(json.loads(line) for line in lines)
    tracebacks = [r["traceback"] for r in results if "traceback" in r]
    assert tracebacks == []
    located = re.compile(rf"^{re.escape(str(SAMPLE))}:(\d+):(\d+): \S")
    for case, result in zip(all_cases, results, strict=True):
        if result.get("ok"):
            continue
        problems = result["problems"]
        assert isinstance(problems, list) and problems
        line_count = case.count(b"\n") + 1
        for problem in problems:
            match = located.match(problem)
            assert match, problem
            assert 1 <= int(match.group(1)) <= line_count + 1, problem
            assert int(match.group(2)) >= 1, problem
    rejected = sum(1 for r in results if not r.get("ok"))
    assert rejected > len(results) // 2  # most mutations break the file, as they should
