"""Sender speed against a real MTA: syndicate versus the raw-client ceiling, in one run.

Sets up Debian's Postfix on 127.0.0.1 with a discard transport (``postfix_relay``:
a private instance, its own port; ``apt-get install -y postfix`` when missing and we
are root). Falls back to an aiosmtpd sink in its own process when Postfix cannot be
used, and says so (``"relay": "aiosmtpd"``): that figure is not the issue's target.

Per run (medians of ``--runs``):

* ``relay_ceiling_per_s``: the raw ``smtplib`` ceiling, the best of 1, 3 and 8
  connections, each a thread sending pre-built messages of the digest's size;
* ``messages_per_s``: ``syndicate digest daily`` (the real CLI, a subprocess) on a fresh
  copy of a store with ``--subscribers`` subscribers, through ``--connections``
  connections, from process start to exit;
* ``cpu_ms_per_message``: that process's CPU time (user + system, ``RUSAGE_CHILDREN``)
  per message: everything of ours, nothing of the MTA's;
* ``ratio_to_ceiling``: each run's rate divided by that run's ceiling (same relay, same
  run; the list in ``ratio_runs``), the median of those;
* with ``--dkim``, the same run again with ``delivery.dkim`` on (RSA-2048, the test
  key): ``dkim_messages_per_s``, ``dkim_ratio_to_ceiling`` (``dkim_ratio_runs``),
  ``dkim_cpu_ms_per_message``. Signed and unsigned take turns going first.

Usage: python bench/smtp.py [--runs 3] [--subscribers 3000] [--ceiling-messages 1500]
                            [--connections 3] [--profile out.prof] [--dkim] [--pin]
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import smtplib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from postfix_relay import PostfixRelay, ensure_installed

from syndicate.config import load
from syndicate.store import Store, schema
from syndicate.types import Author, Column

NOW = datetime(2025, 9, 14, 4, 0, tzinfo=UTC)
EXCERPT = ("يرى الكاتب أن أسواق الطاقة في الخليج تمر بمرحلة انتقالية تتطلب سياسات مرنة "
           "وتعاونًا إقليميًا أوسع، مع الاستثمار في التعليم والبحث العلمي. ") * 3

SINK = r"""
import socket, sys
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


