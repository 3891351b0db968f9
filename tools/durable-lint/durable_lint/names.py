"""Name resolution: turn ``r.post`` into ``requests.post`` by following imports and aliases.

Rules match qualified names, never spellings, so ``import requests as r`` is caught and a local
variable that happens to be called ``requests`` is not. When a name is bound in more than one
way (imported, then reassigned) it is left unresolved: a rule that cannot be sure stays quiet.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
SCOPE_NODES = (*FUNCTION_NODES, ast.ClassDef)

# Builtins that rules care about, resolved only when nothing in the module rebinds them.
_BUILTINS = frozenset({"open"})


def import_bindings(node: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, str]]:
    """The (local name, qualified name) pairs an import statement binds."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                yield alias.asname, alias.name
            else:  # ``import a.b.c`` binds ``a``, through which ``a.b.c`` is reached
                root = alias.name.split(".", 1)[0]
                yield root, root
        return
    prefix = "." * node.level + (f"{node.module}." if node.module else "")
    for alias in node.names:
        if alias.name != "*":
            yield alias.asname or alias.name, prefix + alias.name


def target_names(target: ast.expr) -> Iterator[str]:
    """Names an assignment target binds (``a``, ``a, b``, ``*rest``); not ``x.y`` or ``x[i]``."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)


def root_name(expr: ast.expr) -> str | None:
    """The variable an attribute or subscript chain hangs off: ``rows`` for ``rows[0].x``."""
    while isinstance(expr, ast.Attribute | ast.Subscript | ast.Starred):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def names_in(node: ast.AST | None) -> set[str]:
    """Every variable name an expression reads."""
    if node is None:
        return set()
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def walk_scope(nodes: Iterable[ast.AST], stop: tuple[type[ast.AST], ...] = ()) -> Iterator[ast.AST]:
    """``ast.walk`` over several roots, in source order (findings come out in reading order).

    A node of a ``stop`` type is yielded but not entered: ``SCOPE_NODES`` keeps to one scope.
    """
    stack = list(nodes)
    stack.reverse()
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, stop):
            children = list(ast.iter_child_nodes(node))
            children.reverse()
            stack.extend(children)


def _module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Top-level statements, including those nested in module-level if/try/with blocks."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, SCOPE_NODES):
            continue
        for name in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(stmt, name, None)
            if isinstance(inner, list):
                nested = [n.body if isinstance(n, ast.ExceptHandler) else [n] for n in inner]
                yield from _module_statements([s for group in nested for s in group])


def module_name(path: str) -> str:
    """The dotted module a file path stands for: ``app/clients.py`` -> ``app.clients``.

    Leading ``..`` and absolute parts are kept as folders; lookups match on the last parts
    (see ``Project``), so ``src/mylib/__init__.py`` is found as ``mylib`` too.
    """
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if parts and parts[-1].endswith(".py"):
        parts[-1] = parts[-1][: -len(".py")]
    if len(parts) > 1 and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@dataclass
class ModuleNames:
    """What the module binds at top level: imports, classes, functions, and ``x = call()`` callees.

    ``callees`` maps a name bound once, to a call, to what was called: ``requests.Session`` for
    ``session = requests.Session()``, so a method called on it later resolves through it.
    """

    module: str = ""
    is_package: bool = False
    imports: dict[str, str] = field(default_factory=dict)
    assigned: set[str] = field(default_factory=set)
    callees: dict[str, str] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    values: dict[str, ast.expr] = field(default_factory=dict)  # ``x = <expr>``, bound once

    @classmethod
    def of(cls, tree: ast.Module, path: str = "") -> ModuleNames:
        """Collect the module's top-level bindings; ``path`` names the module (relative imports)."""
        names = cls(module_name(path), path.endswith("__init__.py"))
        bound: Counter[str] = Counter()
        call_assigns: list[tuple[str, ast.Call]] = []
        for stmt in _module_statements(tree.body):
            if isinstance(stmt, ast.Import | ast.ImportFrom):
                for local, qualified in import_bindings(stmt):
                    names.imports[local] = qualified
                    bound[local] += 1
            elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                names.assigned.add(stmt.name)
                names.functions.setdefault(stmt.name, stmt)
                bound[stmt.name] += 1  # ``def session()`` after ``session = Session()`` rebinds it
            elif isinstance(stmt, ast.ClassDef):
                names.assigned.add(stmt.name)
                names.classes.setdefault(stmt.name, stmt)
                bound[stmt.name] += 1
            elif isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for target in targets:
                    names.assigned.update(target_names(target))
                    bound.update(target_names(target))
                    if isinstance(target, ast.Name) and isinstance(stmt.value, ast.Call):
                        call_assigns.append((target.id, stmt.value))
                    if isinstance(target, ast.Name) and stmt.value is not None:
                        names.values.setdefault(target.id, stmt.value)
            elif isinstance(stmt, ast.For | ast.AsyncFor):
                names.assigned.update(target_names(stmt.target))
                bound.update(target_names(stmt.target))
            elif isinstance(stmt, ast.With | ast.AsyncWith):
                for item in stmt.items:
                    if item.optional_vars is not None:
                        names.assigned.update(target_names(item.optional_vars))
                        bound.update(target_names(item.optional_vars))
        for name in names.assigned & names.imports.keys():
            del names.imports[name]  # bound two ways: ambiguous, so never resolved
        names.values = {n: v for n, v in names.values.items() if bound[n] == 1}
        module_scope = Resolver(names)
        for name, call in call_assigns:  # in order, so ``c = client.sub()`` chains through
            callee = module_scope.qualified(call.func) or names._own_function(call.func)
            if callee and bound[name] == 1:
                names.callees[name] = callee
        return names

    def _own_function(self, func: ast.expr) -> str | None:
        """``pkg.apps.make_blueprint`` for ``make_blueprint`` defined in this module (a factory)."""
        if isinstance(func, ast.Name) and func.id in self.functions and self.module:
            return f"{self.module}.{func.id}"
        return None

    def absolute(self, qualified: str) -> str:
        """``pkg.blueprint.Blueprint`` for ``.blueprint.Blueprint`` imported in ``pkg``."""
        if not qualified.startswith("."):
            return qualified
        rest = qualified.lstrip(".")
        level = len(qualified) - len(rest)
        package = self.module.split(".") if self.is_package else self.module.split(".")[:-1]
        base = package[: max(0, len(package) - (level - 1))]
        return ".".join([*base, rest]) if rest else ".".join(base)


