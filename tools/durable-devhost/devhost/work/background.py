"""Tasks a component starts on the event loop and must stop when it closes.

The driver (episodes) and the work runner (HTTP calls) each keep one: a task is remembered until
it ends, so `close()` can cancel what is still running and wait for it, as the host's shutdown
needs (nothing left pending on a closed loop).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class BackgroundTasks:
    """Tasks started with `spawn`; `cancel_all()` cancels those still running and awaits them."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
