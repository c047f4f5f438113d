"""Headless Chromium driven over the Chrome DevTools protocol on a pipe (``--remote-debugging-
pipe``): no driver, no websocket, no package — the browser reads commands on descriptor 3 and
writes answers and events on descriptor 4, each message JSON ended by a NUL byte.

Used by the HTML tests (the page as a person sees it: the DOM after scripts ran, the console)
and by ``scripts/screenshots.py``.  ``Browser.page(url)`` opens a tab and waits for its load
event; ``Page.evaluate`` runs an expression and returns its value; ``Page.errors`` lists what
the console reported as an error (exceptions, ``console.error``, CSP refusals, failed loads).
"""

from __future__ import annotations

import base64
import fcntl
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

__all__ = ["Browser", "BrowserError", "Page", "chromium", "chromium_ready"]

TIMEOUT = 120.0
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_ready() -> bool:
    """Chromium and the CJK fonts the pages are drawn with (.ci/run installs both)."""
    return chromium() is not None and FONT.exists()


class BrowserError(RuntimeError):
    pass


class Browser:
    """One headless Chromium process; close it with :meth:`close` (or use :func:`browser`)."""

    def __init__(self, width: int = 1280, height: int = 900) -> None:
        binary = chromium()
        if binary is None:
            raise BrowserError("chromium is not installed")
        self.width, self.height = width, height
        self._profile = tempfile.mkdtemp(prefix="evalcheck-chromium-")
        to_browser, self._commands = os.pipe()
        self._answers, from_browser = os.pipe()
        low = (
            fcntl.fcntl(to_browser, fcntl.F_DUPFD, 10),
            fcntl.fcntl(from_browser, fcntl.F_DUPFD, 10),
        )

        def descriptors() -> None:  # in the child: its ends as 3 and 4, kept across exec
            os.dup2(low[0], 3)
            os.dup2(low[1], 4)

        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-pipe",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-sync",
                "--mute-audio",
                "--hide-scrollbars",
                f"--window-size={width},{height}",
                f"--user-data-dir={self._profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=descriptors,
        )
        for fd in (to_browser, from_browser, *low):
            os.close(fd)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._waiting: dict[int, threading.Event] = {}
        self._answered: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._events = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # --- the pipe --------------------------------------------------------------------------

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._answers, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buffer += chunk
            while b"\0" in buffer:
                raw, _, buffer = buffer.partition(b"\0")
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        self._answered[message["id"]] = message
                        event = self._waiting.get(message["id"])
                    if event is not None:
                        event.set()
                else:
                    with self._events:
                        self.events.append(message)
                        self._events.notify_all()
        with self._lock:  # the browser is gone: wake everyone waiting
            for event in self._waiting.values():
                event.set()
        with self._events:
            self._events.notify_all()

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        number = next(self._ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        done = threading.Event()
        with self._lock:
            self._waiting[number] = done
        os.write(self._commands, json.dumps(message).encode("utf-8") + b"\0")
        if not done.wait(TIMEOUT):
            raise BrowserError(f"{method}: no answer in {TIMEOUT} s")
        with self._lock:
            del self._waiting[number]
            answer = self._answered.pop(number, None)
        if answer is None:
            raise BrowserError(f"{method}: the browser exited")
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def wait_for(self, method: str, session: str, since: int = 0) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        with self._events:
            while True:
                for event in self.events[since:]:
                    if event.get("method") == method and event.get("sessionId") == session:
                        return event
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise BrowserError(f"no {method} in {TIMEOUT} s")
                self._events.wait(min(left, 1.0))

    # --- pages -----------------------------------------------------------------------------

    def page(self, url: str, width: int | None = None, height: int | None = None) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, target, session)
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=session)
        page.resize(width or self.width, height or self.height)
        page.go(url)
        return page

    def close(self) -> None:
        if self.process.poll() is None:
            with suppress(BrowserError):
                self.send("Browser.close")
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for fd in (self._commands, self._answers):
            with suppress(OSError):
                os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)


class Page:
    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser = browser
        self.target = target
        self.session = session
        self._opened = 0

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def resize(self, width: int, height: int) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def go(self, url: str) -> None:
        self._opened = len(self.browser.events)
        self.send("Page.navigate", {"url": url})
        self.browser.wait_for("Page.loadEventFired", self.session, self._opened)

    def evaluate(self, expression: str) -> Any:
        answer = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in answer:
            raise BrowserError(f"{expression}: {answer['exceptionDetails']}")
        return answer.get("result", {}).get("value")

    @property
    def errors(self) -> list[str]:
        """What the console reported as an error since the page was opened."""
        found = []
        for event in self.browser.events[self._opened :]:
            if event.get("sessionId") != self.session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(json.dumps(params.get("exceptionDetails", {}), ensure_ascii=False))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(json.dumps(params.get("args", []), ensure_ascii=False))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(params["entry"].get("text", ""))
        return found

    def screenshot(self, path: Path, *, full: bool = True, selector: str | None = None) -> None:
        """A PNG of the page (its whole height with ``full``), or of one element."""
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": full or bool(selector)}
        if selector is not None:
            box = self.evaluate(
                f"(function(){{var r=document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
                "return [r.left+scrollX, r.top+scrollY, r.width, r.height];})()"
            )
            params["clip"] = {
                "x": box[0],
                "y": box[1],
                "width": box[2],
                "height": box[3],
                "scale": 1,
            }
        elif full:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": size["width"],
                "height": size["height"],
                "scale": 1,
            }
        data = self.send("Page.captureScreenshot", params)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})


@contextmanager
def browser(width: int = 1280, height: int = 900) -> Iterator[Browser]:
    running = Browser(width, height)
    try:
        yield running
    finally:
        running.close()
