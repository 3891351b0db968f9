"""DUR007: a durable task that is created but never yielded or collected.

Creating a task only schedules it; the orchestrator never gets its result or its failure, and
a task list that never reaches ``task_all``/``task_any`` is a fan-out without a fan-in. An
orchestrator that returns its tasks (``return [r1, r2]``) without yielding them has the same
problem, and its output is task objects rather than results. So does a loop over a task
(``x = context.task_all(ts)``, then ``for y in x``): it iterates the task, not its results. A
helper may hand its tasks back: its caller collects them.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.names import SCOPE_NODES, walk_scope
from durable_lint.rules._calls import TASK_METHODS, display, method_name

if TYPE_CHECKING:
    from durable_lint.orchestrators import CodeUnit

CODE = "DUR007"

_COLLECTING = frozenset({"append", "extend", "insert"})


def _task_call(node: ast.AST | None) -> ast.Call | None:
    """The durable task call in ``node``: the call itself, or one inside a list/comprehension."""
    if method_name(node) in TASK_METHODS:
        return node  # type: ignore[return-value]
    if isinstance(node, ast.List | ast.Tuple):
        return next(filter(None, (_task_call(e) for e in node.elts)), None)
    if isinstance(node, ast.ListComp | ast.GeneratorExp):
        return _task_call(node.elt)
    return None


def _receiver(node: ast.Call) -> str | None:
    """``tasks`` for ``tasks.append(...)``."""
    func = node.func
    if (
        isinstance(func, ast.Attribute)
        and func.attr in _COLLECTING
        and isinstance(func.value, ast.Name)
    ):
        return func.value.id
    return None


def _returned(unit: CodeUnit) -> tuple[list[ast.Call], set[int]]:
    """In an orchestrator's own ``return`` values, outside any ``yield``: the task calls, and the
    ids of the names read there (``r1`` in ``return [r1, r2]``)."""
    if unit.is_helper:
        return [], set()
    stop = (*SCOPE_NODES, ast.Yield, ast.YieldFrom, ast.Await)
    calls: list[ast.Call] = []
    names: set[int] = set()
    inside_calls: set[int] = set()  # ``tasks`` in ``return context.task_all(tasks)``: one finding
    for node in walk_scope(unit.func.body, SCOPE_NODES):  # not the returns of nested functions
        if isinstance(node, ast.Return) and node.value is not None:
            for inner in walk_scope([node.value], stop):
                if method_name(inner) in TASK_METHODS:
                    calls.append(inner)  # type: ignore[arg-type]
                    inside_calls |= {id(n) for n in ast.walk(inner)}
                elif isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Load):
                    names.add(id(inner))
    return calls, names - inside_calls


def _iterated(unit: CodeUnit) -> Iterator[tuple[ast.expr, ast.Call]]:
    """``(iterable, task)`` where a loop or comprehension iterates one task instead of its
    result: ``for y in context.task_all(ts)``, or ``x = context.task_all(ts)`` then ``for y in
    x`` with ``x`` bound nowhere else (``x = yield x`` first makes ``x`` the results)."""
    bindings = Counter(
        node.id
        for node in unit.nodes
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)
    )
    single: dict[str, ast.Call] = {}
    for node in unit.nodes:
        if isinstance(node, ast.Assign) and method_name(node.value) in TASK_METHODS:
            for target in node.targets:
                if isinstance(target, ast.Name) and bindings[target.id] == 1:
                    single[target.id] = node.value  # type: ignore[assignment]
    for node in unit.nodes:
        if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            iterable = node.iter
            if method_name(iterable) in TASK_METHODS:
                yield iterable, iterable  # type: ignore[misc]
            elif isinstance(iterable, ast.Name) and iterable.id in single:
                yield iterable, single[iterable.id]


def check(unit: CodeUnit) -> Iterator[Finding]:
    """Bare task statements, task variables or lists never read, returned tasks, and tasks
    iterated instead of yielded."""
    for iterable, task in _iterated(unit):
        yield unit.finding(CODE, iterable, name=display(task.func))
    stored: dict[str, ast.Call] = {}  # variable -> first task put into it
    collecting_reads: set[int] = set()  # ids of Name nodes that are just ``tasks`` in .append
    for node in unit.nodes:
        if isinstance(node, ast.Expr) and method_name(node.value) in TASK_METHODS:
            yield unit.finding(CODE, node.value, name=display(node.value.func))
        elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.expr):
            task = _task_call(node.value)
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if task is not None and isinstance(target, ast.Name):
                    stored.setdefault(target.id, task)
        elif isinstance(node, ast.Call) and (name := _receiver(node)):
            collecting_reads.add(id(node.func.value))  # type: ignore[union-attr]
            task = next(filter(None, (_task_call(a) for a in node.args)), None)
            if task is not None:
                stored.setdefault(name, task)
    returned_calls, returned_reads = _returned(unit)
    for call in returned_calls:
        yield unit.finding(CODE, call, name=display(call.func))
    if not stored:
        return
    read = {
        node.id
        for node in unit.nodes
        if isinstance(node, ast.Name)
        and isinstance(node.ctx, ast.Load)
        and id(node) not in collecting_reads
        and id(node) not in returned_reads
    }
    for name, task in stored.items():
        if name not in read:
            yield unit.finding(CODE, task, name=display(task.func))
