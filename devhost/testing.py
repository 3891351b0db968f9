"""Test helpers: start the embedded host for an app module on a free loopback port.

    async with running_host() as host:                  # the real app, function_app.py
        async with aiohttp.ClientSession() as http:
            await http.post(host.url("api/orchestrators/fan_out_fan_in"), json={"count": 5})

`running_host` sets the given app settings for the host's lifetime and restores them after,
imports the app afresh (settings read at import time apply), and closes everything it started.
`HostFactory` is the fixture form: it remembers every host it started and closes them all.
Read results through the engine's public API (`host.engine.wait(id)`, `.status(id)`,
`.history(id)`, `.counters(id)`), and wait for anything else with `wait_until`:

    await wait_until(lambda: host.engine.counters(id).episodes == 2, 10, "two episodes")

Pass `store=SqliteStore(folder)` to persist state as `python -m devhost serve` does.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import aiohttp

from devhost.durable_query import TERMINAL
from devhost.engine import EngineSettings
from devhost.local_settings import patched_environ
from devhost.server import EmbeddedHost
from devhost.store import Store
from devhost.waiting import wait_until

__all__ = ["HostFactory", "poll_status", "running_host", "wait_until"]


@contextlib.asynccontextmanager
async def running_host(
    app_module: str = "function_app",
    *,
    app_dir: str | Path | None = None,
    settings: EngineSettings | None = None,
    env: Mapping[str, str] | None = None,
    port: int = 0,
    store: Store | None = None,
) -> AsyncIterator[EmbeddedHost]:
    """An `EmbeddedHost` on 127.0.0.1:`port` (0 = free port), closed on exit.

    `env` holds app settings (what local.settings.json `Values` would hold); they override the
    process environment until the host is closed. INVOICE_API_URL is this host's own billing
    route unless `env` names another. `settings` configures the replay engine; `store` keeps
    the instances (default: in memory; `SqliteStore(folder)` persists them).
    """
    env = dict(env or {})
    with patched_environ(overrides=env):
        host = EmbeddedHost(
            app_module,
            app_dir=app_dir,
            port=port,
            engine_settings=settings,
            store=store,
            own_billing_only="INVOICE_API_URL" not in env,
        )
        await host.start()
        try:
            yield host
        finally:
            await host.close()


class HostFactory:
    """Starts hosts on demand and closes all of them at teardown (pytest fixture factory)."""

    def __init__(self) -> None:
        self._stack = contextlib.AsyncExitStack()

    async def __call__(self, app_module: str = "function_app", **kwargs: Any) -> EmbeddedHost:
        return await self._stack.enter_async_context(running_host(app_module, **kwargs))

    async def aclose(self) -> None:
        await self._stack.aclose()


async def poll_status(
    http: aiohttp.ClientSession, status_url: str, *, timeout: float = 30.0, interval: float = 0.02
) -> dict[str, Any]:
    """GET a status URL until the instance is terminal; the last status JSON.

    Raises TimeoutError naming the last runtime status if it never finishes.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    body: dict[str, Any] = {}
    while loop.time() < deadline:
        async with http.get(status_url) as response:
            body = await response.json() if response.status in (200, 202) else {}
        if body.get("runtimeStatus") in TERMINAL:
            return body
        await asyncio.sleep(interval)
    raise TimeoutError(f"{status_url} still {body.get('runtimeStatus')!r} after {timeout}s")
