"""A fixed pool of worker threads for activities, cheaper per item than an executor future.

A job runs in a thread and returns a callback for the event loop; finished callbacks are
handed back in batches with one loop wake-up, so a fan-out of N costs far fewer than N wakes.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable

Job = Callable[[], Callable[[], None]]


class ActivityPool:
    """`concurrency` daemon threads draining one queue; close() is idempotent."""

    def __init__(self, concurrency: int, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._done: list[Callable[[], None]] = []
        self._signalled = False
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"devhost-activity-{i}", daemon=True)
            for i in range(max(1, concurrency))
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, job: Job) -> None:
        self._queue.put(job)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            callback = job()
            with self._lock:
                self._done.append(callback)
                wake = not self._signalled
                self._signalled = True
            if wake:
                try:
                    self._loop.call_soon_threadsafe(self._drain)
                except RuntimeError:
                    return  # the loop is closed

    def _drain(self) -> None:
        with self._lock:
            done, self._done = self._done, []
            self._signalled = False
        for callback in done:
            callback()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for _ in self._threads:
            self._queue.put(None)
