"""devhost's layers: imports point down only, there are no import cycles, and the core is pure.

Read with `ast`, not by importing, so TYPE_CHECKING-only imports count too. A new module must
be given a layer here: put it where what it imports allows.
"""

from __future__ import annotations

import ast
import functools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "devhost"

# Lowest first. A module may import from its own layer and the layers before it.
LAYERS: dict[str, set[str]] = {
    # Pure, synchronous replay: history in, new history and decisions out.
    "core": {
        "history",
        "futures",
        "retry",
        "nondeterminism",
        "shim",
        "dtfx",
        "episode",
        "outstanding",
        "counters",
        "instance",
        "status",
    },
    # The work an episode dispatches, the app it runs, and time.
    "work": {
        "activities",
        "http_activity",
        "workers",
        "background",
        "dispatch",
        "function_index",
        "clock",
        "waiting",
        "invocation_log",
        "strict",  # --strict watches the app's orchestrator code while the SDK runs it
        "strict_targets",
        "strict_hooks",
    },
    # Instances, their store, and the engine's client API.
    "engine": {"store", "sqlite_store", "episode_state", "driver", "resume", "engine"},
    # What callers see: the HTTP host, the command line and the test helpers.
    "surface": {
        "routing",
        "durable_query",
        "client_binding",
        "local_settings",
        "app_loader",
        "http_trigger",
        "durable_api",
        "http_limits",
        "server",
        "serve",
        "testing",
        "pytest_plugin",
        "__main__",
        "__init__",
    },
}
LAYER_OF = {module: rank for rank, names in enumerate(LAYERS.values()) for module in names}
LAYER_NAMES = list(LAYERS)
# The core runs inside one episode: no event loop, threads, sockets or files.
CORE_MAY_NOT_IMPORT = {"asyncio", "aiohttp", "threading", "concurrent", "sqlite3", "socket"}


@functools.cache
def _modules() -> dict[str, ast.Module]:
    return {p.stem: ast.parse(p.read_text(), str(p)) for p in sorted(PACKAGE.glob("*.py"))}


def _imports(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(devhost modules imported, top-level outside packages imported)."""
    own: set[str] = set()
    outside: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "devhost":
                    own.add(parts[1] if len(parts) > 1 else "__init__")
                else:
                    outside.add(parts[0])
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level > 0 or module.split(".")[0] == "devhost":
                rest = module.split(".")[1:] if node.level == 0 else module.split(".")
                rest = [part for part in rest if part]
                if rest:
                    own.add(rest[0])
                else:  # `from . import history`
                    own.update(alias.name for alias in node.names)
            else:
                outside.add(module.split(".")[0])
    return own, outside


def test_every_module_has_a_layer():
    unassigned = sorted(set(_modules()) - set(LAYER_OF))
    assert not unassigned, f"give these devhost modules a layer in {__file__}: {unassigned}"


@pytest.mark.parametrize("module", sorted(LAYER_OF))
def test_imports_point_down_only(module):
    trees = _modules()
    if module not in trees:
        pytest.skip(f"devhost/{module}.py does not exist")
    own, _ = _imports(trees[module])
    rank = LAYER_OF[module]
    upward = sorted(m for m in own if LAYER_OF.get(m, rank) > rank)
    assert not upward, (
        f"devhost/{module}.py ({LAYER_NAMES[rank]}) imports from a higher layer: "
        + ", ".join(f"{m} ({LAYER_NAMES[LAYER_OF[m]]})" for m in upward)
    )


def test_the_core_does_no_io():
    trees = _modules()
    for module in sorted(LAYERS["core"] & set(trees)):
        _, outside = _imports(trees[module])
        assert not outside & CORE_MAY_NOT_IMPORT, f"devhost/{module}.py imports {outside}"


def test_there_are_no_import_cycles():
    graph = {name: _imports(tree)[0] & set(_modules()) for name, tree in _modules().items()}
    graph.pop("__init__", None)  # the package facade re-exports; nothing imports it back
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_the_checker_sees_relative_absolute_and_package_imports():
    """The parser must catch every import form, or the tests above could pass vacuously."""
    tree = ast.parse(
        "from . import history as h\nfrom .engine import X\nimport devhost.http.server\n"
        "from devhost.runtime.store import Y\nimport asyncio\nfrom aiohttp import web\n"
    )
    assert _imports(tree) == ({"history", "engine", "server", "store"}, {"asyncio", "aiohttp"})


def test_devhost_alone_imports_without_this_app_or_the_linter(tmp_path):
    """docs/testing-your-app.md tells users to copy devhost/ alone into their project: it must
    import without this app's modules and without durable_lint (only --strict needs it)."""
    shutil.copytree(PACKAGE, tmp_path / "devhost", ignore=shutil.ignore_patterns("__pycache__"))
    probe = (
        "import importlib.util, sys\n"
        "import devhost, devhost.testing, devhost.http.serve, devhost.testing.pytest_plugin\n"
        "missing = ['durable_lint', 'app_settings', 'contract', 'function_app']\n"
        "assert all(importlib.util.find_spec(m) is None for m in missing), sys.path\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in missing)\n"
        "print(loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
