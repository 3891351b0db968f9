"""DUR003: reading the wall clock in orchestrator code.

Each replay reads a different time, so a decision or timer based on it can change between
replays; ``context.current_utc_datetime`` replays the time recorded in history.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.rules._calls import Patterns, banned_calls

if TYPE_CHECKING:
    from durable_lint.orchestrators import CodeUnit

CODE = "DUR003"

PATTERNS = Patterns(
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "time.time",
    "time.time_ns",
    "time.monotonic",
    "time.monotonic_ns",
    "time.perf_counter",
    "time.perf_counter_ns",
    "time.localtime",
    "time.gmtime",
    "time.ctime",
)
# These format a time given as an argument; only their no-argument form reads the clock.
_CLOCK_WITHOUT_ARGS = frozenset({"time.localtime", "time.gmtime", "time.ctime"})


def check(unit: CodeUnit) -> Iterator[Finding]:
    """Calls that read the current time."""
    return banned_calls(unit, CODE, PATTERNS, only_bare=_CLOCK_WITHOUT_ARGS)