@contextmanager
def relay() -> Iterator[tuple[str, int, PostfixRelay | None]]:
    why = ensure_installed()
    if why is None and os.geteuid() == 0:
        with PostfixRelay() as server_port:
            yield "postfix", server_port, None
        return
    print(f"Postfix not usable ({why or 'not root'}): aiosmtpd sink instead", file=sys.stderr)
    proc = subprocess.Popen([sys.executable, "-c", SINK], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    try:
        yield "aiosmtpd", int(proc.stdout.readline()), None
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
        proc.stdout.close()


# -- the site --------------------------------------------------------------------


def make_site(tmp: Path, subscribers: int, port: int, connections: int) -> Path:
    """A store with 20 columns and the subscribers, written once; runs copy it."""
    (tmp / "schedules.yaml").write_text(f"""store: var/bench.db
site: {{base_url: "https://alwaha.example", secret: {{env: SYNDICATE_BENCH_SECRET}}}}
delivery:
  transport: smtp
  smtp: {{host: 127.0.0.1, port: {port}, security: none, connections: {connections},
          rate_per_s: 10000, timeout_s: 60}}
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
                     title=f"مقال الرأي {n}: الطاقة والخليج والتعليم والمستقبل",
                     author=authors[n % 5], published=NOW - timedelta(hours=n),
                     body_html="<p>نص</p>", excerpt=EXCERPT, views=1000 + 37 * n)
        store.columns.upsert(col, dedupe_key=f"k{n}", seen_urls=(col.url,), now=NOW)
    sets = ["[]", '["author-0"]', '["author-1", "author-2"]', '["author-3"]']
    rows = [{"email": f"r{i}@example.org", "newsletter": "daily", "name": f"قارئ {i}",
             "cadence": "daily", "followed_authors": sets[i % len(sets)], "status": "active",
             "bounces": 0, "created_at": NOW, "confirmed_at": NOW} for i in range(subscribers)]
    with store.engine.begin() as conn:
        conn.execute(schema.subscribers.insert(), rows)
    store.close()
    # The same site, signing every message (delivery.dkim), for --dkim.
    text = (tmp / "schedules.yaml").read_text(encoding="utf-8")
    (tmp / "schedules-dkim.yaml").write_text(text.replace("newsletters:\n", DKIM + "newsletters:\n"),
                                             encoding="utf-8")
    return tmp


DKIM = """  dkim: {selector: bench, domain: alwaha.example,
         private_key: {env: SYNDICATE_BENCH_DKIM_KEY}}
"""


def sample_message(site: Path) -> bytes:
    """One real digest message (the biggest segment) as the ceiling's payload."""
    from syndicate.core.preview import build_preview
    from syndicate.deliver.message import MessageFactory

    config = load(site / "schedules.yaml")
    store = Store.open(config.store_url)
    try:
        preview = build_preview(config, store, "daily", now=NOW, subscriber_email=None)
    finally:
        store.close()
    factory = MessageFactory(sender="الواحة <digest@alwaha.example>", date=NOW,
                             list_id="<daily.alwaha.example>", list_title="نشرة الواحة")
    return factory.build(to="r0@example.org", to_name="قارئ", subject=preview.subject,
                         text=preview.text, html=preview.html, message_id="<x@alwaha.example>",
                         unsubscribe_url="https://alwaha.example/unsubscribe/u.1.daily.x.y").data


# -- measurements ----------------------------------------------------------------


def raw_ceiling(port: int, data: bytes, total: int, connections: int) -> float:
    """Messages/s of plain smtplib clients, one thread and connection each."""
    per = total // connections

    def client(k: int) -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
            for i in range(per):
                smtp.sendmail("digest@alwaha.example", [f"c{k}.{i}@example.org"], data)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return per * connections / (time.perf_counter() - started)


def syndicate_run(site: Path, subscribers: int, profile: str | None,
                  config: str = "schedules.yaml") -> float:
    """Messages/s of one `syndicate digest daily` process, from start to exit."""
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp)
        shutil.copy(site / config, run_dir / "schedules.yaml")
        (run_dir / "var").mkdir()
        shutil.copy(site / "var" / "bench.db", run_dir / "var" / "bench.db")
        command = [sys.executable]
        if profile:
            command += ["-m", "cProfile", "-o", profile]
        command += ["-m", "syndicate.cli.main", "digest", "daily", "--config",
                    str(run_dir / "schedules.yaml")]
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE,
                                env={**os.environ, "COLUMNS": "200"})
        out, err = proc.communicate()
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            raise RuntimeError(f"syndicate digest failed: {err.decode()[-2000:]}"
                               f"{out.decode()[-2000:]}")
        store = Store.open(f"sqlite:///{run_dir / 'var' / 'bench.db'}")
        try:
            issue = store.digests.issues("daily")[0]
            sent = store.digests.delivery_counts(issue.id or 0).get("sent", 0)
        finally:
            store.close()
    if sent != subscribers:
        raise RuntimeError(f"sent {sent} of {subscribers}")
    return sent / elapsed


