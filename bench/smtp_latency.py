"""Sending over a relay some milliseconds away: round trips per message, measured.

A relay is rarely on the same machine (a provider's submission server, another data
centre). This puts a delay proxy in front of the bench's private Postfix
(``postfix_relay``): each chunk of bytes is passed on ``--delay-ms`` after it arrived,
both ways, so a round trip costs twice that. It then sends ``--messages`` digests of
~100 KB with ``SmtpTransport`` over ``--connections`` connections, twice in each run:

* ``chained``: as syndicate sends (a message's end of data carries the next message's
  MAIL FROM, RCPT TO and DATA: one round trip a message);
* ``unchained``: each message waits for its own reply first (two round trips), as
  before this change; the transport's ``_chain`` switch, for this comparison only.

Usage: python bench/smtp_latency.py [--runs 3] [--messages 400] [--connections 8]
                                    [--delay-ms 5]
The last line printed is one JSON object (medians of the runs, and their ratio).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from postfix_relay import PostfixRelay, ensure_installed
from smtp import make_site, sample_message

from syndicate.config import load
from syndicate.deliver.message import MailMessage
from syndicate.deliver.smtp import SmtpTransport


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                delay: float) -> None:
    """Bytes from ``reader`` to ``writer``, each chunk ``delay`` seconds late, in order."""
    loop = asyncio.get_running_loop()
    last = 0.0
    try:
        while chunk := await reader.read(65536):
            due = max(loop.time() + delay, last)
            last = due
            loop.call_at(due, writer.write, chunk)
        await asyncio.sleep(max(0.0, last - loop.time()) + 0.001)
    finally:
        writer.close()


@contextmanager
def delay_proxy(target_port: int, delay: float) -> Iterator[int]:
    loop = asyncio.new_event_loop()

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        relay_r, relay_w = await asyncio.open_connection("127.0.0.1", target_port)
        await asyncio.gather(_pipe(client_r, relay_w, delay), _pipe(relay_r, client_w, delay),
                             return_exceptions=True)

    server = loop.run_until_complete(asyncio.start_server(handle, "127.0.0.1", 0))
    port = server.sockets[0].getsockname()[1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


def send_all(config_path: Path, port: int, messages: list[MailMessage], *, chain: bool) -> float:
    settings = load(config_path).delivery.smtp
    assert settings is not None
    transport = SmtpTransport(settings.model_copy(update={"port": port}))
    transport._chain = chain  # the comparison this bench exists for
    try:
        stop = threading.Event()
        started = time.perf_counter()
        pending = None
        for i in range(0, len(messages), 64):
            future = transport.send_batch(messages[i:i + 64], stop)
            if pending is not None and any(pending.result()):
                raise RuntimeError(f"not delivered: {pending.result()}")
            pending = future
        if pending is not None and any(pending.result()):
            raise RuntimeError(f"not delivered: {pending.result()}")
        return len(messages) / (time.perf_counter() - started)
    finally:
        transport.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--delay-ms", type=float, default=5.0)
    args = parser.parse_args()
    why = ensure_installed()
    if why is not None or os.geteuid() != 0:
        sys.exit(f"needs root and Postfix: {why or 'not root'}")
    os.environ.setdefault("SYNDICATE_BENCH_SECRET", "bench-secret-0123456789abcdef")
    rates: dict[str, list[float]] = {"chained": [], "unchained": []}
    with PostfixRelay() as relay_port, tempfile.TemporaryDirectory() as tmp, \
            delay_proxy(relay_port, args.delay_ms / 1000) as port:
        site = make_site(Path(tmp), 1, relay_port, args.connections)
        data = sample_message(site)
        messages = [MailMessage(f"<m{i}@alwaha.example>", "digest@alwaha.example",
                                f"r{i}@example.org", data, wire_ready=True)
                    for i in range(args.messages)]
        for run in range(args.runs):
            order = ["chained", "unchained"] if run % 2 == 0 else ["unchained", "chained"]
            for kind in order:
                rate = send_all(site / "schedules.yaml", port, messages,
                                chain=kind == "chained")
                rates[kind].append(rate)
                print(f"run {run + 1}: {kind} {rate:,.0f} msgs/s", flush=True)
    chained, unchained = (statistics.median(rates[k]) for k in ("chained", "unchained"))
    print(f"medians of {args.runs} runs")
    print(json.dumps({
        "delay_ms_each_way": args.delay_ms, "connections": args.connections,
        "messages": args.messages, "message_bytes": len(data), "runs": args.runs,
        "chained_messages_per_s": round(chained, 1),
        "unchained_messages_per_s": round(unchained, 1),
        "chained_over_unchained": round(chained / unchained, 2),
    }))


if __name__ == "__main__":
    main()
