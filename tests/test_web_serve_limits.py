"""`syndicate serve` under abuse, over real sockets (issue 16 items 8-9).

Oversized POST bodies are refused with 413 while they stream; slowloris connections
are closed at the head deadline and capped in number; X-Forwarded-For is believed
only from a configured proxy; /status is local only without any proxy header.
The uvicorn server is the one `syndicate serve` builds (cli/serve.py), here with
small limits so that bounded counts of sockets show each bound.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from syndicate.cli.serve import ServerLimits, build_server
from syndicate.store import Store
from syndicate.types import Subscriber
from syndicate.web.app import create_app
from syndicate.web.limits import MAX_BODY_BYTES

from .delivery_helpers import NOW, free_port, write_config
from .loopback import serve_command


@contextmanager
def serving(app: Any, *, trusted_proxies: tuple[str, ...] = (),
            limits: ServerLimits | None = None) -> Iterator[int]:
    server = build_server(app, host="127.0.0.1", port=0, trusted_proxies=trusted_proxies,
                          limits=limits or ServerLimits())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture()
def app(tmp_path: Path) -> Iterator[Any]:
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    try:
        yield create_app(config, store=store)
    finally:
        store.close()


def _closed_by_server(sock: socket.socket, wait: float = 15.0) -> bool:
    """True when the server closes ``sock`` (EOF or reset) within ``wait`` seconds."""
    sock.settimeout(wait)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def _status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _send_until_answered(port: int, head: bytes, chunk: bytes, most: int) -> tuple[int, int]:
    """Send ``head`` then up to ``most`` bytes in chunks; (bytes sent, status answered)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        sent = 0
        sock.setblocking(False)
        answer = b""
        while sent < most:
            try:
                answer += sock.recv(4096)
            except BlockingIOError:
                pass
            except ConnectionResetError:
                break
            if answer:
                break
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
            time.sleep(0.001)
        sock.setblocking(True)
        sock.settimeout(10)
        try:
            while b"\r\n" not in answer:
                more = sock.recv(4096)
                if not more:
                    break
                answer += more
        except ConnectionResetError:
            pass
    return sent, _status_of(answer)


def test_a_declared_oversized_body_is_refused_before_it_is_read(app: Any) -> None:
    with serving(app) as port, httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        small = client.post("/unsubscribe/garbage", content=b"List-Unsubscribe=One-Click")
        assert small.status_code == 400  # an ordinary answer: the limit is not in the way
        head = (b"POST /unsubscribe/garbage HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 104857600\r\n\r\n")
        sent, status = _send_until_answered(port, head, b"x" * 65536, 100 * 2**20)
    assert status == 413
    assert sent < 100 * 2**20  # answered long before the 100 MB were sent


def test_a_chunked_oversized_body_is_cut_while_streaming(app: Any) -> None:
    chunk = b"10000\r\n" + b"x" * 65536 + b"\r\n"  # 64 KiB per chunk, no length announced
    for path in (b"/subscribe", b"/unsubscribe/garbage"):
        with serving(app) as port:
            head = (b"POST " + path + b" HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n")
            sent, status = _send_until_answered(port, head, chunk, 50 * 2**20)
        assert status == 413, path
        assert sent < 50 * 2**20, path


def test_slowloris_connections_are_closed_and_capped(app: Any) -> None:
    limits = ServerLimits(header_timeout_s=1.0, keepalive_timeout_s=1.0, max_connections=20)
    with serving(app, limits=limits) as port:
        slow = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(40)]
        try:
            for sock in slow:
                sock.sendall(b"GET /subscribe HTTP/1.1\r\nHost: x\r\nX-Slow: a")
            closed = [_closed_by_server(sock) for sock in slow]
        finally:
            for sock in slow:
                sock.close()
        assert closed == [True] * 40
        # Connections freed, the server answers again; an idle kept-alive one is let go.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET /subscribe HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _status_of(sock.recv(4096)) == 200
            assert _closed_by_server(sock)


def _subscribe(client: httpx.Client, n: int, forwarded_for: str) -> int:
    return client.post("/subscribe", data={"email": f"x{n}@example.org", "newsletter": "daily"},
                       headers={"X-Forwarded-For": forwarded_for}).status_code


def test_forwarded_for_is_ignored_without_a_trusted_proxy(app: Any) -> None:
    with serving(app) as port, httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        codes = [_subscribe(client, n, f"203.0.113.{n}") for n in range(12)]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]


def test_the_trusted_proxys_forwarded_for_names_the_real_client(app: Any) -> None:
    with serving(app, trusted_proxies=("127.0.0.1",)) as port, httpx.Client(
            base_url=f"http://127.0.0.1:{port}") as client:
        readers = [_subscribe(client, n, f"203.0.113.{n}") for n in range(12)]
        one = [_subscribe(client, 100 + n, "198.51.100.7") for n in range(11)]
    assert readers == [200] * 12  # twelve readers behind one nginx: twelve buckets
    assert one[:10] == [200] * 10 and one[10] == 429  # one reader is still limited


@pytest.mark.parametrize("header", [
    "X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Client-IP", "True-Client-IP",
    "CF-Connecting-IP", "Via", "X-Forwarded-Host", "Fastly-Client-IP", "X-Cluster-Client-IP",
])
def test_status_is_local_only_without_any_proxy_header(app: Any, header: str) -> None:
    with serving(app) as port, httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        assert client.get("/status").status_code == 200
        value = "1.1 nginx" if header == "Via" else "127.0.0.1"
        assert client.get("/status", headers={header: value}).status_code == 403


def test_syndicate_serve_refuses_an_oversized_post(tmp_path: Path) -> None:
    """The real command, in its own process."""
    port = free_port()
    config = write_config(tmp_path, base_url=f"http://127.0.0.1:{port}")
    Store.open(config.store_url).close()
    with serve_command(tmp_path / "schedules.yaml", port) as stderr:
        big = httpx.post(f"http://127.0.0.1:{port}/subscribe",
                         content=b"email=" + b"x" * (MAX_BODY_BYTES + 1),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert big.status_code == 413
        assert "byte limit" in big.text
    assert "Traceback" not in stderr[0]


def test_subscriber_list_is_untouched_by_refused_posts(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    store = Store.open(config.store_url)
    store.subscribers.add(Subscriber("a@example.org", "daily"), NOW)
    with serving(create_app(config, store=store)) as port:
        head = (b"POST /subscribe HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n")
        _, status = _send_until_answered(port, head, b"10000\r\n" + b"x" * 65536 + b"\r\n",
                                         10 * 2**20)
    assert status == 413
    assert [s.email for s in store.subscribers.iter_active("daily")] == ["a@example.org"]
    store.close()
