"""DUR008: an activity or sub-orchestrator name that nothing registers.

The host schedules the task and nobody picks it up: the orchestration waits forever, with no
error to read. Only string literals are checked (a function object is checked by the SDK), and
only against a kind the scanned files register at least once, so linting one folder of a
larger app does not report the names defined elsewhere.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.rules._calls import method_name

if TYPE_CHECKING:
    from durable_lint.orchestrators import CodeUnit

CODE = "DUR008"

_KIND = {
    "call_activity": "activity",
    "call_activity_with_retry": "activity",
    "call_sub_orchestrator": "orchestration",
    "call_sub_orchestrator_with_retry": "orchestration",
}


def _name_argument(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((kw.value for kw in call.keywords if kw.arg == "name"), None)


def check(unit: CodeUnit) -> Iterator[Finding]:
    """String names in ``call_activity``/``call_sub_orchestrator`` that are not registered."""
    for call, _ in unit.calls:
        kind_name = _KIND.get(method_name(call) or "")
        if kind_name is None:
            continue
        kind = unit.registry.kinds[kind_name]
        argument = _name_argument(call)
        if not kind.checkable or not isinstance(argument, ast.Constant):
            continue
        if not isinstance(argument.value, str) or argument.value.casefold() in kind.names:
            continue
        close = kind.closest(argument.value)
        hint = f" (did you mean '{close}'?)" if close else ""
        yield unit.finding(CODE, argument, kind=kind_name, name=argument.value, hint=hint)
