"""DUR006: threads, processes and async code in orchestrator code.

The replay can only record durable tasks: work on another thread or process runs again on every
replay, and its results arrive in a different order. The Python SDK drives orchestrators as
generators, so an ``async def`` orchestrator never runs as intended.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.rules._calls import Patterns, banned_calls

if TYPE_CHECKING:
    from durable_lint.orchestrators import CodeUnit

CODE = "DUR006"

PATTERNS = Patterns(
    "threading.Thread",
    "threading.Timer",
    "_thread.start_new_thread",
    "concurrent.futures.*",
    "multiprocessing.*",
    "subprocess.*",
    "os.system",
    "os.popen",
    "os.fork",
    "asyncio.run",
    "asyncio.gather",
    "asyncio.create_task",
    "asyncio.ensure_future",
    "asyncio.new_event_loop",
    "asyncio.get_event_loop",
    "asyncio.run_coroutine_threadsafe",
    "asyncio.to_thread",
    "asyncio.wait",
    "asyncio.wait_for",
)


def check(unit: CodeUnit) -> Iterator[Finding]:
    """Thread, process and event-loop calls; ``async def`` orchestrators."""
    if isinstance(unit.func, ast.AsyncFunctionDef) and not unit.is_helper:
        yield unit.finding(CODE, unit.func, header_only=True, name=f"async def {unit.func.name}")
    yield from banned_calls(unit, CODE, PATTERNS, module_objects=True)
