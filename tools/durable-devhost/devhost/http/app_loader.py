"""Load an app folder the way the Python worker and the Functions host do.

The worker looks for `function_app.py` in the app's root (the `PYTHON_SCRIPT_FILE_NAME`
setting, default "function_app.py") and indexes the one top-level `FunctionApp` in it
(Azure/azure-functions-python-worker `loader.py`, `index_function_app`: it imports the module
by its stem with the app root first on `sys.path`). devhost imports that file by its path, so
another `function_app` elsewhere on `sys.path` can never stand in for it.

A folder without it is a v1 app: the worker answers the metadata request with
`use_default_metadata_indexing=True` and the host indexes function.json folders instead. Each
direct subfolder holding a function.json is a function named after the folder; `scriptFile`
is relative to that folder and `entryPoint` defaults to `main`; the worker imports the script as
`__app__.<folder>` (or `__app__.<folder>.<module>` when the script is not `__init__.py`) through
an `__app__` namespace package rooted at the app folder (`loader.py`, `load_function` and
`install`), so the samples' relative imports (`from ..shared_code import x`) work.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from typing import Any

from devhost.http.local_settings import read_json_file
from devhost.work.function_index import FunctionDef, FunctionIndex

APP_NAMESPACE = "__app__"
DEFAULT_SCRIPT = "__init__.py"
DEFAULT_ENTRY_POINT = "main"


class AppFolderError(ValueError):
    """The folder holds no app the worker could index, or a function.json names no callable."""


def load_app(app_dir: Path, script_name: str = "function_app") -> FunctionIndex:
    """Index the app in `app_dir`: `<script_name>.py` (v2) if present, else function.json (v1).

    The caller puts `app_dir` on `sys.path` first (the worker does), for the app's own imports.
    """
    script = app_dir / f"{script_name}.py"
    if script.is_file():
        return FunctionIndex.from_module(script)  # imported as `script_name`, its stem
    functions = index_v1(app_dir)
    if not functions:
        raise AppFolderError(
            f"{app_dir} has no {script.name} and no function.json folders: nothing to index"
        )
    return FunctionIndex(functions)


def index_v1(app_dir: Path) -> list[FunctionDef]:
    """Every enabled function.json folder of the app, with its entry point imported."""
    folders = sorted(p.parent for p in app_dir.glob("*/function.json"))
    if folders:
        _install_namespace(app_dir)
    functions = []
    for folder in folders:
        meta = read_json_file(folder / "function.json")
        if not isinstance(meta, dict) or meta.get("disabled") is True:
            continue
        script = (folder / str(meta.get("scriptFile") or DEFAULT_SCRIPT)).resolve()
        entry_point = str(meta.get("entryPoint") or DEFAULT_ENTRY_POINT)
        func = _load_function(folder.name, app_dir, script, entry_point)
        bindings = tuple(b for b in meta.get("bindings") or () if isinstance(b, dict))
        functions.append(FunctionDef(folder.name, bindings, func, str(folder)))
    return functions


def _install_namespace(app_dir: Path) -> None:
    """A fresh `__app__` package rooted at this app (a new worker process has no other)."""
    for name in [m for m in sys.modules if m == APP_NAMESPACE or m.startswith(APP_NAMESPACE + ".")]:
        del sys.modules[name]
    spec = importlib.machinery.ModuleSpec(APP_NAMESPACE, None, is_package=True)
    spec.submodule_search_locations = [str(app_dir)]
    sys.modules[APP_NAMESPACE] = importlib.util.module_from_spec(spec)


def _load_function(name: str, app_dir: Path, script: Path, entry_point: str) -> Any:
    try:
        relative = script.relative_to(app_dir.resolve())
    except ValueError:
        raise AppFolderError(f"{name}: scriptFile {script} is outside the app folder") from None
    if relative.suffix != ".py":
        raise AppFolderError(f"cannot load function {name}: invalid Python filename {script}")
    parts = [APP_NAMESPACE, *relative.parts[:-1]]
    if relative.stem.lower() != "__init__":
        parts.append(relative.stem)
    try:
        module = importlib.import_module(".".join(parts))
    except Exception as exc:
        raise AppFolderError(f"cannot load function {name}: {type(exc).__name__}: {exc}") from exc
    func = getattr(module, entry_point, None)
    if func is None or not callable(func):
        raise AppFolderError(
            f"cannot load function {name}: function {entry_point}() is not present in {relative}"
        )
    return func
