"""SMTP hand-over benchmark: messages/s from syndicate into a loopback aiosmtpd sink.

The sink runs in its own process (a relay is never inside the sender), accepting
every message. Three figures, medians of several runs:

* ``smtp_messages_per_s``: ``SmtpTransport`` alone, its pool of ``connections``
  fed by as many sender threads (what the digest loop does), 38 KiB digests;
* ``smtp_run_digest_messages_per_s``: a whole ``run_digest`` through SMTP (seeding
  the issue, rendering per segment, the pending→sending→sent rows in SQLite);
* ``maildir_run_digest_messages_per_s``: the same run into the Maildir outbox.

Usage: python bench/smtp.py [--runs 3] [--messages 2000] [--subscribers 2000]
       [--connections 3]
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from syndicate.clock import fixed_clock
from syndicate.config import load
from syndicate.config.newsletters import SmtpSettings
from syndicate.core.digest import run_digest
from syndicate.deliver.message import MessageFactory, message_id
from syndicate.deliver.smtp import SmtpTransport
from syndicate.store import Store
from syndicate.types import Author, Column, Outcome, Subscriber

NOW = datetime(2025, 9, 14, 4, 0, tzinfo=UTC)

SINK = r"""
import socket, sys, time
from aiosmtpd.controller import Controller
class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0)); port = probe.getsockname()[1]
controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
print(port, flush=True)
sys.stdin.read()
controller.stop()
"""


class SinkProcess:
    def __enter__(self) -> int:
        self.proc = subprocess.Popen([sys.executable, "-c", SINK], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        return int(self.proc.stdout.readline())

    def __exit__(self, *_: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        if self.proc.stdout:
            self.proc.stdout.close()


def transport_only(port: int, n: int, connections: int) -> float:
    html = ("<p dir=\"rtl\">" + "مقال رأي عن الطاقة والخليج " * 12 + "</p>\n") * 60  # ~38 KiB
    text = ("\u200f" + "مقال رأي عن الطاقة والخليج " * 3 + "\n") * 40
    factory = MessageFactory(sender="الواحة <digest@alwaha.example>", date=NOW,
                             list_id="<daily.alwaha.example>", list_title="نشرة الواحة",
                             unsubscribe_mailto="unsubscribe@alwaha.example")
    transport = SmtpTransport(SmtpSettings(host="127.0.0.1", port=port, security="none",
                                           connections=connections, rate_per_s=1e9))
    counter = iter(range(n))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            transport.send(factory.build(
                to=f"r{i}@example.org", to_name="قارئ", subject="نشرة الواحة · العدد ١",
                text=text, html=html, message_id=message_id("b", i, domain="alwaha.example"),
                unsubscribe_url=f"https://alwaha.example/unsubscribe/u.{i}.daily.x.sig"))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    transport.close()
    return n / elapsed


def _site(tmp: Path, subscribers: int, delivery: str) -> tuple[object, Store]:
    (tmp / "schedules.yaml").write_text(f"""store: var/bench.db
site: {{base_url: "https://alwaha.example", secret: {{env: SYNDICATE_BENCH_SECRET}}}}
delivery:
{delivery}
newsletters:
  - id: daily
    title: نشرة الواحة اليومية
    sender: "الواحة <digest@alwaha.example>"
""", encoding="utf-8")
    config = load(tmp / "schedules.yaml")
    store = Store.open(config.store_url)
    authors = [Author(f"كاتب {i}", f"author-{i}", "كاتب رأي", 100 + i) for i in range(5)]
    for n in range(20):
        col = Column(url=f"https://alwaha.example/opinion/{n}", source="alwaha",
                     title=f"مقال الرأي {n}: الطاقة والخليج", author=authors[n % 5],
                     published=NOW - timedelta(hours=n), body_html="<p>نص</p>",
                     excerpt="مقتطف عن الطاقة والخليج العربي " * 6, views=1000 + 37 * n)
        store.columns.upsert(col, dedupe_key=f"k{n}", seen_urls=(col.url,), now=NOW)
    sets: list[tuple[str, ...]] = [(), ("author-0",), ("author-1", "author-2"), ("author-3",)]
    for i in range(subscribers):
        store.subscribers.add(Subscriber(f"r{i}@example.org", "daily", name=f"قارئ {i}",
                                         followed_authors=sets[i % len(sets)]), NOW)
    return config, store


def whole_run(subscribers: int, delivery: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        config, store = _site(Path(tmp), subscribers, delivery)
        started = time.perf_counter()
        result = run_digest(config, store, "daily", clock=fixed_clock(NOW))  # type: ignore[arg-type]
        elapsed = time.perf_counter() - started
        store.close()
    sent = result.count(Outcome.SENT)
    assert sent == subscribers, (sent, result.failed[:3])
    return sent / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("SYNDICATE_BENCH_SECRET", "bench-secret-0123456789abcdef")
    only, smtp_runs, maildir_runs = [], [], []
    with SinkProcess() as port:
        for run in range(args.runs):
            only.append(transport_only(port, args.messages, args.connections))
            smtp_runs.append(whole_run(args.subscribers, (
                f"  transport: smtp\n  smtp: {{host: 127.0.0.1, port: {port}, security: none, "
                f"connections: {args.connections}, rate_per_s: 1000000}}")))
            maildir_runs.append(whole_run(args.subscribers, "  transport: maildir"))
            print(f"run {run + 1}: transport {only[-1]:,.0f} msg/s; run_digest via SMTP "
                  f"{smtp_runs[-1]:,.0f} msg/s; run_digest into Maildir {maildir_runs[-1]:,.0f}"
                  f" msg/s ({args.subscribers:,} subscribers, {args.connections} connections)")
    result = {
        "smtp_messages_per_s": round(statistics.median(only), 1),
        "smtp_run_digest_messages_per_s": round(statistics.median(smtp_runs), 1),
        "maildir_run_digest_messages_per_s": round(statistics.median(maildir_runs), 1),
        "connections": args.connections,
    }
    print(f"medians of {args.runs} runs")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
