"""DUR002: blocking waits in orchestrator code.

A sleep holds the worker and is not recorded, so each replay sleeps again; a durable timer is
recorded once and costs nothing while it waits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.rules._calls import Patterns, banned_calls

if TYPE_CHECKING:
    from durable_lint.orchestrators import CodeUnit

CODE = "DUR002"

PATTERNS = Patterns("time.sleep", "asyncio.sleep", "threading.Event().wait")


def check(unit: CodeUnit) -> Iterator[Finding]:
    """Calls that sleep or block."""
    return banned_calls(unit, CODE, PATTERNS, module_objects=True)