def timed_run(site: Path, subscribers: int, config: str,
              profile: str | None = None) -> tuple[float, float]:
    """(messages/s, ms of our CPU per message) of one run with ``config``."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    rate = syndicate_run(site, subscribers, profile, config)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return rate, cpu * 1000 / subscribers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--subscribers", type=int, default=3000)
    parser.add_argument("--ceiling-messages", type=int, default=1500)
    parser.add_argument("--connections", type=int, default=3)
    parser.add_argument("--profile", help="write a cProfile of the last syndicate run here")
    parser.add_argument("--dkim", action="store_true",
                        help="also run with delivery.dkim on, in the same runs")
    parser.add_argument("--pin", action="store_true",
                        help="the relay on CPU 0, the clients (smtplib, syndicate) on CPU 1: "
                             "the two stop competing for the same cores")
    args = parser.parse_args()
    if args.pin:
        os.sched_setaffinity(0, {0})  # Postfix, started next, inherits CPU 0
    os.environ.setdefault("SYNDICATE_BENCH_SECRET", "bench-secret-0123456789abcdef")
    os.environ.setdefault("SYNDICATE_BENCH_DKIM_KEY",
                          (ROOT / "tests" / "data" / "dkim" / "test-only.key").read_text())
    signed_rates: list[float] = []
    signed_cpus: list[float] = []
    ceilings: list[float] = []
    by_connections: dict[int, list[float]] = {1: [], 3: [], 8: []}
    rates: list[float] = []
    cpus: list[float] = []
    with relay() as (kind, port, _), tempfile.TemporaryDirectory() as tmp:
        if args.pin:
            os.sched_setaffinity(0, {1})  # smtplib threads and syndicate inherit CPU 1
        site = make_site(Path(tmp), args.subscribers, port, args.connections)
        data = sample_message(site)
        for run in range(args.runs):
            best = 0.0
            for n in (1, 3, 8):
                rate = raw_ceiling(port, data, args.ceiling_messages, n)
                by_connections[n].append(rate)
                best = max(best, rate)
            ceilings.append(best)
            print(f"run {run + 1}: ceiling {best:,.0f} msg/s "
                  f"(1/3/8: {', '.join(f'{by_connections[n][-1]:,.0f}' for n in (1, 3, 8))}; "
                  f"{args.subscribers:,} × {len(data) / 1024:.0f} KiB, "
                  f"{args.connections} connections, {kind})", flush=True)
            # Signed and unsigned take turns going first: whichever ran second would
            # otherwise always meet the machine warmer (or its neighbours busier).
            order = ["plain", "dkim"] if args.dkim else ["plain"]
            if run % 2:
                order.reverse()
            for which in order:
                if which == "plain":
                    rate, cpu_ms = timed_run(site, args.subscribers, "schedules.yaml",
                                             args.profile if run == args.runs - 1 else None)
                    rates.append(rate)
                    cpus.append(cpu_ms)
                    label = "syndicate"
                else:
                    rate, cpu_ms = timed_run(site, args.subscribers, "schedules-dkim.yaml")
                    signed_rates.append(rate)
                    signed_cpus.append(cpu_ms)
                    label = "syndicate with DKIM"
                print(f"run {run + 1}: {label} {rate:,.0f} msg/s ({rate / best:.3f} of the "
                      f"ceiling), {cpu_ms:.2f} ms CPU/message", flush=True)
    ceiling, rate = statistics.median(ceilings), statistics.median(rates)
    ratios = [r / c for r, c in zip(rates, ceilings, strict=True)]
    result = {
        "relay": kind,
        "relay_ceiling_per_s": round(ceiling, 1),
        "ceiling_by_connections": {str(n): round(statistics.median(v), 1)
                                   for n, v in by_connections.items()},
        "messages_per_s": round(rate, 1),
        "ratio_to_ceiling": round(statistics.median(ratios), 3),
        "ratio_runs": [round(r, 3) for r in ratios],
        "cpu_ms_per_message": round(statistics.median(cpus), 3),
        "message_bytes": len(data),
        "subscribers": args.subscribers,
        "connections": args.connections,
        "runs": args.runs,
        "pinned": args.pin,
    }
    if args.dkim:
        signed_ratios = [r / c for r, c in zip(signed_rates, ceilings, strict=True)]
        result.update({
            "dkim_messages_per_s": round(statistics.median(signed_rates), 1),
            "dkim_ratio_to_ceiling": round(statistics.median(signed_ratios), 3),
            "dkim_ratio_runs": [round(r, 3) for r in signed_ratios],
            "dkim_cpu_ms_per_message": round(statistics.median(signed_cpus), 3),
        })
    print(f"medians of {args.runs} runs")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
