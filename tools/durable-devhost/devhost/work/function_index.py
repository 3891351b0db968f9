"""The functions of one app, indexed by the names the Durable extension would use.

Both programming models end up here as `FunctionDef`s: function.json-shaped bindings plus the
Python callable (v2: from the decorated `FunctionApp`; v1: from function.json folders, see
`devhost.http.app_loader.index_v1`). The extension registers orchestrators and activities under
the binding's `orchestration` / `activity` value, else the function name, and matches names
case-insensitively (spec §6).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azure.durable_functions.constants import HTTP_ACTION_NAME
from azure.functions.decorators.function_app import FunctionRegister

HTTP_ACTIVITY_NAME = HTTP_ACTION_NAME  # "BuiltIn::HttpActivity"
# Binding types (lower-cased) of the durable client. `orchestrationClient` is the deprecated name
# the extension still binds like `durableClient` (azure-functions-durable-extension
# DurableTaskExtension.cs, "backwardsCompRule"). Neither rule names a trigger: any function may
# declare one.
CLIENT_TYPES = frozenset({"durableclient", "orchestrationclient"})


@dataclass(frozen=True)
class ClientBinding:
    """A `durableClient` parameter and the task hub / connection its attribute names."""

    name: str
    task_hub: str | None = None
    connection_name: str | None = None


def client_bindings(bindings: Iterable[Mapping[str, Any]]) -> tuple[ClientBinding, ...]:
    """The durable client bindings among a function's bindings."""
    return tuple(
        ClientBinding(b["name"], b.get("taskHub"), b.get("connectionName"))
        for b in bindings
        if binding_type(b) in CLIENT_TYPES
    )


class FunctionLoadError(RuntimeError):
    """The Python worker's refusal to load a function, in its words (`FunctionLoadError` in
    Azure/azure-functions-python-worker, workers/azure_functions_worker/functions.py)."""

    def __init__(self, function_name: str, msg: str) -> None:
        super().__init__(f"cannot load the {function_name} function: {msg}")


def check_parameters(fn: FunctionDef) -> None:
    """Refuse a function whose bindings and Python parameters differ, as the worker's
    `Registry.is_context_required` and `validate_function_params` do: every binding but
    `$return` needs a parameter of its name and every parameter a binding, except `context`,
    which the worker fills with the invocation context when no binding takes the name."""
    try:
        params = dict(inspect.signature(fn.func).parameters)
    except (TypeError, ValueError):  # not introspectable: the worker would fail elsewhere
        return
    bound = {str(b.get("name")) for b in fn.bindings if b.get("name") != "$return"}
    if "context" in params and "context" not in bound:
        params.pop("context")
    if set(params) - bound:
        raise FunctionLoadError(
            fn.name,
            "the following parameters are declared in Python but not in the function "
            f"definition (function.json or function decorators):  {set(params) - bound!r}",
        )
    if bound - set(params):
        raise FunctionLoadError(
            fn.name,
            "the following parameters are declared in the function definition (function.json "
            f"or function decorators) but not in Python: {bound - set(params)!r}",
        )


def disabled_by_setting(name: str, environ: Mapping[str, str] = os.environ) -> bool:
    """`AzureWebJobs.<name>.Disabled` (or `AzureWebJobs_<name>_Disabled`) is "1" or "true",
    as azure-webjobs-sdk `HostListenerFactory.IsDisabled` reads it: keys and values compared
    case-insensitively, as .NET configuration does (`IsSettingEnabled`)."""
    wanted = {f"azurewebjobs.{name}.disabled".lower(), f"azurewebjobs_{name}_disabled".lower()}
    return any(
        key.lower() in wanted and value.strip().lower() in ("1", "true")
        for key, value in environ.items()
    )


