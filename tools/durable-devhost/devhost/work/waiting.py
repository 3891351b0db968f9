"""Waiting for a condition on the event loop by polling it, with a deadline and a message."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def wait_until(
    predicate: Callable[[], object],
    timeout: float = 10.0,
    message: str = "condition",
    *,
    interval: float = 0.001,
    settle: int = 1,
) -> None:
    """Return once `predicate()` is true on `settle` loop turns in a row.

    Raises TimeoutError("... not true after N s: <message>") at the deadline. `settle` > 1 lets
    callbacks that were scheduled meanwhile run (e.g. results on their way back to the loop).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    streak = 0
    while True:
        if predicate():
            streak += 1
            if streak >= settle:
                return
            await asyncio.sleep(0)
            continue
        streak = 0
        if loop.time() > deadline:
            raise TimeoutError(f"not true after {timeout:g} s: {message}")
        await asyncio.sleep(interval)
