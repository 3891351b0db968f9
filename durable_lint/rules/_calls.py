"""Shared by the rules that ban calls by qualified name (DUR001-DUR006)."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from durable_lint.findings import Finding

if TYPE_CHECKING:
    from durable_lint.orchestrators import CodeUnit

# Durable task methods of the orchestration context.
DURABLE_CALLS = frozenset(
    {
        "call_activity",
        "call_activity_with_retry",
        "call_http",
        "call_sub_orchestrator",
        "call_sub_orchestrator_with_retry",
    }
)
TASK_METHODS = DURABLE_CALLS | {
    "call_entity",
    "create_timer",
    "wait_for_external_event",
    "task_all",
    "task_any",
}


def method_name(node: ast.AST) -> str | None:
    """``call_activity`` for ``context.call_activity(...)``; None for other nodes."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def display(node: ast.expr) -> str:
    """Source text of a callee, for messages."""
    return ast.unparse(node)


class Patterns:
    """Qualified names to match: exact (``time.sleep``) or a whole module (``subprocess.*``).

    A module pattern never matches through a call (``requests.Session().get``): the inner call
    already fired, and one finding per mistake is enough.
    """

    def __init__(self, *patterns: str) -> None:
        self.exact = frozenset(p for p in patterns if not p.endswith(".*"))
        self.prefixes = tuple(p[:-1] for p in patterns if p.endswith(".*"))

    def __contains__(self, qualified: str) -> bool:
        if qualified in self.exact:
            return True
        return "()" not in qualified and qualified.startswith(self.prefixes)


def banned_calls(
    unit: CodeUnit, code: str, patterns: Patterns, *, only_bare: Collection[str] = ()
) -> Iterator[Finding]:
    """Findings for each call in ``unit`` whose qualified name matches ``patterns``.

    Names in ``only_bare`` fire only when called without arguments: ``time.localtime(0)`` formats
    a given time and ``random.Random(seed)`` is seeded, while ``time.localtime()`` and
    ``random.Random()`` are not replay-safe.
    """
    for call, qualified in unit.calls:
        if not qualified or qualified not in patterns:
            continue
        if qualified in only_bare and (call.args or call.keywords):
            continue
        yield unit.finding(code, call, name=qualified.removeprefix("builtins."))
