"""DUR004: randomness and fresh ids in orchestrator code.

A replay draws a different value, so ids, choices and anything derived from them diverge from
what history recorded. ``random.Random(seed)`` with a seed (say, from the input) is fine.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.rules._calls import Patterns, banned_calls

if TYPE_CHECKING:
    from durable_lint.orchestrators import CodeUnit

CODE = "DUR004"

PATTERNS = Patterns(
    "random.*",
    "uuid.uuid1",
    "uuid.uuid4",
    "os.urandom",
    "os.getrandom",
    "secrets.*",
)
# ``random.seed(x)`` makes later draws repeatable, and a seeded ``Random(x)`` is deterministic.
_SEEDABLE = frozenset({"random.Random", "random.seed"})


def check(unit: CodeUnit) -> Iterator[Finding]:
    """Calls that draw random numbers or ids."""
    return banned_calls(unit, CODE, PATTERNS, only_bare=_SEEDABLE, module_objects=True)
