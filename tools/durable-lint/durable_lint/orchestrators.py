"""Finding orchestrator code: the only code the rules look at.

An orchestrator is a function decorated with ``@<app>.orchestration_trigger(...)`` (v2; what counts
as an app, a project's own ``Blueprint`` subclass included, is ``Project.is_app``) or passed to
``df.Orchestrator.create(...)`` (v1). Helpers defined in the same module and called from an
orchestrator, directly or through other helpers, are orchestrator code too. Activities, entities,
starters and plain modules never are: that is where I/O belongs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.names import SCOPE_NODES, ModuleNames, Resolver, walk_scope
from durable_lint.project import app_decorators
from durable_lint.rules.codes import message

if TYPE_CHECKING:
    from durable_lint.project import Project
    from durable_lint.registry import Registry

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(eq=False)
class CodeUnit:
    """One function to check: an orchestrator, or a helper that orchestrators call."""

    path: str
    func: Function
    orchestrators: tuple[str, ...]
    nodes: list[ast.AST]  # every node of the body, nested functions and lambdas included
    resolver: Resolver
    registry: Registry
    project: Project
    is_helper: bool = False

    @cached_property
    def calls(self) -> list[tuple[ast.Call, str | None]]:
        """Each call with the qualified name of what it calls (None when unresolved)."""
        return [
            (node, self.resolver.qualified(node.func))
            for node in self.nodes
            if isinstance(node, ast.Call)
        ]

    def finding(
        self, code: str, node: ast.AST, *, header_only: bool = False, **fields: str
    ) -> Finding:
        """A finding at ``node``; inside a helper, the message names its orchestrators."""
        text = message(code, **fields)
        who = ", ".join(f"`{name}`" for name in self.orchestrators)
        if self.is_helper:
            role = "orchestrator" if len(self.orchestrators) == 1 else "orchestrators"
            text += f" (in helper `{self.func.name}`, called from {role} {who})"
        line = node.lineno
        end = line if header_only else (node.end_lineno or line)
        return Finding(
            path=self.path,
            line=line,
            col=node.col_offset + 1,
            code=code,
            message=text,
            orchestrator=", ".join(self.orchestrators),
            end_line=end,
        )


def _v1_orchestrators(tree: ast.Module, names: ModuleNames) -> Iterator[str]:
    """Names of functions passed to ``df.Orchestrator.create`` at module level (the v1 model)."""
    if not any(q.startswith("azure.durable_functions") for q in names.imports.values()):
        return
    resolver = Resolver(names)
    statements = [s for s in tree.body if not isinstance(s, SCOPE_NODES)]
    for node in walk_scope(statements):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name)):
            continue
        callee = resolver.qualified(node.func) or ""
        if callee.startswith("azure.durable_functions.") and callee.endswith("Orchestrator.create"):
            yield node.args[0].id


class _Scopes:
    """Each function's nodes and resolver, computed once however many times it is reached."""

    def __init__(self, names: ModuleNames) -> None:
        self.names = names
        self._cache: dict[str, tuple[list[ast.AST], Resolver]] = {}

    def __getitem__(self, name: str) -> tuple[list[ast.AST], Resolver]:
        if name not in self._cache:
            func = self.names.functions[name]
            nodes = list(walk_scope(func.body))
            self._cache[name] = nodes, Resolver(self.names, func, nodes)
        return self._cache[name]

    def called_helpers(self, name: str, candidates: dict[str, Function]) -> Iterator[str]:
        """Module functions that ``name`` calls by name (``helper()``, ``yield from helper()``)."""
        nodes, resolver = self[name]
        for node in nodes:
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in candidates
                and node.func.id not in resolver.local_names
            ):
                yield node.func.id


def find_code_units(
    path: str, tree: ast.Module, names: ModuleNames, registry: Registry, project: Project
) -> list[CodeUnit]:
    """The orchestrators of one module, then the helpers they reach, each checked once."""
    orchestrators: dict[str, Function] = {}
    registered: set[str] = set()
    for name, func in names.functions.items():
        methods = {method for method, _ in app_decorators(func, names, project)}
        if "orchestration_trigger" in methods:
            orchestrators[name] = func
        elif methods:
            registered.add(name)  # an activity, entity or HTTP function: not orchestrator code
    for name in _v1_orchestrators(tree, names):
        if name in names.functions:
            orchestrators[name] = names.functions[name]

    candidates = {
        name: func
        for name, func in names.functions.items()
        if name not in orchestrators and name not in registered
    }
    scopes = _Scopes(names)
    callers: dict[str, list[str]] = {}
    for orchestrator in orchestrators:
        pending, seen = [orchestrator], set()
        while pending:
            for helper in scopes.called_helpers(pending.pop(), candidates):
                if helper not in seen:
                    seen.add(helper)
                    pending.append(helper)
                    callers.setdefault(helper, []).append(orchestrator)

    units = [
        CodeUnit(path, func, (name,), *scopes[name], registry, project)
        for name, func in orchestrators.items()
    ]
    units += [
        CodeUnit(
            path, candidates[name], tuple(who), *scopes[name], registry, project, is_helper=True
        )
        for name, who in callers.items()
    ]
    return units
