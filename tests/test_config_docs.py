"""docs/schedules.md stays true: its example is valid and every job key and command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from syndicate.config import parse
from syndicate.config.jobs import Job

DOC = (Path(__file__).parent.parent / "docs" / "schedules.md").read_text(encoding="utf-8")
EXAMPLE = re.search(r"```yaml\n(.*?)```", DOC, re.DOTALL).group(1)  # type: ignore[union-attr]

CONTEXT = """\
sources:
  - name: alsharq
    kind: html
    start_urls: [http://127.0.0.1:9/opinion/]
    links: a.column
newsletters:
  - {id: daily, title: اليومية, sender: "a <a@example.org>"}
  - {id: weekly, title: الأسبوعية, sender: "a <a@example.org>"}
"""


def test_the_commented_example_is_a_valid_configuration() -> None:
    config = parse(CONTEXT + EXAMPLE, "docs/schedules.md")
    names = [job.name for job in config.jobs]
    assert names == ["collect", "daily-digest", "ramadan-evening", "weekly-digest"]
    assert config.job("weekly-digest").paused


def test_every_job_key_is_documented_in_the_example() -> None:
    keys = {field.alias or name for name, field in Job.model_fields.items()}
    documented = set(re.findall(r"^\s+(?:- )?([a-z_]+):", EXAMPLE, re.MULTILINE))
    assert keys <= documented, f"undocumented job keys: {sorted(keys - documented)}"


def test_every_command_is_documented() -> None:
    for command in ("schedules check", "schedules list", "syndicate run", "run --once",
                    "run-job NAME", "syndicate status", "/status"):
        assert command in DOC
