"""devhost's rooms show its layers: one folder each, imports pointing down only, no cycles.

Read with `ast`, not by importing, so TYPE_CHECKING-only and function-level imports count too,
and so does the package `__init__` that an import runs (`from devhost.work.clock import X`
runs `devhost/work/__init__.py` first). A new module goes in the folder its imports allow.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "tools" / "durable-devhost" / "devhost"

# Lowest first: a module may import from its own folder and the folders before it.
LAYERS = ["replay", "work", "runtime", "http", "testing"]
# devhost/__init__.py (names resolved on first use) and __main__.py (the command line) sit on top.
TOP = "devhost"
RANK = {**{f"devhost.{layer}": rank for rank, layer in enumerate(LAYERS)}, TOP: len(LAYERS)}
# The replay core runs inside one episode: no event loop, threads, sockets or files.
CORE_MAY_NOT_IMPORT = {"asyncio", "aiohttp", "threading", "concurrent", "sqlite3", "socket"}


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def _modules() -> dict[str, tuple[Path, ast.Module]]:
    return {
        _name(p): (p, ast.parse(p.read_text(encoding="utf-8"), str(p)))
        for p in sorted(PACKAGE.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def _layer(module: str) -> str:
    """The layer folder a devhost module is in (`devhost.work`), or `devhost` for the top."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 and parts[1] in LAYERS else TOP


def _imports(module: str, tree: ast.Module, is_package: bool) -> tuple[set[str], set[str]]:
    """(devhost modules the module imports, with the packages whose __init__ that runs; the
    top-level outside packages it imports)."""
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
            if parts[0] != "devhost":
                outside.add(parts[0])
                continue
            # The target if it is a module, and every package on the way: their __init__ runs.
            own.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return own, outside


def _graph(modules: dict[str, tuple[Path, ast.Module]]) -> dict[str, set[str]]:
    """module -> the modules of `modules` whose code importing it runs."""
    return {
        name: (_imports(name, tree, path.name == "__init__.py")[0] & set(modules)) - {name}
        for name, (path, tree) in modules.items()
    }


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_every_module_lives_in_a_layer_folder():
    """Only the facade and the command line sit at the top; everything else has its room."""
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__")

    assert top == ["__init__.py", "__main__.py"]
    assert folders == sorted(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_it_holds_and_what_it_may_import(layer):
    """The folder's __init__ docstring: one line of what it holds, one of what it may import,
    naming exactly the layers below it (so the docstring and this test cannot drift apart)."""
    path, tree = _modules()[f"devhost.{layer}"]
    doc = ast.get_docstring(tree) or ""
    [may_import] = [line for line in doc.splitlines() if line.startswith("May import:")]
    named = re.findall(r"devhost\.(\w+)", may_import)

    assert doc.splitlines()[0], f"{path}: say what the folder holds on the first line"
    assert named == LAYERS[: LAYERS.index(layer)], f"{path}: {may_import}"


@pytest.mark.parametrize("module", sorted(_modules()))
def test_imports_point_down_only(module):
    path, _ = _modules()[module]
    rank = RANK[_layer(module)]
    upward = sorted(m for m in _graph(_modules())[module] if m != TOP and RANK[_layer(m)] > rank)
    assert not upward, f"{path} ({_layer(module)}) imports from a higher layer: {upward}"


def test_the_core_does_no_io():
    for module, (path, tree) in _modules().items():
        if _layer(module) == "devhost.replay":
            _, outside = _imports(module, tree, path.name == "__init__.py")
            assert not outside & CORE_MAY_NOT_IMPORT, f"{path} imports {outside}"


def test_there_are_no_import_cycles():
    """Counting the package __init__ each import runs: the top facade imports nothing until a
    name is used, so importing one layer never imports the layers above it."""
    cycle = _find_cycle(_graph(_modules()))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_checker_sees_relative_absolute_package_and_init_imports():
    """The parser must catch every import form, or the tests above could pass vacuously."""
    tree = ast.parse(
        "from . import history as h\nfrom .episode import X\nimport devhost.http.server\n"
        "from devhost.runtime.store import Y\nimport asyncio\nfrom aiohttp import web\n"
        "def f():\n    from devhost.testing import hosts\n"
    )
    own, outside = _imports("devhost.replay.shim", tree, is_package=False)

    # Imported names are candidates too (`from . import history` imports a module): _graph keeps
    # those that are modules.
    assert own == {
        "devhost.replay.episode.X",
        "devhost.runtime.store.Y",
        "devhost",
        "devhost.replay",
        "devhost.replay.history",
        "devhost.replay.episode",
        "devhost.http",
        "devhost.http.server",
        "devhost.runtime",
        "devhost.runtime.store",
        "devhost.testing",
        "devhost.testing.hosts",
    }
    assert outside == {"asyncio", "aiohttp"}


def test_a_cycle_through_a_package_init_is_found():
    """A layer's __init__ that re-exports a module which imports a sibling is a cycle: a
    imports b, which runs work/__init__ first, which imports a."""
    fake = {
        "devhost.work": (PACKAGE / "work/__init__.py", ast.parse("from devhost.work import a\n")),
        "devhost.work.a": (PACKAGE / "work/a.py", ast.parse("from devhost.work.b import x\n")),
        "devhost.work.b": (PACKAGE / "work/b.py", ast.parse("import os\n")),
    }

    assert _find_cycle(_graph(fake)) == ["devhost.work", "devhost.work.a", "devhost.work"]
