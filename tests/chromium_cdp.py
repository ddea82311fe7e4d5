"""Drive headless Chromium like a reader: a small DevTools-protocol client over pipes.

``chromium --remote-debugging-pipe`` speaks the protocol on file descriptors 3 (its
input) and 4 (its output): JSON messages, each ended by a NUL byte. No websocket
library and no Playwright: two pipes, a tiny ``python -c`` that moves them to fds 3
and 4 before it execs Chromium (``preexec_fn`` is unsafe while uvicorn's thread runs),
and a reader that waits with ``select`` so every step is bounded by a deadline.

Only loopback is reachable: every other host name resolves to nothing
(``--host-resolver-rules``), so a page's remote photos fail fast instead of leaving
the machine. Chromium runs in its own session and its whole process group is killed
when the ``Browser`` closes, whatever happened.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .chromium_helpers import FLAGS, chromium

STEP_TIMEOUT_S = 30.0  # one command, one page load (two CPU cores shared by many)
MAX_MESSAGE = 32 * 1024 * 1024  # a protocol message larger than this is a bug here
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
# Moves the two pipe ends to the fds Chromium reads (3) and writes (4), then execs it
# (Python, not sh: dash cannot name a descriptor above 9 in a redirection).
_EXEC_ON_FDS_3_4 = ("import os, sys; r, w = int(sys.argv[1]), int(sys.argv[2]); "
                    "os.dup2(r, 3); os.dup2(w, 4); os.close(r); os.close(w); "
                    "os.execv(sys.argv[3], sys.argv[3:])")


def _any(params: dict[str, Any]) -> bool:
    return True


class CdpError(AssertionError):
    """Chromium answered a command with an error, died, or did not answer in time."""


@dataclass(frozen=True)
class Response:
    """One HTTP response the page received (the document's, not its images')."""

    url: str
    status: int | None  # None: no answer (the request failed)
    method: str


class Browser:
    """One headless Chromium with one page (tab), driven over the pipe."""

    def __init__(self, process: subprocess.Popen[bytes], to_chromium: int, from_chromium: int,
                 log: Path):
        self._process, self._out, self._in, self._log = process, to_chromium, from_chromium, log
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self._session = ""

    # -- the protocol ---------------------------------------------------------------

    def _read_some(self, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CdpError("Chromium did not answer in time")
        ready, _, _ = select.select([self._in], [], [], remaining)
        if not ready:
            raise CdpError("Chromium did not answer in time")
        chunk = os.read(self._in, 1 << 16)
        if not chunk:
            tail = self._log.read_text(errors="replace")[-2000:]
            raise CdpError(f"Chromium closed the pipe (exit {self._process.poll()}): {tail}")
        self._buffer += chunk
        if len(self._buffer) > MAX_MESSAGE:
            raise CdpError("protocol message too large")

    def _messages(self) -> Iterator[dict[str, Any]]:
        while b"\0" in self._buffer:
            raw, self._buffer = self._buffer.split(b"\0", 1)
            message: dict[str, Any] = json.loads(raw)
            yield message

    def send(self, method: str, params: dict[str, Any] | None = None, *,
             browser: bool = False, timeout: float = STEP_TIMEOUT_S) -> dict[str, Any]:
        """Send a command (to the page unless ``browser``) and return its result;
        events that arrive meanwhile are kept for ``wait_for``."""
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self._session and not browser:
            command["sessionId"] = self._session
        os.write(self._out, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            for message in self._messages():
                if message.get("id") != command["id"]:
                    if "method" in message:
                        self._events.append(message)
                    continue
                if "error" in message:
                    raise CdpError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self._read_some(deadline)

    def mark(self) -> int:
        """A point in the event log: ``wait_for`` looks only at events after it."""
        return len(self._events)

    def wait_for(self, event: str, since: int, match: Callable[[dict[str, Any]], bool] = _any,
                 timeout: float = STEP_TIMEOUT_S) -> int:
        """Wait for the page's first ``event`` after ``since`` whose params ``match``;
        returns its place in the event log."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self._messages():
                if "method" in message:
                    self._events.append(message)
            for at in range(since, len(self._events)):
                message = self._events[at]
                if (message["method"] == event and message.get("sessionId") == self._session
                        and match(message.get("params", {}))):
                    return at
            self._read_some(deadline)

    def wait_for_document(self, since: int, loader_id: str | None = None) -> None:
        """Wait until a new document is in the main frame and loaded: its own ``load``,
        never a late one of the page before it (``about:blank``, say)."""
        def new_document(params: dict[str, Any]) -> bool:
            frame = params["frame"]
            return "parentId" not in frame and loader_id in (None, frame["loaderId"])

        navigated = self.wait_for("Page.frameNavigated", since, new_document)
        self.wait_for("Page.loadEventFired", navigated + 1)

    def events(self, name: str, since: int = 0) -> list[dict[str, Any]]:
        return [m.get("params", {}) for m in self._events[since:] if m["method"] == name]

    # -- what a reader does -----------------------------------------------------------

    def open_page(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, browser=True)
        attached = self.send("Target.attachToTarget",
                             {"targetId": target["targetId"], "flatten": True}, browser=True)
        self._session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable")

    def navigate(self, url: str) -> None:
        since = self.mark()
        answer = self.send("Page.navigate", {"url": url})
        if "errorText" in answer:
            raise CdpError(f"navigation to {url} failed: {answer['errorText']}")
        self.wait_for_document(since, answer.get("loaderId"))

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-able values)."""
        answer = self.send("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in answer:
            raise CdpError(f"{expression!r}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def click(self, selector: str) -> None:
        """A left click with the mouse at the middle of ``selector``'s element, as a
        reader clicks: it must be on screen and not covered by anything else."""
        box = self.evaluate(f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            if (!el) return null;
            el.scrollIntoView({{block: "center", inline: "center"}});
            const r = el.getBoundingClientRect();
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            const hit = document.elementFromPoint(x, y);
            return {{x, y, width: r.width, height: r.height,
                     reachable: hit !== null && (hit === el || el.contains(hit))}};
        }})()""")
        if box is None:
            raise CdpError(f"nothing matches {selector!r}")
        if not (box["width"] > 0 and box["height"] > 0 and box["reachable"]):
            raise CdpError(f"{selector!r} cannot be clicked: {box}")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {
                "type": kind, "x": box["x"], "y": box["y"], "button": "left",
                "buttons": 0 if kind != "mousePressed" else 1, "clickCount": 1})

    def choose(self, selector: str, value: str) -> str:
        """Pick ``value`` in a ``<select>`` as a reader's choice reaches the page (the
        value, then ``input`` and ``change``: what Playwright's selectOption does);
        returns the text of the option now shown."""
        shown = self.evaluate(f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            if (!el || ![...el.options].some(o => o.value === {json.dumps(value)})) return null;
            el.focus();
            el.value = {json.dumps(value)};
            el.dispatchEvent(new Event("input", {{bubbles: true}}));
            el.dispatchEvent(new Event("change", {{bubbles: true}}));
            return el.options[el.selectedIndex].textContent;
        }})()""")
        if shown is None:
            raise CdpError(f"{selector!r} has no option {value!r}")
        return str(shown)

    def text(self, selector: str) -> str | None:
        """The visible text of ``selector``'s first element, None when there is none."""
        found = self.evaluate(f"document.querySelector({json.dumps(selector)})?.innerText"
                              " ?? null")
        return None if found is None else str(found)

    def click_and_load(self, selector: str) -> list[Response]:
        """Click (a submit button, a link) and wait for the page it leads to; returns the
        document responses on the way (a 303 and the page it names, for instance)."""
        since = self.mark()
        self.click(selector)
        self.wait_for_document(since)
        return self.responses(since)

    def responses(self, since: int = 0) -> list[Response]:
        """The document requests after ``since``, in order, each with its answer: a
        redirect is one hop (the POST and its 303), the page it names the next."""
        hops: list[list[Any]] = []  # [request id, method, url, status]
        for message in self._events[since:]:
            params = message.get("params", {})
            if params.get("type") != "Document":
                continue
            if message["method"] == "Network.requestWillBeSent":
                if "redirectResponse" in params:
                    _last_hop(hops, params["requestId"])[3] = params["redirectResponse"]["status"]
                request = params["request"]
                hops.append([params["requestId"], request["method"], request["url"], None])
            elif message["method"] == "Network.responseReceived":
                _last_hop(hops, params["requestId"])[3] = params["response"]["status"]
        return [Response(url, status, method) for _, method, url, status in hops]

    def close(self) -> None:
        try:
            self.send("Browser.close", browser=True, timeout=5)
        except (CdpError, OSError):
            pass  # killed below in any case


