"""devhost's rooms show its layers: one folder each, imports pointing down only, no cycles.

Read with `ast` (tests/import_graph.py), not by importing, so TYPE_CHECKING-only and
function-level imports count too, and so does the package `__init__` that an import runs. A new
module goes in the folder its imports allow.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "tests_import_graph", Path(__file__).parents[1] / "import_graph.py"
)
assert _spec is not None and _spec.loader is not None
import_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_graph)

PACKAGE = Path(__file__).parents[2] / "tools" / "durable-devhost" / "devhost"
MODULES = import_graph.modules(PACKAGE)
GRAPH = import_graph.graph(MODULES)

# Lowest first: a module may import from its own folder and the folders before it.
LAYERS = ["replay", "work", "runtime", "http", "testing"]
# devhost/__init__.py (names resolved on first use) and __main__.py (the command line) sit on top.
TOP = "devhost"
RANK = {**{f"devhost.{layer}": rank for rank, layer in enumerate(LAYERS)}, TOP: len(LAYERS)}
# The replay core runs inside one episode: no event loop, threads, sockets or files.
CORE_MAY_NOT_IMPORT = {"asyncio", "aiohttp", "threading", "concurrent", "sqlite3", "socket"}


def _layer(module: str) -> str:
    """The layer folder a devhost module is in (`devhost.work`), or `devhost` for the top."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 and parts[1] in LAYERS else TOP


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
    path, tree = MODULES[f"devhost.{layer}"]
    doc = ast.get_docstring(tree) or ""
    [may_import] = [line for line in doc.splitlines() if line.startswith("May import:")]

    assert doc.splitlines()[0], f"{path}: say what the folder holds on the first line"
    assert re.findall(r"devhost\.(\w+)", may_import) == LAYERS[: LAYERS.index(layer)], path


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_only(module):
    rank = RANK[_layer(module)]
    upward = sorted(m for m in GRAPH[module] if m != TOP and RANK[_layer(m)] > rank)
    assert not upward, f"{MODULES[module][0]} ({_layer(module)}) imports from above: {upward}"


def test_the_core_does_no_io():
    for module, (path, tree) in MODULES.items():
        if _layer(module) == "devhost.replay":
            _, outside = import_graph.imports(module, tree, path.name == "__init__.py", "devhost")
            assert not outside & CORE_MAY_NOT_IMPORT, f"{path} imports {outside}"


def test_there_are_no_import_cycles():
    """Counting the package __init__ each import runs: the top facade imports nothing until a
    name is used, so importing one layer never imports the layers above it."""
    cycle = import_graph.find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_checker_sees_relative_absolute_package_and_init_imports():
    """The parser must catch every import form, or the tests above could pass vacuously."""
    tree = ast.parse(
        "from . import history as h\nfrom .episode import X\nimport devhost.http.server\n"
        "from devhost.runtime.store import Y\nimport asyncio\nfrom aiohttp import web\n"
        "def f():\n    from devhost.testing import hosts\n"
    )
    own, outside = import_graph.imports("devhost.replay.shim", tree, False, "devhost")

    # Imported names are candidates too (`from . import history` imports a module): the graph
    # keeps those that are modules.
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

    cycle = import_graph.find_cycle(import_graph.graph(fake))

    assert cycle == ["devhost.work", "devhost.work.a", "devhost.work"]
