"""`sources discover --write` (config/append.py): the file is written only when `schedules
check` would pass it, save its "no jobs" finding; each refusal names FILE:LINE:COL and
says whether the file already had the problem; the original stays untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.config.append import ALREADY, append_source
from syndicate.errors import ConfigError

START = "# my paper\ntimezone: Asia/Qatar   # the paper's zone\n"
BLOCK = {"name": "sharq", "kind": "html", "start_urls": ["https://al-sharq.com/opinion/"],
         "links": "a.card-title"}


def test_a_file_with_sources_and_no_jobs_yet_is_written(tmp_path: Path) -> None:
    file = tmp_path / "schedules.yaml"
    file.write_text(START, encoding="utf-8")
    new = append_source(file, BLOCK, "discovered")
    assert file.read_text(encoding="utf-8") == new
    assert new.startswith(START) and "  - name: sharq" in new and "# discovered" in new


def test_a_block_the_check_rejects_is_refused_at_its_line(tmp_path: Path) -> None:
    file = tmp_path / "schedules.yaml"
    file.write_text(START, encoding="utf-8")
    # A start URL without its scheme is a file beside schedules.yaml: there is none.
    bad = {**BLOCK, "start_urls": ["al-sharq.com/opinion/"]}
    with pytest.raises(ConfigError) as caught:
        append_source(file, bad, "discovered")
    assert file.read_text(encoding="utf-8") == START
    [problem] = caught.value.problems
    assert problem.line == START.count("\n") + 5  # `sources:`, comment, name, kind, start_urls
    assert "no file 'al-sharq.com/opinion/' beside this file" in problem.message
    assert not problem.message.endswith(ALREADY)


def test_a_problem_the_file_had_before_is_named_so(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNDICATE_TEST_NO_SUCH_SECRET", raising=False)
    text = START + "store: postgresql://db.example.org/syndicate\nsite:\n  secret:\n" \
                   "    env: SYNDICATE_TEST_NO_SUCH_SECRET\n"
    file = tmp_path / "schedules.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        append_source(file, BLOCK, "discovered")
    assert file.read_text(encoding="utf-8") == text
    [problem] = caught.value.problems
    assert problem.message.startswith("secret SYNDICATE_TEST_NO_SUCH_SECRET is not set")
    assert problem.message.endswith(ALREADY)


def test_a_job_waiting_for_its_source_is_satisfied_by_the_block(tmp_path: Path) -> None:
    text = START + "jobs:\n  - name: morning\n    run: collect\n    cron: '0 7 * * *'\n" \
                   "    sources: [sharq]\n"
    file = tmp_path / "schedules.yaml"
    file.write_text(text, encoding="utf-8")
    append_source(file, BLOCK, "discovered")
    assert "name: sharq" in file.read_text(encoding="utf-8")
