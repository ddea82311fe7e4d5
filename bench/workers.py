"""`syndicate worker` scaling: 1, 2 and 4 worker processes on one queued issue.

Set-up per run: a throw-away PostgreSQL server (Debian's binaries, started as the tests
start it: tests/postgres_server.py), a fresh database, N subscribers, one issue drafted
and queued by `syndicate digest daily --queue-only`. Then K `syndicate worker --once`
processes send it to an SMTP sink and exit.

The relay is Debian's Postfix on 127.0.0.1 with a discard transport (it accepts and
queues with its fsyncs, then drops), set up by ``bench/postfix_relay.py`` as bench/smtp.py
does (root; ``apt-get install postfix`` when missing). Without it (not root, no package)
an aiosmtpd sink in a separate process stands in, and the JSON says which. Either costs
CPU on the same cores as the workers; ``--smtp-port`` points at another relay.

Reported per K (medians over ``--runs``): wall time from the workers' start to the last
one's exit, messages/s, and per worker the messages it sent and its CPU time per message
(user + system, from ``wait4``), raw and net of a worker's fixed cost (``idle_worker_cpu_s``:
start-up, imports and one empty pass, measured once). On a 2-core machine the total flattens past 2 workers:
the workers, the sink and PostgreSQL share the cores; the per-worker CPU per message is
the figure that carries to more hosts.

Usage: python bench/workers.py [--subscribers 3000] [--runs 3] [--workers 1,2,4]
                               [--smtp-port PORT]
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from postfix_relay import PostfixRelay, ensure_installed
from sqlalchemy import insert

from syndicate.store import Store, schema
from tests.delivery_helpers import NOW, free_port, seed_columns, write_config
from tests.postgres_server import Server, fresh_database, running_server

ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SYNDICATE_SECRET": "bench", "COLUMNS": "200"}

SINK = """
import signal, sys, threading
from aiosmtpd.controller import Controller

class Discard:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Discard.count += len(envelope.rcpt_tos)
        return "250 Message accepted"

controller = Controller(Discard(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
done.wait()
controller.stop()
print(Discard.count, flush=True)
"""


@contextmanager
def _relay(port: int) -> Iterator[tuple[str, int]]:
    """(what it is, its port): the given relay, Postfix, or an aiosmtpd sink process."""
    if port:
        yield f"smtp relay on port {port}", port
        return
    why = ensure_installed()
    if why is None and os.geteuid() == 0:
        with PostfixRelay() as postfix_port:
            yield "postfix (discard transport)", postfix_port
        return
    print(f"Postfix not usable ({why or 'not root'}): aiosmtpd sink instead", file=sys.stderr)
    port = free_port()
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(port)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout is not None and sink.stdout.readline().strip() == "ready"
        yield "aiosmtpd sink, own process", port
    finally:
        sink.terminate()
        sink.wait(timeout=30)


def _queue(folder: Path, url: str, port: int, subscribers: int) -> Path:
    write_config(folder, transport="smtp", smtp_port=port)
    path = folder / "schedules.yaml"
    text = path.read_text(encoding="utf-8").replace("store: var/test.db", f"store: {url}")
    path.write_text(text.replace("SYNDICATE_TEST_SECRET_UNSET", "SYNDICATE_SECRET"),
                    encoding="utf-8")
    store = Store.open(url)
    seed_columns(store)
    with store.engine.begin() as conn:
        if subscribers:
            conn.execute(insert(schema.subscribers), [
                {"email": f"r{i:06d}@example.org", "newsletter": "daily", "name": None,
                 "cadence": "daily", "followed_authors": "[]", "status": "active",
                 "bounces": 0, "created_at": NOW, "confirmed_at": NOW}
                for i in range(subscribers)])
    store.close()
    subprocess.run([sys.executable, "-m", "syndicate.cli.main", "digest", "daily",
                    "--queue-only", "--config", str(path)],
                   check=True, capture_output=True, env=ENV)
    return path


def _run_workers(path: Path, k: int) -> dict[str, Any]:
    with ExitStack() as stack:
        outs = [stack.enter_context(tempfile.TemporaryFile()) for _ in range(k)]
        return _time_workers(path, outs)


def _time_workers(path: Path, outs: list[Any]) -> dict[str, Any]:
    k = len(outs)
    started = time.perf_counter()
    pids = [subprocess.Popen([sys.executable, "-m", "syndicate.cli.main", "worker", "--once",
                              "--config", str(path)], stdout=out, stderr=subprocess.STDOUT,
                             env=ENV).pid for out in outs]
    usage: dict[int, float] = {}
    while len(usage) < k:
        pid, status, rusage = os.wait4(-1, 0)
        if pid in pids:
            assert os.waitstatus_to_exitcode(status) == 0, f"worker {pid} failed"
            usage[pid] = rusage.ru_utime + rusage.ru_stime
    wall = time.perf_counter() - started
    per_worker = []
    for pid, out in zip(pids, outs, strict=True):
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
        sent = sum(int(n) for n in re.findall(r"\bsent=(\d+)", text))
        per_worker.append({"messages": sent, "cpu_s": round(usage[pid], 3),
                           "cpu_ms_per_message": round(1000 * usage[pid] / sent, 3)
                           if sent else None})
    return {"wall_s": wall, "workers": per_worker,
            "messages": sum(w["messages"] for w in per_worker)}


def _idle_cpu(server: Server, port: int) -> float:
    """CPU seconds of a worker that finds nothing to send: start-up, imports, one pass."""
    with tempfile.TemporaryDirectory() as folder, fresh_database(server) as url:
        path = _queue(Path(folder), url, port, 0)
        return float(_run_workers(path, 1)["workers"][0]["cpu_s"])


def _one(server: Server, k: int, subscribers: int, port: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder, fresh_database(server) as url:
        path = _queue(Path(folder), url, port, subscribers)
        result = _run_workers(path, k)
        assert result["messages"] == subscribers, result
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--smtp-port", type=int, default=0,
                        help="an SMTP relay on 127.0.0.1; default: a private Postfix (else aiosmtpd)")
    args = parser.parse_args()
    counts = [int(k) for k in args.workers.split(",")]
    report: dict[str, Any] = {
        "subscribers": args.subscribers, "runs": args.runs, "cpus": os.cpu_count()}
    with _relay(args.smtp_port) as (relay, port), running_server() as server:
        report["relay"] = relay
        idle = _idle_cpu(server, port)
        report["idle_worker_cpu_s"] = round(idle, 3)
        for k in counts:
            runs = [_one(server, k, args.subscribers, port) for _ in range(args.runs)]
            wall = statistics.median(r["wall_s"] for r in runs)
            per_message = [w["cpu_ms_per_message"] for r in runs for w in r["workers"]
                           if w["cpu_ms_per_message"] is not None]
            net = [1000 * (w["cpu_s"] - idle) / w["messages"] for r in runs
                   for w in r["workers"] if w["messages"]]
            report[f"workers_{k}"] = {
                "messages_per_s": round(args.subscribers / wall, 1),
                "wall_s": round(wall, 2),
                "cpu_ms_per_message_per_worker": round(statistics.median(per_message), 3),
                # less a worker's fixed cost (start-up, imports, an empty pass)
                "net_cpu_ms_per_message_per_worker": round(statistics.median(net), 3),
                "messages_per_worker": [w["messages"] for w in runs[0]["workers"]],
            }
            print(f"{k} worker(s): {report[f'workers_{k}']}", flush=True)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
