"""A package's import graph, read with `ast` (not by importing), for the layering and cycle tests.

Not a test module: tests load it by path (pytest runs in importlib mode, so test folders are not
packages). Every import counts: module level, TYPE_CHECKING-only and inside functions. So does
the package `__init__` an import runs: `from pkg.sub.mod import X` runs `pkg/__init__.py` and
`pkg/sub/__init__.py` first, so a module importing it depends on both.
"""

from __future__ import annotations

import ast
from pathlib import Path

Modules = dict[str, tuple[Path, ast.Module]]


def modules(package: Path) -> Modules:
    """Dotted module name -> (file, syntax tree) for every module of the package folder."""
    found: Modules = {}
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def imports(
    module: str, tree: ast.Module, is_package: bool, root: str
) -> tuple[set[str], set[str]]:
    """(dotted names under `root` that the module's imports run: targets, imported names and the
    packages on the way; the top-level outside packages it imports)."""
    own: set[str] = set()
    outside: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            parts = target.split(".")
            if parts[0] != root:
                outside.add(parts[0])
                continue
            own.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return own, outside


def graph(found: Modules) -> dict[str, set[str]]:
    """Module -> the modules of `found` whose code importing it runs (itself excluded)."""
    edges = {}
    for name, (path, tree) in found.items():
        own, _ = imports(name, tree, path.name == "__init__.py", name.split(".")[0])
        edges[name] = (own & set(found)) - {name}
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """The first import cycle found (`[a, b, a]`), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None
