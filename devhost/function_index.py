"""Load a Functions app module the way the Python worker does, and index its functions.

The extension registers orchestrators and activities under the binding's `orchestration` /
`activity` value, else the function name, and matches names case-insensitively (spec §6).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azure.durable_functions.constants import HTTP_ACTION_NAME
from azure.functions.decorators.function_app import FunctionRegister


@dataclass(frozen=True)
class OrchestratorEntry:
    """A registered orchestrator: `handle(context_json) -> state_json` is the SDK's own."""

    name: str
    handle: Callable[[Any], str]


@dataclass(frozen=True)
class ActivityEntry:
    """A registered activity: the user function and the parameter name it is bound to."""

    name: str
    func: Callable[..., Any]
    input_name: str


class UnknownFunctionError(LookupError):
    """No orchestrator/activity of that name is registered."""


class FunctionIndex:
    """The functions of one app object, indexed by the names the extension would use."""

    def __init__(self, app: FunctionRegister) -> None:
        self.app = app
        self.module: Any = None
        self.functions = list(app.get_functions())  # may be called only once per app object
        self.orchestrators: dict[str, OrchestratorEntry] = {}
        self.activities: dict[str, ActivityEntry] = {}
        for fn in self.functions:
            self._add(fn)

    @classmethod
    def from_module(cls, module: str | Path, attribute: str | None = None) -> FunctionIndex:
        """Import `module` (dotted name or .py path) and index its FunctionApp object."""
        mod = _import(module)
        if attribute is not None:
            index = cls(getattr(mod, attribute))
        else:
            apps = [v for v in vars(mod).values() if isinstance(v, FunctionRegister)]
            if len(apps) != 1:
                raise ValueError(f"{mod.__name__}: expected one FunctionApp, found {len(apps)}")
            index = cls(apps[0])
        index.module = mod
        return index

    def _add(self, fn: Any) -> None:
        """Index an orchestrator or activity; HTTP triggers are the server's (`HttpFunction`)."""
        trigger = fn.get_trigger()
        fn_name = fn.get_function_name()
        if trigger.type == "orchestrationTrigger":
            name = getattr(trigger, "orchestration", None) or fn_name
            self.orchestrators[name.lower()] = OrchestratorEntry(name, fn.get_user_function())
        elif trigger.type == "activityTrigger":
            name = getattr(trigger, "activity", None) or fn_name
            entry = ActivityEntry(name, fn.get_user_function(), trigger.name)
            self.activities[name.lower()] = entry

    def orchestrator(self, name: str) -> OrchestratorEntry:
        try:
            return self.orchestrators[name.lower()]
        except KeyError:
            raise UnknownFunctionError(self.unknown_orchestrator_message(name)) from None

    def activity(self, name: str) -> ActivityEntry | None:
        return self.activities.get(name.lower())

    def has_activity(self, name: str) -> bool:
        return name.lower() in self.activities or name == HTTP_ACTION_NAME

    def has_orchestrator(self, name: str) -> bool:
        return name.lower() in self.orchestrators

    def activity_names(self) -> list[str]:
        return sorted(e.name for e in self.activities.values())

    def orchestrator_names(self) -> list[str]:
        return sorted(e.name for e in self.orchestrators.values())

    def unknown_orchestrator_message(self, name: str) -> str:
        """`DurableTaskExtension.GetInvalidOrchestratorFunctionMessage`."""
        names = self.orchestrator_names()
        extra = (
            "The following are the known orchestrator functions: '" + "', '".join(names) + "'."
            if names
            else "No orchestrator functions are currently registered!"
        )
        return (
            f"The function '{name}' doesn't exist, is disabled, or is not an orchestrator "
            f"function. Additional info: {extra}"
        )


def _import(module: str | Path) -> Any:
    path = Path(module)
    if path.suffix == ".py" or path.exists():
        name = path.stem
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod  # df_loads resolves custom classes through sys.modules
        spec.loader.exec_module(mod)
        return mod
    return importlib.import_module(str(module))
