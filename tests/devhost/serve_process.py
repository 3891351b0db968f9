"""A `python -m devhost serve` subprocess for tests: read its output as it comes, poll, stop it.

Loopback only; every wait is bounded and polls (no sleeps). Not a test module: the restart and
shutdown tests load it by path (pytest runs in importlib mode, so test folders are not packages).
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
_API = re.compile(r"Durable HTTP API: (http://127\.0\.0\.1:\d+)/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def poll(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.05) -> Any:
    """Call `check` until it returns something truthy; AssertionError naming `what` if never."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout} s: {what}")
        threading.Event().wait(interval)


class ServeProcess:
    """One host process; `lines` collects its stdout and stderr, in order."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path = ROOT) -> None:
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "devhost", "serve", *args],
            cwd=cwd,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for_line(lambda line: "Press Ctrl+C to stop" in line, 60)  # the banner's end
        match = next((_API.search(line) for line in self.lines if _API.search(line)), None)
        assert match, self.output()
        self.base = match.group(1)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for_line(self, predicate: Callable[[str], bool], timeout: float) -> str:
        """The first line (from now on, or already read) that matches."""
        for line in self.lines:
            if predicate(line):
                return line
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no such line after {timeout} s:\n{self.output()}") from None
            if line is None:
                raise AssertionError(f"the host exited first:\n{self.output()}")
            self.lines.append(line)
            if predicate(line):
                return line

    def wait_exit(self, timeout: float) -> int:
        code = self.proc.wait(timeout)
        while (line := self._queue.get(timeout=10)) is not None:
            self.lines.append(line)
        return code

    def output(self) -> str:
        return "\n".join(self.lines)

    def api(self, path: str) -> str:
        return f"{self.base}/runtime/webhooks/durabletask/{path}"

    def status(self, instance_id: str) -> dict[str, Any]:
        response = requests.get(self.api(f"instances/{instance_id}"), timeout=10)
        return response.json() if response.status_code in (200, 202) else {}

    def wait_finished(self, instance_id: str, timeout: float) -> dict[str, Any]:
        finished = ("Completed", "Failed", "Terminated")
        return poll(
            lambda: (s := self.status(instance_id)).get("runtimeStatus") in finished and s,
            timeout,
            f"{instance_id} finished",
        )

    def signal(self, sig: signal.Signals) -> None:
        self.proc.send_signal(sig)

    def kill(self) -> None:
        """Stop the process if it still runs (teardown)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


class ServeTools:
    """What the `serve_tools` fixture hands a test; kills what it started at teardown."""

    free_port = staticmethod(free_port)
    poll = staticmethod(poll)
    root = ROOT

    def __init__(self) -> None:
        self._started: list[ServeProcess] = []

    def start(self, args: list[str], env: dict[str, str], cwd: Path = ROOT) -> ServeProcess:
        process = ServeProcess(args, env, cwd)
        self._started.append(process)
        return process

    def close(self) -> None:
        for process in self._started:
            process.kill()