def _last_hop(hops: list[list[Any]], request_id: str) -> list[Any]:
    return next(hop for hop in reversed(hops) if hop[0] == request_id)


def _high_fd(fd: int) -> int:
    """``fd`` moved above 9, so the child's 3 and 4 are never one of our own ends."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


@contextmanager
def browser(profile: Path, size: tuple[int, int] = (820, 1200)) -> Iterator[Browser]:
    """A headless Chromium on a fresh profile, killed (with its children) on exit."""
    binary = chromium()  # fails (never skips) without Chromium, as the other page tests
    to_read, to_write = (_high_fd(fd) for fd in os.pipe())  # we write, Chromium reads
    from_read, from_write = (_high_fd(fd) for fd in os.pipe())  # Chromium writes, we read
    log = profile.with_name(profile.name + ".log")  # Chromium's stderr, for failures
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _EXEC_ON_FDS_3_4, str(to_read), str(from_write),
             binary, *FLAGS, LOOPBACK_ONLY, "--remote-debugging-pipe",
             f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}", "about:blank"],
            pass_fds=(to_read, from_write), start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
    os.close(to_read)
    os.close(from_write)
    driven = Browser(process, to_write, from_read, log)
    try:
        driven.open_page()
        yield driven
    finally:
        driven.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(process.pid, signal.SIGKILL)  # its own group: renderers, zygote
        except ProcessLookupError:
            pass
        process.wait(timeout=10)
        os.close(to_write)
        os.close(from_read)
