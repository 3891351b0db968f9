"""Every rule by code (``RULES``): one module per rule, each with ``CODE`` and ``check(unit)``.

The codes and their messages are in ``codes``; nothing in ``durable_lint.rules`` imports this
module but the checker, so a rule module may import its siblings without an import cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import ModuleType
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.rules import (
    dur001_io,
    dur002_blocking_wait,
    dur003_wall_clock,
    dur004_randomness,
    dur005_environment,
    dur006_concurrency,
    dur007_task_never_awaited,
    dur008_unknown_name,
    dur101_sequential_loop,
)

if TYPE_CHECKING:
    from durable_lint.orchestrators import CodeUnit

_MODULES: tuple[ModuleType, ...] = (
    dur001_io,
    dur002_blocking_wait,
    dur003_wall_clock,
    dur004_randomness,
    dur005_environment,
    dur006_concurrency,
    dur007_task_never_awaited,
    dur008_unknown_name,
    dur101_sequential_loop,
)

Check = Callable[["CodeUnit"], Iterable[Finding]]
RULES: dict[str, Check] = {module.CODE: module.check for module in _MODULES}

__all__ = ["RULES", "Check"]
