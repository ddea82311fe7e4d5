"""`syndicate serve` against slowloris and oversized posts, the real command on loopback.

Starts `syndicate serve` (its default limits: 500 connections, request heads within
10 s, bodies up to 64 KiB), opens N connections that never finish their request head,
and counts how many the server still holds after 1 s and when the last one is let
go; then a normal request; then eight POSTs announcing 100 MB bodies, and the
server's resident memory before and after.

    python bench/serve_limits.py [--connections 600]

The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from tests.delivery_helpers import free_port, write_config

_SLOW_HEAD = b"GET /subscribe HTTP/1.1\r\nHost: x\r\nX-a: "  # never finished
_BIG_POST = (b"POST /subscribe HTTP/1.1\r\nHost: x\r\n"
             b"Content-Type: application/x-www-form-urlencoded\r\n"
             b"Content-Length: 104857600\r\n\r\n")


def _rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return 0


def _still_open(sockets: list[socket.socket]) -> int:
    held = 0
    for sock in sockets:
        sock.setblocking(False)
        try:
            held += sock.recv(10) != b""
        except BlockingIOError:
            held += 1  # nothing to read: the server holds it
        except OSError:
            pass  # reset: closed
    return held


def _wait_until_serving(port: int) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/subscribe", timeout=1)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def measure(tmp: Path, connections: int) -> dict[str, object]:
    port = free_port()
    write_config(tmp, base_url=f"http://127.0.0.1:{port}")
    server = subprocess.Popen(
        [sys.executable, "-m", "syndicate.cli.main", "serve", "--config",
         str(tmp / "schedules.yaml"), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_serving(port)
        found: dict[str, object] = {"connections": connections,
                                    "rss_start_mb": _rss_mb(server.pid)}
        slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(connections)]
        for sock in slow:
            sock.sendall(_SLOW_HEAD)
        time.sleep(1)
        found["slowloris_held_after_1s"] = _still_open(slow)
        started = time.monotonic()
        while _still_open(slow) and time.monotonic() - started < 60:
            time.sleep(0.5)
        found["slowloris_all_closed_after_s"] = round(time.monotonic() - started + 1, 1)
        found["slowloris_held_at_end"] = _still_open(slow)
        for sock in slow:
            sock.close()
        found["normal_request_after"] = httpx.get(
            f"http://127.0.0.1:{port}/subscribe").status_code
        codes: list[int] = []
        for _ in range(8):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(_BIG_POST)
                codes.append(int(sock.recv(100).split()[1]))
        found["post_100mb_codes"] = codes
        found["rss_end_mb"] = _rss_mb(server.pid)
        return found
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(measure(Path(folder), args.connections)))


if __name__ == "__main__":
    main()
