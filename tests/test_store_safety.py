"""Unlucky operators (issue 16 item 10): each case ends in one clear line, never a traceback.

A store deleted or truncated to 0 bytes is an error, not a silent fresh start; a
full disk (a real file-size limit, RLIMIT_FSIZE, in the child process) while a digest
is queued, and a database with damaged pages, print one line; `subscribers list --csv
| head -1` ends quietly. Each runs the real `syndicate` command in its own process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from syndicate.store import Store
from syndicate.store.safety import marker_of
from syndicate.types import Subscriber

from .delivery_helpers import NOW, seed_columns, write_config

ROOT = Path(__file__).parent.parent

# The child: optional file-size limit (SIGXFSZ ignored, so a write past it fails with
# EFBIG as a full disk fails with ENOSPC), then the real command line.
_CHILD = ("import resource, runpy, signal, sys\n"
          "limit = int(sys.argv.pop(1))\n"
          "if limit:\n"
          "    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
          "    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
          "sys.argv = ['syndicate', *sys.argv[1:]]\n"
          "runpy.run_module('syndicate.cli.main', run_name='__main__')\n")


def syndicate(*argv: str, file_limit: int = 0) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _CHILD, str(file_limit), *argv],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def _one_clear_line(done: subprocess.CompletedProcess[str], *words: str) -> str:
    assert done.returncode == 1, (done.stdout[-500:], done.stderr[-2000:])
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    # JSON lines are the progress log (stderr is not a terminal); the error is plain
    lines = [line for line in done.stderr.strip().splitlines() if not line.startswith("{")]
    assert len(lines) == 1, lines
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    for n in range(300):
        # long names: `list --csv` then writes more than a pipe holds (64 KiB)
        store.subscribers.add(Subscriber(f"reader{n}@example.org", "daily",
                                         name="قارئ " * 40), NOW)
    seed_columns(store, NOW - timedelta(hours=1))
    store.close()
    return tmp_path / "schedules.yaml"


def test_the_first_run_creates_the_store_and_leaves_a_marker(tmp_path: Path) -> None:
    config = tmp_path / "schedules.yaml"
    write_config(tmp_path)
    done = syndicate("subscribers", "list", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "var" / "test.db").stat().st_size > 0
    assert marker_of(tmp_path / "var" / "test.db").exists()


def test_a_deleted_store_is_an_error_not_a_fresh_start(site: Path) -> None:
    database = site.parent / "var" / "test.db"
    database.unlink()
    done = syndicate("subscribers", "list", "--config", str(site))
    _one_clear_line(done, "the database file is missing", "restore it from a backup",
                    str(marker_of(database)))
    assert not database.exists()  # nothing was created in its place
    marker_of(database).unlink()  # the documented way to start anew on purpose
    assert syndicate("subscribers", "list", "--config", str(site)).returncode == 0


def test_a_zero_length_store_is_an_error(site: Path) -> None:
    database = site.parent / "var" / "test.db"
    for leftover in database.parent.glob("test.db-*"):
        leftover.unlink()
    database.write_bytes(b"")
    done = syndicate("digest", "daily", "--config", str(site))
    _one_clear_line(done, "the database file is empty (0 bytes)")
    assert database.stat().st_size == 0


def test_damaged_pages_are_one_line(site: Path) -> None:
    database = site.parent / "var" / "test.db"
    data = bytearray(database.read_bytes())
    assert len(data) > 16 * 4096
    for page in range(3, len(data) // 4096, 2):  # every other page from the third
        data[page * 4096: page * 4096 + 64] = b"\xde\xad\xbe\xef" * 16
    database.write_bytes(bytes(data))
    done = syndicate("subscribers", "list", "--config", str(site))
    _one_clear_line(done, "error: store sqlite:///", "damaged", "restore it from a backup")


def test_a_full_disk_while_queueing_a_digest_is_one_line(site: Path) -> None:
    # 64 KB a file: the database can be read, but its journal cannot take 300 deliveries
    done = syndicate("digest", "daily", "--config", str(site), file_limit=64_000)
    _one_clear_line(done, "error: store sqlite:///", "cannot write", "full")


def test_a_reader_leaving_early_ends_quietly(site: Path) -> None:
    command = (f"{sys.executable} -c {_quoted(_CHILD)} 0 subscribers list --csv "
               f"--config {site} | head -1")
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.count("\n") == 1 and "@" not in done.stdout  # the header row only
    assert done.stderr == ""
    assert done.returncode == 0


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
