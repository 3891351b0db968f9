"""Clocks for the engine: the real UTC clock, and a virtual one that tests advance by hand."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class TimerHandle(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    """What the engine needs from time: the current UTC time and durable timer delivery."""

    def now(self) -> datetime: ...

    def call_at(self, when: datetime, callback: Callable[[], None]) -> TimerHandle: ...


class RealClock:
    """Wall-clock UTC time; timers are asyncio call_later on the running loop."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def call_at(self, when: datetime, callback: Callable[[], None]) -> TimerHandle:
        delay = max(0.0, (when - self.now()).total_seconds())
        return asyncio.get_running_loop().call_later(delay, callback)


class _VirtualHandle:
    __slots__ = ("cancelled",)

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class VirtualClock:
    """Time that only moves when a test calls advance(); due timers then fire in order."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
        self._heap: list[tuple[datetime, int, _VirtualHandle, Callable[[], None]]] = []
        self._seq = itertools.count()

    def now(self) -> datetime:
        return self._now

    def call_at(self, when: datetime, callback: Callable[[], None]) -> TimerHandle:
        handle = _VirtualHandle()
        if when <= self._now:
            # Already due (e.g. the retry interceptor's dummy timer): fire on the next loop turn.
            asyncio.get_running_loop().call_soon(self._fire, handle, callback)
        else:
            heapq.heappush(self._heap, (when, next(self._seq), handle, callback))
        return handle

    @staticmethod
    def _fire(handle: _VirtualHandle, callback: Callable[[], None]) -> None:
        if not handle.cancelled:
            callback()

    async def advance(self, seconds: float) -> None:
        """Move time forward and fire every timer that falls due, in due-time order."""
        target = self._now + timedelta(seconds=seconds)
        while self._heap and self._heap[0][0] <= target:
            when, _, handle, callback = heapq.heappop(self._heap)
            self._now = max(self._now, when)
            self._fire(handle, callback)
        self._now = target
        await asyncio.sleep(0)
