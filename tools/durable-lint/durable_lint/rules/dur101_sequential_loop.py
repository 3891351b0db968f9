"""DUR101: a loop that awaits independent durable calls one at a time.

Every ``yield`` ends an episode, and the next episode replays the orchestrator from the start:
N sequential awaits cost N+1 episodes and N(N+1)/2 replayed iterations, where scheduling them
all and yielding ``task_all`` once costs about three. The rule fires only when fanning out is
clearly possible: the yielded call's arguments do not depend on a value produced by a yield in
an earlier iteration, the loop's condition and exits do not depend on such a value, and the
loop does not wait for timers, events or races (polling and approval loops are sequential by
design). A dependent chain (``x = yield call(..., x)``) is left alone.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.names import SCOPE_NODES, names_in, root_name, target_names, walk_scope
from durable_lint.rules._calls import DURABLE_CALLS, display, method_name

if TYPE_CHECKING:
    from durable_lint.orchestrators import CodeUnit

CODE = "DUR101"

_SEQUENTIAL_BY_DESIGN = frozenset(
    {"create_timer", "wait_for_external_event", "task_any", "continue_as_new"}
)
_MUTATORS = frozenset(
    {"append", "extend", "insert", "add", "update", "setdefault", "appendleft", "extendleft"}
)
_LOOPS = (ast.For, ast.While)
_NOT_INTO_LOOPS = (*SCOPE_NODES, *_LOOPS)  # ``walk_scope`` stops: this loop's own nodes only


def _has_yield(nodes: Iterable[ast.AST]) -> bool:
    return any(
        isinstance(n, ast.Yield | ast.YieldFrom | ast.Await) for n in walk_scope(nodes, SCOPE_NODES)
    )


def _refs(nodes: Iterable[ast.AST | None]) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        found |= names_in(node)
    return found


def _bindings(node: ast.AST) -> Iterator[tuple[set[str], list[ast.AST], bool]]:
    """What ``node`` binds: ``(names, sources, replaces)``; ``replaces`` is a fresh value."""
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            names = set(target_names(target))
            replaces = bool(names) and not isinstance(node, ast.AugAssign)
            names |= {root for root in [root_name(target)] if root}
            yield names, [node.value], replaces
    elif isinstance(node, ast.NamedExpr):
        yield {node.target.id}, [node.value], True
    elif isinstance(node, ast.For):
        yield set(target_names(node.target)), [node.iter], True
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        yield set(target_names(node.optional_vars)), [node.context_expr], True
    elif isinstance(node, ast.Call) and method_name(node) in _MUTATORS:
        root = root_name(node.func.value)  # type: ignore[union-attr]
        if root:
            yield {root}, [*node.args, *(kw.value for kw in node.keywords)], False


def _tainted(every: list[ast.AST]) -> set[str]:
    """Names that may hold a value produced by a yield somewhere in the loop body."""
    effects = [
        (names, _has_yield(sources), _refs(sources))
        for node in every
        for names, sources, _ in _bindings(node)
    ]
    tainted: set[str] = set()
    changed = True
    while changed:
        changed = False
        for names, from_yield, refs in effects:
            if names - tainted and (from_yield or refs & tainted):
                tainted |= names
                changed = True
    return tainted


@dataclass
class _Loop:
    """One loop's analysis: per candidate call (by ``id``), whether it is independent."""

    tainted: set[str]
    independent: dict[int, bool]
    exits_on_result: bool = False

    def classify(self, node: ast.AST, carried: set[str]) -> None:
        for inner in walk_scope([node], _NOT_INTO_LOOPS):
            if id(inner) in self.independent and isinstance(inner, ast.Call):
                args = [*inner.args, *(kw.value for kw in inner.keywords)]
                self.independent[id(inner)] = not (_refs(args) & carried)

    def effects(self, node: ast.AST, carried: set[str]) -> None:
        for inner in walk_scope([node], _NOT_INTO_LOOPS):
            for names, sources, replaces in _bindings(inner):
                if _refs(sources) & carried:
                    carried |= names
                elif replaces:
                    carried -= names

    def visit(self, stmts: list[ast.stmt], carried: set[str]) -> set[str]:
        """Walk the body in order; ``carried`` = names that may still hold an earlier result."""
        for stmt in stmts:
            if isinstance(stmt, SCOPE_NODES):
                continue
            if isinstance(stmt, ast.If):
                self.classify(stmt.test, carried)
                if names_in(stmt.test) & self.tainted and any(
                    isinstance(n, ast.Raise)
                    for n in walk_scope(stmt.body + stmt.orelse, SCOPE_NODES)
                ):
                    self.exits_on_result = True
                carried = self.visit(stmt.body, set(carried)) | self.visit(
                    stmt.orelse, set(carried)
                )
            elif isinstance(stmt, _LOOPS):
                header = stmt.iter if isinstance(stmt, ast.For) else stmt.test
                self.classify(header, carried)
                inner = set(carried)
                if isinstance(stmt, ast.For):
                    self.effects(stmt, inner)
                carried = carried | self.visit(stmt.body, inner) | self.visit(stmt.orelse, inner)
            elif isinstance(stmt, ast.Try | ast.TryStar):
                after_body = self.visit(stmt.body, set(carried))
                merged = carried | after_body | self.visit(stmt.orelse, set(after_body))
                for handler in stmt.handlers:
                    merged |= self.visit(handler.body, carried | after_body)
                carried = self.visit(stmt.finalbody, merged)
            elif isinstance(stmt, ast.With):
                for item in stmt.items:
                    self.classify(item.context_expr, carried)
                    self.effects(item, carried)
                carried = self.visit(stmt.body, carried)
            elif isinstance(stmt, ast.Match):
                self.classify(stmt.subject, carried)
                merged = set(carried)
                for case in stmt.cases:
                    merged |= self.visit(case.body, set(carried))
                carried = merged
            else:
                self.classify(stmt, carried)
                self.effects(stmt, carried)
        return carried