class Resolver:
    """Resolves expressions to qualified names inside one function (or at module level)."""

    def __init__(
        self,
        module: ModuleNames,
        func: ast.FunctionDef | ast.AsyncFunctionDef | None = None,
        body_nodes: Iterable[ast.AST] | None = None,
    ) -> None:
        self.module = module
        self.local_imports: dict[str, str] = {}
        self.local_names: set[str] = set()
        if func is not None:
            self._collect_locals(func, walk_scope(func.body) if body_nodes is None else body_nodes)

    def _collect_locals(
        self, func: ast.FunctionDef | ast.AsyncFunctionDef, body_nodes: Iterable[ast.AST]
    ) -> None:
        """Parameters and every name bound anywhere in the function, nested scopes included."""
        args = func.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None:
                self.local_names.add(arg.arg)
        for node in body_nodes:
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                self.local_names.add(node.id)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                self.local_imports.update(import_bindings(node))
            elif isinstance(node, SCOPE_NODES) and not isinstance(node, ast.Lambda):
                self.local_names.add(node.name)
            elif isinstance(node, ast.arg):
                self.local_names.add(node.arg)
            elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
                self.local_names.add(node.name)
        for name in self.local_names & self.local_imports.keys():
            del self.local_imports[name]

    def name(self, identifier: str) -> str | None:
        """The qualified name a bare identifier refers to, or None if unknown or local."""
        if identifier in self.local_imports:
            return self.local_imports[identifier]
        if identifier in self.local_names:
            return None
        if identifier in self.module.imports:
            return self.module.imports[identifier]
        if identifier in self.module.callees:  # a module-level object: ``session`` -> ``...()``
            return f"{self.module.callees[identifier]}()"
        if identifier in self.module.classes and self.module.module:
            return f"{self.module.module}.{identifier}"
        if identifier in _BUILTINS and identifier not in self.module.assigned:
            return f"builtins.{identifier}"
        return None

    def qualified(self, expr: ast.expr) -> str | None:
        """``requests.post`` for ``r.post``; ``threading.Event().wait`` for a call chain."""
        if isinstance(expr, ast.Name):
            return self.name(expr.id)
        if isinstance(expr, ast.Attribute):
            base = self.qualified(expr.value)
            return f"{base}.{expr.attr}" if base else None
        if isinstance(expr, ast.Call):
            base = self.qualified(expr.func)
            return f"{base}()" if base else None
        return None
