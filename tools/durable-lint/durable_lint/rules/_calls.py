"""Shared by the rules that ban calls by qualified name (DUR001-DUR006)."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.names import root_name

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


def module_object(unit: CodeUnit, func: ast.expr) -> str | None:
    """What built the module-level object a method is called on, if the call is on one.

    ``requests.Session`` for ``session.get(...)`` after ``session = requests.Session()`` at
    module level, in this module or in one it imports from (``from app.clients import
    session``). Not for ``requests.Session().get(...)``: that inner call is reported itself.
    """
    if not isinstance(func, ast.Attribute) or root_name(func) is None:
        return None
    receiver = unit.resolver.qualified(func.value)
    if receiver is None:
        return None
    if "()" in receiver:
        return receiver.split("()", 1)[0]
    made = unit.project.module_object(receiver)
    return made.split("()", 1)[0] if made else None


def banned_calls(
    unit: CodeUnit,
    code: str,
    patterns: Patterns,
    *,
    only_bare: Collection[str] = (),
    module_objects: bool = False,
) -> Iterator[Finding]:
    """Findings for each call in ``unit`` whose qualified name matches ``patterns``.

    Names in ``only_bare`` fire only when called without arguments: ``time.localtime(0)`` formats
    a given time and ``random.Random(seed)`` is seeded, while ``time.localtime()`` and
    ``random.Random()`` are not replay-safe. With ``module_objects``, a method called on a
    module-level object that a banned call built (``session.get`` on ``session =
    requests.Session()``) fires too, seeded or not: the object outlives replays and instances.
    """
    for call, qualified in unit.calls:
        if qualified and qualified in patterns:
            if qualified in only_bare and (call.args or call.keywords):
                continue
            yield unit.finding(code, call, name=qualified.removeprefix("builtins."))
            continue
        made = module_object(unit, call.func) if module_objects else None
        if made and made in patterns:
            name = f"{display(call.func)}` on module-level `{made.removeprefix('builtins.')}()"
            yield unit.finding(code, call, name=name)