@dataclass(frozen=True)
class FunctionDef:
    """One function as the host indexes it: name, bindings (function.json shape), callable."""

    name: str
    bindings: tuple[Mapping[str, Any], ...]
    func: Callable[..., Any]
    directory: str = ""  # v1: the function's folder (what `context.function_directory` gives)

    @property
    def trigger(self) -> Mapping[str, Any]:
        """The trigger binding (type ending in "Trigger"); {} if the function has none."""
        return next((b for b in self.bindings if binding_type(b).endswith("trigger")), {})

    @property
    def trigger_type(self) -> str:
        return str(self.trigger.get("type", ""))

    @property
    def wants_context(self) -> bool:
        """A `context` parameter no binding takes: the worker passes the invocation context."""
        try:
            params = inspect.signature(self.func).parameters
        except (TypeError, ValueError):
            return False
        return "context" in params and all(b.get("name") != "context" for b in self.bindings)

    @classmethod
    def from_decorated(cls, fn: Any) -> FunctionDef:
        """From an `azure.functions` `Function` (an item of `app.get_functions()`)."""
        bindings = tuple(json.loads(raw) for raw in fn.get_raw_bindings())
        return cls(fn.get_function_name(), bindings, fn.get_user_function())


def binding_type(binding: Mapping[str, Any]) -> str:
    """The binding type, lower-cased: the host matches binding types case-insensitively."""
    return str(binding.get("type", "")).lower()


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
    unsupported: tuple[str, ...] = ()  # "name (type)" of other bindings devhost cannot bind
    clients: tuple[ClientBinding, ...] = ()  # durable clients (an activity that raises events)
    wants_context: bool = False  # declares `context`: gets the invocation context
    directory: str = ""  # v1: the function's folder (`context.function_directory`)


class UnknownFunctionError(LookupError):
    """No orchestrator/activity of that name is registered."""


class FunctionIndex:
    """The functions of one app, indexed by the names the extension would use."""

    def __init__(self, app: FunctionRegister | Iterable[FunctionDef]) -> None:
        self.module: Any = None
        if isinstance(app, FunctionRegister):  # get_functions() may be called once per app
            app = [FunctionDef.from_decorated(fn) for fn in app.get_functions()]
        functions = list(app)
        for fn in functions:  # the worker validates every function it indexes, disabled or not
            check_parameters(fn)
        self.disabled = [fn.name for fn in functions if disabled_by_setting(fn.name)]
        self.functions: list[FunctionDef] = [f for f in functions if f.name not in self.disabled]
        self.orchestrators: dict[str, OrchestratorEntry] = {}
        self.activities: dict[str, ActivityEntry] = {}
        for fn in self.functions:
            self._add(fn)

    @classmethod
    def from_module(cls, module: str | Path, attribute: str | None = None) -> FunctionIndex:
        """Import `module` (dotted name or .py path) and index its FunctionApp object."""
        mod = _import(module)
        index = cls(getattr(mod, attribute)) if attribute is not None else cls(find_app(mod))
        index.module = mod
        return index

    def _add(self, fn: FunctionDef) -> None:
        """Index an orchestrator or activity; HTTP triggers are the server's (`HttpFunction`)."""
        trigger = fn.trigger
        kind = binding_type(trigger)
        if kind == "orchestrationtrigger":
            name = trigger.get("orchestration") or fn.name
            self.orchestrators[name.lower()] = OrchestratorEntry(name, fn.func)
        elif kind == "activitytrigger":
            name = trigger.get("activity") or fn.name
            others = tuple(
                f"{b.get('name')} ({b.get('type')})"
                for b in fn.bindings
                if b is not trigger and binding_type(b) not in CLIENT_TYPES
            )
            clients = client_bindings(fn.bindings)
            self.activities[name.lower()] = ActivityEntry(
                name, fn.func, trigger["name"], others, clients, fn.wants_context, fn.directory
            )

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


def find_app(module: Any) -> FunctionRegister:
    """The module's one top-level FunctionApp, as the worker's `index_function_app` requires."""
    apps = [v for v in vars(module).values() if isinstance(v, FunctionRegister)]
    if len(apps) != 1:
        raise ValueError(
            f"{module.__name__}: expected one top-level FunctionApp, found {len(apps)}"
        )
    return apps[0]


def _import(module: str | Path) -> Any:
    path = Path(module)
    if path.suffix == ".py" or path.exists():
        return import_file(path, path.stem)
    return importlib.import_module(str(module))


def import_file(path: Path, name: str) -> Any:
    """Import the file at `path` as module `name`, whatever else `sys.path` holds."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # df_loads resolves custom classes through sys.modules
    try:
        spec.loader.exec_module(mod)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return mod
