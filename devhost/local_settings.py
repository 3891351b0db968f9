"""App settings and host.json, read the way `func start` reads them.

`func start` loads `local.settings.json` and puts its `Values` into the worker's environment;
variables already set in the shell win. The embedded host falls back to the committed
`local.settings.json.example` so a fresh clone runs without a copy step. host.json gives the
route prefix (`extensions.http.routePrefix`, default "api") and the task hub name, whose
`%NAME%` references resolve against app settings, as the host resolves them.
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
# The URL the example settings use for the stand-in billing API under `func start`.
STOCK_INVOICE_API_URL = "http://localhost:7071/api/billing/invoices"
_SETTING_REF = re.compile(r"%([^%]+)%")


@dataclass(frozen=True)
class LocalSettings:
    """The parsed settings file (or nothing) and where it came from."""

    path: Path | None
    values: dict[str, str]
    local_http_port: int | None = None


def read_local_settings(app_dir: Path) -> LocalSettings:
    """local.settings.json if present, else the .example; an empty result if neither exists."""
    for name in SETTINGS_FILES:
        path = app_dir / name
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            values = {str(k): str(v) for k, v in (data.get("Values") or {}).items()}
            port = (data.get("Host") or {}).get("LocalHttpPort")
            return LocalSettings(path, values, int(port) if port else None)
    return LocalSettings(None, {})


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


def own_app_env(
    base_url: str, environ: Mapping[str, str] = os.environ, *, force: bool = False
) -> tuple[dict[str, str], dict[str, str]]:
    """(defaults, overrides) so the app talks to this host's own stand-in billing API.

    FAKE_BILLING_API_ENABLED defaults to true. INVOICE_API_URL becomes this host's billing route
    when it is unset or holds the example's stock value (which names port 7071, maybe not ours),
    or always with `force` (tests: a developer's shell must not send them to the internet).
    """
    defaults = {"FAKE_BILLING_API_ENABLED": "true"}
    current = environ.get("INVOICE_API_URL", "").strip()
    if current and current != STOCK_INVOICE_API_URL and not force:
        return defaults, {}
    return defaults, {"INVOICE_API_URL": f"{base_url.rstrip('/')}/api/billing/invoices"}


def read_host_json(app_dir: Path) -> dict[str, Any]:
    path = app_dir / "host.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


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
