"""The activity and orchestrator names the scanned files register (for DUR008).

v2: ``@<app>.activity_trigger(activity=...)`` / ``orchestration_trigger(orchestration=...)``,
else ``@<app>.function_name(name)``, else the ``def`` name. v1: the folder name of a
``function.json`` whose trigger binding is ``activityTrigger`` / ``orchestrationTrigger``.
Function names are case-insensitive in the host, so they are compared case-folded. A name that
cannot be read statically marks its kind incomplete, and DUR008 then stays quiet for that kind.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
from dataclasses import dataclass, field

from durable_lint.names import ModuleNames
from durable_lint.project import Project, app_decorators

# Decorator -> kind; the keyword that renames the function is the kind itself (``activity=``).
_TRIGGERS = {"activity_trigger": "activity", "orchestration_trigger": "orchestration"}
_JSON_TRIGGERS = {"activitytrigger": "activity", "orchestrationtrigger": "orchestration"}


@dataclass
class Kind:
    """Registered names of one kind (activities or orchestrations)."""

    names: dict[str, str] = field(default_factory=dict)  # case-folded -> as written
    complete: bool = True
    _suggestions: dict[str, str | None] = field(default_factory=dict)

    def add(self, name: str) -> None:
        self.names.setdefault(name.casefold(), name)

    def closest(self, name: str) -> str | None:
        """The registered name most like ``name`` (``difflib``), if any is close enough."""
        key = name.casefold()
        if key not in self._suggestions:
            close = difflib.get_close_matches(key, self.names, n=1)
            self._suggestions[key] = self.names[close[0]] if close else None
        return self._suggestions[key]

    @property
    def checkable(self) -> bool:
        """Only check against a list we know is non-empty and whole."""
        return self.complete and bool(self.names)


@dataclass
class Registry:
    """Registered names by kind, collected from every scanned file before any rule runs."""

    kinds: dict[str, Kind] = field(
        default_factory=lambda: {"activity": Kind(), "orchestration": Kind()}
    )
    _seen_dirs: set[str] = field(default_factory=set)

    def add_module(self, path: str, names: ModuleNames, project: Project) -> None:
        """Record the v2 registrations of one module, and the v1 ``function.json`` beside it."""
        for func in names.functions.values():
            decorators = dict(app_decorators(func, names, project))
            explicit = _function_name(decorators.get("function_name"))
            for method, kind in _TRIGGERS.items():
                if method not in decorators:
                    continue
                name = _keyword(decorators[method], kind)
                if name is _UNKNOWN or explicit is _UNKNOWN:
                    self.kinds[kind].complete = False
                else:
                    self.kinds[kind].add(name or explicit or func.name)
        self._add_function_json(os.path.dirname(os.path.abspath(path)))

    def _add_function_json(self, folder: str) -> None:
        if folder in self._seen_dirs:
            return
        self._seen_dirs.add(folder)
        try:
            with open(os.path.join(folder, "function.json"), encoding="utf-8") as handle:
                bindings = json.load(handle).get("bindings", [])
        except (OSError, ValueError, AttributeError):
            return
        for binding in bindings if isinstance(bindings, list) else []:
            kind = _JSON_TRIGGERS.get(str(binding.get("type", "")).casefold())
            if kind:
                self.kinds[kind].add(os.path.basename(folder))


_UNKNOWN = object()


def _keyword(call: ast.Call, keyword: str) -> str | object | None:
    """A string keyword argument: its value, None if absent, ``_UNKNOWN`` if not a literal."""
    for kw in call.keywords:
        if kw.arg == keyword:
            return _literal(kw.value)
        if kw.arg is None:  # **kwargs: could hold anything
            return _UNKNOWN
    return None


def _function_name(call: ast.Call | None) -> str | object | None:
    if call is None:
        return None
    if call.args:
        return _literal(call.args[0])
    return _keyword(call, "name")


def _literal(node: ast.expr) -> str | object:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return _UNKNOWN