def _candidates(own: list[ast.AST]) -> list[ast.Call]:
    """Durable calls this loop yields itself (not those of a nested loop), in source order."""
    created = {
        target.id: node.value
        for node in own
        if isinstance(node, ast.Assign) and method_name(node.value) in DURABLE_CALLS
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found: list[ast.Call] = []
    for node in own:
        if not isinstance(node, ast.Yield):
            continue
        if method_name(node.value) in DURABLE_CALLS:
            found.append(node.value)  # type: ignore[arg-type]
        elif isinstance(node.value, ast.Name) and node.value.id in created:
            found.append(created[node.value.id])  # type: ignore[arg-type]
    return sorted(found, key=lambda call: (call.lineno, call.col_offset))


def _sequential_by_design(every: list[ast.AST], own: list[ast.AST]) -> bool:
    """Loops that wait for timers or events, or leave early (``break``/``return``)."""
    for node in every:
        if method_name(node) in _SEQUENTIAL_BY_DESIGN or isinstance(node, ast.Return):
            return True
    return any(isinstance(node, ast.Break) for node in own)


def _check_loop(loop: ast.For | ast.While) -> ast.Call | None:
    """The first independent durable call the loop awaits, if fanning out is clearly possible."""
    own = list(walk_scope(loop.body, _NOT_INTO_LOOPS))
    candidates = _candidates(own)
    if not candidates:
        return None
    every = list(walk_scope(loop.body, SCOPE_NODES))
    if _sequential_by_design(every, own):
        return None
    tainted = _tainted(every)
    if isinstance(loop, ast.While):
        test = loop.test
        if names_in(test) & tainted or any(
            isinstance(n, ast.Attribute) and n.attr == "current_utc_datetime"
            for n in ast.walk(test)
        ):
            return None
        carried = set(tainted)
    else:
        if names_in(loop.iter) & tainted:
            return None
        carried = tainted - set(target_names(loop.target))
    analysis = _Loop(tainted, {id(c): False for c in candidates})
    analysis.visit(loop.body, carried)
    if analysis.exits_on_result:
        return None
    return next((c for c in candidates if analysis.independent[id(c)]), None)


def check(unit: CodeUnit) -> Iterator[Finding]:
    """Loops whose awaited durable calls could all be scheduled at once."""
    for node in unit.nodes:
        if isinstance(node, _LOOPS):
            call = _check_loop(node)
            if call is not None:
                yield unit.finding(CODE, node, header_only=True, name=display(call.func))
