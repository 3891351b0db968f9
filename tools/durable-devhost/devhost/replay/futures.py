"""Synchronous futures for the DTFx emulation, and DTFx's Task.WhenAll / Task.WhenAny over them.

DTFx runs orchestrator continuations inline on its own scheduler, so the replay (`dtfx.py`,
`shim.py`) needs no event loop: resolving a future runs its callbacks at once, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Future:
    """A minimal synchronous task: continuations run inline, as on DTFx's scheduler."""

    __slots__ = ("_callbacks", "done", "failed", "value")

    def __init__(self) -> None:
        self.done = False
        self.failed = False
        self.value: Any = None
        self._callbacks: list[Callable[[Future], None]] | None = None

    def on_done(self, callback: Callable[[Future], None]) -> None:
        if self.done:
            callback(self)
        elif self._callbacks is None:
            self._callbacks = [callback]
        else:
            self._callbacks.append(callback)

    def resolve(self, value: Any = None, failed: bool = False) -> None:
        if self.done:
            return
        self.done, self.failed, self.value = True, failed, value
        callbacks, self._callbacks = self._callbacks, None
        for callback in callbacks or ():
            callback(self)


def completed(value: Any = None, failed: bool = False) -> Future:
    """An already resolved future (Task.FromResult, or a task faulted before it was scheduled)."""
    fut = Future()
    fut.resolve(value, failed)
    return fut


def when_all(children: list[Future]) -> Future:
    """Resolves once every child has, with their values; failed if any child failed."""
    result = Future()
    remaining = [len(children)]

    def child_done(_f: Future) -> None:
        remaining[0] -= 1
        if remaining[0] == 0:
            result.resolve([c.value for c in children], any(c.failed for c in children))

    if not children:
        result.resolve([])
    for child in children:
        child.on_done(child_done)
    return result


def when_any(children: list[Future]) -> Future:
    """Resolves with the first child to finish (the winning future itself, as Task.WhenAny)."""
    result = Future()
    for child in children:
        child.on_done(lambda f: result.resolve(f))
    return result
