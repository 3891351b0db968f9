"""App settings and host.json, read the way `func start` reads them.

`func start` loads the app's own `local.settings.json` and puts its `Values` into the worker's
environment; variables already set in the shell win. Nothing else is added: an app gets only its
own settings. The embedded host falls back to the app's committed `local.settings.json.example`
so a fresh clone runs without a copy step. host.json gives the route prefix
(`extensions.http.routePrefix`, default "api") and the task hub name, whose `%NAME%` references
resolve against app settings, as the host resolves them. A file that is not valid JSON stops the
host with one sentence naming it (`ConfigFileError`), as `func start` refuses to start.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SETTINGS_FILES = ("local.settings.json", "local.settings.json.example")
# The port `func start` listens on unless local.settings.json's Host.LocalHttpPort says otherwise.
FUNC_START_PORT = 7071
_SETTING_REF = re.compile(r"%([^%]+)%")


@dataclass(frozen=True)
class LocalSettings:
    """The parsed settings file (or nothing) and where it came from."""

    path: Path | None
    values: dict[str, str]
    local_http_port: int | None = None

    @property
    def func_start_port(self) -> int:
        """The port `func start` serves this app on: Host.LocalHttpPort, else 7071."""
        return self.local_http_port or FUNC_START_PORT


class ConfigFileError(ValueError):
    """host.json or local.settings.json cannot be read: the message names the file."""


def read_json_file(path: Path) -> Any:
    """The parsed file; `ConfigFileError` naming it (one line, no traceback) if it is not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise ConfigFileError(
            f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileError(f"{path}: cannot be read ({exc})") from None


def _read_json_object(path: Path) -> dict[str, Any]:
    """`read_json_file` for a file that must hold a JSON object (the host's own config files)."""
    data = read_json_file(path)
    if not isinstance(data, dict):
        raise ConfigFileError(f"{path}: expected a JSON object")
    return data


def read_local_settings(app_dir: Path) -> LocalSettings:
    """local.settings.json if present, else the .example; an empty result if neither exists."""
    for name in SETTINGS_FILES:
        path = app_dir / name
        if path.is_file():
            data = _read_json_object(path)
            values = {str(k): str(v) for k, v in (data.get("Values") or {}).items()}
            port = (data.get("Host") or {}).get("LocalHttpPort")
            try:
                return LocalSettings(path, values, int(port) if port else None)
            except (TypeError, ValueError):
                message = f"{path}: Host.LocalHttpPort is not a port: {port!r}"
                raise ConfigFileError(message) from None
    return LocalSettings(None, {})


def follow_own_port(
    values: Mapping[str, str], base_url: str, file_port: int | None
) -> dict[str, str]:
    """`values` with URLs that name this host at its `func start` port moved to `base_url`.

    A settings file points the app at its own routes as http://localhost:7071/... (or its
    LocalHttpPort). devhost may serve on another port (port 0 in tests, `--port`), and such a
    URL must follow it, or the app would call whatever else listens on 7071. Other values stay.
    """
    port = file_port or FUNC_START_PORT
    own = tuple(f"http://{name}:{port}/" for name in ("localhost", "127.0.0.1"))
    target = base_url.rstrip("/") + "/"
    out = {}
    for key, value in values.items():
        prefix = next((p for p in own if value.startswith(p)), None)
        out[key] = target + value[len(prefix) :] if prefix else value
    return out


@contextmanager
def patched_environ(
    *,
    defaults: Mapping[str, str] = {},
    overrides: Mapping[str, str] = {},
    environ: MutableMapping[str, str] = os.environ,
) -> Iterator[None]:
    """Set `defaults` where unset and `overrides` always; restore every touched key on exit."""
    saved = {k: environ.get(k) for k in {*defaults, *overrides}}
    try:
        for key, value in defaults.items():
            environ.setdefault(key, value)
        environ.update(overrides)
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                environ.pop(key, None)
            else:
                environ[key] = value


def read_host_json(app_dir: Path) -> dict[str, Any]:
    path = app_dir / "host.json"
    if not path.is_file():
        return {}
    return _read_json_object(path)


def route_prefix(host_json: Mapping[str, Any]) -> str:
    """`extensions.http.routePrefix`; "api" when absent, "" allowed."""
    http = (host_json.get("extensions") or {}).get("http") or {}
    prefix = http.get("routePrefix", "api")
    return str(prefix).strip("/")


def task_hub_name(host_json: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> str:
    """`extensions.durableTask.hubName` with `%SETTING%` resolved; "TestHubName" locally."""
    durable = (host_json.get("extensions") or {}).get("durableTask") or {}
    raw = str(durable.get("hubName") or "TestHubName")
    resolved = _SETTING_REF.sub(lambda m: environ.get(m.group(1), ""), raw)
    return resolved or "TestHubName"


def connection_name(host_json: Mapping[str, Any]) -> str | None:
    """`extensions.durableTask.storageProvider.connectionName` (or the obsolete
    `connectionStringName`, bound after it, so it wins); None when neither is set.

    The extension's `AzureStorageOptions` binds these keys case-insensitively and
    `AzureStorageDurabilityProviderFactory` makes the value the default connection name.
    """
    durable = (host_json.get("extensions") or {}).get("durableTask") or {}
    provider = durable.get("storageProvider") or {}
    found = None
    if isinstance(provider, Mapping):
        keys = {str(key).lower(): value for key, value in provider.items()}
        for key in ("connectionname", "connectionstringname"):
            if isinstance(keys.get(key), str):
                found = keys[key]
    return found


# azure-functions-host ScriptJobHostOptionsSetup: the default off Consumption (what `func start`
# runs), the lower bound, and -1 for "no limit" where the plan allows it.
DEFAULT_FUNCTION_TIMEOUT_S = 30 * 60.0
_MIN_FUNCTION_TIMEOUT_S = 1.0
_TIMESPAN = re.compile(r"^\s*(-)?(?:(\d+)\.)?(\d+):(\d+)(?::(\d+(?:\.\d+)?))?\s*$")


def function_timeout_s(host_json: Mapping[str, Any]) -> float | None:
    """host.json `functionTimeout` in seconds; None for "-1" (no limit). Absent: 30 minutes.

    Out of bounds is the host's start-up error (`ScriptJobHostOptionsSetup.ValidateTimeoutValue`).
    """
    raw = host_json.get("functionTimeout")
    if raw is None:
        return DEFAULT_FUNCTION_TIMEOUT_S
    text = str(raw).strip()
    if text in ("-1", "-1.00:00:00"):
        return None
    match = _TIMESPAN.match(text)
    if match is None:
        raise ConfigFileError(f"host.json: functionTimeout is not a TimeSpan: {raw!r}")
    sign, days, hours, minutes, seconds = match.groups()
    total = (int(days or 0) * 24 + int(hours)) * 3600 + int(minutes) * 60 + float(seconds or 0)
    if sign or total < _MIN_FUNCTION_TIMEOUT_S:
        raise ConfigFileError(
            "FunctionTimeout must be greater than 00:00:01 and less than 10675199.02:48:05.4775807."
        )
    return total
