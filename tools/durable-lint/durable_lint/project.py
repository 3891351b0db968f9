"""What one module needs to know about the others: app classes and module-level objects.

A project wraps the SDK (``class Blueprint(df.Blueprint)`` in ``mylib``, then ``from mylib
import Blueprint; bp = Blueprint()``) and builds clients once (``session = requests.Session()``
in ``clients.py``). Every scanned module is indexed by its dotted name and each shorter tail of
it, so ``mylib`` finds ``src/mylib/__init__.py`` without knowing the import roots.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from durable_lint.names import SCOPE_NODES, ModuleNames, Resolver, walk_scope

Function = ast.FunctionDef | ast.AsyncFunctionDef

# The SDK's app classes, for a wrapper the scanned files do not define (an installed package).
APP_CLASS_NAMES = frozenset(
    {"DFApp", "Blueprint", "FunctionApp", "AsgiFunctionApp", "WsgiFunctionApp"}
)
_MAX_HOPS = 8  # re-exports and subclasses followed before giving up (and cycles end here)


@dataclass
class Project:
    """Every scanned module, by dotted name and by each tail of it."""

    _modules: dict[str, list[ModuleNames]] = field(default_factory=dict)

    def add(self, names: ModuleNames) -> None:
        parts = names.module.split(".")
        for start in range(len(parts)):
            self._modules.setdefault(".".join(parts[start:]), []).append(names)

    def _owners(self, qualified: str) -> list[tuple[ModuleNames, str]]:
        """``(module, name)`` for each scanned module that could define ``qualified``."""
        module, _, name = qualified.rpartition(".")
        return [(names, name) for names in self._modules.get(module, [])] if module else []

    def is_app_class(self, qualified: str, hops: int = 0) -> bool | None:
        """Whether calling ``qualified`` makes a Functions app: an app class, or a factory
        function that returns one (``bp = make_blueprint()``); None when no scanned file says."""
        if qualified.startswith("azure."):
            return True
        if hops > _MAX_HOPS:
            return None
        for names, name in self._owners(qualified):
            if name in names.functions:
                return self._returns_app(names, names.functions[name], hops + 1)
            if name in names.classes:
                resolver = Resolver(names)
                bases = [resolver.qualified(base) for base in names.classes[name].bases]
                return any(
                    self.is_app_class(names.absolute(base), hops + 1)
                    for base in bases
                    if base and base != qualified
                )
            if name in names.imports:
                return self.is_app_class(names.absolute(names.imports[name]), hops + 1)
        return None

    def _returns_app(self, names: ModuleNames, func: Function, hops: int) -> bool:
        """A factory returns an app if its return annotation is an app class, or if it returns
        a call to one, directly or through a local: ``bp = df.Blueprint(); ...; return bp``."""
        resolver = Resolver(names, func)
        made: dict[str, ast.expr] = {}  # local name -> what a plain assignment called
        returned: list[ast.expr] = []
        for node in walk_scope(func.body, SCOPE_NODES):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        made[target.id] = node.value.func
            elif isinstance(node, ast.Return) and isinstance(node.value, ast.Call | ast.Name):
                returned.append(node.value)
        callees = [func.returns] if func.returns is not None else []
        for value in returned:
            if isinstance(value, ast.Call):
                callees.append(value.func)
            elif value.id in made:
                callees.append(made[value.id])
        module_scope = Resolver(names)
        for callee in callees:
            qualified = module_scope.qualified(callee) if callee is func.returns else None
            qualified = qualified or resolver.qualified(callee)
            if qualified and self.is_app_class(names.absolute(qualified), hops) is True:
                return True
        return False

    def is_app(self, receiver: ast.expr, names: ModuleNames) -> bool:
        """Whether ``receiver`` can be a Functions app or blueprint (``df.Blueprint``).

        Bound to an ``azure.*`` constructor or to a class that subclasses one, or imported from
        elsewhere (``from function_app import app``): yes. Bound to a class whose definition was
        not scanned: yes if it carries an SDK class's name. Bound to anything else, e.g.
        ``app = MyRouter()``: no.
        """
        if isinstance(receiver, ast.Name):
            if receiver.id in names.callees:
                callee = names.absolute(names.callees[receiver.id])
                known = self.is_app_class(callee)
                return known if known is not None else callee.split(".")[-1] in APP_CLASS_NAMES
            return receiver.id not in names.assigned
        return isinstance(receiver, ast.Attribute)

    def module_object(self, qualified: str, hops: int = 0) -> str | None:
        """What built the module-level object ``qualified`` (``app.clients.session``), if known."""
        if hops > _MAX_HOPS:
            return None
        for names, name in self._owners(qualified):
            if name in names.callees:
                return names.absolute(names.callees[name])
            if name in names.imports:
                return self.module_object(names.absolute(names.imports[name]), hops + 1)
        return None


def app_decorators(
    func: ast.FunctionDef | ast.AsyncFunctionDef, names: ModuleNames, project: Project
) -> Iterator[tuple[str, ast.Call]]:
    """``(method, call)`` for each ``@<app>.<method>(...)`` decorator on ``func``."""
    for decorator in func.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and project.is_app(decorator.func.value, names)
        ):
            yield decorator.func.attr, decorator
